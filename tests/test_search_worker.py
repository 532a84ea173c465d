"""The search worker's text handling (docs/assets/javascripts/kb-search-worker.js), run in Node
(installed with npm for the validators; see .ci/run): marks are placed in the text as the page
shows it, never inside the character references that escaping makes, and the source's own
characters (full-width punctuation and digits) are kept."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from kb_testlib import ROOT

WORKER = ROOT / "docs" / "assets" / "javascripts" / "kb-search-worker.js"

# The worker's functions, loaded as a worker would load them, without a worker's messaging.
HARNESS = """
const fs = require("fs");
global.self = { location: { search: "?lang=zh", href: "http://localhost/assets/javascripts/kb-search-worker.js" } };
global.addEventListener = () => {};
eval(fs.readFileSync(process.argv[1], "utf8") + "; global.kb = { highlight, teaser };");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(([fn, text, labels]) => kb[fn](text, labels))));
"""


def run_worker(cases: list) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node not found: Node.js comes with the machine; where it does not, `apt-get install -y nodejs npm` (see .ci/run)",
            pytrace=False,
        )
    r = subprocess.run(
        [node, "-e", HARNESS, str(WORKER)], input=json.dumps(cases), capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_marks_never_fall_inside_character_references():
    text = 'Editors\' guide: 39 < 40 & "lt" alt'
    lt, n39 = run_worker([["highlight", text, ["lt"]], ["highlight", text, ["39"]]])
    assert lt == "Editors&#39; guide: 39 &lt; 40 &amp; &quot;<mark>lt</mark>&quot; a<mark>lt</mark>"
    assert n39 == "Editors&#39; guide: <mark>39</mark> &lt; 40 &amp; &quot;lt&quot; alt"


def test_the_source_text_is_shown_and_folded_forms_are_matched():
    text = "要求：继续树好“政协悦读大讲堂”品牌，第１０９期，ＡＩ"
    (shown,) = run_worker([["highlight", text, ["品牌", "109", "ai"]]])
    assert shown == "要求：继续树好“政协悦读大讲堂”<mark>品牌</mark>，第<mark>１０９</mark>期，<mark>ＡＩ</mark>"


def test_teaser_starts_near_the_first_match_in_the_shown_text():
    text = "甲" * 100 + "目标：任务"
    (teaser,) = run_worker([["teaser", text, ["目标"]]])
    assert teaser == "…" + "甲" * 30 + "目标：任务"

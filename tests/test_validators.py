"""Validators the project did not write, run on the real built site.

The Nu HTML Checker (vnu) comes from npm (`vnu-jar`, pinned in package.json, installed by `npm ci`)
and runs on Debian's Java (`default-jre-headless`); `.ci/run` installs both. Without them these
tests FAIL with the command to run: a validator that silently skipped would prove nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kb_testlib import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = "install the validators: `apt-get install -y default-jre-headless nodejs npm && npm ci` (see .ci/run)"

# A page with the mistake the project once made (Python-Markdown passes markdown="0" through),
# checked in the same run: proves the checker reports errors and that the run covered our files.
KNOWN_BAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><div class="kb-table-wrap" markdown="0"><p>x</p></div></body></html>
"""


def _vnu(*paths: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        missing = "java" if java is None else str(VNU_JAR.relative_to(ROOT))
        pytest.fail(f"the Nu HTML Checker cannot run: {missing} not found; {INSTALL_HINT}", pytrace=False)
    # -Xss: vnu's regular expressions recurse deeply on long pages (the full text, the guide).
    cmd = [java, "-Xss2048k", "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", "--skip-non-html"]
    r = subprocess.run([*cmd, *map(str, paths)], capture_output=True, text=True, timeout=600)
    try:
        return json.loads(r.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {r.returncode}):\n{r.stderr[-2000:]}", pytrace=False)


def test_vnu_reports_no_errors_or_warnings_on_any_page(real_site, tmp_path):
    bad = tmp_path / "known-bad" / "index.html"
    bad.parent.mkdir()
    bad.write_text(KNOWN_BAD, "utf-8")
    messages = _vnu(real_site, bad.parent)

    in_bad = [m for m in messages if m.get("url", "").endswith("/known-bad/index.html")]
    assert any('"markdown"' in m["message"].replace("\u201c", '"').replace("\u201d", '"') for m in in_bad), in_bad

    problems = [m for m in messages if m not in in_bad and m["type"] != "info"]
    report = "\n".join(
        f"{m.get('url', '').split(str(real_site), 1)[-1]}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        f"\n    {m.get('extract', '').strip()[:160]}"
        for m in problems[:40]
    )
    assert not problems, f"vnu: {len(problems)} error(s)/warning(s) in the built site:\n{report}"

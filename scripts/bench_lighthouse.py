"""Lighthouse scores for five kinds of page (used by `python -m scripts.bench --lighthouse`).

Lighthouse 12.2.3 comes from npm (package.json; `npm ci`) and drives Debian's chromium. The real
docs/ is built and served locally; each page is audited with Lighthouse's default (mobile) form
factor for accessibility, best practices and SEO. Performance is left out: on a shared 2-core
machine and a server without compression it measures the machine (see validators-2026-11 notes).
Reported per page: the three scores (0-100) and every audit that did not pass, by id and title.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("accessibility", "best-practices", "seo")
# home, plan overview, a work point, the task table, an English listing
PAGES = ("/", "/plan/2024/", "/plan/2024/05/", "/plan/2024/tasks/", "/en/wenshi/")


def summarise(report: dict) -> dict:
    """Scores and failed audits from one Lighthouse JSON report."""
    scores = {c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES}
    audited = {ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]}
    failed = {
        a_id: report["audits"][a_id]["title"]
        for a_id in sorted(audited)
        if report["audits"][a_id].get("score") is not None
        and report["audits"][a_id]["score"] < 1
        and report["audits"][a_id].get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    }
    return {**scores, "failed": failed}


def measure(docs: Path = ROOT / "docs") -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE.relative_to(ROOT)} not found: run `npm ci` (see .ci/run)")
    from scripts.bench_browser import _serve

    with tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp:
        site = Path(tmp) / "site"
        r = runner.build(docs, site)
        if r.returncode != 0:
            raise SystemExit(f"build failed:\n{r.stderr[-3000:]}")
        server = _serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        results = {}
        try:
            for page in PAGES:
                out = subprocess.run(
                    [
                        str(LIGHTHOUSE),
                        base + page,
                        f"--only-categories={','.join(CATEGORIES)}",
                        "--chrome-flags=--headless=new --no-sandbox",
                        "--output=json",
                        "--output-path=stdout",
                        "--quiet",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    env={**os.environ, "CHROME_PATH": CHROMIUM},
                )
                if out.returncode != 0:
                    results[page] = {"error": out.stderr[-500:]}
                    continue
                results[page] = summarise(json.loads(out.stdout))
        finally:
            server.shutdown()
            server.server_close()
    return results

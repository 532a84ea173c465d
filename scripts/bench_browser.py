"""Benchmark parts that need a browser or a running preview (used by scripts/bench.py).

- `measure(site)`: for a few queries, the bytes the browser transfers from opening the search
  until the first result is shown (gzip sizes, as a compressing server would send them) and the
  time from the last keystroke to the first result, in headless Chromium (Debian's chromium).
- `preview_rebuild(work, docs)`: seconds from saving one record to the preview serving it.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

QUERIES = ["悦读大讲堂", "提案", "109高速", "委员联系群众工作站", "长城文化"]
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            for query in QUERIES:
                page = browser.new_page()
                page.goto(base + "/")
                page.wait_for_load_state("networkidle")
                fetched: list[str] = []
                page.on("requestfinished", lambda r, fetched=fetched: fetched.append(r.url))
                # the worker's own requests are reported on the worker, not the page
                page.context.on("requestfinished", lambda r, fetched=fetched: fetched.append(r.url))
                page.keyboard.press("/")
                page.keyboard.type(query)
                start = time.perf_counter()
                page.keyboard.press("End")
                page.wait_for_selector(".md-search-result__item", timeout=20000)
                elapsed = time.perf_counter() - start
                urls = sorted({u for u in fetched if u.startswith(base)})
                gz = sum(
                    len(gzip.compress((site / u[len(base) + 1 :].split("?")[0]).read_bytes(), 6))
                    for u in urls
                    if (site / u[len(base) + 1 :].split("?")[0]).is_file()
                )
                results.append(
                    {"query": query, "ms_to_first_result": round(1000 * elapsed), "files": len(urls), "bytes_gz": gz}
                )
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return {
        "queries": results,
        "max_bytes_gz": max(r["bytes_gz"] for r in results),
        "max_ms_to_first_result": max(r["ms_to_first_result"] for r in results),
    }


def preview_rebuild(work: Path, docs: Path, extra_args: tuple[str, ...] = (), env_extra: dict | None = None) -> float:
    """Start `mkdocs serve`, edit one record, time until the preview serves the edit."""
    config = work / "mkdocs.yml"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *extra_args, "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    record = sorted((docs / "lectures").glob("2*.md"))[0]
    url = f"http://127.0.0.1:{port}/lectures/{record.stem}/"

    def fetch() -> str:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")

    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited with {proc.returncode}")
            try:
                fetch()
                break
            except OSError:
                time.sleep(0.5)
        marker = f"EDITED{int(time.time())}"
        time.sleep(2)  # let the watcher settle after the first build
        record.write_text(record.read_text("utf-8") + f"\n\n{marker}\n", "utf-8")
        start = time.perf_counter()
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited with {proc.returncode}")
            try:
                if marker in fetch():
                    return round(time.perf_counter() - start, 2)
            except OSError:
                pass
            time.sleep(0.1)
        return float("nan")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

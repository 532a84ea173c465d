"""Benchmark parts that need a browser or a running preview (used by scripts/bench.py).

- `measure(site)`: for a few queries, the bytes the browser transfers from opening the search
  until the first result is shown (gzip sizes, as a compressing server would send them) and the
  time from the last keystroke to the first result, in headless Chromium (Debian's chromium).
- `preview_saves(work, docs, args, saves=N)`: `mkdocs serve ARGS` over N saves of one record: the
  seconds from each save to the preview serving it, and the server's memory.
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


def _rss_mb(pid: int) -> float:
    """Resident memory of one process now (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) one process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def preview_saves(
    work: Path,
    docs: Path,
    extra_args: tuple[str, ...] = (),
    *,
    saves: int = 1,
    record: Path | None = None,
    env_extra: dict | None = None,
) -> dict:
    """Start `mkdocs serve`, then save one record `saves` times, one edit each, waiting each time
    until the preview serves the edit.

    A page request to the preview waits until the running build is finished (MkDocs' livereload
    server holds it), so each time is from the save to the whole rebuild being visible, as an
    editor waiting for the browser to reload sees it. The CPU seconds the server spent on each
    rebuild are reported too: on a busy machine they show what a rebuild costs, which the wall
    time hides. Memory is the server's resident set after the first and the last save."""
    config = work / "mkdocs.yml"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    command = ["mkdocs", "serve", *extra_args]
    proc = subprocess.Popen(
        [sys.executable, "-m", *command, "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    record = record or sorted((docs / "lectures").glob("2*.md"))[0]
    original = record.read_text("utf-8")
    url = f"http://127.0.0.1:{port}/{record.relative_to(docs).with_suffix('').as_posix()}/"

    def fetch() -> str:
        with urllib.request.urlopen(url, timeout=600) as r:
            return r.read().decode("utf-8")

    def wait_for(marker: str | None, deadline: float) -> float:
        start = time.perf_counter()
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited with {proc.returncode}")
            try:
                page = fetch()
                if marker is None or marker in page:
                    return round(time.perf_counter() - start, 2)
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the preview did not show the edit within the time limit ({' '.join(command)})")

    times: list[float] = []
    cpu: list[float] = []
    rss: list[float] = []
    try:
        deadline = time.monotonic() + 900
        initial_s = wait_for(None, deadline)
        rss_initial = _rss_mb(proc.pid)
        time.sleep(2)  # let the watcher settle after the first build
        for n in range(1, saves + 1):
            marker = f"EDITED-{n}-{time.time_ns()}"
            cpu_before = _cpu_s(proc.pid)
            record.write_text(original + f"\n\n{marker}\n", "utf-8")
            times.append(wait_for(marker, time.monotonic() + 600))
            cpu.append(round(_cpu_s(proc.pid) - cpu_before, 2))
            rss.append(_rss_mb(proc.pid))
            time.sleep(0.6)  # more than the watcher's polling interval: one save, one rebuild
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        record.write_text(original, "utf-8")
    return {
        "command": " ".join(command),
        "saves": saves,
        "initial_build_s": initial_s,
        "rss_initial_mb": rss_initial,
        "first_s": times[0],
        "max_s": max(times),
        "last_s": times[-1],
        "max_cpu_s": max(cpu),
        "rss_first_mb": rss[0],
        "rss_max_mb": max(rss),
        "rss_last_mb": rss[-1],
        "rebuild_s": times,
        "rebuild_cpu_s": cpu,
        "rss_mb": rss,
    }

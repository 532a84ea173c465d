"""The preview (`mkdocs serve --dirty`, as the README starts it) holds the same amount of state
after every rebuild. It once kept every earlier build's search entries, so each save doubled its
memory and rebuild time; the benchmark (`python -m scripts.bench --serve --saves 50`) measures
the time and memory, this test checks the cause without timing anything."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from kb_testlib import FIXTURES, ROOT
from scripts.kb.adapter import runner

PROBE = Path(__file__).with_name("serve_probe.py")


def _probe(tmp_path, record: str, *args: str) -> subprocess.CompletedProcess:
    """Run tests/serve_probe.py on a copy of the lectures fixture: `args` around the config and
    the record's path (`{config}`, `{record}`)."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    config = runner.write_config(docs, tmp_path / "site", tmp_path / "mkdocs.yml")
    values = {"config": str(config), "record": str(docs / record)}
    result = subprocess.run(
        [sys.executable, str(PROBE), *(a.format(**values) for a in args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_rebuilds_hold_no_more_than_the_first(tmp_path):
    result = _probe(tmp_path, "lectures/2024-05-20-district-key-tasks.md", "{config}", "{record}", "4")
    rebuilds = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rebuilds) == 4, result.stdout
    first = rebuilds[0]
    for n, later in enumerate(rebuilds[1:], start=2):
        assert later == first, f"rebuild {n} holds more than rebuild 1: {later} vs {first}"
    # a rebuild keeps the first build's search shards, so Material indexes nothing for it; and
    # what Material's search keeps for the next rebuild is this build's index, not the first
    # build's whole one (the first build indexed every page: see the probe's "initial" line)
    initial = json.loads(
        next(line for line in result.stdout.splitlines() if line.startswith("initial ")).split(" ", 1)[1]
    )
    assert initial["material_search_entries"] > 0 and initial["i18n_search_entries"] > 0, initial
    assert first["material_search_entries"] == first["i18n_search_entries"] == 0, first
    assert first["material_previous_index_entries"] == 0, first


def test_a_save_rebuilds_the_listings_only_when_what_they_show_changed(tmp_path):
    # what a save renders again besides the record: listing pages, year pages, feeds and the
    # calendar only if what they read changed. A body edit (the commonest save) rebuilds the
    # record alone; a title edit also the listings, feeds and year pages that show titles
    outputs = ["lectures/index.html", "en/lectures/index.html", "plan/index.html", "feed.xml", "en/feed.xml"]
    record = "lectures/2024-09-10-recovery-policy.md"
    result = _probe(tmp_path, record, "--listings", "{config}", "{record}", ",".join(outputs))
    body, title = (json.loads(line) for line in result.stdout.splitlines() if line.startswith("{"))
    assert body == {"edit": "body", "written": [], "show_title": [], "page_shows_body": True}
    assert title["written"] == sorted(outputs), title
    assert title["show_title"] == sorted(set(outputs) - {"plan/index.html"}), title


def test_the_theme_listing_kept_for_the_preview_is_the_one_mkdocs_makes(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from scripts.kb.adapter import theme_files

    config_file = runner.write_config(FIXTURES / "lectures-site", tmp_path / "site", tmp_path / "mkdocs.yml")

    def theme_files_of(config) -> list[tuple[str, str]]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted((f.src_uri, f.abs_src_path) for f in files)

    plain = theme_files_of(load_config(config_file=str(config_file)))
    assert any(src.startswith("assets/") for src, _ in plain)  # Material's assets: it lists something
    for _ in range(2):  # made, then taken from the listing kept for the process
        config = load_config(config_file=str(config_file))
        theme_files.cache_listing(config)
        assert theme_files_of(config) == plain


def test_the_preview_polls_often_for_a_small_site_and_as_mkdocs_does_for_a_large_one(tmp_path):
    from mkdocs.livereload import LiveReloadServer

    from scripts.kb.adapter import preview_watch

    assert preview_watch.interval_for(0.007) == 0.15  # 500 records: a walk of 7 ms
    assert preview_watch.interval_for(0.0) == preview_watch.FLOOR
    assert preview_watch.interval_for(0.07) == preview_watch.DEFAULT  # 5,000 records: MkDocs' own
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(str(docs))
        interval = preview_watch.quicken(server, docs)
        emitters = list(server.observer.emitters)
        assert emitters and all(e.timeout == interval for e in emitters)
        assert preview_watch.FLOOR <= interval < preview_watch.DEFAULT
    finally:
        server.server_close()


def test_settling_after_the_first_build_sets_the_survivors_aside():
    import gc

    from scripts.kb.adapter import preview_watch

    before = gc.get_freeze_count()
    try:
        timer = preview_watch.settle(delay=0)
        timer.join(timeout=60)
        assert not timer.is_alive()
        assert gc.get_freeze_count() > before  # the objects alive now are left out of collections
    finally:
        gc.unfreeze()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _wait_for(what, timeout: float, why: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{why} within {timeout:.0f} s; the preview printed:\n{log.read_text('utf-8')[-3000:]}")


def test_the_running_preview_redirects_a_page_moved_with_kb_mv_and_prints_no_false_alarm(tmp_path):
    """The preview as the README starts it (`mkdocs serve --dirty --no-strict`): after `kb mv`,
    the old address leads to the new page in both languages without a restart (the preview kept
    serving the old page there); and what it prints has no WARNING about dirty builds, no "stale
    files, use --clean" and no jieba chatter (README: "What the preview prints")."""
    from scripts.kb import cli

    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    config = runner.write_config(docs, tmp_path / "site", tmp_path / "mkdocs.yml")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "preview.log"
    old, new = "lectures/2024-05-20-district-key-tasks", "lectures/2024-05-20-key-tasks"
    with log.open("w", encoding="utf-8") as out:
        preview = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--dirty",
                "--no-strict",
                "-f",
                str(config),
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        _wait_for(lambda: _get(f"{base}/{old}/")[0] == 200, 300, "the preview did not serve the page", log)
        assert "http-equiv" not in _get(f"{base}/{old}/")[1]
        assert cli.main(["--docs", str(docs), "mv", str(docs / f"{old}.md"), str(docs / f"{new}.md")]) == 0
        for prefix in ("", "en/"):
            _wait_for(
                lambda prefix=prefix: 'http-equiv="refresh"' in _get(f"{base}/{prefix}{old}/")[1],
                120,
                f"/{prefix}{old}/ did not lead to the moved page",
                log,
            )
            status, html = _get(f"{base}/{prefix}{old}/")
            assert status == 200 and 'url=../2024-05-20-key-tasks/"' in html
            assert _get(f"{base}/{prefix}{new}/")[0] == 200
    finally:
        preview.terminate()
        try:
            preview.wait(timeout=30)
        except subprocess.TimeoutExpired:
            preview.kill()
            preview.wait()
    printed = log.read_text("utf-8")
    assert "Serving on" in printed and "Reloading browsers" in printed
    for alarm in ("WARNING", "dirty' build", "stale files", "Building prefix dict", "Traceback"):
        assert alarm not in printed, f"the preview printed {alarm!r}:\n{printed[-3000:]}"

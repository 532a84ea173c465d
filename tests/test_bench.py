"""The benchmark must work (speed is judged by running it, never by a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from scripts import bench
from scripts.kb.adapter import inventory

ROOT = Path(__file__).resolve().parents[1]

# Records in the benchmarks these tests run: the corpus writes fifteen work points, then deals
# lectures, events and 文史 out in turn; 25 holds every kind. The figures' shape, not their size,
# is under test.
RECORDS = 25


def test_corpus_goes_through_the_schemas(tmp_path):
    docs = tmp_path / "docs"
    counts = bench.make_corpus(docs, 60)
    assert sum(counts.values()) == 60
    kb = inventory.load_knowledge_base(docs, with_history=False)
    assert kb.ok, [str(p) for p in kb.problems][:5]
    assert len(kb.records()) == 60
    assert all(c > 0 for c in counts.values()), counts


def test_small_benchmark_run_reports_every_figure(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench",
            "--records",
            str(RECORDS),
            "--json",
            "--naive",
            "--serve",
            "--saves",
            "2",
            "--keep",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for key in (
        "records",
        "pages",
        "build_s",
        "ms_per_page",
        "peak_rss_mb",
        "search_bytes",
        "search_bytes_gz",
        "site_bytes",
        "naive",
        "naive_ratio",
        "preview",
        "preview_full_rebuild_s",
    ):
        assert key in report, key
    assert report["records"] == RECORDS
    site = tmp_path / "work" / "site"
    assert report["pages"] == sum(1 for _ in site.rglob("index.html"))
    assert report["pages"] >= 2 * RECORDS  # every record in both languages
    assert report["build_s"] > 0 and report["peak_rss_mb"] > 0
    assert 0 < report["search_bytes_gz"] < report["search_bytes"]
    assert "error" not in report["naive"], report["naive"]
    assert report["naive"]["pages"] >= report["records"]
    preview = report["preview"]
    # the README's own preview command is the one measured
    readme = (ROOT / "README.md").read_text("utf-8")
    assert preview["command"] in readme, preview["command"]
    assert preview["command"].startswith("mkdocs serve")
    assert preview["saves"] == 2 and len(preview["rebuild_s"]) == 2 and len(preview["rss_mb"]) == 2
    assert preview["first_s"] == preview["rebuild_s"][0] and preview["last_s"] == preview["rebuild_s"][-1]
    assert preview["max_s"] == max(preview["rebuild_s"]) > 0
    assert preview["rss_first_mb"] > 0 and preview["rss_last_mb"] > 0
    assert report["preview_full_rebuild_s"] > 0


def test_photo_benchmark_reports_cold_and_warm_builds(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench",
            "--records",
            str(RECORDS),
            "--photos",
            "2",
            "--json",
            "--keep",
            str(tmp_path / "w"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    photos = json.loads(result.stdout.strip().splitlines()[-1])["photos"]
    assert photos["count"] == 2 and photos["cold_build_s"] > 0 and photos["warm_build_s"] > 0
    assert photos["cold_serial_build_s"] > 0 and photos["processes"] >= 1 and "pool_speedup" in photos
    assert photos["variant_files"] == 2 * 3 * 2  # two photos, three widths, WebP and JPEG
    assert (tmp_path / "w" / ".cache" / "kb-images").is_dir()


def _bench(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "scripts.bench", *args], cwd=cwd, capture_output=True, text=True, timeout=900
    )


def _caches(side: Path) -> int:
    return sum(1 for folder in (side / ".cache", side / ".tmp") for p in folder.rglob("*") if p.is_file())


def test_compare_builds_one_corpus_with_both_commits_each_round_cold(tmp_path):
    work = tmp_path / "cmp"
    result = _bench("--records", str(RECORDS), "--compare", "HEAD", "--runs", "2", "--json", "--keep", str(work))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert report["other"]["commit"] == head and report["current"]["commit"] == head
    assert report["cold"] is True
    for name in ("current", "other"):
        side = report[name]
        assert side["pages"] == sum(1 for _ in (work / name / "site").rglob("index.html")) >= 2 * RECORDS
        assert len(side["ms_per_page"]) == len(side["build_s"]) == len(side["peak_rss_mb"]) == len(side["cpu_s"]) == 2
        assert side["ms_per_page"][0] > 0 and side["peak_rss_mb"][0] > 0 and side["site_bytes"] > 0
        assert all(cpu > 0 for cpu in side["cpu_s"]) and len(side["load_1m"]) == 2
        # every round started with no card, photo or search cache, though each build leaves
        # its cards and jieba's dictionary cache behind
        assert side["cached_files"] == [0, 0]
        assert list((work / name / ".cache" / "kb-cards").glob("*.png"))
        assert (work / name / ".tmp" / "jieba.cache").is_file()
    rounds = [c / o for c, o in zip(report["current"]["ms_per_page"], report["other"]["ms_per_page"], strict=True)]
    assert report["round_ratios"] == [round(r, 3) for r in rounds]
    assert abs(report["ratio"] - sum(rounds) / 2) < 0.002  # the median of two rounds
    # the records were written once and laid, byte for byte, into both sides' docs
    records = [p for p in (work / "records").rglob("*.md")]
    assert len(records) >= RECORDS
    for p in records:
        rel = p.relative_to(work / "records")
        assert (
            (work / "current" / "docs" / rel).read_bytes()
            == p.read_bytes()
            == (work / "other" / "docs" / rel).read_bytes()
        )
    # the other side was built from its own checkout, which is gone afterwards
    other_config = yaml.safe_load((work / "other" / "mkdocs.yml").read_text("utf-8"))
    assert Path(other_config["INHERIT"]).parent != ROOT and not Path(other_config["INHERIT"]).exists()
    listed = subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    assert str(Path(other_config["INHERIT"]).parent) not in listed.stdout


def test_compare_refuses_an_unknown_commit(tmp_path):
    result = _bench("--records", str(RECORDS), "--compare", "no-such-rev-xyz", "--keep", str(tmp_path / "w"))
    assert result.returncode != 0
    assert "no such commit" in result.stderr and "Traceback" not in result.stderr


def test_compare_warm_keeps_the_caches_after_the_first_round(tmp_path):
    work = tmp_path / "warm"
    result = _bench(
        "--records", str(RECORDS), "--compare", "HEAD", "--runs", "2", "--warm", "--json", "--keep", str(work)
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["cold"] is False
    for name in ("current", "other"):
        first, second = report[name]["cached_files"]
        assert first == 0 and second == _caches(work / name) > 0


def test_warm_is_for_compare_only(tmp_path):
    result = _bench("--records", str(RECORDS), "--warm", "--keep", str(tmp_path / "w"))
    assert result.returncode != 0 and "--warm" in result.stderr and "Traceback" not in result.stderr

"""Benchmark: build a synthetic knowledge base of N records with the project's real configuration.

    python -m scripts.bench --records 500 [--json] [--naive] [--browser] [--serve [--saves N]] [--lighthouse]
        [--photos N] [--keep DIR]
    python -m scripts.bench --records 2000 --compare REV [--runs 2] [--warm] [--json] [--keep DIR]

Prints one JSON object: records, pages, build_s, ms_per_page, peak_rss_mb, search_bytes,
search_bytes_gz, site_bytes (and, with options, the naive build's figures and ratio, search
transfer and time to first result in headless Chromium, the README's preview command over N
saves: first, max and last rebuild times, resident memory after the first and the last save,
Lighthouse's accessibility, best-practices and SEO scores of five page types of the real docs/,
and the build with N phone photos, first with an empty photo cache and then with a warm one).
With --compare REV: the same corpus built by this checkout and by commit REV alternately, both
sides' figures and the ratio of their ms/page (see `compare`).

Every build starts cold, as the publishing build on a new server or in CI does: no share card,
photo or search (jieba) cache from an earlier build (`clean_state`). --warm keeps them between
the rounds of --compare instead, to measure a change that touches no cache.

The corpus is written through the project's own schemas: every record is validated before it is
written, with text drawn from the published plan so segmentation and index sizes are realistic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from scripts.kb.adapter import runner
from scripts.kb.collections import REGISTRY
from scripts.kb.content import fields
from scripts.kb.outputs import images

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sources" / "2024-work-points.txt"
SEED = 20241
SITE_URL = "https://example.invalid/"  # the address the benchmark's builds publish at


# --- corpus ---------------------------------------------------------------------------------


def _sentences() -> tuple[list[str], list[str]]:
    """Chinese sentences from the source (or the docs), English ones from the translations."""
    text = (
        SOURCE.read_text("utf-8")
        if SOURCE.exists()
        else "\n".join(p.read_text("utf-8") for p in (ROOT / "docs" / "plan" / "2024").glob("[0-9][0-9].md"))
    )
    zh = [
        s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 12 and "---" not in s and ":" not in s
    ]
    en_text = " ".join(
        p.read_text("utf-8").split("---", 2)[-1] for p in (ROOT / "docs" / "plan" / "2024").glob("[0-9][0-9].en.md")
    )
    en = [s.strip() + "." for s in re.split(r"(?<=[.;])\s+", en_text) if len(s.strip()) > 30]
    return zh, en


def _paragraphs(rng: random.Random, sentences: list[str], chars: int) -> str:
    out, size, para = [], 0, []
    while size < chars:
        s = rng.choice(sentences)
        para.append(s)
        size += len(s)
        if len(para) >= rng.randint(2, 5):
            out.append("".join(para) if sentences and re.search(r"[\u4e00-\u9fff]", s) else " ".join(para))
            para = []
    if para:
        out.append("".join(para))
    return "\n\n".join(out)


def _write(path: Path, meta: dict, body: str, model) -> None:
    model.model_validate(meta)  # the corpus goes through the project's schemas
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{body}\n", "utf-8")


def plan_years(records: int) -> int:
    return min(10, max(1, round(records * 0.1 / 15)))  # one plan a year, ten years at most


def lay_skeleton(docs: Path, records: int, skeleton: Path = ROOT / "docs") -> None:
    """The real pages of a docs folder (home, plan notice and index pages, collection indexes,
    guide) without its records: the frame that `write_records` fills. `skeleton` is the docs/ of
    the code being measured (another commit's own with --compare)."""
    shutil.copytree(skeleton, docs, ignore=shutil.ignore_patterns("[0-9][0-9].md", "[0-9][0-9].en.md"))
    # keep only the index pages of every collection's folder: the corpus is the records it writes,
    # whatever records an editor has added to docs/
    for folder in sorted({c.folder for c in REGISTRY.creatable().values() if c.folder}):
        for p in (docs / folder).glob("*.md"):
            if not p.name.startswith("index."):
                p.unlink()
    shutil.rmtree(docs / "plan" / "2024")
    plan_template = (skeleton / "plan" / "2024").glob("*.md")
    plan_pages = {p.name: p.read_text("utf-8") for p in plan_template if not re.match(r"\d\d\.", p.name)}
    for i in range(plan_years(records)):
        year = 2024 - i
        (docs / "plan" / str(year)).mkdir(parents=True, exist_ok=True)
        for name, text in plan_pages.items():
            # every mention of the year: kb check refuses a plan page that names another year
            (docs / "plan" / str(year) / name).write_text(text.replace("2024", str(year)), "utf-8")


def write_records(docs: Path, records: int, *, translated_share: float = 0.3, seed: int = SEED) -> dict:
    """`records` synthetic records: fifteen work points a plan year, then lectures, events and
    文史 entries (about a third translated). The same arguments always write the same files."""
    rng = random.Random(seed)
    zh, en = _sentences()
    counts = {"point": 0, "lecture": 0, "event": 0, "wenshi": 0}
    years = plan_years(records)
    point_ids = []
    for i in range(years):
        year = 2024 - i
        for n in range(1, 16):
            meta = {
                "year": year,
                "number": n,
                "section": (n - 1) // 3 + 1,
                "title": rng.choice(zh)[:30].rstrip("。"),
                "tags": rng.sample(["学习", "提案", "文史", "联谊", "委员", "调研"], 2),
            }
            if rng.random() < 0.5:
                meta.update(status=rng.choice(["in-progress", "completed"]), progress=rng.randint(0, 100))
            _write(
                docs / "plan" / str(year) / f"{n:02d}.md",
                meta,
                _paragraphs(rng, zh, rng.randint(300, 900)),
                REGISTRY["point"].model,
            )
            point_ids.append(f"{year}-{n:02d}")
            counts["point"] += 1
    remaining = records - counts["point"]
    kinds = ["lecture"] * 4 + ["event"] * 3 + ["wenshi"] * 3
    for i in range(max(0, remaining)):
        kind = kinds[i % len(kinds)]
        year = 2024 - rng.randrange(years)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        title = rng.choice(zh)[: rng.randint(8, 24)].rstrip("。，")
        body = _paragraphs(rng, zh, rng.randint(1000, 3000))
        points = rng.sample(point_ids, 2)
        slug = f"{date}-r{i:05d}" if kind != "wenshi" else f"record-{i:05d}"
        if kind == "lecture":
            meta = {
                "title": title,
                "date": date,
                "speaker": rng.choice(["张明", "李华", "王芳", "赵强"]),
                "speaker_role": rng.choice(["department-head", "member", "wenshi-adviser"]),
                "topic_kind": rng.choice(["policy", "science", "local-culture"]),
                "points": points,
                "tags": ["悦读大讲堂"],
            }
            model, folder = REGISTRY["lecture"].model, "lectures"
        elif kind == "event":
            meta = {
                "title": title,
                "when": date,
                "date_source": "record",
                "status": rng.choice(["planned", "held"]),
                "points": points,
                "tags": ["团结联谊"],
            }
            model, folder = REGISTRY["event"].model, "events"
        else:
            meta = {
                "title": title,
                "kind": rng.choice(["book", "accounts", "collection"]),
                "status": rng.choice(["not-reported", "in-progress", "completed"]),
                "points": points,
                "tags": ["文史资料"],
            }
            model, folder = REGISTRY["wenshi"].model, "wenshi"
        _write(docs / folder / f"{slug}.md", meta, body, model)
        if rng.random() < translated_share:
            _write(
                docs / folder / f"{slug}.en.md",
                {"title": rng.choice(en)[:60]},
                _paragraphs(rng, en, rng.randint(1500, 4000)),
                fields.Translation,
            )
        counts[kind] += 1
    return counts


def make_corpus(docs: Path, records: int, *, translated_share: float = 0.3, seed: int = SEED) -> dict:
    """Real pages (home, plan, indexes, guide) plus `records` synthetic records."""
    lay_skeleton(docs, records)
    return write_records(docs, records, translated_share=translated_share, seed=seed)


def add_photos(docs: Path, count: int, *, seed: int = SEED) -> int:
    """One 4000×3000 phone-like JPEG (about 2 MB, with GPS in its EXIF) in each of `count` lectures.
    Returns the photos' total size in bytes."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = 4000, 3000
    ramp = Image.linear_gradient("L")
    base = Image.merge("RGB", (ramp.resize((w, h)), ramp.rotate(90).resize((w, h)), ramp.rotate(180).resize((w, h))))
    base = Image.blend(base, Image.effect_noise((w // 4, h // 4), 24).resize((w, h)).convert("RGB"), 0.1)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 56.0, 0.0), 3: "E", 4: (116.0, 6.0, 0.0)})
    lectures = sorted(
        p for p in (docs / "lectures").glob("*.md") if not p.name.startswith("index.") and ".en." not in p.name
    )
    total = 0
    for i, page in enumerate(lectures[:count]):
        photo = base.copy()
        draw = ImageDraw.Draw(photo)
        for _ in range(12):  # every photo different: the cache goes by content
            x, y = rng.randrange(w - 600), rng.randrange(h - 400)
            draw.rectangle((x, y, x + 600, y + 400), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        target = docs / "lectures" / "images" / f"{page.stem}.jpg"
        target.parent.mkdir(exist_ok=True)
        photo.save(target, quality=88, exif=exif.tobytes())
        total += target.stat().st_size
        page.write_text(
            page.read_text("utf-8") + f'\n![讲座现场照片 {i + 1}](images/{page.stem}.jpg "讲座现场")\n', "utf-8"
        )
    if len(lectures) < count:
        raise SystemExit(f"--photos {count}: the corpus has only {len(lectures)} lectures; raise --records")
    return total


# --- measuring ------------------------------------------------------------------------------


def _dir_bytes(folder: Path) -> tuple[int, int]:
    raw = gz = 0
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 6))
    return raw, gz


def cache_folders(config: Path) -> list[Path]:
    """Where a build keeps what it reuses from an earlier build: the share-card and photo caches
    beside its mkdocs.yml (`.cache/`, git-ignored, so a clean checkout has none) and the temporary
    folder the bench gives it (`TMPDIR`, where jieba keeps its dictionary cache)."""
    return [config.parent / ".cache", config.parent / ".tmp"]


def clean_state(config: Path) -> dict:
    """Remove every cache of `config`'s builds: the next build starts as one from a clean
    checkout on a new machine does. Returns the environment to build it with."""
    for folder in cache_folders(config):
        shutil.rmtree(folder, ignore_errors=True)
    return build_env(config)


def build_env(config: Path) -> dict:
    """TMPDIR: the build's own temporary folder (`cache_folders`), so that what a build leaves
    there (jieba's dictionary cache) is the bench's to remove."""
    tmp = config.parent / ".tmp"
    tmp.mkdir(exist_ok=True)
    return {"TMPDIR": str(tmp)}


def cached_files(config: Path) -> int:
    """Files in `config`'s caches (0 right after `clean_state`)."""
    return sum(1 for folder in cache_folders(config) for p in folder.rglob("*") if p.is_file())


def timed_build(
    config: Path, *, root: Path = ROOT, extra_env: dict | None = None
) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time and peak RSS (MB) of one `mkdocs build` process, run with the code in `root`.
    The CompletedProcess's `cpu_s` holds the CPU seconds of the build and of its worker
    processes (user and system): the work done, which a busy machine stretches less than the
    wall time."""
    # PYTHONPATH could put this checkout's code in front of another commit's (--compare); the
    # caches are the ones beside the configuration, which the bench clears (`cache_folders`)
    skip = ("PYTHONPATH", "KB_CARD_CACHE", "KB_IMAGE_CACHE")
    env = {k: v for k, v in os.environ.items() if k not in skip} | (extra_env or {})
    env["NO_MKDOCS_2_WARNING"] = "1"
    # The publishing build has the site's address (`kb build` refuses to run without one): with
    # it come the canonical links, the link previews and their share cards.
    env.setdefault("KB_SITE_URL", SITE_URL)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        # this process's own peak, not the largest of every build so far (RUSAGE_CHILDREN)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())
    # wait4's usage covers the build's own children too (the worker pools, waited for by it)
    result.cpu_s = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, result  # ru_maxrss: KiB on Linux


def naive_config(docs: Path, site: Path, path: Path) -> Path:
    """Stock settings: Material + search (jieba) + i18n, every page in the nav, no project hooks."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if not p.name.endswith(".en.md"))
    config = {
        "site_name": "naive",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "theme": {"name": "material", "language": "zh"},
        "plugins": [
            {"search": {"lang": ["zh", "en"]}},
            {
                "i18n": {
                    "docs_structure": "suffix",
                    "fallback_to_default": True,
                    "languages": [
                        {"locale": "zh", "default": True, "name": "中文"},
                        {"locale": "en", "name": "English"},
                    ],
                }
            },
        ],
        "markdown_extensions": ["attr_list", "tables", "md_in_html"],
        "nav": pages,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def readme_preview_args() -> tuple[str, ...]:
    """The options of the preview command that the README gives editors, so the benchmark
    measures what editors run."""
    match = re.search(r"mkdocs serve((?: --?[a-z][a-z-]*)*)", (ROOT / "README.md").read_text("utf-8"))
    if match is None:
        raise SystemExit("README.md gives no `mkdocs serve` command to measure")
    return tuple(match.group(1).split())


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def run(
    records: int,
    *,
    naive: bool,
    browser: bool,
    serve: bool,
    keep: Path | None,
    saves: int = 1,
    lighthouse: bool = False,
    photos: int = 0,
) -> dict:
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="kb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    docs, site = work / "docs", work / "site"
    if docs.exists():
        shutil.rmtree(docs)
    counts = make_corpus(docs, records)
    config = runner.write_config(docs, site, work / "mkdocs.yml")
    build_s, peak, result = timed_build(config, extra_env=clean_state(config))
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    pages = count_pages(site)
    search_raw, search_gz = _dir_bytes(site / "search")
    site_raw, _ = (
        _dir_bytes(site) if records <= 2000 else (sum(p.stat().st_size for p in site.rglob("*") if p.is_file()), 0)
    )
    report = {
        "records": records,
        "collections": counts,
        "pages": pages,
        "build_s": round(build_s, 2),
        "ms_per_page": round(1000 * build_s / pages, 2),
        "cpu_s": round(result.cpu_s, 2),
        "peak_rss_mb": round(peak, 1),
        "search_bytes": search_raw,
        "search_bytes_gz": search_gz,
        "site_bytes": site_raw,
        # the machine is shared: a figure means little without the load it was taken under
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if naive:
        naive_site = work / "naive-site"
        n_s, _, n_result = timed_build(naive_config(docs, naive_site, work / "naive.yml"))
        if n_result.returncode == 0:
            n_pages = count_pages(naive_site)
            n_raw, n_gz = _dir_bytes(naive_site / "search")
            report["naive"] = {
                "build_s": round(n_s, 2),
                "pages": n_pages,
                "ms_per_page": round(1000 * n_s / n_pages, 2),
                "search_bytes": n_raw,
                "search_bytes_gz": n_gz,
            }
            report["naive_ratio"] = round(n_s / build_s, 2)
        else:
            report["naive"] = {"error": n_result.stderr[-500:]}
    if browser:
        from scripts import bench_browser

        report["search_browser"] = bench_browser.measure(site)
    if serve:
        from scripts import bench_browser

        # the preview exactly as the README tells editors to start it, saved `saves` times; and a
        # plain `mkdocs serve` (a full rebuild of both languages) once, for comparison
        report["preview"] = bench_browser.preview_saves(work, docs, readme_preview_args(), saves=saves)
        full = bench_browser.preview_saves(work, docs, ("--no-strict",), saves=1)
        report["preview_full_rebuild_s"] = full["first_s"]
    if lighthouse:
        from scripts import bench_lighthouse

        report["lighthouse"] = bench_lighthouse.measure()
    if photos:
        report["photos"] = measure_photos(work, docs, site, config, photos)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def compare(records: int, rev: str, *, runs: int = 2, keep: Path | None = None, warm: bool = False) -> dict:
    """This checkout's code against commit `rev`'s, on one corpus, in one run: the records are
    written once (by this checkout's code) and laid into each side's own docs/ frame, and the
    builds alternate (this, rev, this, rev …) so that load from other work on the machine falls
    on both. `rev` is checked out with `git worktree add` into a temporary folder, built with
    the same Python, and removed afterwards. The ratio is this checkout's ms/page over rev's,
    the median of the per-round ratios: below 1 is faster.

    Every round starts cold (`clean_state`: no card, photo or search cache), as the publishing
    build does; `warm` keeps each side's caches from its previous round (the first is cold)."""
    try:
        commit = _git("rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"--compare {rev}: no such commit in {ROOT}") from None
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="kb-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    holder = Path(tempfile.mkdtemp(prefix="kb-compare-rev-"))
    tree = holder / "checkout"
    load_before = os.getloadavg()
    _git("worktree", "add", "--detach", "--quiet", str(tree), commit)
    try:
        records_dir = work / "records"
        shutil.rmtree(records_dir, ignore_errors=True)
        counts = write_records(records_dir, records)
        sides = {"current": ROOT, "other": tree}
        configs = {}
        for name, root in sides.items():
            docs = work / name / "docs"
            shutil.rmtree(docs, ignore_errors=True)
            lay_skeleton(docs, records, root / "docs")
            shutil.copytree(records_dir, docs, dirs_exist_ok=True)
            configs[name] = runner.write_config(docs, work / name / "site", work / name / "mkdocs.yml", root=root)
        figures = {
            name: {"build_s": [], "ms_per_page": [], "cpu_s": [], "peak_rss_mb": [], "cached_files": [], "load_1m": []}
            for name in sides
        }
        for round_ in range(runs):
            for name, root in sides.items():
                site = work / name / "site"
                shutil.rmtree(site, ignore_errors=True)
                if round_ == 0 or not warm:
                    clean_state(configs[name])
                figures[name]["cached_files"].append(cached_files(configs[name]))
                figures[name]["load_1m"].append(round(os.getloadavg()[0], 2))
                build_s, peak, result = timed_build(configs[name], root=root, extra_env=build_env(configs[name]))
                if result.returncode != 0:
                    label = "this checkout" if name == "current" else f"{rev} ({commit[:10]})"
                    raise SystemExit(f"--compare: the build of {label} failed:\n{result.stderr[-3000:]}")
                pages = count_pages(site)
                figures[name]["pages"] = pages
                figures[name]["build_s"].append(round(build_s, 2))
                figures[name]["ms_per_page"].append(round(1000 * build_s / pages, 2))
                figures[name]["cpu_s"].append(round(result.cpu_s, 2))
                figures[name]["peak_rss_mb"].append(round(peak, 1))
            for name in sides:
                site = work / name / "site"
                figures[name]["site_bytes"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(holder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    for side in figures.values():
        side["ms_per_page_median"] = round(_median(side["ms_per_page"]), 2)
    rounds = [c / o for c, o in zip(figures["current"]["ms_per_page"], figures["other"]["ms_per_page"], strict=True)]
    head = _git("rev-parse", "HEAD")
    return {
        "records": records,
        "collections": counts,
        "runs": runs,
        "cold": not warm,
        "current": {
            "commit": head,
            "changed": bool(_git("status", "--porcelain", "--untracked-files=no")),
            **figures["current"],
        },
        "other": {"rev": rev, "commit": commit, **figures["other"]},
        "ratio": round(_median(rounds), 3),
        "round_ratios": [round(r, 3) for r in rounds],
        "site_bytes_ratio": round(figures["current"]["site_bytes"] / figures["other"]["site_bytes"], 3),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
    }


def measure_photos(work: Path, docs: Path, site: Path, config: Path, count: int) -> dict:
    """The same corpus with `count` photos: a build with an empty photo cache encoding in one
    process (KB_PHOTO_PROCESSES=1), one with an empty cache encoding in the pool (one process per
    core, the default), and one with the pool's cache (nothing encoded; variants only copied).
    Encoding time is a cold build's time less the warm build's; `pool_speedup` is the serial
    encoding time over the pool's, measured in the same run so a busy machine affects both."""
    original_bytes = add_photos(docs, count)
    cache = work / ".cache" / "kb-images"  # beside the benchmark's mkdocs.yml, as in the project
    figures = {"count": count, "original_bytes": original_bytes, "processes": images.available_cores()}
    for label, env in (("cold_serial", {"KB_PHOTO_PROCESSES": "1"}), ("cold", {}), ("warm", {})):
        if label.startswith("cold"):
            shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        build_s, _, result = timed_build(config, extra_env=env)
        if result.returncode != 0:
            raise SystemExit(f"build with photos failed:\n{result.stderr[-3000:]}")
        figures[f"{label}_build_s"] = round(build_s, 2)
    figures["encode_s"] = round(figures["cold_build_s"] - figures["warm_build_s"], 2)
    figures["encode_serial_s"] = round(figures["cold_serial_build_s"] - figures["warm_build_s"], 2)
    figures["pool_speedup"] = round(figures["encode_serial_s"] / max(figures["encode_s"], 0.01), 2)
    variants = [p for p in (site / "lectures" / "images").iterdir() if ".kb" in p.name]
    figures["variant_files"] = len(variants)
    figures["variant_bytes"] = sum(p.stat().st_size for p in variants)
    figures["largest_variant_bytes"] = max(p.stat().st_size for p in variants)
    return figures


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--records", type=int, default=500)
    p.add_argument("--json", action="store_true", help="print compact JSON on one line")
    p.add_argument(
        "--naive", action="store_true", help="also build the corpus with stock settings (every record in the nav)"
    )
    p.add_argument(
        "--browser", action="store_true", help="measure search transfer and time to first result in headless Chromium"
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="measure the README's preview command: rebuild time and memory over --saves edits of one record",
    )
    p.add_argument("--saves", type=int, default=1, help="with --serve: how many times to save the record (default 1)")
    p.add_argument(
        "--lighthouse",
        action="store_true",
        help="Lighthouse accessibility, best-practices and SEO scores of five page types of the real docs/",
    )
    p.add_argument(
        "--photos", type=int, default=0, help="also build with N phone photos in lectures, cold and warm cache"
    )
    p.add_argument("--keep", help="build in this folder and keep it")
    p.add_argument(
        "--compare",
        metavar="REV",
        help="build the same corpus with this checkout and with commit REV, alternating, and print both and their ratio",
    )
    p.add_argument("--runs", type=int, default=2, help="with --compare: builds of each side (default 2: A B A B)")
    start = p.add_mutually_exclusive_group()
    start.add_argument(
        "--cold",
        action="store_true",
        help="every build starts with no card, photo or search cache, as from a clean checkout (the default)",
    )
    start.add_argument(
        "--warm", action="store_true", help="with --compare: rounds after the first keep their side's caches"
    )
    args = p.parse_args(argv)
    if args.saves < 1:
        p.error("--saves must be at least 1")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if args.warm and not args.compare:
        p.error("--warm applies to --compare's rounds; a single build always starts cold")
    if args.compare:
        if args.naive or args.browser or args.serve or args.lighthouse or args.photos:
            p.error("--compare measures plain builds only; run the other options without it")
        report = compare(args.records, args.compare, runs=args.runs, keep=args.keep, warm=args.warm)
        print(_dumps(report, compact=args.json))
        return 0
    report = run(
        args.records,
        naive=args.naive,
        browser=args.browser,
        serve=args.serve,
        keep=args.keep,
        saves=args.saves,
        lighthouse=args.lighthouse,
        photos=args.photos,
    )
    print(_dumps(report, compact=args.json))
    return 0


def _dumps(report: dict, *, compact: bool) -> str:
    if compact:
        return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(report, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    sys.exit(main())

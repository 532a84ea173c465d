"""Builds never collide: a lock makes builds of one site take turns, each stages into its own
folder, and a publish killed between its two renames is put right by the next run."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from scripts.kb.adapter import publish, runner

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"
BAD = '---\ntitle: "<script>x</script>"\ndate: 2024-07-01\n---\n'


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site.") and not p.name.endswith(".lock"))


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(FIXTURE, target)
    return target


def test_concurrent_builds_take_turns_and_publish_a_whole_site(docs, tmp_path):
    site = tmp_path / "site"
    assert runner.build(docs, site).returncode == 0
    reference = sorted(_files(site))
    results = [None, None]

    def run(i):
        results[i] = runner.build(docs, site, config_path=tmp_path / f"mkdocs.{i}.yml")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
    assert any("等它完成" in r.stderr for r in results), "the second build should have waited for the first"
    assert sorted(_files(site)) == reference
    assert _leftovers(site.parent) == []


def test_a_build_refuses_clearly_when_another_holds_the_site_too_long(docs, tmp_path):
    site = tmp_path / "site"
    assert runner.build(docs, site).returncode == 0
    before = _files(site)
    with FileLock(publish.lock_path(site.resolve())):
        result = runner.build(docs, site, env={"KB_BUILD_WAIT": "1"})
    assert result.returncode != 0
    assert "另一个构建" in result.stderr and "Traceback" not in result.stderr
    assert _files(site) == before


def test_a_publish_killed_between_the_renames_is_recovered(docs, tmp_path):
    site = tmp_path / "site"
    assert runner.build(docs, site).returncode == 0
    before = _files(site)
    # The state a kill leaves: the old site set aside, the new one still staged, no site/.
    site.rename(publish.previous_path(site))
    staged = tmp_path / (publish.staging_prefix(site) + "killed")
    staged.mkdir()
    (staged / "half.html").write_text("half", "utf-8")
    (docs / "lectures" / "2024-07-01-bad.md").write_text(BAD, "utf-8")
    result = runner.build(docs, site)
    assert result.returncode != 0
    assert "已把 site/ 恢复为中断前的网站" in result.stderr, result.stderr[-2000:]
    assert "保持不变" not in result.stderr
    assert _files(site) == before
    assert _leftovers(tmp_path) == []
    (docs / "lectures" / "2024-07-01-bad.md").unlink()
    assert runner.build(docs, site).returncode == 0
    assert sorted(_files(site)) == sorted(before)


def test_messages_say_what_the_site_folder_holds(docs, tmp_path):
    site = tmp_path / "site"
    (docs / "lectures" / "2024-07-01-bad.md").write_text(BAD, "utf-8")
    first = runner.build(docs, site)
    assert first.returncode != 0 and "site/ 目前不存在" in first.stderr
    (docs / "lectures" / "2024-07-01-bad.md").unlink()
    assert runner.build(docs, site).returncode == 0
    (docs / "lectures" / "2024-07-01-bad.md").write_text(BAD, "utf-8")
    again = runner.build(docs, site)
    assert again.returncode != 0 and "原有的 site/ 保持不变" in again.stderr
    assert (site / "index.html").is_file()

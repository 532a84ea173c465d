"""When the computer refuses, the editor is told why (issue 32, the low items): a symlink loop in
docs/ is one clear error in `kb check` and the build (not "内部错误", not a traceback, not dozens of
unrelated errors); a full disk or a read-only folder is named as the cause with the fix; an import
writes all of its files or none, so a failed `kb import plan` leaves no half-written year that would
then block a plain re-import.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_testlib import DOCS, ROOT, SOURCE, run_kb
from scripts.kb import cli
from scripts.kb.adapter import runner

YEAR_2025 = ROOT / "tests" / "fixtures" / "plans" / "2025-work-points.txt"


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path) -> Path:
    shutil.copytree(DOCS, tmp_path / "docs")
    for name in ("addresses.txt", "redirects.yml"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


# --- symlinks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "target"), [("lectures/loop", "."), ("lectures/self", "self"), ("up", "..")])
def test_a_symlink_loop_is_one_clear_error(repo, name, target):
    os.symlink(target, repo / "docs" / name)
    result = run_kb("check", docs=repo / "docs")
    assert result.returncode == 1
    assert "内部错误" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith(("docs", "../", "addresses", "redirects"))]
    assert len(errors) == 1 and f"docs/{name}:1: 这是一个符号链接（指向 {target}）" in errors[0], result.stdout
    assert "共发现 1 个错误" in result.stdout


def test_the_build_says_the_same_without_a_traceback(repo):
    os.symlink("self", repo / "docs" / "lectures" / "self")
    result = runner.build(repo / "docs", repo / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/lectures/self:1: 这是一个符号链接" in result.stderr and "共发现 1 个错误" in result.stderr


# --- a full disk, a read-only folder ---------------------------------------------------------------


def _failing_writes(monkeypatch, root: Path, err: int, after: int = 0) -> None:
    """Writes under `root` succeed `after` times, then the disk refuses with `err` (however the
    code writes: open, Path.write_text and write_bytes all go through io.open)."""
    import builtins
    import io

    real_open = io.open
    count = {"n": 0}

    def fake_open(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax") and str(file).startswith(str(root)):
            count["n"] += 1
            if count["n"] > after:
                raise OSError(err, os.strerror(err), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)


def test_a_full_disk_during_import_plan_writes_nothing_and_a_plain_re_import_works(repo, capsys, monkeypatch):
    docs = repo / "docs"
    before = tree(repo)
    _failing_writes(monkeypatch, repo, errno.ENOSPC, after=10)
    code, out, err = kb(capsys, docs, "import", "plan", str(YEAR_2025))
    assert code == 1 and "磁盘已满" in err and "没有写入任何文件" in err and "内部错误" not in err
    assert tree(repo) == before, "a half-written year was left behind"
    assert not (docs / "plan" / "2025").exists()
    monkeypatch.undo()
    code, out, err = kb(capsys, docs, "import", "plan", str(YEAR_2025))  # no --update needed
    assert code == 0, err
    assert (docs / "plan" / "2025" / "index.md").is_file()


@pytest.mark.parametrize(
    ("err", "words"), [(errno.EACCES, "没有权限写入"), (errno.EROFS, "磁盘是只读的"), (errno.ENOSPC, "磁盘已满")]
)
def test_the_cause_is_named_for_every_import(repo, capsys, monkeypatch, err, words):
    docs = repo / "docs"
    before = tree(repo)
    _failing_writes(monkeypatch, repo, err)
    code, out, stderr = kb(capsys, docs, "import", "plan", str(SOURCE), "--update", "--year", "2024")
    # the 2024 text as stored writes nothing: use a changed one
    if code == 0:
        text = SOURCE.read_text("utf-8").replace("1.", "1. ", 1)
        changed = repo / "changed.txt"
        changed.write_text(text, "utf-8")
        code, out, stderr = kb(capsys, docs, "import", "plan", str(changed), "--update")
    assert code == 1 and words in stderr and "没有写入任何文件" in stderr, stderr
    assert "内部错误" not in stderr and "Traceback" not in stderr
    assert {k: v for k, v in tree(repo).items() if k != "changed.txt"} == before


def test_any_command_names_the_cause_not_an_internal_error(repo, capsys, monkeypatch):
    from scripts.kb.content import addresses

    def read_only(root, found):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(Path(root) / addresses.RECORD))

    monkeypatch.setattr(addresses, "write_record", read_only)
    code, out, err = kb(capsys, repo / "docs", "addresses")
    assert code == 1 and "磁盘是只读的" in err and "addresses.txt" in err and "内部错误" not in err


BUILD_ON_A_FULL_DISK = """
import builtins, errno, io, os, sys
real = builtins.open
def full(file, mode="r", *args, **kwargs):
    if ("w" in mode or "a" in mode) and ".site.building" in str(file) and str(file).endswith("index.html"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
    return real(file, mode, *args, **kwargs)
builtins.open = io.open = full
sys.argv = ["mkdocs", "build", "--strict", "-f", sys.argv[1]]
from mkdocs.__main__ import cli
cli()
"""


def test_a_build_on_a_full_disk_names_the_cause_and_publishes_nothing(repo):
    config = runner.write_config(repo / "docs", repo / "site", repo / "mkdocs.test.yml")
    result = subprocess.run(
        [sys.executable, "-c", BUILD_ON_A_FULL_DISK, str(config)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode != 0
    assert "磁盘已满" in result.stderr and "已发布的网站保持不变" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert not (repo / "site").exists()

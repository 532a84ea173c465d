"""Writing the files of one import all or nothing.

An import writes many files (a year's plan is some twenty pages and its source). If the disk
fills up or a folder is read-only halfway, a half-written year is worse than none: it reads as a
year already there, and a plain re-import refuses it. So every file is first written beside its
place under a temporary name (where a full disk or a missing permission shows), and only when
all are written are they renamed into place, which takes no space; the file named `last` (a
year's overview) goes in last, so a year is never there without all of its pages. On failure the
temporary files and the folders made for them are removed, and the error is raised again.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ..content import os_errors


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.kb-{os.getpid()}.tmp")


def write_all(files: dict[Path, bytes], last: Path | None = None) -> None:
    order = sorted(files, key=lambda p: p == last)  # `last` at the end, the rest as given
    made: list[Path] = []  # folders this call created, deepest last
    written: list[Path] = []
    try:
        for path in order:
            missing = []
            folder = path.parent
            while not folder.exists():
                missing.append(folder)
                folder = folder.parent
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            tmp = _temporary(path)
            written.append(tmp)
            with open(tmp, "wb") as f:
                f.write(files[path])
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        for tmp in written:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for path in order:
        os.replace(_temporary(path), path)


def write_or_say(files: dict[Path, bytes], last: Path | None = None) -> bool:
    """`write_all`, or say on standard error why nothing was written (a full disk, a read-only
    folder: the cause and the fix, content/os_errors.py) and return False, for a command to end
    with exit 1."""
    try:
        write_all(files, last=last)
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc)}没有写入任何文件。", file=sys.stderr)
        return False
    return True

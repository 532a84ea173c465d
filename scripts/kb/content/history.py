"""When pages last changed, from the git history: one `git log` per build, not one per file."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(docs_dir: Path) -> dict[str, dt.datetime]:
    """docs-relative path -> time of the last commit that touched it (committer time, with the
    committer's UTC offset). Empty outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cI", "--name-only", "--relative", "--no-renames", "--", "."],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    times: dict[str, dt.datetime] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = dt.datetime.fromisoformat(line[1:])
        elif line and current is not None:
            times.setdefault(line, current)  # newest commit comes first
    return times


def last_updated(docs_dir: Path) -> dict[str, dt.date]:
    """docs-relative path -> the day of its last commit, as the committer's calendar showed it."""
    return {path: time.date() for path, time in last_changed(docs_dir).items()}

"""Last-updated dates of pages, from the git history: one `git log` per build, not one per file."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_updated(docs_dir: Path) -> dict[str, dt.date]:
    """docs-relative path -> date of the last commit that touched it. Empty outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--no-renames", "--", "."],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(line, current)  # newest commit comes first
    return dates

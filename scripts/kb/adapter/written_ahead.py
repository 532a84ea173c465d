"""The files the collections write beside the pages (each year's task sheets, the activities'
calendars: `Extension.written_files`), made by a forked process while this one renders pages.

They read the knowledge base alone, and were written at the end of the build, when this process
was the only one working: 0.7 s of a cold 2,000-record build's last second (py-spy). At the first
language's on_env the build forks; the child writes them into a folder beside the staged site
(named with its prefix, so an interrupted build's is removed with it) and ends. At the end,
`place` waits for it and moves the files into the site. A child that failed leaves the writing to
the build, which then reports any error itself; so does a build whose languages or address
changed meanwhile. KB_WRITTEN_AHEAD=off writes them at the end.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from . import forking

ENABLED = os.environ.get("KB_WRITTEN_AHEAD", "on") != "off"
WAIT = 300  # seconds: a child that has not ended by then hangs, and the build writes the files
log = logging.getLogger("mkdocs.plugins.kb")


class WrittenAhead:
    def __init__(self, pid: int, folder: Path, made_for: tuple) -> None:
        self.pid, self.folder, self.made_for = pid, folder, made_for

    def place(self, site_dir: Path, site_url: str, languages: list[str]) -> bool:
        """Move the child's files into `site_dir`; False (nothing moved) if the build must write them."""
        ok = forking.wait(self.pid, timeout=WAIT) and self.made_for == (site_url, tuple(languages))
        self.pid = None  # waited for: never to be signalled again (the number may be another's now)
        if ok:
            placed = sorted(p for p in self.folder.rglob("*") if p.is_file())
            for path in placed:
                target = site_dir / path.relative_to(self.folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            log.debug("written_ahead: %d files written by the second process", len(placed))
        shutil.rmtree(self.folder, ignore_errors=True)
        return ok

    def abandon(self) -> None:
        if self.pid is not None:
            forking.kill(self.pid)
            self.pid = None
        shutil.rmtree(self.folder, ignore_errors=True)


def start(kb, site_dir: Path, site_url: str, languages: list[str]) -> WrittenAhead | None:
    writers = [e.written_files for e in kb.registry.all_extensions() if e.written_files is not None]
    if not ENABLED or not writers or not forking.can_fork():
        return None
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.written-", dir=site_dir.parent))
    except OSError:  # no folder to be had: written at the end
        return None
    try:
        pid = forking.fork()
    except OSError:  # no process to be had: written at the end
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if pid == 0:

        def write() -> None:
            for written_files in writers:
                written_files(kb, folder, site_url, languages)

        forking.end_child(write)
    return WrittenAhead(pid, folder, (site_url, tuple(languages)))

"""The pages' files written by a thread while the build renders the next pages.

MkDocs writes each page as soon as it is rendered (`mkdocs.utils.write_file`: make its folder,
open, write, close). Those are system calls, a tenth of the build's own process at 2,000 records
(py-spy, cold build: `write_file` 5.9 %, `os.makedirs` 5.5 %), spent while the second core had
time to spare. A thread makes them instead: Python lets another thread run while one waits in a
system call, so the rendering goes on meanwhile. The files are the same; the build waits for the
last of them before anything reads the site (`flush`, at the start of each language's
on_post_build), and a file that cannot be written stops the build with its path, as MkDocs' own
write would. KB_PAGE_WRITER=off writes them in the build's own thread, as MkDocs does.

Only the writes MkDocs makes while it builds the pages go to the thread (from the first page's
on_pre_page to on_post_build): Material's search index, the sitemap and every file the hooks
write afterwards are written where they are made, when they are made.
"""

from __future__ import annotations

import os
import queue
import threading

import mkdocs.utils
from mkdocs.exceptions import PluginError

ENABLED = os.environ.get("KB_PAGE_WRITER", "thread") != "off"


class PageWriter:
    """One thread per process, writing what `mkdocs.utils.write_file` is given while active."""

    BATCH = 16  # files handed over at a time: waking the thread for each cost 3 % of the rendering

    def __init__(self) -> None:
        # the rendering waits if the disk falls behind by more than 16 batches
        self._queue: queue.Queue = queue.Queue(maxsize=16)
        self._batch: list[tuple[bytes, str]] = []
        self._thread: threading.Thread | None = None
        self._original = None  # MkDocs' write_file, while ours stands in for it
        self._failed: list[tuple[str, Exception]] = []

    def activate(self) -> None:
        """From now on, MkDocs' writes go to the thread (until `flush`)."""
        if not ENABLED or self._original is not None:
            return
        self._original = mkdocs.utils.write_file
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, args=(self._original,), name="kb-page-writer", daemon=True
            )
            self._thread.start()
        mkdocs.utils.write_file = self._write

    def _write(self, content: bytes, output_path: str) -> None:
        self._batch.append((content, output_path))
        if len(self._batch) >= self.BATCH:
            self._queue.put(self._batch)
            self._batch = []

    def _run(self, write) -> None:
        while True:
            batch = self._queue.get()
            try:
                for content, output_path in batch:
                    try:
                        write(content, output_path)
                    except Exception as exc:  # reported by flush(), in the build's own thread
                        self._failed.append((output_path, exc))
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        """MkDocs writes for itself again; returns when every file given to the thread is
        written, or stops the build with the first that could not be."""
        if self._original is not None:
            mkdocs.utils.write_file, self._original = self._original, None
        if self._batch:
            self._queue.put(self._batch)
            self._batch = []
        if self._thread is not None:
            self._queue.join()
        if self._failed:
            (path, exc), *_ = self._failed
            self._failed.clear()
            if isinstance(exc, OSError):
                # as MkDocs' own write would: the build's handler names the cause (a full disk,
                # a read-only folder) and says the published site is unchanged
                if exc.filename is None:
                    exc.filename = path
                raise exc
            raise PluginError(f"无法写入网站文件 {path}：{exc}") from None

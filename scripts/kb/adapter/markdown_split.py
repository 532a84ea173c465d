"""A build pass's Markdown conversions shared with a second process, which takes them from the
last page back while this one takes them from the first page on.

Converting Markdown was a fifth of a cold 2,000-record build's rendering process, and the second
core sat idle for a third of the build (CPU per half-second from /proc). At on_nav, when the
pages are known and none is read yet, the build forks: the child has the configuration, the files,
the knowledge base and every plugin as they are. It reads each page from the end of MkDocs' list
back, runs the on_page_markdown handlers on it (they only read; what they change is the child's
copy), converts it with the pass's converter and sends the result. MkDocs, in this process, reads
and converts from the first page on; at each page it asks `take` for the child's conversion. The
two meet in the middle: a lock and two shared numbers say who has which page, so no page is
converted twice and neither waits for the other but at the meeting page.

`take` uses the child's conversion only if the child converted exactly this page's Markdown (a
digest of it): anything the handlers here did otherwise than there, this process converts again.
What the conversion logged in the child (a broken link's warning) is logged here, where MkDocs
counts warnings for --strict. A child that fails, dies or cannot start leaves every page to this
process, as without it. Only a full build of enough pages splits (not a preview's rebuild), and
only where processes fork (not on Windows). KB_MARKDOWN_SPLIT=off converts every page here;
`always` splits a build of any size, and `child` has the child convert every page, this process
waiting for each (the tests build docs/ these ways and compare every file with the site built
without a split, and make a warning come from the child).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os

from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from . import forking, markdown_reuse
from .markdown_reuse import Converted, MarkdownReuse, convert

MODE = os.environ.get("KB_MARKDOWN_SPLIT", "on")  # off, on, always, child (anything else: on)
WAIT = 60  # seconds without a result for a page the child took: it hangs, and the build goes on alone
MIN_PAGES = 200  # fewer pages are converted sooner than a process is forked
log = logging.getLogger("mkdocs.plugins.kb")
_MAIN, _CHILD = 0, 1  # the shared numbers: the last page this process claimed, the child's


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class Split:
    """One pass's second process. `start` forks it; `take` gives a page's conversion from it or
    None; `stop` waits for it (every page has been populated then)."""

    def __init__(self, files, config, converters: MarkdownReuse) -> None:
        listed = files.documentation_pages(inclusion=InclusionLevel.is_included)  # MkDocs' order
        self.pages = [f.page if f.page is not None else f for f in listed]
        self.index = {f.src_uri: i for i, f in enumerate(listed)}
        self.files, self.config, self.converters = files, config, converters
        self.pid: int | None = None
        self.conn = None
        self.results: dict[int, tuple[bytes, Converted] | None] = {}
        self.child_only = MODE == "child"
        self.taken = 0  # pages whose conversion came from the child

    def start(self) -> bool:
        ctx = multiprocessing.get_context("fork")
        self.lock = ctx.Lock()
        self.shared = ctx.RawArray("l", [-1, len(self.pages)])
        receive, send = ctx.Pipe(duplex=False)
        pid = forking.fork()
        if pid == 0:  # the child: convert, send, and end; the build converts what it did not send
            receive.close()
            forking.end_child(lambda: self._convert_from_the_end(send))
        send.close()
        self.pid, self.conn = pid, receive
        return True

    # --- the child ------------------------------------------------------------------------------
    def _convert_from_the_end(self, send) -> None:
        records: list[tuple[str, int, str]] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append((record.name, record.levelno, record.getMessage()))

        keep = Keep()
        for name in ("", "mkdocs", "MARKDOWN"):  # logged here is logged by the build, not printed
            logger = logging.getLogger(name)
            logger.handlers = [keep]
            logger.propagate = False if name else logger.propagate
        config, files = self.config, self.files
        for i in range(len(self.pages) - 1, -1, -1):
            with self.lock:
                if i <= self.shared[_MAIN]:
                    break
                self.shared[_CHILD] = i
            page = self.pages[i]
            if not isinstance(page, Page):  # a file MkDocs makes its page for as it reaches it
                page = Page(None, page, config)
            try:
                config._current_page = page
                page.read_source(config)
                text = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
                if not getattr(page.render, "kb_converts", False):
                    send.send((i, None))  # it takes another page's conversion (render_reuse)
                    continue
                records.clear()
                converted = convert(page, text, self.converters.converter(config), config, files)
                converted.records = list(records)
                send.send((i, (_digest(text), converted)))
            except Exception:  # this page is converted by the build itself
                send.send((i, None))
        send.close()

    # --- this process ---------------------------------------------------------------------------
    def _receive(self, block_until: int | None = None) -> None:
        """Keep what the child sent; with `block_until`, wait until that page's result is here."""
        try:
            while True:
                if block_until is None or block_until in self.results:
                    if not self.conn.poll():
                        return
                elif not self.conn.poll(WAIT):  # the child hangs: this process goes on alone
                    self._alone()
                    return
                i, result = self.conn.recv()
                self.results[i] = result
        except (EOFError, OSError):  # the child ended (or died): what it did not send is done here
            self._alone()

    def _alone(self) -> None:
        """From here on every page is converted here; the child is ended."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.pid is not None:
            forking.kill(self.pid)
            self.pid = None

    def _claim(self, i: int) -> bool | None:
        """This process is at page `i`: whether the child took it (None: the child ended)."""
        if not self.lock.acquire(timeout=WAIT):  # held by a child that died holding it
            self._alone()
            return None
        try:
            self.shared[_MAIN] = max(self.shared[_MAIN], i)
            return i >= self.shared[_CHILD]
        finally:
            self.lock.release()

    def reached(self, page) -> None:
        """Every page this process reads (after its on_page_markdown handlers): the child stops at
        the pages behind it, those that convert and those that take another's conversion alike."""
        i = self.index.get(page.file.src_uri)
        if i is not None and self.conn is not None and not self.child_only:
            self._claim(i)

    def take(self, page) -> Converted | None:
        i = self.index.get(page.file.src_uri)
        if i is None:
            return None
        if i not in self.results and self.conn is not None:  # else sent already, or the child ended
            claimed = True if self.child_only else self._claim(i)
            if claimed is not None:
                self._receive(block_until=i if claimed else None)
        result = self.results.pop(i, None)
        if result is None:
            return None
        digest, converted = result
        if digest != _digest(page.markdown):
            return None
        self.taken += 1
        return converted

    def stop(self) -> None:
        log.debug("markdown_split: %d of %d pages converted by the second process", self.taken, len(self.pages))
        self._alone()  # done by now, or (a failed build) no longer wanted
        self.results.clear()


def start(files, config, converters: MarkdownReuse, *, full_build: bool) -> Split | None:
    """At a pass's on_nav (the last handler): the split for this pass's pages, or None."""
    # Only pages converted by MarkdownReuse ask for the child's conversions (KB_MARKDOWN_REUSE=off: none)
    if MODE == "off" or not full_build or not forking.can_fork() or not markdown_reuse.ENABLED:
        return None
    split = Split(files, config, converters)
    if len(split.pages) < MIN_PAGES and MODE not in ("always", "child"):
        return None
    try:
        split.start()
    except (OSError, ImportError):  # no process, or no shared lock (sem_open), to be had: all converted here
        return None
    return split

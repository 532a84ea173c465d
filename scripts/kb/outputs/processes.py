"""The build's worker processes (photos, share cards, search shards), started so that they can
import this package wherever MkDocs was started from."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# The folder holding scripts/: what `import scripts.kb` needs on sys.path.
PROJECT_ROOT = str(Path(__file__).resolve().parents[3])


def pool(workers: int, *, nice: int = 0) -> ProcessPoolExecutor:
    """A pool of `workers` new processes. Spawned, not forked: `mkdocs serve` runs threads (the
    file watcher, the server) in this process.

    A spawned process finds the function it runs by importing it, with this process's sys.path.
    MkDocs loads scripts/hooks.py by its path and then puts sys.path back, so `scripts.kb` was
    importable there only when the build ran from the project folder: `mkdocs build -f
    elsewhere/mkdocs.yml` (the benchmark's corpus, a second checkout) had workers that died at
    start, and every fallback did their work in this process, slower. Appended, not prepended: it
    never shadows what the build itself imports.

    nice: a pool whose work waits for the build's end (the share cards) runs at a lower priority,
    so that the kernel gives a busy core to the work the build waits for at each page first."""
    if PROJECT_ROOT not in sys.path:
        sys.path.append(PROJECT_ROOT)
    spawn = multiprocessing.get_context("spawn")
    if nice:
        return ProcessPoolExecutor(workers, mp_context=spawn, initializer=os.nice, initargs=(nice,))
    return ProcessPoolExecutor(workers, mp_context=spawn)

"""Forking this build process, for work a second process does beside it (markdown_split,
written_ahead): the child has every object of this one as it is at the fork, so nothing is sent
to it, and it ends with os._exit, running nothing of this process's (no atexit handler, no pool
shutdown, no flush of a buffer the parent flushes too).

Python 3.12 and later warn when a process with threads forks (the page writer and the pools'
helper threads run here): the children here use none of them and take no lock they hold."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import warnings


def can_fork() -> bool:
    return hasattr(os, "fork")


def fork() -> int:
    """os.fork(): 0 in the child, its pid here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def end_child(work) -> None:
    """In the child: run `work()` and end, with 0 if it returned and 1 if it raised."""
    code = 1
    try:
        work()
        code = 0
    except BaseException:  # whatever it was, the parent does the work itself
        code = 1
    finally:
        os._exit(code)


def wait(pid: int, timeout: float | None = None) -> bool:
    """Wait for the child; whether it ended well. After `timeout` seconds a child still running
    is killed (it hangs: the parent does its work itself) and False returned."""
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while True:
            done, status = os.waitpid(pid, 0 if deadline is None else os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status) == 0
            if time.monotonic() > deadline:
                kill(pid)
                return False
            time.sleep(0.01)
    except ChildProcessError:
        return False


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    wait(pid)

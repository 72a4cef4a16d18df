"""The crawl's helper processes die with it, however it dies (``kill -9`` included), and leave Ctrl-C to it.

The extraction pool (``crawler.extract_pool``) runs workers forked by a multiprocessing forkserver, beside
a resource tracker. The forkserver is meant to exit when its parent's end of a pipe closes, but it was
seen living on under PID 1 after a ``kill -9`` of the crawl, and its workers with it. On Linux,
``prctl(PR_SET_PDEATHSIG)`` asks the kernel to signal a process when its parent dies: the forkserver
(``crawler.forkserver_preload``, imported by it at start) and each worker (``worker_init``) set it, and
the resource tracker exits once the last of them is gone (its pipe reaches end of file).

Workers also ignore SIGINT: a Ctrl-C reaches the whole process group, and the crawl itself stops them
cleanly (no ``KeyboardInterrupt`` traceback per worker).
"""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Has the kernel send ``sig`` to this process when its parent dies (Linux; elsewhere a no-op).
    Returns whether it was set. A parent that died before the call means exiting now."""
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent == 1 or os.getppid() != parent:  # the parent died before prctl: nobody will signal us
        os._exit(1)
    return True


def worker_init() -> None:
    """Initializer of an extraction worker: dies with the forkserver, ignores Ctrl-C (the crawl handles it)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)

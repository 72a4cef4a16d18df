"""Imported by the extraction pool's forkserver when it starts (``set_forkserver_preload``): it dies with
the crawl that started it (see ``crawler.procs``). Importing it anywhere else does nothing."""

import multiprocessing.forkserver as _forkserver
import sys

from crawler.procs import die_with_parent

# The forkserver runs ``from multiprocessing.forkserver import main; main(...)`` with ``-c``: its
# process has no script and that module imported. A crawl importing this module by mistake does not.
if sys.argv[:1] == ["-c"] and _forkserver.__name__ in sys.modules:
    die_with_parent()

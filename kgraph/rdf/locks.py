"""An advisory lock beside an on-disk store, so a build and `kgraph serve` never share it unawares.

Oxigraph calls a read-only opening beside a writer undefined behaviour, and a read-only server
would keep serving the data it opened with. So a read-only server holds a *shared* lock on
``<store>/kgraph.lock`` and a writer (a build, ``kgraph remove``) takes it *exclusively*:
whichever comes second gets a clear error. The kernel releases the lock when the process ends,
however it ends (``flock``), so a crash never leaves a stale lock behind.
"""
from __future__ import annotations

import os

__all__ = ["LOCK_NAME", "lock_store"]

LOCK_NAME = "kgraph.lock"


def lock_store(directory: str, *, exclusive: bool):
    """An open file holding the lock (close it to release), ``None`` where locks are not
    available (not POSIX, a read-only folder); ``BlockingIOError`` if the other side holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no guard, as before
        return None
    try:
        handle = open(os.path.join(directory, LOCK_NAME), "a+b")
    except OSError:
        return None
    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise
    except OSError:
        handle.close()
        return None
    return handle

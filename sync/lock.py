"""One `plt sync` per config at a time: a second one exits 3 at once instead of racing."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from sync.errors import LockHeld


def lock_path(config_path: str | Path) -> Path:
    path = Path(config_path).resolve()
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def run_lock(config_path: str | Path) -> Iterator[Path]:
    """Hold the config's lock for the duration of a run; raise LockHeld if taken."""
    path = lock_path(config_path)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockHeld(str(path)) from None
    try:
        yield path
    finally:
        lock.release()


def is_free(config_path: str | Path) -> bool:
    lock = FileLock(str(lock_path(config_path)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return False
    lock.release()
    return True

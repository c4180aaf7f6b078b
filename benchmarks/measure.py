"""Wall time, CPU time and peak memory of a piece of work in this process."""
from __future__ import annotations

import os
import resource
import threading
import time
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Cost:
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_mb: float = 0.0


def rss_mb() -> float:
    """Resident memory now; where /proc is missing, the lifetime peak instead."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class measured:
    """`with measured() as cost:` fills `cost` when the block ends; a sampler thread
    follows resident memory every few milliseconds to catch the peak."""

    def __init__(self, every_s: float = 0.005):
        self.cost = Cost()
        self._every = every_s
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Cost:
        self.cost.peak_mb = rss_mb()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self.cost

    def __exit__(self, *exc) -> None:
        self.cost.wall_s = time.perf_counter() - self._wall
        self.cost.cpu_s = time.process_time() - self._cpu
        self._done.set()
        self._thread.join()
        self.cost.peak_mb = max(self.cost.peak_mb, rss_mb())

    def _sample(self) -> None:
        while not self._done.wait(self._every):
            self.cost.peak_mb = max(self.cost.peak_mb, rss_mb())

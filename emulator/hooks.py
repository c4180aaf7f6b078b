"""Statistics, injected faults and per-minute quotas: what the pipeline consults per call.

They exist so tests and benchmarks can see what PLT Sync costs in API calls and how it
behaves when Google pushes back (429 quota errors, 5xx, dropped connections, a write that
happened although the answer said it failed).
"""
from __future__ import annotations

import threading
from collections import Counter

from .faults import Fault, Faults, RateLimited
from .quotas import Quotas

__all__ = ["Fault", "Faults", "Quotas", "RateLimited", "Stats"]


class Stats:
    """Calls per discovery method id, errors answered, 429s met and faults injected."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.rate_limited = 0

    def count(self, route) -> None:
        with self._lock:
            self.calls[route.method_id] += 1
            if route.write:
                self.writes[route.api] += 1

    def error(self, route, code: int) -> None:
        with self._lock:
            self.errors[f"{route.method_id}:{code}"] += 1
            if code == 429:
                self.rate_limited += 1

    def fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults[fault.label] += 1

    def snapshot(self) -> dict:
        with self._lock:
            by_api: Counter[str] = Counter()
            for method_id, n in self.calls.items():
                by_api[method_id.split(".", 1)[0]] += n
            return {"total": sum(self.calls.values()), "by_method": dict(sorted(self.calls.items())),
                    "by_api": dict(sorted(by_api.items())), "writes_by_api": dict(sorted(self.writes.items())),
                    "errors": dict(sorted(self.errors.items())), "rate_limited": self.rate_limited,
                    "faults": dict(sorted(self.faults.items()))}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.errors.clear()
            self.writes.clear()
            self.faults.clear()
            self.rate_limited = 0

"""Statistics, injected faults and per-minute quotas: what the pipeline consults per call."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    kind: str            # "status" | "reset" | "commit_then_fail"
    status: int = 500
    message: str = "Internal error encountered."


class Stats:
    """Calls per discovery method id, and errors answered, since the last reset."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()

    def count(self, route) -> None:
        with self._lock:
            self.calls[route.method_id] += 1
            if route.write:
                self.writes[route.api] += 1

    def error(self, route, code: int) -> None:
        with self._lock:
            self.errors[f"{route.method_id}:{code}"] += 1

    def snapshot(self) -> dict:
        with self._lock:
            by_api: Counter[str] = Counter()
            for method_id, n in self.calls.items():
                by_api[method_id.split(".", 1)[0]] += n
            return {"total": sum(self.calls.values()), "by_method": dict(sorted(self.calls.items())),
                    "by_api": dict(sorted(by_api.items())), "writes_by_api": dict(sorted(self.writes.items())),
                    "errors": dict(sorted(self.errors.items()))}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.errors.clear()
            self.writes.clear()


class Faults:
    """Injected failures; configured through `POST /_emulator/faults`."""

    def pick(self, route, path: str) -> Fault | None:
        return None


class Quotas:
    """Google's per-user per-minute quotas, off unless configured."""

    def charge(self, route, call) -> None:
        return None

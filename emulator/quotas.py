"""Google's per-user per-minute quotas, so a benchmark can show a sync run stays inside them.

Off by default. Once enabled (`POST /_emulator/quotas`), every call of a Google route is
charged to one bucket, and a call that would take a bucket over its limit within the last
minute is refused with a 429 (RESOURCE_EXHAUSTED, RATE_LIMIT_EXCEEDED, `Retry-After`).
Refused calls are not charged.

The window is *sliding*: a bucket holds what was charged during the 60 (emulated) seconds
before now, so a burst is refused until its oldest call is a minute old, never reset at a
clock boundary. `time_scale` compresses time: with 60, an emulated minute lasts one real
second, so quotas can be enforced in a quick test.

Buckets and limits (Google's published defaults per user):
  sheets.read 60, sheets.write 60       (one batchUpdate or batchGet is one call)
  forms.read 390, forms.responses.list 180, forms.write 150
  drive.queries 12,000                  (every call, each part of a batch included)
  gmail.units 15,000                    (messages.send costs 100 units; `route.units`)
  docs.read 300, docs.write 60          (https://developers.google.com/workspace/docs/api/limits)
  calendar.queries 600                  (every call; Google's Calendar default is about 600
                                         requests a minute per user)
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Callable

from .core import ApiError
from .faults import RateLimited

DEFAULT_LIMITS = {"sheets.read": 60, "sheets.write": 60, "forms.read": 390, "forms.responses.list": 180,
                  "forms.write": 150, "drive.queries": 12_000, "gmail.units": 15_000,
                  "docs.read": 300, "docs.write": 60, "calendar.queries": 600}
_METRICS = {"sheets.read": "Read requests", "sheets.write": "Write requests", "forms.read": "Read requests",
            "forms.responses.list": "Expensive read requests", "forms.write": "Write requests",
            "drive.queries": "Queries", "gmail.units": "Queries",
            "docs.read": "Read requests", "docs.write": "Write requests", "calendar.queries": "Queries"}
WINDOW_S = 60.0


def bucket_of(route) -> str | None:
    """The bucket a call is charged to; None for routes the emulator does not meter (admin)."""
    if route.api == "sheets":
        return "sheets.write" if route.write else "sheets.read"
    if route.api == "forms":
        if route.method_id == "forms.forms.responses.list":
            return "forms.responses.list"
        return "forms.write" if route.write else "forms.read"
    if route.api == "drive":
        return "drive.queries"
    if route.api == "gmail":
        return "gmail.units"
    if route.api == "docs":
        return "docs.write" if route.write else "docs.read"
    if route.api == "calendar":
        return "calendar.queries"
    return None


class _Window:
    """The charges of one bucket during the last window, oldest first."""

    def __init__(self):
        self.charges: deque[tuple[float, int]] = deque()
        self.used = 0

    def expire(self, now: float, length: float) -> None:
        while self.charges and self.charges[0][0] <= now - length:
            self.used -= self.charges.popleft()[1]

    def wait_for(self, cost: int, limit: int, now: float, length: float) -> float:
        """Seconds until `cost` more units fit under `limit`."""
        excess = self.used + cost - limit
        for moment, units in self.charges:
            excess -= units
            if excess <= 0:
                return moment + length - now
        return length


class Quotas:
    """Per-minute quota buckets; thread-safe. `clock` returns real seconds (monotonic)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self.enabled = False
        self.time_scale = 1.0
        self.limits = dict(DEFAULT_LIMITS)
        self._windows: dict[str, _Window] = {}

    @property
    def window_s(self) -> float:
        """How long an emulated minute lasts in real seconds."""
        return WINDOW_S / self.time_scale

    def configure(self, *, enabled: bool | None = None, time_scale: float | None = None,
                  limits: dict[str, int] | None = None) -> dict:
        unknown = set(limits or {}) - set(DEFAULT_LIMITS)
        if unknown:
            raise ApiError(400, f"Unknown quota buckets: {', '.join(sorted(unknown))}.")
        if time_scale is not None and not (isinstance(time_scale, (int, float)) and time_scale > 0):
            raise ApiError(400, f"time_scale must be a positive number; got {time_scale!r}.")
        with self._lock:
            if enabled is not None:
                self.enabled = bool(enabled)
            if time_scale is not None:
                self.time_scale = float(time_scale)
            self.limits.update(limits or {})
            self._windows.clear()
        return self.describe()

    def describe(self) -> dict:
        return {"enabled": self.enabled, "time_scale": self.time_scale, "window": "sliding",
                "window_seconds": self.window_s, "limits": dict(self.limits)}

    def clear_usage(self) -> None:
        with self._lock:
            self._windows.clear()

    def charge(self, route, call) -> None:
        """Charge one call; raise RateLimited (429) when its bucket is full."""
        bucket = bucket_of(route)
        if not self.enabled or bucket is None:
            return
        cost = route.units if bucket == "gmail.units" else 1
        with self._lock:
            now, length, limit = self._clock(), self.window_s, self.limits[bucket]
            window = self._windows.setdefault(bucket, _Window())
            window.expire(now, length)
            if window.used + cost > limit:
                wait = window.wait_for(cost, limit, now, length)
                raise RateLimited(_message(bucket, route.api), max(1, math.ceil(wait)),
                                  f"{route.api}.googleapis.com")
            window.charges.append((now, cost))
            window.used += cost


def _message(bucket: str, api: str) -> str:
    metric = _METRICS[bucket]
    return (f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute per user' "
            f"of service '{api}.googleapis.com' for consumer 'project_number:0'.")

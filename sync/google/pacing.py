"""Pacing calls to Google's per-user per-minute quotas, on the client side.

A large run (a district's first sync, a reminder day for every team) would otherwise send
calls as fast as the network allows and collect 429s: Sheets allows 60 writes a minute,
Gmail about 150 sends. The pacer keeps a sliding one-minute window per quota bucket, the
same buckets Google charges, and makes a call wait until it fits, so the run slows down
instead of being refused. A 429 that still arrives (another tool sharing the account's
quota) closes its bucket for the `Retry-After` Google asked for; trying again is left to
the retry layers, which know which calls are safe to repeat.

Buckets and limits (Google's published defaults per user and minute):
  sheets.read 60, sheets.write 60       one batchUpdate or batchGet is one call
  forms.read 390, forms.responses.list 180, forms.write 150
  drive.queries 12,000                  each part of a batch request counts
  gmail.units 15,000                    messages.send costs 100 units, reads 5
  calendar.queries 600                  every Calendar call (about 600 a minute per user)
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

GOOGLE_LIMITS = {"sheets.read": 60, "sheets.write": 60, "forms.read": 390, "forms.responses.list": 180,
                 "forms.write": 150, "drive.queries": 12_000, "gmail.units": 15_000,
                 "calendar.queries": 600}
GMAIL_UNITS = {"gmail.users.messages.send": 100}
GMAIL_DEFAULT_UNITS = 5
MINUTE_S = 60.0
RETRY_AFTER_CAP_S = 64.0


def charge_of(http_method: str, url: str, body: bytes | str | None = None) -> tuple[str | None, int]:
    """The quota bucket a request is charged to and its cost; (None, 0) outside the APIs paced."""
    from sync.google.metering import classify

    method = http_method.upper()
    method_id = classify(method, urlsplit(url).path)
    api = method_id.split(".", 1)[0]
    if api == "sheets":
        # Sheets reads sent as POST (getByDataFilter) are rare in PLT Sync; POST counts as a write.
        return ("sheets.read" if method == "GET" else "sheets.write"), 1
    if api == "forms":
        if method_id == "forms.forms.responses.list":
            return "forms.responses.list", 1
        return ("forms.read" if method == "GET" else "forms.write"), 1
    if api == "drive":
        return "drive.queries", batch_parts(body) if method_id == "drive.batch" else 1
    if api == "gmail":
        return "gmail.units", GMAIL_UNITS.get(method_id, GMAIL_DEFAULT_UNITS)
    if api == "calendar":
        return "calendar.queries", batch_parts(body) if method_id == "calendar.batch" else 1
    return None, 0


def batch_parts(body: bytes | str | None) -> int:
    """How many calls a `multipart/mixed` batch body carries (each is charged on its own)."""
    if not body:
        return 1
    data = body.encode("utf-8") if isinstance(body, str) else body
    return max(1, data.count(b"Content-Type: application/http"))


@dataclass
class _Bucket:
    charges: deque = field(default_factory=deque)   # (moment, units), oldest first
    used: int = 0
    closed_until: float = 0.0

    def expire(self, now: float, window: float) -> None:
        while self.charges and self.charges[0][0] <= now - window:
            self.used -= self.charges.popleft()[1]

    def wait(self, cost: int, limit: int, now: float, window: float) -> float:
        """Seconds until `cost` more units fit under `limit` (0 when they fit now)."""
        if now < self.closed_until:
            return self.closed_until - now
        excess = self.used + cost - limit
        if excess <= 0:
            return 0.0
        for moment, units in self.charges:
            excess -= units
            if excess <= 0:
                return moment + window - now
        return window


class Pacer:
    """A per-bucket sliding-window limiter shared by every client of one run; thread-safe.

    `time_scale` compresses the minute (60: a minute lasts one second), for a quota-enforcing
    emulator on a scaled clock. `headroom` keeps a margin under each limit, since Google
    starts its minute when a call arrives, a little after the client sent it."""

    def __init__(self, limits: dict[str, int] | None = None, *, time_scale: float = 1.0, headroom: float = 0.95,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.limits = {name: max(1, int(n * headroom)) for name, n in (limits or GOOGLE_LIMITS).items()}
        self.window_s = MINUTE_S / time_scale
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self.waited_s = 0.0
        self.rate_limited = 0

    def before(self, http_method: str, url: str, body: bytes | str | None = None) -> float:
        """Wait until the request fits its bucket, charge it, and return the seconds waited."""
        bucket, cost = charge_of(http_method, url, body)
        return self.acquire(bucket, cost) if bucket else 0.0

    def acquire(self, bucket: str, cost: int) -> float:
        limit = self.limits.get(bucket)
        if limit is None:
            return 0.0
        cost = min(cost, limit)  # a call larger than the whole minute still goes, alone
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                state = self._buckets.setdefault(bucket, _Bucket())
                state.expire(now, self.window_s)
                delay = state.wait(cost, limit, now, self.window_s)
                if delay <= 0:
                    state.charges.append((now, cost))
                    state.used += cost
                    self.waited_s += waited
                    return waited
            self._sleep(delay)
            waited += delay

    def refused(self, http_method: str, url: str, retry_after: str | float | None) -> None:
        """A 429 arrived anyway: close the request's bucket for the `Retry-After` asked for
        (a short pause when none was given)."""
        bucket, _cost = charge_of(http_method, url)
        if bucket is None:
            return
        seconds = min(_seconds(retry_after), RETRY_AFTER_CAP_S)
        with self._lock:
            self.rate_limited += 1
            state = self._buckets.setdefault(bucket, _Bucket())
            state.closed_until = max(state.closed_until, self._clock() + seconds)


def _seconds(retry_after: str | float | None) -> float:
    try:
        return max(0.0, float(retry_after)) if retry_after is not None else 1.0
    except ValueError:
        return 1.0  # an HTTP date: rare from Google's APIs; a short pause is enough

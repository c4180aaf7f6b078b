"""Injected failures, so tests can prove PLT Sync neither loses nor duplicates work when
Google answers 429 or 5xx, drops the connection, or fails after it already made a change.

Rules arrive as JSON through `POST /_emulator/faults`:

    {"kinds": [429, 500, 503, "reset", "commit_then_fail"],   # at least one
     "rate": 0.2, "seed": 7,                                   # random mode: a share of matching calls
     "count": 2, "after": 3,                                   # deterministic mode: let 3 through, fail 2
     "methods": ["drive.files.create"], "paths": ["/drive/v3/files"],
     "message": "optional error text"}

A rule matches a call when its method id is listed (or no methods are given) and its path
starts with one of the prefixes (or no paths are given). With `count`, the next `count`
matching calls after the first `after` fail, cycling through `kinds`; a `rate` as well
makes each of those a coin toss. With only `rate`, every matching call fails with that
probability, the kind drawn at random. Each rule owns a random generator seeded with
`seed`, so a run is repeatable. Rules are consulted in order; the first that fires decides.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from .core import ApiError

_KINDS = {"429": ("status", 429), "500": ("status", 500), "503": ("status", 503),
          "reset": ("reset", 0), "commit_then_fail": ("commit_then_fail", 500)}
_MESSAGES = {429: "Resource has been exhausted (e.g. check quota).", 500: "Internal error encountered.",
             503: "The service is currently unavailable."}
RETRY_AFTER_S = 1


class RateLimited(ApiError):
    """A 429 as Google sends it: RESOURCE_EXHAUSTED with a RATE_LIMIT_EXCEEDED detail."""

    def __init__(self, message: str, retry_after_s: int = RETRY_AFTER_S, service: str = "googleapis.com"):
        super().__init__(429, message, headers={"Retry-After": str(retry_after_s)})
        self.service = service

    def body(self) -> dict:
        body = super().body()
        body["error"]["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                     "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
                                     "metadata": {"service": self.service}}]
        return body


@dataclass(frozen=True)
class Fault:
    kind: str            # "status" | "reset" | "commit_then_fail"
    status: int = 500
    message: str = "Internal error encountered."

    @property
    def label(self) -> str:
        """How statistics name it: "429", "500", "503", "reset" or "commit_then_fail"."""
        return str(self.status) if self.kind == "status" else self.kind

    def error(self) -> ApiError:
        """The error answered for a "status" or "commit_then_fail" fault."""
        if self.status == 429:
            return RateLimited(self.message)
        return ApiError(self.status, self.message)


@dataclass
class Rule:
    kinds: list[str]
    rate: float | None = None
    seed: int | None = None
    count: int | None = None
    after: int = 0
    methods: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    message: str | None = None
    matched: int = 0
    injected: int = 0

    def __post_init__(self):
        self._random = random.Random(self.seed)

    def matches(self, route, path: str) -> bool:
        return ((not self.methods or route.method_id in self.methods)
                and (not self.paths or any(path.startswith(prefix) for prefix in self.paths)))

    def fire(self) -> Fault | None:
        """Called for each matching call; the fault to inject, if this call gets one."""
        self.matched += 1
        if self.matched <= self.after:
            return None
        if self.count is not None and self.injected >= self.count:
            return None
        if self.rate is not None and self._random.random() >= self.rate:
            return None
        label = (self.kinds[self.injected % len(self.kinds)] if self.count is not None
                 else self._random.choice(self.kinds))
        self.injected += 1
        kind, status = _KINDS[label]
        return Fault(kind, status, self.message or _MESSAGES.get(status, "Internal error encountered."))

    def describe(self) -> dict:
        return {"kinds": self.kinds, "rate": self.rate, "seed": self.seed, "count": self.count,
                "after": self.after, "methods": self.methods, "paths": self.paths,
                "matched": self.matched, "injected": self.injected}


def parse_rule(spec: dict) -> Rule:
    """A rule from its JSON form; an ApiError(400) says what is wrong with it."""
    if not isinstance(spec, dict):
        raise ApiError(400, "A fault rule is a JSON object.")
    unknown = set(spec) - {"kinds", "rate", "seed", "count", "after", "methods", "paths", "message"}
    if unknown:
        raise ApiError(400, f"Unknown fault rule fields: {', '.join(sorted(unknown))}.")
    kinds = [str(kind) for kind in spec.get("kinds") or []]
    if not kinds or any(kind not in _KINDS for kind in kinds):
        raise ApiError(400, f"kinds must list some of {', '.join(_KINDS)}; got {spec.get('kinds')!r}.")
    rate, count, after = spec.get("rate"), spec.get("count"), spec.get("after", 0)
    if rate is None and count is None:
        raise ApiError(400, "A fault rule needs a rate (0..1) or a count.")
    if rate is not None and not (isinstance(rate, (int, float)) and 0 <= rate <= 1):
        raise ApiError(400, f"rate must be between 0 and 1; got {rate!r}.")
    for name, value in (("count", count), ("after", after)):
        if value is not None and not (isinstance(value, int) and value >= 0):
            raise ApiError(400, f"{name} must be a whole number >= 0; got {value!r}.")
    return Rule(kinds, rate, spec.get("seed"), count, after, list(spec.get("methods") or []),
                list(spec.get("paths") or []), spec.get("message"))


class Faults:
    """The fault rules in force; thread-safe, deterministic for a given seed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[Rule] = []

    def add(self, spec: dict) -> None:
        rule = parse_rule(spec)
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def describe(self) -> list[dict]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def pick(self, route, path: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(route, path):
                    fault = rule.fire()
                    if fault is not None:
                        return fault
        return None

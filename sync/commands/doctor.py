"""`plt doctor`: every reason a `plt sync` could fail before it starts, checked one by
one, each with a tick or a cross and the concrete fix, so district IT can set a programme
up (or find what changed) without reading a traceback.

Each check is a small function of a `Context` returning a `Result`; the checks run in
order and later ones use what earlier ones found (the signed-in clients). The exit
status names the most basic kind of failure: 2 for the config, 4 for credentials or
access, 3 for a held lock, 0 only when every check passed (warnings do not fail).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from config import ENDPOINT_VARIABLE, Settings

from sync.errors import ExitStatus

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
MARKS = {PASS: "✓", FAIL: "✗", WARN: "!", SKIP: "-"}


@dataclass(frozen=True)
class Result:
    name: str
    state: str
    detail: str
    fix: str = ""
    # The exit status a failure of this check stands for.
    kind: ExitStatus = ExitStatus.OK

    def lines(self) -> list[str]:
        head = f"{MARKS[self.state]} {self.name}: {self.detail}"
        return [head, f"    fix: {self.fix}"] if self.fix and self.state in (FAIL, WARN) else [head]


def passed(name: str, detail: str) -> Result:
    return Result(name, PASS, detail)


def failed(name: str, detail: str, fix: str, kind: ExitStatus = ExitStatus.ACCESS) -> Result:
    return Result(name, FAIL, detail, fix, kind)


def warned(name: str, detail: str, fix: str) -> Result:
    return Result(name, WARN, detail, fix)


def skipped(name: str, detail: str) -> Result:
    return Result(name, SKIP, detail)


@dataclass
class Context:
    """What the checks share: the settings, the environment, and what earlier checks found."""

    settings: Settings
    environ: Mapping[str, str]
    endpoint: str | None = None
    credentials: Any = None
    workspace: Any = None   # the signed-in clients, once the credentials check passed
    account: str = "the account PLT Sync signs in as"

    @classmethod
    def create(cls, settings: Settings, environ: Mapping[str, str]) -> "Context":
        endpoint = environ.get(ENDPOINT_VARIABLE) or settings.google.endpoint
        return cls(settings, environ, str(endpoint) if endpoint else None)


Check = Callable[[Context], Result]


def exit_status(results: list[Result]) -> ExitStatus:
    """The most basic failure decides: config before access before a held lock."""
    kinds = {r.kind for r in results if r.state == FAIL}
    for kind in (ExitStatus.CONFIG, ExitStatus.ACCESS, ExitStatus.LOCKED):
        if kind in kinds:
            return kind
    return ExitStatus.OK


def summary(results: list[Result]) -> str:
    """The closing line: all well, or how many checks failed and which."""
    bad = [r.name for r in results if r.state == FAIL]
    warnings = sum(r.state == WARN for r in results)
    tail = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
    if not bad:
        return f"all {len(results)} checks passed{tail}: `plt sync` can run"
    return f"{len(bad)} of {len(results)} checks failed ({', '.join(bad)}){tail}; see each fix above"


def run_checks(context: Context, checks: list[Check], report: Callable[[Result], None],
               on_start: Callable[[str], None] = lambda _name: None) -> list[Result]:
    """Run every check in order, reporting each result as soon as it is known."""
    results = []
    for check in checks:
        on_start(check.__doc__.strip().splitlines()[0] if check.__doc__ else check.__name__)
        result = check(context)
        report(result)
        results.append(result)
    return results

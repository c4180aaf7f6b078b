"""Typed errors that carry data, the exit codes of the CLI, and the one place that turns
an error into the line a coordinator or IT lead reads.

Code below the CLI raises these with facts as attributes; only `describe` writes prose.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from config.errors import ConfigError, ConfigProblem


class ExitStatus(enum.IntEnum):
    """Exit codes of every `plt` command (DESIGN.md, "CLI")."""

    OK = 0
    PARTIAL = 1  # some actions failed; see the Problems and Runs tabs
    CONFIG = 2  # config or usage error
    LOCKED = 3  # another run holds the lock
    ACCESS = 4  # auth or access error
    SAFETY = 5  # safety stop: nothing was written


__all__ = ["ExitStatus", "PltError", "ConfigError", "ConfigProblem", "UsageError", "NotYetAvailable", "LockHeld",
           "AccessError", "SafetyStop", "PartialFailure", "describe", "credentials_refused"]


class PltError(Exception):
    """Base of every error PLT Sync knows how to explain."""

    exit_status = ExitStatus.PARTIAL

    def describe(self) -> str:
        return str(self)


class UsageError(PltError):
    exit_status = ExitStatus.CONFIG

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def describe(self) -> str:
        return self.message


class NotYetAvailable(UsageError):
    """A command whose capability is not part of this release yet."""

    def __init__(self, command: str, what: str):
        super().__init__(f"`plt {command}` is not available yet: {what}")


class LockHeld(PltError):
    exit_status = ExitStatus.LOCKED

    def __init__(self, lock_path: str):
        super().__init__(lock_path)
        self.lock_path = lock_path

    def describe(self) -> str:
        return (f"another `plt sync` is running for this config (lock {self.lock_path}); "
                "this run did nothing")


class AccessError(PltError):
    """Google refused us: bad credentials, a missing scope, or a resource not shared."""

    exit_status = ExitStatus.ACCESS

    def __init__(self, resource: str, status: int | None, reason: str, hint: str = ""):
        super().__init__(resource, status, reason)
        self.resource = resource
        self.status = status
        self.reason = reason
        self.hint = hint

    def describe(self) -> str:
        code = f" (HTTP {self.status})" if self.status else ""
        line = f"cannot access {self.resource}{code}: {self.reason.rstrip('.')}"
        return f"{line}. {self.hint}" if self.hint else line


class SafetyStop(PltError):
    """Something looks dangerous; nothing was written. `override` names the flag."""

    exit_status = ExitStatus.SAFETY

    def __init__(self, reason: str, override: str):
        super().__init__(reason, override)
        self.reason = reason
        self.override = override

    def describe(self) -> str:
        return f"safety stop, nothing written: {self.reason} (run with {self.override} if this is intended)"


@dataclass
class PartialFailure(PltError):
    """The run finished but some actions failed; each failure is a Problems row."""

    failed: int
    total: int
    examples: list[str] = field(default_factory=list)

    exit_status = ExitStatus.PARTIAL

    def __post_init__(self):
        super().__init__(self.failed, self.total)

    def describe(self) -> str:
        tail = f" (first: {self.examples[0]})" if self.examples else ""
        return f"{self.failed} of {self.total} actions failed; see the Problems and Runs tabs{tail}"


def credentials_refused(error: BaseException) -> bool:
    """Google's token endpoint refused the key or token. Its answer (and so the error's text)
    can carry the signed assertion or the request sent, which are credentials themselves."""
    from google.auth.exceptions import RefreshError

    return isinstance(error, RefreshError)


def _refusal_code(error: BaseException) -> str:
    answer = error.args[1] if len(error.args) > 1 else None
    code = answer.get("error") if isinstance(answer, dict) else None
    return code if isinstance(code, str) and code.replace("_", "").isalnum() and len(code) < 40 else "refused"


def describe(error: BaseException) -> tuple[str, ExitStatus]:
    """The one line (or block) to print for `error`, and the exit status to end with."""
    if isinstance(error, PltError):
        return error.describe(), error.exit_status
    if isinstance(error, ConfigError):
        return error.describe(), ExitStatus.CONFIG
    if credentials_refused(error):
        refused = AccessError("Google Workspace", None, f"Google refused the credentials ({_refusal_code(error)})",
                              "check the key or token file the config names, and that it is still valid")
        return refused.describe(), refused.exit_status
    name = type(error).__name__
    return f"unexpected error: {name}: {error} (run with -v for details)", ExitStatus.PARTIAL

"""The errors of a programme's configuration. They live here, not in the sync core,
because config/ imports nothing of ours: the CLI turns a `ConfigError` into its lines and
exit status 2 like any other error it knows (`sync.errors.describe`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake in a config file: where it is, and what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(Exception):
    """The config cannot be used; `problems` lists every mistake found at once."""

    exit_status = 2   # DESIGN.md's exit code for a config or usage error

    def __init__(self, source: str, problems: list[ConfigProblem]):
        super().__init__(source, problems)
        self.source = source
        self.problems = problems

    def describe(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''} in the configuration"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])

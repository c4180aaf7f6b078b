"""What a `plt` command may touch of the outside world, handed in rather than reached for.

As in httpie, the CLI receives one `Environment` (output streams, environment variables,
clock, and the functions that carry out each command), so tests run real commands with
their own streams and fakes instead of patching module internals.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, TextIO


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Environment:
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = _utc_now
    # How the job waits between retries of a transient failure (tests hand in a no-op).
    sleep: Callable[[float], None] = time.sleep
    # The module (or any object) whose functions carry out each command: `sync.commands.handlers`
    # unless a test hands in its own.
    commands: Any = None
    # Set from `-v/--verbose`: debug logs, and the full traceback of a failure.
    verbose: bool = False

    @classmethod
    def from_process(cls) -> "Environment":
        """The real process: its standard streams, its environment variables, the wall clock."""
        return cls(stdout=sys.stdout, stderr=sys.stderr, environ=os.environ)

    def command(self, name: str) -> Callable[..., Any]:
        """The function carrying out command `name`, e.g. `sync_command`."""
        if self.commands is None:
            from sync.commands import handlers as commands

            self.commands = commands
        return getattr(self.commands, name)

"""How one `plt sync` runs: the options the CLI parsed, handed to `sync.run.run`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SyncOptions:
    """How one `plt sync` runs, as the CLI parsed it."""

    # Print the plan and write nothing.
    dry_run: bool = False
    # Print the report as JSON instead of the human summary.
    json: bool = False
    # The moment the run acts as of (time-zone aware); None means the clock's now.
    now: datetime | None = None
    # Go ahead even though the form yields far fewer teams than the roster holds.
    allow_shrink: bool = False

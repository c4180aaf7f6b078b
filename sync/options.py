"""The options of each `plt` command, as the CLI parsed them, handed to the function that
carries the command out (see `sync.commands`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class SyncOptions:
    # Print the plan and write nothing.
    dry_run: bool = False
    # Print the report as JSON instead of the human summary.
    json: bool = False
    # The moment the run acts as of (time-zone aware); None means the clock's now.
    now: datetime | None = None
    # Go ahead even though the form yields far fewer teams than the roster holds.
    allow_shrink: bool = False


@dataclass(frozen=True)
class StatusOptions:
    json: bool = False


@dataclass(frozen=True)
class DemoOptions:
    json: bool = False
    # Keep `plt.toml` and `emulator.sqlite` here instead of a temporary folder.
    workdir: Path | None = None


@dataclass(frozen=True)
class TemplateOptions:
    # The template file on disk to upload (a .docx or any file).
    file: Path

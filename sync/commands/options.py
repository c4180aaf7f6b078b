"""The options of each `plt` command, as the CLI parsed them, handed to the function that
carries the command out (see `sync.commands.handlers`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sync.options import SyncOptions

__all__ = ["SyncOptions", "StatusOptions", "DemoOptions", "TemplateOptions"]


@dataclass(frozen=True)
class StatusOptions:
    json: bool = False


@dataclass(frozen=True)
class DemoOptions:
    json: bool = False
    # Keep `plt.toml` and `emulator.sqlite` here instead of a temporary folder.
    workdir: Path | None = None
    # The shipped programme whose season runs (config/programmes/<programme>.toml).
    programme: str = "belmont"


@dataclass(frozen=True)
class TemplateOptions:
    # The template file on disk to upload (a .docx or .txt, converted to a Google Doc).
    file: Path
    # The [[template]] it is for (default: from the file name, "PLT Charter.docx" -> plt_charter).
    key: str | None = None
    # Its name in Drive and the config's title (default: the configured title, or the file name).
    name: str | None = None

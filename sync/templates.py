"""`plt templates add FILE`: a document template the drive.file scope lets PLT Sync copy.

The file is uploaded through PLT Sync into the programme's parent folder (so it is the
app's own, see drive/templates.py) and its id is added to `[drive] template_file_ids` in
the config file, comments kept.
"""
from __future__ import annotations

from pathlib import Path

from config import Settings
from config.writeback import append_id
from drive.templates import Template, upload_template

from sync.errors import AccessError, UsageError
from sync.google.errors import classify
from sync.google.workspace import Workspace

TEMPLATES_KEY = "drive.template_file_ids"


def add_template(settings: Settings, workspace: Workspace, path: Path) -> Template:
    """Upload `path` into the parent folder and record its id in the config file."""
    folder_id = settings.drive.parent_folder_id
    if not folder_id:
        raise UsageError(f"[drive].parent_folder_id is not set yet: run `plt init --config {settings.path}` first")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or type(error).__name__}") from None
    try:
        template = upload_template(workspace.drive, path.name, content, folder_id)
    except Exception as error:
        failure = classify(error)
        if failure is None:
            raise
        raise AccessError(f"the parent folder {folder_id}", failure.status, failure.message or str(failure),
                          hint="check [drive].parent_folder_id: PLT Sync can add files only to a folder it "
                               "made (`plt init` does) and its account can edit") from None
    append_id(settings.path, TEMPLATES_KEY, template.id)
    return template

"""`plt templates add FILE.docx`: a document template the drive.file scope lets PLT Sync copy.

Under drive.file Google lets an app open only files it created or was given, so a
template a coordinator made in the Drive web UI cannot be copied or filled by PLT Sync
(403 or 404). Uploaded through PLT Sync instead, the .docx is converted to a Google Doc
that is the app's own: its copies can be made and filled with the Docs API. The upload
goes into the programme's parent folder and its id into the config's [[template]] of
that key (added when there is none), comments kept.
"""
from __future__ import annotations

import re
from pathlib import Path

from config import Settings
from config.writeback import record_template
from drive.templates import Template, upload_document

from sync.errors import AccessError, UsageError
from sync.google.errors import classify
from sync.google.workspace import Workspace

CONVERTIBLE = (".docx", ".txt")


def add_template(settings: Settings, workspace: Workspace, path: Path, key: str | None = None,
                 title: str | None = None) -> tuple[Template, str, bool]:
    """Upload `path` as a Google Doc into the parent folder and record its id. Returns the
    template, its key, and whether a new [[template]] was added to the config."""
    folder_id = settings.drive.parent_folder_id
    if not folder_id:
        raise UsageError(f"[drive].parent_folder_id is not set yet: run `plt init --config {settings.path}` first")
    if settings.upgraded_from == 1:
        raise UsageError(f"{settings.path} is in the first config format, which has no [[template]]: run "
                         f"`plt config upgrade {settings.path}` first")
    if path.suffix.lower() not in CONVERTIBLE:
        raise UsageError(f"{path.name}: expected a Word document (.docx) or a text file (.txt), which Google "
                         "converts to a Google Doc PLT Sync can fill")
    key = key or template_key(path)
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise UsageError(f"--key {key!r}: expected lower-case letters, digits and _ only, like charter")
    configured = next((t for t in settings.templates if t.key == key), None)
    title = title or (configured.title if configured else path.stem)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or type(error).__name__}") from None
    try:
        template = upload_document(workspace.drive, title, path.name, content, folder_id)
    except Exception as error:
        failure = classify(error)
        if failure is None:
            raise
        raise AccessError(f"the parent folder {folder_id}", failure.status, failure.message or str(failure),
                          hint="check [drive].parent_folder_id: PLT Sync can add files only to a folder it "
                               "made (`plt init` does) and its account can edit") from None
    added = record_template(settings.path, key, template.id,
                            {"title": title, "name": f"{title} – {settings.unit.name}"})
    return template, key, added


def template_key(path: Path) -> str:
    """A config key from a file name: "PLT Charter.docx" -> "plt_charter"."""
    return re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_") or "template"

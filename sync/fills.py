"""Filling the template copies a run made or found pending, right after Drive.

A fill planned for a copy this run makes takes the copy's id from Drive's answer; a copy
that could not be made has no fill (its failure is already reported). Each filled copy is
then recorded as filled in one Drive batch per hundred, so the next run leaves it alone.
A failed fill or record is a failure of that unit only: a Problems row, exit 1, and the
next run finishes it (the copy's tag still says "pending").
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from documents.fill import fill_documents
from documents.model import Fill, filled_tags
from drive.batch import apply_changes
from drive.model import ChangeResult, CopyTemplate, TagFile

from sync.core.drive_plan import DriveResults
from sync.google.errors import classify
from sync.google.workspace import Workspace


def fill_copies(workspace: Workspace, fills: Sequence[Fill], drive_results: Sequence[ChangeResult],
                done: DriveResults, sleep: Callable[[float], None]) -> None:
    """Fill, record, and add what came of it to `done` (counts "copied", "filled"; failures)."""
    copied = {(r.change.team_id, r.change.template_id): r for r in drive_results
              if isinstance(r.change, CopyTemplate) and r.change.tags}
    done.counts["copied"] = sum(1 for r in copied.values() if r.ok)
    ready = [_with_copy(fill, copied) for fill in fills]
    ready = [fill for fill in ready if fill is not None]
    done.counts["filled"] = 0
    if not ready:
        return
    results, _calls = fill_documents(workspace.docs, ready, classify=classify, sleep=sleep)
    for result in results:
        if not result.ok:
            done.failures.append((result.fill.unit_id, f"fill document {result.fill.template_key}",
                                  result.error or "failed"))
    filled = [r.fill for r in results if r.ok]
    done.counts["filled"] = sum(1 for r in results if r.ok and not r.already)
    tags = tuple(filled_tags().items())
    records, _calls = apply_changes(workspace.drive, [TagFile(f.unit_id, f.folder_id, f.document_id, tags)
                                                      for f in filled], classify=classify, sleep=sleep)
    for record in records:
        if not record.ok:
            done.failures.append((record.change.team_id, "record a filled document", record.error or "failed"))


def _with_copy(fill: Fill, copied: dict) -> Fill | None:
    """The fill with its copy's id and folder: the one Drive made this run, or the one found."""
    if fill.document_id is not None:
        return fill
    made = copied.get((fill.unit_id, fill.template_id))
    if made is None or not made.ok or not made.value:
        return None
    return dataclasses.replace(fill, document_id=made.value["id"], folder_id=made.change.folder_id)

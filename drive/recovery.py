"""Finding out whether a create or copy whose answer was lost actually happened.

A 5xx or a dropped connection may arrive after Drive made the folder or the copy. Trying
again blindly would make a second one, so first look for it by the tag it was made with:
one query per parent folder for any number of teams, one per template copy.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .folders import lookup_team_folders
from .model import Classify, CopyTemplate, CreateFolder, DriveChange, Failure
from .query import has_app_property, in_parent, list_files
from .tags import TEMPLATE_KEY


@dataclass
class Pending:
    """A change still to be made; `look_first` when an earlier try may have made it."""

    index: int
    change: DriveChange
    failure: Failure | None = None
    look_first: bool = False


def look_again(drive, pending: Sequence[Pending], classify: Classify) -> tuple[dict[int, dict], int]:
    """{index: what was found} for the changes already made, and the calls spent.

    Changes found not to exist get `look_first` cleared, so they are sent again; when the
    lookup itself fails (as `classify` reads a failed call) they keep it and are neither
    sent nor given up on this time."""
    found: dict[int, dict] = {}
    calls = 0
    by_parent: dict[str, list[Pending]] = {}
    for p in pending:
        if isinstance(p.change, CreateFolder):
            by_parent.setdefault(p.change.parent_id, []).append(p)
    for parent_id, group in by_parent.items():
        calls += _look_for_folders(drive, parent_id, group, found, classify)
    for p in pending:
        if isinstance(p.change, CopyTemplate):
            calls += _look_for_copy(drive, p, found, classify)
    return found, calls


def _look_for_folders(drive, parent_id: str, group: list[Pending], found: dict[int, dict],
                      classify: Classify) -> int:
    only_team = group[0].change.team_id if len(group) == 1 else None
    try:
        folders, calls = lookup_team_folders(drive, parent_id, only_team)
    except Exception as error:
        if classify(error) is None:
            raise
        return 1
    for p in group:
        folder = folders.get(p.change.team_id)
        if folder is None:
            p.look_first = False
        else:
            found[p.index] = {"id": folder.folder_id, "name": folder.name, "webViewLink": folder.link}
    return calls


def _look_for_copy(drive, p: Pending, found: dict[int, dict], classify: Classify) -> int:
    change = p.change
    q = (f"{in_parent(change.folder_id)} and {has_app_property(TEMPLATE_KEY, change.template_id)} "
         "and trashed=false")
    try:
        files, calls = list_files(drive, q, "id,name,webViewLink")
    except Exception as error:
        if classify(error) is None:
            raise
        return 1
    if files:
        found[p.index] = files[0]
    else:
        p.look_first = False
    return calls

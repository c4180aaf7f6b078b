"""What PLT Sync knows about team folders and their sharing, as plain frozen data.

Reading Drive yields `Folder`s; planning yields `DriveChange`s; applying them yields one
`ChangeResult` per change. Nothing here talks to Google.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Union

FOLDER_MIME = "application/vnd.google-apps.folder"


def folder_link(folder_id: str) -> str:
    """The address a coordinator or facilitator opens to see a team's folder."""
    return f"https://drive.google.com/drive/folders/{folder_id}"


@dataclass(frozen=True)
class Permission:
    """One entry of a folder's sharing. `email` is lower-cased; None for `anyone`/`domain`."""

    permission_id: str
    email: str | None
    role: str
    type: str


@dataclass(frozen=True)
class Folder:
    """A team's shared folder as Drive holds it.

    `granted` is the set of emails PLT Sync itself shared the folder with, recorded on
    the folder, so a later run removes only those and never access a coordinator gave
    by hand. `duplicate_ids` names other folders tagged for the same team (newer ones,
    left untouched so a coordinator can decide what to keep).
    """

    folder_id: str | None
    name: str
    team_id: str
    link: str
    permissions: tuple[Permission, ...] = ()
    granted: frozenset[str] = frozenset()
    duplicate_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grant:
    """Someone who should have access to a team's folder, and with which role."""

    email: str
    role: str


# The changes planning produces for Drive. A `folder_id` of None means "the folder the
# CreateFolder of the same team makes in the same run".
@dataclass(frozen=True)
class CreateFolder:
    team_id: str
    name: str
    parent_id: str
    # The people PLT Sync is about to share the new folder with, recorded in the create
    # itself (before anyone gets access, as RecordGrants would, but without a call of its own).
    granted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RenameFolder:
    team_id: str
    folder_id: str | None
    name: str


@dataclass(frozen=True)
class CopyTemplate:
    """A copy of a template into a team folder, tagged with the template's id (and `tags`):
    named `name`, or "Copy of <template>" as Drive names it when None."""

    team_id: str
    folder_id: str | None
    template_id: str
    name: str | None = None
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TagFile:
    """Set appProperties on a file in a team folder (a template copy recorded as filled)."""

    team_id: str
    folder_id: str | None
    file_id: str
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AddPermission:
    team_id: str
    folder_id: str | None
    email: str
    role: str
    notify: bool


@dataclass(frozen=True)
class UpdatePermission:
    team_id: str
    folder_id: str | None
    permission_id: str
    email: str
    role: str


@dataclass(frozen=True)
class RemovePermission:
    team_id: str
    folder_id: str | None
    permission_id: str
    email: str


@dataclass(frozen=True)
class RecordGrants:
    team_id: str
    folder_id: str | None
    granted: frozenset[str]


DriveChange = Union[CreateFolder, RenameFolder, CopyTemplate, AddPermission, UpdatePermission,
                    RemovePermission, RecordGrants, TagFile]


class Failure(Protocol):
    """What the classifier `apply_changes` is handed makes of a failed call. The adapter
    never decides this itself: the sync core keeps one classifier for every Google call."""

    transient: bool             # the same call may well succeed later
    uncertain: bool             # the change may have been made before the failure
    status: int | None          # None when no answer came
    retry_after: float | None   # seconds Google asked to wait


# Reads a failed call's exception; None for an error that is no failed call (a defect).
Classify = Callable[[BaseException], Union[Failure, None]]


@dataclass(frozen=True)
class ChangeResult:
    """How one change went. `transient` says a later run may well succeed (rate limits,
    outages); `value` carries what Google answered, e.g. a created folder's id and link."""

    change: DriveChange
    ok: bool
    error: str | None = None
    transient: bool = False
    value: dict | None = field(default=None, compare=False)

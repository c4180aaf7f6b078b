"""Who should see a team's folder, compared with who does: the sharing changes to make.

Pure: no I/O. The rules, so a coordinator can trust a run with their Drive:

- Only people in an allowed domain are shared with; others come back as "blocked" for
  the roster's Problems tab. An empty list of allowed domains shares with nobody (a
  missing setting must not open folders to the world). Sharing is always with a person
  or group (`type=user`), never `anyone` or `domain`.
- A missing member is added with the role asked for.
- A role is changed on a permission PLT Sync granted. On access someone gave by hand,
  PLT Sync only raises the role to what the member needs and never lowers it (a
  coordinator may have made a facilitator an editor on purpose); that access stays
  the coordinator's and is never removed by PLT Sync.
- Removed are only permissions PLT Sync granted (`folder.granted`) whose person is no
  longer wanted; never the owner's, never hand-added access, never `anyone`/`domain`.
- The granted set is recorded before new access is given (so a crash in between never
  leaves access PLT Sync cannot later take back) and settled after removals.
- A withdrawn unit's folder keeps its sharing, is made read-only for the people PLT Sync
  gave writer or commenter access, or loses every permission PLT Sync granted, as the
  district chose (`WITHDRAWN_ACCESS`); hand-given access and the owner's are never touched.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import (AddPermission, DriveChange, Folder, Grant, Permission, RecordGrants, RemovePermission,
                    UpdatePermission)

MEMBER_ROLES = ("reader", "commenter", "writer")
WITHDRAWN_ACCESS = ("keep", "reader", "remove")
_RANK = {"reader": 1, "commenter": 2, "writer": 3, "fileOrganizer": 4, "organizer": 5, "owner": 6}
_PERSON_TYPES = ("user", "group")


def sharing_changes(folder: Folder, desired: Sequence[Grant], *, allowed_domains: Iterable[str],
                    notify: bool) -> tuple[list[DriveChange], list[str]]:
    """The changes that make `folder`'s sharing match `desired`, and the emails not shared
    with because their domain is not allowed (sorted)."""
    wanted, blocked = wanted_roles(desired, allowed_domains)
    people = person_permissions(folder.permissions)
    grants: list[DriveChange] = []
    for email, role in sorted(wanted.items()):
        change = _grant_change(folder, people.get(email), email, role, notify)
        if change is not None:
            grants.append(change)
    removals = [RemovePermission(folder.team_id, folder.folder_id, permission.permission_id, email)
                for email, permission in sorted(people.items())
                if email in folder.granted and email not in wanted and permission.role != "owner"]
    return _with_records(folder, wanted, people, grants, removals), blocked


def withdrawn_changes(folder: Folder, access: str) -> list[DriveChange]:
    """The changes that leave a withdrawn unit's folder as `access` (one of WITHDRAWN_ACCESS)
    says: a second run finds nothing left to change."""
    if access == "remove":
        changes, _blocked = sharing_changes(folder, (), allowed_domains=(), notify=False)
        return changes
    if access == "reader":
        return [UpdatePermission(folder.team_id, folder.folder_id, permission.permission_id, email, "reader")
                for email, permission in sorted(person_permissions(folder.permissions).items())
                if email in folder.granted and permission.role in ("writer", "commenter")]
    if access == "keep":
        return []
    raise ValueError(f"withdrawn access must be one of {', '.join(WITHDRAWN_ACCESS)}, not {access!r}")


def wanted_roles(desired: Sequence[Grant], allowed_domains: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """{email: role} for the people who may be shared with, and the blocked emails.

    The same person listed twice gets the higher of the two roles."""
    domains = {domain.strip().lstrip("@").lower() for domain in allowed_domains if domain.strip()}
    wanted: dict[str, str] = {}
    blocked: set[str] = set()
    for grant in desired:
        if grant.role not in MEMBER_ROLES:
            raise ValueError(f"a team member's role must be one of {', '.join(MEMBER_ROLES)}, not {grant.role!r}")
        email = grant.email.strip().lower()
        if not email:
            continue
        if email_domain(email) not in domains:
            blocked.add(email)
        elif _RANK[grant.role] > _RANK.get(wanted.get(email, ""), 0):
            wanted[email] = grant.role
    return wanted, sorted(blocked)


def email_domain(email: str) -> str | None:
    """The part after the last "@", or None when `email` has no usable one."""
    local, at, domain = email.rpartition("@")
    return domain.lower() if at and local and domain else None


def person_permissions(permissions: Iterable[Permission]) -> dict[str, Permission]:
    """Each person's (or group's) permission by email; where one has two, the stronger."""
    people: dict[str, Permission] = {}
    for permission in permissions:
        if permission.type not in _PERSON_TYPES or not permission.email:
            continue
        current = people.get(permission.email)
        if current is None or _RANK.get(permission.role, 0) > _RANK.get(current.role, 0):
            people[permission.email] = permission
    return people


def _grant_change(folder: Folder, existing: Permission | None, email: str, role: str,
                  notify: bool) -> DriveChange | None:
    # Not shared yet: add.
    if existing is None:
        return AddPermission(folder.team_id, folder.folder_id, email, role, notify)
    # Same role already, or the owner: nothing to do.
    if existing.role == role or existing.role == "owner":
        return None
    # Granted by PLT Sync: make it what the team needs now, up or down.
    if email in folder.granted:
        return UpdatePermission(folder.team_id, folder.folder_id, existing.permission_id, email, role)
    # Given by hand with less than the member needs: raise it, never lower it.
    if _RANK.get(existing.role, 0) < _RANK[role]:
        return UpdatePermission(folder.team_id, folder.folder_id, existing.permission_id, email, role)
    return None


def _with_records(folder: Folder, wanted: dict[str, str], people: dict[str, Permission],
                  grants: list[DriveChange], removals: list[RemovePermission]) -> list[DriveChange]:
    """Wrap the permission changes with the writes of the granted set: the set including
    new people before they get access, and the settled set after removals."""
    added = {change.email for change in grants if isinstance(change, AddPermission)}
    kept = {email for email in folder.granted
            if email in wanted and email in people and people[email].role != "owner"}
    settled = frozenset(kept | added)
    before = frozenset(settled | {removal.email for removal in removals})
    changes: list[DriveChange] = []
    recorded = folder.granted
    if added and before != recorded:
        changes.append(RecordGrants(folder.team_id, folder.folder_id, before))
        recorded = before
    changes += grants + removals
    if settled != recorded:
        changes.append(RecordGrants(folder.team_id, folder.folder_id, settled))
    return changes

"""Team folders in the plan: which Drive changes a run makes, and what they came to.

Pure. `plan_drive` compares the teams with the folders Drive holds; `expected_drive` says
what the sheet shows once those changes are made (each team's folder link, each member's
access); `drive_results` sums up what applying them actually came to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Mapping, Sequence

from drive.model import (AddPermission, ChangeResult, CopyTemplate, CreateFolder, DriveChange, Folder, Grant,
                         RemovePermission, RenameFolder, UpdatePermission, folder_link)
from drive.model import RecordGrants
from drive.sharing import person_permissions, sharing_changes, withdrawn_changes
from drive.tags import fits

from sync.core.model import LinkOf, Team
from sync.core.units import UnitRules

SHARED, PENDING, BLOCKED, FAILED, NO_EMAIL = "shared", "pending", "blocked (domain)", "failed", "no email"


@dataclass(frozen=True)
class DriveRules:
    parent_id: str
    folder_name: str
    units: UnitRules
    allowed_domains: tuple[str, ...]
    notify: bool
    template_ids: tuple[str, ...] = ()
    withdrawn_access: str = "keep"     # keep | reader | remove: what a withdrawn unit's people keep


@dataclass(frozen=True)
class DrivePlan:
    changes: tuple[DriveChange, ...]
    blocked: Mapping[str, tuple[str, ...]]          # team id -> emails not shared (domain)
    shared_with: Mapping[str, tuple[str, ...]] = field(default_factory=dict)   # team id -> who should have access


@dataclass(frozen=True)
class DriveView:
    """Drive as the sheet shows it: each team's folder link and each member's access."""

    links: Mapping[str, str | LinkOf]                          # team id -> folder link
    access: Mapping[tuple[str, str], tuple[str, str]]           # (team, email) -> (state, detail)
    folders: Mapping[str, Folder] = field(default_factory=dict)    # team id -> its folder as read
    revised: Mapping[tuple[str, str], str] = field(default_factory=dict)   # (team, email) -> new role, "" removed

    def held(self, tid: str, email: str) -> tuple[str, bool]:
        """The role `email` holds on the team's folder once this run's changes are made ("" for
        none), and whether PLT Sync granted it: what the Members tab says of someone no
        longer on the team."""
        folder = self.folders.get(tid)
        if folder is None or not email:
            return "", False
        granted = email in folder.granted
        if (tid, email) in self.revised:
            return self.revised[(tid, email)], granted
        permission = person_permissions(folder.permissions).get(email)
        return (permission.role if permission else ""), granted


@dataclass
class DriveResults:
    links: dict[str, str] = field(default_factory=dict)        # team id -> link of the folder made this run
    failed_access: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)   # (team, email) -> ...
    failures: list[tuple[str, str, str]] = field(default_factory=list)       # (team id, what, reason)
    counts: dict[str, int] = field(default_factory=dict)


def folder_name(rules: DriveRules, team: Team) -> str:
    return rules.units.fill(rules.folder_name, team)


def grants(team: Team, rules: DriveRules) -> list[Grant]:
    """Everyone in a role with folder access, with that role's access."""
    return [Grant(m.email, role.access) for role, m in rules.units.people(team) if m.email and role.access != "none"]


def plan_drive(teams: Mapping[str, Team], folders: Mapping[str, Folder], rules: DriveRules,
               withdrawn: Collection[str] = ()) -> DrivePlan:
    """Create missing folders, rename renamed teams' folders, and keep sharing right. The
    folders of `withdrawn` units keep, narrow or lose the access PLT Sync gave, as the
    district chose; their names and files are left as they are."""
    changes: list[DriveChange] = []
    blocked: dict[str, tuple[str, ...]] = {}
    shared_with: dict[str, tuple[str, ...]] = {}
    for tid, team in sorted(teams.items()):
        name = folder_name(rules, team)
        wanted = grants(team, rules)
        shared_with[tid] = tuple(dict.fromkeys(grant.email.lower() for grant in wanted))
        folder = folders.get(tid)
        existing = folder is not None
        if not existing:
            folder = Folder(None, name, tid, "")
        elif folder.name != name:
            changes.append(RenameFolder(tid, folder.folder_id, name))
        sharing, not_shared = sharing_changes(folder, wanted, allowed_domains=rules.allowed_domains,
                                              notify=rules.notify)
        if not existing:
            sharing = _create_with_record(tid, name, rules, sharing)
        changes += sharing
        if not_shared:
            blocked[tid] = tuple(not_shared)
    for tid in sorted(set(withdrawn) & folders.keys() - teams.keys()):
        changes += withdrawn_changes(folders[tid], rules.withdrawn_access)
    return DrivePlan(tuple(changes), blocked, shared_with)


def _create_with_record(tid: str, name: str, rules: DriveRules, sharing: list[DriveChange]) -> list[DriveChange]:
    """A new folder is created already recording who it is about to be shared with, which
    saves the separate record write a folder that exists needs."""
    first = sharing[0] if sharing else None
    granted = first.granted if isinstance(first, RecordGrants) else frozenset()
    if not fits(granted):
        granted = frozenset()   # left to RecordGrants, which reports it plainly
    rest = sharing[1:] if granted else sharing
    templates = [CopyTemplate(tid, None, template) for template in rules.template_ids]
    return [CreateFolder(tid, name, rules.parent_id, granted), *templates, *rest]


def expected_drive(teams: Mapping[str, Team], folders: Mapping[str, Folder], drive_plan: DrivePlan) -> DriveView:
    """What the sheet shows of Drive once every planned change is made: a folder this run
    creates is linked by reference, and everyone it shares with has access."""
    links: dict[str, str | LinkOf] = {tid: folder.link or folder_link(folder.folder_id)
                                      for tid, folder in folders.items() if folder.folder_id}
    sharing: dict[tuple[str, str], tuple[str, str]] = {}
    revised: dict[tuple[str, str], str] = {}
    for change in drive_plan.changes:
        if isinstance(change, CreateFolder):
            links[change.team_id] = LinkOf(change.team_id)
        elif isinstance(change, AddPermission):
            sharing[(change.team_id, change.email)] = (SHARED, "")
        elif isinstance(change, (UpdatePermission, RemovePermission)):
            revised[(change.team_id, change.email)] = getattr(change, "role", "")
    access: dict[tuple[str, str], tuple[str, str]] = {}
    for tid in teams:
        _member_access(access, tid, drive_plan.shared_with.get(tid, ()), folders.get(tid), sharing,
                       drive_plan.blocked.get(tid, ()))
    return DriveView(links, access, folders, revised)


def drive_results(results: Sequence[ChangeResult]) -> DriveResults:
    """What applying the changes came to: links of the folders made, access that could not
    be given, every failure, and the counts the report shows."""
    done = DriveResults(counts=dict.fromkeys(("created", "renamed", "added", "removed"), 0))
    for result in results:
        change = result.change
        if not result.ok:
            done.failures.append((change.team_id, _what(change), result.error or "failed"))
            if isinstance(change, (AddPermission, UpdatePermission, RemovePermission)):
                detail = (result.error or "failed") + ("; will retry next run" if result.transient else "")
                done.failed_access[(change.team_id, change.email)] = (FAILED, detail)
        elif isinstance(change, CreateFolder):
            done.counts["created"] += 1
            value = result.value or {}
            done.links[change.team_id] = value.get("webViewLink") or folder_link(value.get("id", ""))
        elif isinstance(change, RenameFolder):
            done.counts["renamed"] += 1
        elif isinstance(change, AddPermission):
            done.counts["added"] += 1
        elif isinstance(change, RemovePermission):
            done.counts["removed"] += 1
    return done


def _what(change: DriveChange) -> str:
    email = getattr(change, "email", "")
    label = {"CreateFolder": "create folder", "RenameFolder": "rename folder", "CopyTemplate": "copy template",
             "AddPermission": "share with", "UpdatePermission": "change access of",
             "RemovePermission": "remove access of", "RecordGrants": "record sharing",
             "TagFile": "record a filled document"}[type(change).__name__]
    return f"{label} {email}".strip()


def _member_access(access: dict[tuple[str, str], tuple[str, str]], tid: str, emails: Sequence[str],
                   folder: Folder | None, sharing: Mapping[tuple[str, str], tuple[str, str]],
                   blocked: Sequence[str]) -> None:
    has = {p.email for p in (folder.permissions if folder else ()) if p.email}
    for email in emails:
        if email in blocked:
            access[(tid, email)] = (BLOCKED, "outside the allowed domains; not shared")
        elif (tid, email) in sharing:
            access[(tid, email)] = sharing[(tid, email)]
        elif email in has:
            access[(tid, email)] = (SHARED, "")
        else:
            access[(tid, email)] = (PENDING, "")


def creates_folders(teams: Mapping[str, Team], folders: Mapping[str, Folder]) -> bool:
    """Whether `plan_drive` will create a folder: some team has none yet."""
    return any(tid not in folders for tid in teams)

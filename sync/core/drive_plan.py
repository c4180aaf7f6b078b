"""Team folders in the plan: which Drive changes a run makes, and what they came to.

Both steps are pure. `plan_drive` compares the teams with the folders Drive holds;
`settle_drive` turns the results of applying those changes (or, for a dry run, the
expectation) into what the sheet shows: each team's folder link and each member's access.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from drive.model import (AddPermission, ChangeResult, CopyTemplate, CreateFolder, DriveChange, Folder, Grant,
                         RemovePermission, RenameFolder, folder_link)
from drive.model import RecordGrants
from drive.sharing import sharing_changes
from drive.tags import fits

from sync.core.model import Team

SHARED, PENDING, BLOCKED, FAILED, NO_EMAIL = "shared", "pending", "blocked (domain)", "failed", "no email"


@dataclass(frozen=True)
class DriveRules:
    parent_id: str
    folder_name: str
    facilitator_role: str
    member_role: str
    allowed_domains: tuple[str, ...]
    notify: bool
    template_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrivePlan:
    changes: tuple[DriveChange, ...]
    blocked: Mapping[str, tuple[str, ...]]          # team id -> emails not shared (domain)


@dataclass
class DriveOutcome:
    links: dict[str, str] = field(default_factory=dict)                       # team id -> folder link
    access: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (team, email) -> (state, detail)
    failures: list[tuple[str, str, str]] = field(default_factory=list)       # (team id, what, reason)
    counts: dict[str, int] = field(default_factory=dict)


def folder_name(rules: DriveRules, team: Team) -> str:
    sub = team.submission
    return rules.folder_name.format(school=sub.school, team_name=sub.team_name, team_id=team.team_id,
                                    facilitator_name=sub.facilitator_name)


def grants(team: Team, rules: DriveRules) -> list[Grant]:
    sub = team.submission
    people = [Grant(sub.facilitator_email, rules.facilitator_role)]
    return people + [Grant(m.email, rules.member_role) for m in sub.members if m.email]


def plan_drive(teams: Mapping[str, Team], folders: Mapping[str, Folder], rules: DriveRules) -> DrivePlan:
    """Create missing folders, rename renamed teams' folders, and keep sharing right.
    Folders of withdrawn teams are left exactly as they are."""
    changes: list[DriveChange] = []
    blocked: dict[str, tuple[str, ...]] = {}
    for tid, team in sorted(teams.items()):
        name = folder_name(rules, team)
        folder = folders.get(tid)
        existing = folder is not None
        if not existing:
            folder = Folder(None, name, tid, "")
        elif folder.name != name:
            changes.append(RenameFolder(tid, folder.folder_id, name))
        sharing, not_shared = sharing_changes(folder, grants(team, rules), allowed_domains=rules.allowed_domains,
                                              notify=rules.notify)
        if not existing:
            sharing = _create_with_record(tid, name, rules, sharing)
        changes += sharing
        if not_shared:
            blocked[tid] = tuple(not_shared)
    return DrivePlan(tuple(changes), blocked)


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


def settle_drive(teams: Mapping[str, Team], folders: Mapping[str, Folder], drive_plan: DrivePlan,
                 results: Sequence[ChangeResult] | None) -> DriveOutcome:
    """What the sheet shows after the Drive changes: `results` None means a dry run."""
    outcome = DriveOutcome(counts={"created": 0, "renamed": 0, "existing": 0, "added": 0, "removed": 0,
                                   "blocked": sum(len(v) for v in drive_plan.blocked.values())})
    for tid, folder in folders.items():
        if folder.folder_id:
            outcome.links[tid] = folder.link or folder_link(folder.folder_id)
    outcome.counts["existing"] = sum(1 for tid in teams if tid in folders)
    change_state = _record_results(outcome, drive_plan, results)
    for tid, team in teams.items():
        _member_access(outcome, tid, team, folders.get(tid), change_state, drive_plan.blocked.get(tid, ()))
    return outcome


def _record_results(outcome: DriveOutcome, drive_plan: DrivePlan,
                    results: Sequence[ChangeResult] | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(team, email) -> (state, detail) for every permission change, and the counts."""
    state: dict[tuple[str, str], tuple[str, str]] = {}
    paired = [(r.change, r) for r in results] if results is not None else [(c, None) for c in drive_plan.changes]
    for change, result in paired:
        ok = result is not None and result.ok
        if isinstance(change, CreateFolder) and ok:
            outcome.counts["created"] += 1
            value = result.value or {}
            outcome.links[change.team_id] = value.get("webViewLink") or folder_link(value.get("id", ""))
        elif isinstance(change, RenameFolder) and ok:
            outcome.counts["renamed"] += 1
        elif isinstance(change, AddPermission):
            outcome.counts["added"] += int(ok)
            state[(change.team_id, change.email)] = (SHARED, "") if ok else _pending_or_failed(result)
        elif isinstance(change, RemovePermission) and ok:
            outcome.counts["removed"] += 1
        if result is not None and not result.ok:
            outcome.failures.append((change.team_id, _what(change), result.error or "failed"))
    return state


def _pending_or_failed(result: ChangeResult | None) -> tuple[str, str]:
    if result is None:
        return PENDING, "will be shared by this run"
    return FAILED, (result.error or "failed") + ("; will retry next run" if result.transient else "")


def _what(change: DriveChange) -> str:
    email = getattr(change, "email", "")
    label = {"CreateFolder": "create folder", "RenameFolder": "rename folder", "CopyTemplate": "copy template",
             "AddPermission": "share with", "UpdatePermission": "change access of",
             "RemovePermission": "remove access of", "RecordGrants": "record sharing"}[type(change).__name__]
    return f"{label} {email}".strip()


def _member_access(outcome: DriveOutcome, tid: str, team: Team, folder: Folder | None,
                   change_state: Mapping[tuple[str, str], tuple[str, str]], blocked: Sequence[str]) -> None:
    has = {p.email for p in (folder.permissions if folder else ()) if p.email}
    sub = team.submission
    for email in [sub.facilitator_email] + [m.email or "" for m in sub.members]:
        email = email.lower()
        if not email:
            continue
        if email in blocked:
            outcome.access[(tid, email)] = (BLOCKED, "outside the allowed domains; not shared")
        elif (tid, email) in change_state:
            outcome.access[(tid, email)] = change_state[(tid, email)]
        elif email in has:
            outcome.access[(tid, email)] = (SHARED, "")
        else:
            outcome.access[(tid, email)] = (PENDING, "")

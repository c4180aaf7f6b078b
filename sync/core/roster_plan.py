"""The Roster and Members tabs in the plan: one row per team, one per person and role.

Pure. A team whose response is gone is marked withdrawn, never deleted; someone who left a
team keeps their row, marked, so the history stays.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from forms.model import Problem, Submission
from sheets import layout as L

from sync.core.cells import local_time, member_key
from sync.core.drive_plan import NO_EMAIL, DriveView
from sync.core.milestones import MilestonePlan
from sync.core.model import Team, UpdateRow
from sync.core.tables import SheetPlanner

ACTIVE = "active"
WITHDRAWN = "withdrawn"

# Roster columns an optional question fills: while the form lacks that question (renamed
# or deleted), the column keeps what earlier runs wrote instead of being blanked.
OPTIONAL_COLUMNS = {"facilitator_name": "Facilitator", "topic": "Topic", "goal_type": "Goal type",
                    "meeting_time": "Meeting time", "training": "Training"}


def unanswered_columns(problems: Iterable[Problem]) -> frozenset[str]:
    """Roster columns whose optional question the form no longer has."""
    return frozenset(OPTIONAL_COLUMNS[p.field] for p in problems
                     if not p.response_id and p.field in OPTIONAL_COLUMNS)


def roster_values(team: Team, tz: str) -> dict[str, Any]:
    sub = team.submission
    return {
        L.TEAM_ID: team.team_id, "Team name": sub.team_name, "School": sub.school, "Topic": sub.topic,
        "Goal type": sub.goal_type, "Facilitator": sub.facilitator_name,
        "Facilitator email": sub.facilitator_email, "Members": members_text(sub),
        "Member count": len(sub.members), "Meeting time": sub.meeting_time, "Training": sub.training,
        "Submitted": local_time(sub.submitted_at, tz), "Response ID": sub.response_id,
        L.TEAM_STATUS: ACTIVE,
    }


def members_text(sub: Submission) -> str:
    return "\n".join(f"{m.name} <{m.email}>" if m.email and m.name else (m.email or m.name)
                     for m in sub.members)


def plan_roster(p: SheetPlanner, teams: Mapping[str, Team], tz: str, unanswered: frozenset[str],
                drive: DriveView | None, milestones: MilestonePlan) -> tuple[int, int, int, int]:
    """Roster rows of every team; returns (new, updated, unchanged, withdrawn)."""
    desired = {(tid,): {h: v for h, v in roster_values(team, tz).items() if h not in unanswered}
               for tid, team in teams.items()}
    for (tid,), values in desired.items():
        if drive is not None and tid in drive.links:
            values[L.FOLDER] = drive.links[tid]
        values.update(milestones.roster.get(tid, {}))
    added, updated = p.sync_table(L.ROSTER, desired, {(tid,): tid for tid in teams})
    tab, withdrawn = p.tab(L.ROSTER), 0
    for key, row in p.index(L.ROSTER).items():
        if key in desired or tab.value(row, L.TEAM_STATUS) == WITHDRAWN:
            continue
        p.actions.append(UpdateRow(L.ROSTER, key, ((L.TEAM_STATUS, tab.value(row, L.TEAM_STATUS), WITHDRAWN),),
                                   key[0]))
        withdrawn += 1
    return added, updated, len(teams) - added - updated, withdrawn


def plan_members(p: SheetPlanner, teams: Mapping[str, Team], unanswered: frozenset[str],
                 drive: DriveView | None) -> None:
    desired: dict[tuple, dict[str, Any]] = {}
    team_of: dict[tuple, str] = {}
    for tid, team in teams.items():
        sub = team.submission
        people = [(sub.facilitator_name, sub.facilitator_email, "facilitator")]
        people += [(m.name, m.email or "", "member") for m in sub.members]
        for name, email, role in people:
            key = member_key(tid, email, name)
            desired[key] = {L.TEAM_ID: tid, "Team name": sub.team_name, "Member": name, "Email": email,
                            "Role": role, "On team": "yes", **access_cells(drive, tid, email)}
            if role == "facilitator" and OPTIONAL_COLUMNS["facilitator_name"] in unanswered:
                del desired[key]["Member"]
            team_of[key] = tid
    p.sync_table(L.MEMBERS, desired, team_of)
    tab = p.tab(L.MEMBERS)
    for key, row in p.index(L.MEMBERS).items():
        if key not in desired and tab.value(row, "On team") != "no":
            p.actions.append(UpdateRow(L.MEMBERS, key, (("On team", tab.value(row, "On team"), "no"),), key[0]))


def access_cells(drive: DriveView | None, tid: str, email: str) -> dict[str, str]:
    if drive is None:
        return {}
    if not email:
        return {"Access": NO_EMAIL, "Access detail": "add their email to the Staff tab or the form"}
    state, detail = drive.access.get((tid, email.lower()), ("", ""))
    return {"Access": state, "Access detail": detail}

"""The Roster and Members tabs in the plan: one row per team, one per person and role.

Pure. A team whose response is gone is marked withdrawn, never deleted; someone who left a
team keeps their row, marked, so the history stays.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from forms.model import CELL_LIMIT, Problem
from sheets import layout as L

from sync.core.cells import local_time, member_key
from sync.core.drive_plan import NO_EMAIL, DriveView
from sync.core.milestones import MilestonePlan
from sync.core.model import Team, UpdateRow
from sync.core.tables import SheetPlanner
from sync.core.units import UnitRules

ACTIVE = "active"
WITHDRAWN = "withdrawn"



def unanswered_fields(problems: Iterable[Problem]) -> frozenset[str]:
    """Fields whose optional question the form no longer has (renamed or deleted): their
    roster cells keep what earlier runs wrote instead of being blanked."""
    return frozenset(p.field for p in problems if not p.response_id)


def roster_values(team: Team, tz: str, units: UnitRules, unanswered: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The unit's roster cells, leaving out the columns of fields the form no longer asks."""
    sub = team.submission
    field_of = {column.header: column.field for column in units.columns}
    values = {h: v for h, v in units.roster_values(team).items() if field_of[h] not in unanswered}
    return {L.TEAM_ID: team.team_id, **values, "Submitted": local_time(sub.submitted_at, tz),
            "Response ID": sub.response_id, L.EARLIER_RESPONSES: earlier_responses(team, tz),
            L.TEAM_STATUS: ACTIVE}


def earlier_responses(team: Team, tz: str) -> str:
    """The responses the unit's latest one replaced, one a line, oldest first, each as
    "submitted (response id)": a coordinator can find what was replaced in the form's
    responses. Someone who resubmits without end still fits in one cell (a longer one
    would fail the whole sheet write): the oldest are then summed up in a first line."""
    lines: list[str] = []
    room = CELL_LIMIT - 100
    for earlier in reversed(team.superseded):
        line = f"{local_time(earlier.submitted_at, tz)} ({earlier.response_id})"
        room -= len(line) + 1
        if room < 0:
            break
        lines.append(line)
    left_out = len(team.superseded) - len(lines)
    header = [f"{left_out} older responses not shown"] if left_out else []
    return "\n".join(header + lines[::-1])


def plan_roster(p: SheetPlanner, teams: Mapping[str, Team], tz: str, units: UnitRules, unanswered: frozenset[str],
                drive: DriveView | None, milestones: MilestonePlan) -> tuple[int, int, int, int]:
    """Roster rows of every unit; returns (new, updated, unchanged, withdrawn)."""
    desired = {(tid,): roster_values(team, tz, units, unanswered) for tid, team in teams.items()}
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


def plan_members(p: SheetPlanner, teams: Mapping[str, Team], units: UnitRules, unanswered: frozenset[str],
                 drive: DriveView | None) -> None:
    """One row per person and role of every unit, each person once per unit."""
    desired: dict[tuple, dict[str, Any]] = {}
    team_of: dict[tuple, str] = {}
    for tid, team in teams.items():
        unit_name = units.name(team)
        for role, person in units.people(team):
            email = person.email or ""
            key = member_key(tid, email, person.name)
            desired[key] = {L.TEAM_ID: tid, "Team name": unit_name, "Member": person.name, "Email": email,
                            "Role": role.key, "On team": "yes", **access_cells(drive, tid, email)}
            if units.name_fields.get(role.field) in unanswered:
                del desired[key]["Member"]   # the name's question is gone: keep what the cell says
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

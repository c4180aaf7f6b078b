"""The Roster and Members tabs in the plan: one row per team, one per person and role.

Pure. A team whose response is gone is marked withdrawn, never deleted; someone who left a
team keeps their row, marked, so the history stays.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from forms.model import CELL_LIMIT, Problem
from sheets import layout as L
from sheets.book import Tab

from sync.core.cells import local_time, member_key
from sync.core.drive_plan import NO_EMAIL, SHARED, DriveView
from sync.core.milestones import MilestonePlan
from sync.core.model import Team, UpdateRow
from sync.core.tables import SheetPlanner
from sync.core.units import UnitRules

ACTIVE = "active"
WITHDRAWN = "withdrawn"
ON_TEAM = "yes"
REMOVED = "removed"     # the Access of someone no longer on a unit who has no access to its folder
READER = "reader"       # ... who can view its folder but not change it


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
                drive: DriveView | None, milestones: MilestonePlan,
                extra: Mapping[str, Mapping[str, Any]] = {},
                keep: frozenset[str] = frozenset()) -> tuple[int, int, int, int]:
    """Roster rows of every unit, with `extra` cells by unit (its next meeting); returns
    (new, updated, unchanged, withdrawn). The rows of units in `keep` (held back from any
    change) stay as they are."""
    desired = {(tid,): roster_values(team, tz, units, unanswered) for tid, team in teams.items()}
    for (tid,), values in desired.items():
        if drive is not None and tid in drive.links:
            values[L.FOLDER] = drive.links[tid]
        values.update(milestones.roster.get(tid, {}))
        values.update(extra.get(tid, {}))
    added, updated = p.sync_table(L.ROSTER, desired, {(tid,): tid for tid in teams})
    tab, withdrawn = p.tab(L.ROSTER), 0
    for key, row in p.index(L.ROSTER).items():
        if key in desired or key[0] in keep or tab.value(row, L.TEAM_STATUS) == WITHDRAWN:
            continue
        p.actions.append(UpdateRow(L.ROSTER, key, ((L.TEAM_STATUS, tab.value(row, L.TEAM_STATUS), WITHDRAWN),),
                                   key[0]))
        withdrawn += 1
    return added, updated, len(teams) - added - updated, withdrawn


def plan_members(p: SheetPlanner, teams: Mapping[str, Team], units: UnitRules, unanswered: frozenset[str],
                 drive: DriveView | None, today: str, keep: frozenset[str] = frozenset()) -> None:
    """One row per person and role of every unit, each person once per unit; the rows of
    people no longer on it stay, saying since when and what folder access they have now.
    The rows of units in `keep` (held back from any change) stay as they are."""
    desired, team_of = current_members(teams, units, unanswered, drive)
    p.sync_table(L.MEMBERS, desired, team_of)
    tab = p.tab(L.MEMBERS)
    for key, row in p.index(L.MEMBERS).items():
        if key not in desired and key[0] not in keep:
            action = p.row_action(L.MEMBERS, key, former_member(tab, row, key, teams, units, drive, today), key[0])
            p.actions += [action] if action is not None else []


def current_members(teams: Mapping[str, Team], units: UnitRules, unanswered: frozenset[str],
                    drive: DriveView | None) -> tuple[dict[tuple, dict[str, Any]], dict[tuple, str]]:
    """The Members rows of everyone on a unit now, and the unit of each."""
    desired: dict[tuple, dict[str, Any]] = {}
    team_of: dict[tuple, str] = {}
    for tid, team in teams.items():
        unit_name = units.name(team)
        for role, person in units.people(team):
            email = person.email or ""
            key = member_key(tid, email, person.name)
            desired[key] = {L.TEAM_ID: tid, "Team name": unit_name, "Member": person.name, "Email": email,
                            "Role": role.key, "On team": ON_TEAM, **access_cells(drive, tid, email)}
            if units.name_fields.get(role.field) in unanswered:
                del desired[key]["Member"]   # the name's question is gone: keep what the cell says
            team_of[key] = tid
    return desired, team_of


def former_member(tab: Tab, row: int, key: tuple, teams: Mapping[str, Team], units: UnitRules,
                  drive: DriveView | None, today: str) -> dict[str, Any]:
    """The row of someone no longer on a unit: since when (the run that first saw it, kept
    after), the unit's current name while it goes on, and the folder access they have now."""
    tid, email = key[0], key[1]
    team = teams.get(tid)
    values: dict[str, Any] = {}
    if str(tab.value(row, "On team")).strip() in (ON_TEAM, ""):
        values["On team"] = f"removed {today}" if team else f"team withdrawn {today}"
    if team is not None:
        values["Team name"] = units.name(team)
    if drive is not None:
        values.update(former_access(drive, tid, email, "no longer on the team" if team else "team withdrawn"))
    return values


def former_access(drive: DriveView, tid: str, email: str, why: str) -> dict[str, str]:
    """What folder access someone no longer on a unit holds once the run is done."""
    role, by_sync = drive.held(tid, email)
    if not role:
        return {"Access": REMOVED, "Access detail": f"{why}: no access to the folder"}
    state = READER if role == "reader" else SHARED
    if not by_sync:
        return {"Access": state, "Access detail": f"{why}: {role} access given by hand, not by PLT Sync; "
                                                  "remove it in Drive if they should no longer see the folder"}
    if role == "reader":
        return {"Access": state, "Access detail": f"{why}: can view the folder, not change it"}
    return {"Access": state, "Access detail": f"{why}: keeps {role} access"}


def access_cells(drive: DriveView | None, tid: str, email: str) -> dict[str, str]:
    if drive is None:
        return {}
    if not email:
        return {"Access": NO_EMAIL, "Access detail": "add their email to the Staff tab or the form"}
    state, detail = drive.access.get((tid, email.lower()), ("", ""))
    return {"Access": state, "Access detail": detail}

"""Units' meetings: read from their `dates` answers, listed on the Meetings tab, the next
one shown on the roster.

Pure. Each meeting is plain data (`UnitMeeting`: the unit, a stable meeting key, local
start and end, the RRULE of a series, the people to invite) that Calendar sync can take
as it is. A meeting line that names no meeting is a Problems row quoting it; the unit's
other meetings go ahead. A meeting gone from a unit's answer keeps its row, marked
cancelled; the meetings of a withdrawn unit are marked withdrawn. Nothing is deleted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from forms.model import WARNING, Problem, quoted
from sheets import layout as L

from sync.core.meetings import Meeting, Year, meeting_keys, parse_meetings
from sync.core.model import Team, UpdateRow
from sync.core.tables import SheetPlanner
from sync.core.units import UnitRules

SCHEDULED, CANCELLED, WITHDRAWN = "scheduled", "cancelled", "withdrawn"
NEXT_MEETING = "Next meeting"


@dataclass(frozen=True)
class MeetingRules:
    """Which fields hold meeting dates, the school year a series runs in by default, and
    the roster columns the Meetings tab repeats to say whose meeting it is."""

    fields: tuple[str, ...]
    year: Year | None = None
    unit_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitMeeting:
    """One meeting (or series) of a unit: what the Meetings tab lists and Calendar sync
    puts on the programme calendar, once per `(unit_id, key)`."""

    unit_id: str
    key: str
    meeting: Meeting
    attendees: tuple[str, ...]      # the unit's people with an email, leader first

    @property
    def start(self) -> datetime:
        return self.meeting.start

    @property
    def end(self) -> datetime:
        return self.meeting.end

    @property
    def rule(self) -> str | None:
        return self.meeting.rule


def read_meetings(teams: Mapping[str, Team], units: UnitRules,
                  rules: MeetingRules) -> tuple[dict[str, tuple[UnitMeeting, ...]], list[Problem]]:
    """Every unit's meetings, by unit id, and a warning for each line that names none."""
    meetings: dict[str, tuple[UnitMeeting, ...]] = {}
    problems: list[Problem] = []
    for tid, team in teams.items():
        found: list[Meeting] = []
        for field in rules.fields:
            parsed, unreadable = parse_meetings(team.submission.values.get(field, ""), rules.year)
            found += parsed
            problems += [Problem(team.submission.response_id, field, bad.line,
                                 f"the meeting line {quoted(bad.line)} {bad.reason}; the {units.noun}'s other "
                                 "meetings go ahead", WARNING) for bad in unreadable]
        people = tuple(dict.fromkeys(m.email for _role, m in units.people(team) if m.email))
        meetings[tid] = tuple(UnitMeeting(tid, key, meeting, people)
                              for key, meeting in zip(meeting_keys(found), found))
    return meetings, problems


def next_meeting(meetings: tuple[UnitMeeting, ...], now: datetime) -> str:
    """The start of a unit's next meeting ("2017-09-26 15:30"), "" when none is left;
    `now` is local, naive."""
    starts = [s for s in (m.meeting.next_start(now) for m in meetings) if s is not None]
    return f"{min(starts):%Y-%m-%d %H:%M}" if starts else ""


def plan_meetings(p: SheetPlanner, teams: Mapping[str, Team], meetings: Mapping[str, tuple[UnitMeeting, ...]],
                  units: UnitRules, rules: MeetingRules, keep: frozenset[str] = frozenset()) -> None:
    """The Meetings tab's rows: every meeting of every unit, and those gone marked; those of
    units in `keep` (held back from any change) stay as they are."""
    desired: dict[tuple, dict[str, Any]] = {}
    for tid, team in teams.items():
        described = _unit_cells(team, units, rules)
        for found in meetings.get(tid, ()):
            desired[(tid, found.key)] = {L.UNIT_ID: tid, L.MEETING: found.key, **described,
                                         "Start": f"{found.start:%Y-%m-%d %H:%M}", "End": f"{found.end:%H:%M}",
                                         "Repeats": found.meeting.repeats, "Line": found.meeting.line,
                                         L.MEETING_STATUS: SCHEDULED}
    p.sync_table(L.MEETINGS, desired, {key: key[0] for key in desired})
    tab = p.tab(L.MEETINGS)
    for key, row in p.index(L.MEETINGS).items():
        status = CANCELLED if key[0] in teams else WITHDRAWN
        if key not in desired and key[0] not in keep and tab.value(row, L.MEETING_STATUS) == SCHEDULED:
            p.actions.append(UpdateRow(L.MEETINGS, key, ((L.MEETING_STATUS, SCHEDULED, status),), key[0]))


def _unit_cells(team: Team, units: UnitRules, rules: MeetingRules) -> dict[str, Any]:
    values = units.roster_values(team)
    return {"Unit": units.name(team), **{h: values.get(h, "") for h in rules.unit_columns}}

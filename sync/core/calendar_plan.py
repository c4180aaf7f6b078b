"""The programme calendar's events, planned: what to insert, patch and cancel. Pure.

Every meeting (a training session, a work group's meeting or series) has a stable key
saying what it stands for; its event id is derived from that key (base32hex of a hash,
as Calendar accepts), so the event is made exactly once whatever happens to a run: a
retried insert answers 409, which means "already there". An event PLT Sync made carries
the key in a private extended property; only such events are ever patched or cancelled,
so an event a coordinator adds to the calendar by hand is left alone.

Invitations go out only when something changed for the people invited: a new event
with attendees, a new time, title or repetition, people added or removed, a cancelled
event. An event nobody is invited to is written with sendUpdates "none", and a run
where nothing changed makes no Calendar call at all. Attendees come only from the
programme's allowed domains; anyone else is left out and counted.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from calendars.model import MEETING_PROPERTY, CalendarEvent, EventChange

from sync.core.model import Team
from sync.core.units import UnitRules

EVENT_ID_LENGTH = 32   # 160 bits of the hash: base32hex, within Calendar's 5 to 1,024 characters


@dataclass(frozen=True)
class CalendarMeeting:
    """One event to hold on the programme calendar: a single meeting or a repeating series.

    `key` says what it stands for and never changes for the same meeting ("session/…",
    a unit id and its meeting); `start` and `end` are local times in the programme's time
    zone (naive); `rrule` is an RFC 5545 RRULE line ("RRULE:FREQ=WEEKLY;…") for a series."""

    key: str
    title: str
    start: datetime
    end: datetime
    rrule: str | None = None
    attendees: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionRule:
    """A fixed session of `[[calendar.session]]`."""

    key: str
    title: str
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class InviteRule:
    """Who is invited to the sessions: the people of `role` in units whose `field` answer
    is one of `answers` (Belmont: facilitators enrolled in the training course)."""

    role: str
    field: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class CalendarRules:
    calendar_id: str
    time_zone: str
    allowed_domains: tuple[str, ...]
    send_updates: str = "all"               # sendUpdates when something changed for people
    sessions: tuple[SessionRule, ...] = ()
    invite: InviteRule | None = None
    unit_meetings: bool = False             # each unit's meetings (its dates field) go on the calendar too


@dataclass(frozen=True)
class CalendarPlan:
    changes: tuple[EventChange, ...] = ()
    unchanged: int = 0
    blocked: tuple[str, ...] = field(default=())   # invitees left out: outside the allowed domains


def event_id(key: str) -> str:
    """The event id of the meeting `key`: base32hex (0-9, a-v) of its SHA-256, lower-cased."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b32hexencode(digest).decode("ascii").lower()[:EVENT_ID_LENGTH]


def session_meetings(rules: CalendarRules, teams: Mapping[str, Team], units: UnitRules) -> list[CalendarMeeting]:
    """The fixed sessions, each inviting everyone the invitation rule names."""
    invited = tuple(invitees(rules.invite, teams, units)) if rules.invite else ()
    return [CalendarMeeting(f"session/{s.key}", s.title, datetime.combine(s.day, s.start),
                            datetime.combine(s.day, s.end), None, invited) for s in rules.sessions]


def unit_meetings(meetings: Mapping[str, Sequence], teams: Mapping[str, Team],
                  units: UnitRules) -> list[CalendarMeeting]:
    """Every live unit's meetings (each with `key`, `start`, `end`, `rule` and `attendees`,
    as sync.core.meetings_plan reads them), titled by the unit, inviting its people."""
    out = []
    for tid in sorted(meetings):
        if tid not in teams:
            continue
        name = units.name(teams[tid])
        out += [CalendarMeeting(f"{tid}/{m.key}", f"{name} meeting", m.start, m.end, m.rule, tuple(m.attendees))
                for m in meetings[tid]]
    return out


def invitees(rule: InviteRule, teams: Mapping[str, Team], units: UnitRules) -> list[str]:
    """The emails of `rule.role`'s people in every unit whose answer qualifies, each once."""
    found: dict[str, None] = {}
    for tid in sorted(teams):
        team = teams[tid]
        if team.submission.values.get(rule.field, "").strip() not in rule.answers:
            continue
        for role, member in units.people(team):
            if role.key == rule.role and member.email:
                found.setdefault(member.email.lower())
    return list(found)


def plan_events(meetings: Sequence[CalendarMeeting], events: Mapping[str, CalendarEvent],
                rules: CalendarRules) -> CalendarPlan:
    """The changes that make the calendar hold exactly `meetings`, each once."""
    changes: list[EventChange] = []
    blocked: dict[str, None] = {}
    unchanged = 0
    wanted: set[str] = set()
    for meeting in meetings:
        people = [email for email in dict.fromkeys(a.lower() for a in meeting.attendees)
                  if _allowed(email, rules.allowed_domains) or blocked.setdefault(email)]
        eid = event_id(meeting.key)
        wanted.add(eid)
        change = _change(meeting, people, events.get(eid), eid, rules)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    changes += [_cancel(event, rules) for eid, event in sorted(events.items())
                if eid not in wanted and event.meeting_key and not event.cancelled]
    return CalendarPlan(tuple(changes), unchanged, tuple(blocked))


def _allowed(email: str, domains: Iterable[str]) -> bool:
    return email.rsplit("@", 1)[-1] in {d.lower() for d in domains}


def _change(meeting: CalendarMeeting, people: list[str], event: CalendarEvent | None, eid: str,
            rules: CalendarRules) -> EventChange | None:
    body = _body(meeting, people, rules.time_zone)
    notify = rules.send_updates if people else "none"
    if event is None:
        return EventChange("insert", eid, meeting.key, meeting.title, {"id": eid, **body}, notify)
    if event.cancelled:
        # The id stays taken at Google: a meeting planned again is its old event restored.
        return EventChange("patch", eid, meeting.key, meeting.title, {**body, "status": "confirmed"}, notify)
    differs = _differences(meeting, people, event, rules.time_zone)
    if not differs:
        return None
    patch = {name: body[name] for name in differs}
    seen_by_people = bool(set(people) | event.attendees)
    return EventChange("patch", eid, meeting.key, meeting.title, patch,
                       rules.send_updates if seen_by_people else "none")


def _body(meeting: CalendarMeeting, people: list[str], time_zone: str) -> dict:
    zone = ZoneInfo(time_zone)
    body = {"summary": meeting.title,
            "start": {"dateTime": meeting.start.replace(tzinfo=zone).isoformat(), "timeZone": time_zone},
            "end": {"dateTime": meeting.end.replace(tzinfo=zone).isoformat(), "timeZone": time_zone},
            "recurrence": [google_rrule(meeting.rrule, zone)] if meeting.rrule else [],
            "attendees": [{"email": email} for email in people],
            "extendedProperties": {"private": {MEETING_PROPERTY: meeting.key}}}
    return body


def _differences(meeting: CalendarMeeting, people: list[str], event: CalendarEvent, time_zone: str) -> list[str]:
    """The fields of the event that differ from the meeting (times compared as instants)."""
    zone = ZoneInfo(time_zone)
    out = []
    if event.summary != meeting.title:
        out.append("summary")
    if event.start != meeting.start.replace(tzinfo=zone):
        out.append("start")
    if event.end != meeting.end.replace(tzinfo=zone):
        out.append("end")
    if "start" in out or "end" in out:   # both go together: Calendar checks the end against the start
        out = [name for name in out if name not in ("start", "end")] + ["start", "end"]
    if event.recurrence != ((google_rrule(meeting.rrule, zone),) if meeting.rrule else ()):
        out.append("recurrence")
    if event.attendees != frozenset(people):
        out.append("attendees")
    return out


def google_rrule(rule: str, zone: ZoneInfo) -> str:
    """An RRULE as Calendar wants it: RFC 5545 asks an UNTIL of a series with a time zone to
    be in UTC, so a local "UNTIL=20180515T235959" becomes "UNTIL=20180516T035959Z"."""
    parts = rule.removeprefix("RRULE:").split(";")
    for index, part in enumerate(parts):
        name, _, value = part.partition("=")
        if name == "UNTIL" and "T" in value and not value.endswith("Z"):
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
            parts[index] = "UNTIL=" + local.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return "RRULE:" + ";".join(parts)


def _cancel(event: CalendarEvent, rules: CalendarRules) -> EventChange:
    notify = rules.send_updates if event.attendees else "none"
    return EventChange("cancel", event.event_id, event.meeting_key or "", event.summary, {}, notify)

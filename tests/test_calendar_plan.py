"""Planning the programme calendar's events (pure): deterministic ids, patches of only what
changed, invitations only for the people something changed for, attendees only from the
allowed domains. Any meeting list goes through the same seam (`plan_events`)."""
from __future__ import annotations

import re
from datetime import datetime

from calendars.model import CalendarEvent
from sync.core.calendar_plan import CalendarMeeting, CalendarRules, event_id, plan_events

TZ = "America/New_York"
RULES = CalendarRules("cal@group.calendar.google.com", TZ, ("belmont.example.org",))
ANA, BEN = "ana.lopez@belmont.example.org", "ben.okafor@belmont.example.org"


def meeting(key="session/2017-10-16", start="2017-10-16 15:30", end="2017-10-16 17:30", rrule=None,
            attendees=(ANA,), title="PLT facilitator training, session 1"):
    return CalendarMeeting(key, title, datetime.fromisoformat(start), datetime.fromisoformat(end), rrule, attendees)


def held(m: CalendarMeeting, *, attendees=None, cancelled=False, start=None, mine=True) -> CalendarEvent:
    """The event Calendar holds for `m` (as Google answers it: times in UTC)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(TZ)
    begin = (start or m.start).replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
    return CalendarEvent(event_id(m.key), m.key if mine else None, cancelled, m.title, begin,
                         m.end.replace(tzinfo=zone), ((m.rrule,) if m.rrule else ()),
                         frozenset(attendees if attendees is not None else m.attendees))


def test_event_ids_are_base32hex_stable_and_distinct():
    ids = {event_id(f"session/2017-10-{day:02d}") for day in range(1, 31)}
    assert len(ids) == 30
    assert all(re.fullmatch(r"[0-9a-v]{32}", i) for i in ids)
    assert event_id("CWG-3f9a1c/2") == event_id("CWG-3f9a1c/2")


def test_a_new_meeting_is_inserted_under_its_id_inviting_its_people():
    (change,) = plan_events([meeting()], {}, RULES).changes
    assert (change.kind, change.event_id, change.send_updates) == ("insert", event_id("session/2017-10-16"), "all")
    assert change.body["start"] == {"dateTime": "2017-10-16T15:30:00-04:00", "timeZone": TZ}
    assert change.body["attendees"] == [{"email": ANA}]
    assert change.body["extendedProperties"] == {"private": {"plt_meeting": "session/2017-10-16"}}


def test_a_meeting_nobody_is_invited_to_sends_nothing():
    (change,) = plan_events([meeting(attendees=())], {}, RULES).changes
    assert change.send_updates == "none"


def test_an_unchanged_meeting_plans_nothing_even_when_google_answers_in_utc():
    m = meeting()
    plan = plan_events([m], {event_id(m.key): held(m)}, RULES)
    assert plan.changes == () and plan.unchanged == 1


def test_a_new_time_patches_start_and_end_only():
    m = meeting(start="2017-10-16 16:00", end="2017-10-16 18:00")
    (change,) = plan_events([m], {event_id(m.key): held(meeting())}, RULES).changes
    assert change.kind == "patch" and set(change.body) == {"start", "end"} and change.send_updates == "all"


def test_a_new_attendee_patches_the_attendees():
    m = meeting(attendees=(ANA, BEN))
    (change,) = plan_events([m], {event_id(m.key): held(m, attendees={ANA})}, RULES).changes
    assert change.body == {"attendees": [{"email": ANA}, {"email": BEN}]}


def test_a_cancelled_event_planned_again_is_restored_not_inserted():
    m = meeting()
    (change,) = plan_events([m], {event_id(m.key): held(m, cancelled=True)}, RULES).changes
    assert change.kind == "patch" and change.body["status"] == "confirmed"


def test_an_event_no_meeting_stands_for_is_cancelled_unless_made_by_hand():
    gone, by_hand = meeting(key="session/2018-03-19"), meeting(key="lunch")
    plan = plan_events([], {event_id(gone.key): held(gone), event_id(by_hand.key): held(by_hand, mine=False)}, RULES)
    assert [(c.kind, c.event_id) for c in plan.changes] == [("cancel", event_id(gone.key))]


def test_people_outside_the_allowed_domains_are_never_invited():
    m = meeting(attendees=(ANA, "friend@gmail.example.com", "ANA.LOPEZ@belmont.example.org"))
    plan = plan_events([m], {}, RULES)
    assert plan.changes[0].body["attendees"] == [{"email": ANA}]
    assert plan.blocked == ("friend@gmail.example.com",)


def test_a_series_carries_its_rrule():
    rule = "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180516T035959Z"
    (change,) = plan_events([meeting(key="CWG-1/1", rrule=rule)], {}, RULES).changes
    assert change.body["recurrence"] == [rule]


def test_a_local_until_is_sent_in_utc_as_rfc_5545_asks():
    local = "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180515T235959"
    (change,) = plan_events([meeting(key="CWG-1/1", rrule=local)], {}, RULES).changes
    assert change.body["recurrence"] == ["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180516T035959Z"]
    m = meeting(key="CWG-1/1", rrule=local)
    held_series = CalendarEvent(event_id(m.key), m.key, False, m.title, held(m).start, held(m).end,
                                ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180516T035959Z",), frozenset(m.attendees))
    assert plan_events([m], {event_id(m.key): held_series}, RULES).changes == ()


def test_a_units_meetings_become_events_titled_by_the_unit_inviting_its_people():
    from types import SimpleNamespace

    from forms.model import Member, Submission
    from sync.core.calendar_plan import unit_meetings
    from sync.core.model import Team
    from sync.core.units import RoleRule, UnitRules

    units = UnitRules("work group", "work groups", "CWG", ("school", "n"), frozenset({"leader"}), "{school} CWG #{n}",
                      "school", (RoleRule("leader", "leader", "writer", "to"),), (), {})
    sub = Submission("r1", datetime(2017, 9, 1), {"school": "Jefferson", "n": "2"},
                     {"leader": (Member("Ana Lopez", ANA),)})
    teams = {"CWG-1": Team("CWG-1", "k", sub)}
    found = SimpleNamespace(key="20170912r", start=datetime(2017, 9, 12, 15, 30), end=datetime(2017, 9, 12, 16, 15),
                            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20180515T235959", attendees=(ANA,))
    gone = SimpleNamespace(**{**found.__dict__, "key": "20170913"})
    (made,) = unit_meetings({"CWG-1": (found,), "CWG-9": (gone,)}, teams, units)
    assert (made.key, made.title, made.attendees) == ("CWG-1/20170912r", "Jefferson CWG #2 meeting", (ANA,))

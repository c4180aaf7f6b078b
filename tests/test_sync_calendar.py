"""Belmont's facilitator training course on the programme calendar through `plt sync`, on the
emulator: six sessions, each made exactly once whatever Google does to the answers, every
enrolled facilitator invited, updates sent only to the people something changed for, and a
quiet run that writes nothing to Calendar."""
from __future__ import annotations

from datetime import datetime

import pytest
import requests

from calendars.events import list_events
from programme import DOMAIN, Programme, at

SESSION_DAYS = ["2017-10-16", "2017-11-13", "2017-12-04", "2018-01-08", "2018-02-05", "2018-03-19"]
EXEMPTION = "Requesting an exemption"


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")


def events(programme) -> dict:
    found, _calls = list_events(programme.workspace().calendar, programme.settings().calendar.id)
    return found


def live(programme) -> dict:
    return {eid: e for eid, e in events(programme).items() if not e.cancelled}


def notifications(programme) -> list[dict]:
    return requests.get(f"{programme.endpoint}/_emulator/calendar", timeout=30).json()["notifications"]


def calendar_writes(report) -> int:
    by_method = report.api_calls["by_method"]
    return sum(n for method, n in by_method.items()
               if method.startswith("calendar.") and not method.endswith((".list", ".get")))


def calendar_calls(report) -> dict[str, int]:
    return {m: n for m, n in report.api_calls["by_method"].items() if m.startswith("calendar.")}


def faults(programme, **rule) -> None:
    requests.post(f"{programme.endpoint}/_emulator/faults", json=rule, timeout=30).raise_for_status()


def enrol_two(programme) -> None:
    programme.submit("Ana", "Lopez")
    programme.submit("Ben", "Okafor", training=EXEMPTION)


def test_plt_init_creates_the_programme_calendar_and_writes_its_id_back(programme):
    settings = programme.settings()
    assert settings.calendar.id.endswith("@group.calendar.google.com")
    assert f'id = "{settings.calendar.id}"' in programme.config_path.read_text(encoding="utf-8")
    calendar = programme.workspace().calendar.calendars().get(calendarId=settings.calendar.id).execute()
    assert calendar["summary"] == "Belmont PLT facilitator training 2017-2018"


def test_six_sessions_invite_only_the_facilitators_enrolled_in_the_course(programme):
    enrol_two(programme)
    report = programme.sync(at("2017-10-03 06:00"))
    made = live(programme)
    assert report.events["created"] == 6 and len(made) == 6
    starts = sorted(e.start for e in made.values())
    assert [s.date().isoformat() for s in starts] == SESSION_DAYS
    for event in made.values():
        local = (event.start.astimezone(at("2017-10-16 00:00").tzinfo), event.end.astimezone(at("2017-10-16 00:00").tzinfo))
        assert (local[0].strftime("%H:%M"), local[1].strftime("%H:%M")) == ("15:30", "17:30")
        assert event.attendees == {f"ana.lopez@{DOMAIN}"}
    assert {n["action"] for n in notifications(programme)} == {"created"}


def test_a_quiet_rerun_makes_no_calendar_write_and_sends_no_update(programme):
    enrol_two(programme)
    programme.sync(at("2017-10-03 06:00"))
    sent = len(notifications(programme))
    quiet = programme.sync(at("2017-10-03 07:00"))
    assert calendar_writes(quiet) == 0 and quiet.api_calls["by_method"]["calendar.events.list"] == 1
    assert quiet.api_calls["write"] == 1 and quiet.events["unchanged"] == 6
    assert len(notifications(programme)) == sent


@pytest.mark.parametrize("kind", ["commit_then_fail", "reset"])
def test_an_insert_whose_answer_is_lost_makes_each_session_exactly_once(programme, kind):
    enrol_two(programme)
    faults(programme, kinds=[kind], count=4, methods=["calendar.events.insert"])
    first = programme.sync(at("2017-10-03 06:00"))
    assert first.exit_code == 0 and first.events["created"] == 6
    again = programme.sync(at("2017-10-03 07:00"))
    assert calendar_writes(again) == 0
    everything = events(programme)
    assert len(everything) == 6 and all(not e.cancelled for e in everything.values())
    invitations = [n for n in notifications(programme) if n["action"] == "created"]
    assert len(invitations) == 6


def test_a_calendar_that_keeps_failing_is_reported_and_made_by_the_next_run(programme):
    enrol_two(programme)
    faults(programme, kinds=[503], count=30, methods=["calendar.events.insert"])   # every try of all six
    first = programme.sync(at("2017-10-03 06:00"))
    assert first.exit_code == 1 and any(f.startswith("calendar: insert") for f in first.failures)
    second = programme.sync(at("2017-10-03 07:00"))
    assert second.exit_code == 0 and len(live(programme)) == 6


def test_a_facilitator_who_leaves_the_course_is_patched_out_and_only_they_hear_of_it(programme):
    enrol_two(programme)
    programme.sync(at("2017-10-03 06:00"))
    ids = set(live(programme))
    programme.submit("Ben", "Okafor", training="Enrolled in the facilitator training course",
                     submitted="2017-10-04T14:00:00Z")
    programme.submit("Ana", "Lopez", training=EXEMPTION, submitted="2017-10-04T14:00:00Z")
    before = len(notifications(programme))
    report = programme.sync(at("2017-10-05 06:00"))
    assert report.events == {"created": 0, "updated": 6, "cancelled": 0, "unchanged": 0, "blocked": 0}
    assert set(live(programme)) == ids
    assert all(e.attendees == {f"ben.okafor@{DOMAIN}"} for e in live(programme).values())
    updates = notifications(programme)[before:]
    assert {tuple(n["recipients"]) for n in updates} == {(f"ana.lopez@{DOMAIN}", f"ben.okafor@{DOMAIN}")}


def test_a_new_enrolment_invites_only_the_newcomer(programme):
    programme.submit("Ana", "Lopez")
    programme.sync(at("2017-10-03 06:00"))
    before = len(notifications(programme))
    programme.submit("Cy", "Diaz")
    programme.sync(at("2017-10-04 06:00"))
    updates = notifications(programme)[before:]
    assert len(updates) == 6 and {tuple(n["recipients"]) for n in updates} == {(f"cy.diaz@{DOMAIN}",)}


def edit_config(programme, old: str, new: str) -> None:
    text = programme.config_path.read_text(encoding="utf-8")
    assert old in text
    programme.config_path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_session_moved_to_a_later_hour_is_patched_not_made_again(programme):
    enrol_two(programme)
    programme.sync(at("2017-10-03 06:00"))
    edit_config(programme, 'date = 2017-12-04\nstart = "15:30"\nend = "17:30"',
                'date = 2017-12-04\nstart = "16:00"\nend = "18:00"')
    report = programme.sync(at("2017-10-04 06:00"))
    assert report.events["updated"] == 1 and report.events["created"] == 0
    assert calendar_calls(report) == {"calendar.events.list": 1, "calendar.batch": 1}
    (moved,) = [e for e in live(programme).values() if e.start.date().isoformat() == "2017-12-04"]
    assert moved.start == datetime.fromisoformat("2017-12-04T16:00:00-05:00")
    assert len(events(programme)) == 6


def test_a_session_taken_out_is_cancelled_and_put_back_restores_its_event(programme):
    enrol_two(programme)
    programme.sync(at("2017-10-03 06:00"))
    original = programme.config_path.read_text(encoding="utf-8")
    start = original.index("# Training session 6")
    edit_config(programme, original[start:original.index("[mail]")], "")
    report = programme.sync(at("2017-10-04 06:00"))
    assert report.events["cancelled"] == 1 and len(live(programme)) == 5
    assert notifications(programme)[-1]["action"] == "cancelled"
    programme.config_path.write_text(original, encoding="utf-8")
    back = programme.sync(at("2017-10-05 06:00"))
    assert back.events["updated"] == 1 and back.events["created"] == 0
    assert len(live(programme)) == 6 and len(events(programme)) == 6


def test_an_event_a_coordinator_adds_by_hand_is_left_alone(programme):
    enrol_two(programme)
    programme.sync(at("2017-10-03 06:00"))
    calendar_id = programme.settings().calendar.id
    programme.workspace().calendar.events().insert(calendarId=calendar_id, body={
        "summary": "Facilitators' lunch", "start": {"dateTime": "2017-10-20T12:00:00-04:00"},
        "end": {"dateTime": "2017-10-20T13:00:00-04:00"}}).execute()
    report = programme.sync(at("2017-10-04 06:00"))
    assert calendar_writes(report) == 0 and len(live(programme)) == 7


def test_every_attendee_is_in_an_allowed_domain(programme):
    enrol_two(programme)
    programme.submit("Di", "Evans")
    programme.sync(at("2017-10-03 06:00"))
    allowed = set(programme.settings().drive.allowed_domains)
    attendees = {a for e in events(programme).values() for a in e.attendees}
    assert attendees and all(a.rsplit("@", 1)[1] in allowed for a in attendees)


def test_a_dry_run_shows_the_sessions_it_would_make_and_writes_nothing(programme):
    enrol_two(programme)
    report = programme.sync(at("2017-10-03 06:00"), dry_run=True)
    planned = [a for a in report.actions if a["action"] == "CalendarInsert"]
    assert len(planned) == 6 and all(f"ana.lopez@{DOMAIN}" in a["describe"] for a in planned)
    assert events(programme) == {}



def test_calendar_calls_against_the_lower_bound(programme):
    """First sync: one events.list and one batch of the six inserts, as the bound; a quiet
    re-run: the one events.list, as the bound."""
    from benchmarks.bounds import Work, lower_bound

    enrol_two(programme)
    first = programme.sync(at("2017-10-03 06:00"))
    bound = lower_bound(Work(2, 0, 2, 0, calendar_events=0, event_changes=6))
    assert calendar_calls(first) == {"calendar.events.list": 1, "calendar.batch": 1}
    assert (bound["events.list"], bound["calendar batches"]) == (1, 1)
    quiet = programme.sync(at("2017-10-03 07:00"))
    bound = lower_bound(Work(2, 2, calendar_events=6, event_changes=0))
    assert calendar_calls(quiet) == {"calendar.events.list": 1}
    assert (bound["events.list"], bound["calendar batches"]) == (1, 0)


def test_the_hostile_corpus_invites_only_enrolled_facilitators_of_allowed_domains_once_each(programme):
    """Every hostile answer of tests/hostile_corpus.py, each from its own facilitator
    enrolled in the course: the sessions invite exactly the facilitators of the teams the
    roster holds whose address is in the allowed domains (a look-alike domain included
    among those left out), and a second run changes nothing."""
    from hostile_corpus import CORPUS
    from test_hostile_corpus import submit

    for entry in CORPUS:
        submit(programme, entry)
    first = programme.sync(at("2017-10-03 06:00"))
    on_roster = {r["Facilitator email"].lower() for r in programme.records("Roster") if r["Team status"] == "active"}
    made = live(programme)
    assert first.events["created"] == 6 and len(events(programme)) == 6
    allowed = set(programme.settings().drive.allowed_domains)
    inside = {email for email in on_roster if email.rsplit("@", 1)[1] in allowed}
    assert {"e-outside@gmail.example", "e-lookalike@belmont.example.org.evil.example"} <= on_roster - inside
    assert first.events["blocked"] == len(on_roster - inside)
    assert all(event.attendees == inside for event in made.values())
    again = programme.sync(at("2017-10-03 07:00"))
    assert calendar_writes(again) == 0

"""South Dakota's work-group meetings on the programme calendar, through the season of
`plt demo --programme south-dakota`: one event per meeting or series, made once; Jefferson's
resubmitted plan patches the two groups a member moved between, cancels the dropped meeting
and the given-up group's series, and tells only the people concerned; quiet re-runs make
no Calendar write."""
from __future__ import annotations

import pytest
import requests

from calendars.events import list_events
from config.load import load_settings
from emulator.server import EmulatorServer
from sync.commands.demo import run_demo
from sync.commands.demo_south_dakota import DOMAIN, JEFFERSON
from sync.google.workspace import SCOPES, connect

GIL = f"gil.ives@{DOMAIN}"


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("south-dakota-calendar")
    result = run_demo(folder, "south-dakota")
    with EmulatorServer(data=str(folder / "emulator.sqlite"), scopes=SCOPES) as server:
        settings = load_settings(folder / "plt.toml", {"PLT_GOOGLE_ENDPOINT": server.url})
        events, _calls = list_events(connect(None, server.url).calendar, settings.calendar.id)
        admin = requests.get(f"{server.url}/_emulator/calendar", timeout=30).json()
    return result, events, admin


def calendar_calls(report) -> dict[str, int]:
    return {m: n for m, n in report.api_calls["by_method"].items() if m.startswith("calendar.")}


def test_every_meeting_is_one_event_made_once_and_quiet_reruns_write_nothing(season):
    result, events, _admin = season
    first, quiet, changed, quiet_again = result.reports
    assert first.events["created"] == len(events) == 27
    assert calendar_calls(quiet) == calendar_calls(quiet_again) == {"calendar.events.list": 1}
    assert (changed.events["updated"], changed.events["cancelled"], changed.events["created"]) == (2, 2, 0)


def test_series_carry_their_rrule_and_every_attendee_is_in_the_districts_domain(season):
    _result, events, _admin = season
    series = [e for e in events.values() if e.recurrence]
    assert series and all(e.recurrence[0].startswith("RRULE:FREQ=") and "Z" in e.recurrence[0] for e in series)
    attendees = {a for e in events.values() for a in e.attendees}
    assert attendees and all(a.endswith("@" + DOMAIN) for a in attendees)


def test_the_moved_member_leaves_one_groups_events_and_joins_the_others(season):
    _result, events, _admin = season
    titles = {e.summary for e in events.values() if GIL in e.attendees and not e.cancelled}
    assert titles == {f"{JEFFERSON} CWG #2 meeting"}


def test_the_dropped_meeting_and_the_given_up_groups_events_are_cancelled(season):
    _result, events, _admin = season
    cancelled = sorted(e.summary for e in events.values() if e.cancelled)
    assert cancelled == [f"{JEFFERSON} CWG #3 meeting", f"{JEFFERSON} CWG #4 meeting"]


def test_updates_go_only_to_the_people_something_changed_for(season):
    _result, _events, admin = season
    later = [n for n in admin["notifications"] if n["action"] != "created"]
    patched = [n for n in later if n["action"] == "updated"]
    assert patched and all(n["recipients"] == [GIL] for n in patched)
    assert {n["action"] for n in later} == {"updated", "cancelled"}

"""Calendar v3 in the emulator, through google-api-python-client built from its packaged
calendar.v3 discovery document: the programme calendar, its training sessions and meetings
created once under client-chosen ids, read back page by page, moved, cancelled, and the
invitations Google would have emailed. Every answer is checked against the discovery
schema (the `endpoint` fixture validates responses) under the scopes PLT Sync asks for."""
import json
import urllib.request

import pytest
from googleapiclient.errors import HttpError

from emulator.schema import check
from sync.google.workspace import connect

TZ = "America/New_York"


@pytest.fixture
def calendar(endpoint):
    return connect(None, endpoint).calendar


@pytest.fixture
def programme(calendar):
    return calendar.calendars().insert(body={"summary": "PLT facilitator training", "timeZone": TZ}).execute()


def _session(event_id="oct16training0", day="2017-10-16", attendees=("ann.lee@belmont.example.org",), **extra):
    return {"id": event_id, "summary": "Facilitator training", "start": {"dateTime": f"{day}T15:30:00-04:00",
                                                                       "timeZone": TZ},
            "end": {"dateTime": f"{day}T17:30:00-04:00", "timeZone": TZ},
            "attendees": [{"email": email} for email in attendees], **extra}


def _error(request):
    with pytest.raises(HttpError) as caught:
        request.execute()
    body = json.loads(caught.value.content)["error"]
    return caught.value.resp.status, body["errors"][0]["reason"], body


def _admin(endpoint):
    with urllib.request.urlopen(endpoint + "/_emulator/calendar") as answer:
        return json.loads(answer.read())


def test_plt_init_creates_a_secondary_calendar_it_can_read_back(calendar, programme):
    assert programme["id"].endswith("@group.calendar.google.com")
    assert programme["kind"] == "calendar#calendar" and programme["timeZone"] == TZ
    assert calendar.calendars().get(calendarId=programme["id"]).execute()["summary"] == "PLT facilitator training"


def test_a_calendar_needs_a_title(calendar):
    status, reason, _ = _error(calendar.calendars().insert(body={"timeZone": TZ}))
    assert (status, reason) == (400, "required")


def test_app_created_scope_does_not_reach_the_accounts_own_calendar(calendar):
    status, _, _ = _error(calendar.events().list(calendarId="primary"))
    assert status == 404


def test_event_keeps_its_client_chosen_id_attendees_and_recurrence(calendar, programme):
    body = _session(recurrence=["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180515T235959Z"])
    made = calendar.events().insert(calendarId=programme["id"], body=body).execute()
    assert made["id"] == "oct16training0" and made["status"] == "confirmed"
    assert made["iCalUID"] == "oct16training0@google.com"
    assert made["attendees"] == [{"email": "ann.lee@belmont.example.org", "responseStatus": "needsAction"}]
    read = calendar.events().get(calendarId=programme["id"], eventId="oct16training0").execute()
    assert read["recurrence"] == body["recurrence"] and read["start"] == body["start"]
    assert read["organizer"] == {"email": programme["id"], "displayName": "PLT facilitator training", "self": True}


@pytest.mark.parametrize("event_id", ["abc", "UPPERCASE123", "has-dash-in-it", "wxyz0123", "x" * 1025])
def test_an_event_id_outside_base32hex_is_refused(calendar, programme, event_id):
    status, reason, _ = _error(calendar.events().insert(calendarId=programme["id"], body=_session(event_id)))
    assert (status, reason) == (400, "invalid")


def test_inserting_an_id_again_answers_409_and_changes_nothing(calendar, programme):
    calendar.events().insert(calendarId=programme["id"], body=_session()).execute()
    status, reason, body = _error(calendar.events().insert(calendarId=programme["id"],
                                                           body=_session(day="2017-10-17")))
    assert (status, reason) == (409, "duplicate") and body["status"] == "ALREADY_EXISTS"
    kept = calendar.events().get(calendarId=programme["id"], eventId="oct16training0").execute()
    assert kept["start"]["dateTime"].startswith("2017-10-16")


def test_a_deleted_id_stays_reserved(calendar, programme):
    calendar.events().insert(calendarId=programme["id"], body=_session()).execute()
    calendar.events().delete(calendarId=programme["id"], eventId="oct16training0").execute()
    assert calendar.events().get(calendarId=programme["id"], eventId="oct16training0").execute()["status"] == \
        "cancelled"
    status, reason, _ = _error(calendar.events().insert(calendarId=programme["id"], body=_session()))
    assert (status, reason) == (409, "duplicate")
    status, reason, _ = _error(calendar.events().delete(calendarId=programme["id"], eventId="oct16training0"))
    assert (status, reason) == (410, "deleted")


def test_times_are_checked(calendar, programme):
    no_end = {**_session(), "end": None}
    assert _error(calendar.events().insert(calendarId=programme["id"], body=no_end))[:2] == (400, "required")
    backwards = {**_session(), "end": {"dateTime": "2017-10-16T14:00:00-04:00"}}
    assert _error(calendar.events().insert(calendarId=programme["id"], body=backwards))[:2] == \
        (400, "timeRangeEmpty")
    zoneless = {**_session(), "start": {"dateTime": "2017-10-16T15:30:00-04:00"},
                "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"]}
    assert _error(calendar.events().insert(calendarId=programme["id"], body=zoneless))[:2] == (400, "required")


def test_patch_moves_a_session_and_bumps_its_sequence(calendar, programme):
    calendar.events().insert(calendarId=programme["id"], body=_session()).execute()
    moved = calendar.events().patch(calendarId=programme["id"], eventId="oct16training0", body={
        "start": {"dateTime": "2017-10-16T16:00:00-04:00", "timeZone": TZ},
        "end": {"dateTime": "2017-10-16T18:00:00-04:00", "timeZone": TZ}}).execute()
    assert moved["sequence"] == 1 and moved["summary"] == "Facilitator training"
    renamed = calendar.events().patch(calendarId=programme["id"], eventId="oct16training0",
                                      body={"summary": "Facilitator training, session 1"}).execute()
    assert renamed["sequence"] == 1


def test_patch_of_an_unknown_event_is_not_found(calendar, programme):
    status, reason, _ = _error(calendar.events().patch(calendarId=programme["id"], eventId="nosuchevent",
                                                       body={"summary": "x"}))
    assert (status, reason) == (404, "notFound")


def test_list_pages_through_every_event(calendar, programme):
    for n in range(7):
        calendar.events().insert(calendarId=programme["id"], body=_session(f"session{n:03d}")).execute()
    ids, token, pages = [], None, 0
    while True:
        page = calendar.events().list(calendarId=programme["id"], maxResults=3, pageToken=token).execute()
        ids += [event["id"] for event in page["items"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            assert "nextSyncToken" in page
            break
    assert pages == 3 and sorted(ids) == [f"session{n:03d}" for n in range(7)]


def test_list_filters_by_ical_uid_and_hides_deleted_unless_asked(calendar, programme):
    events = calendar.events()
    events.insert(calendarId=programme["id"], body=_session("keptevent")).execute()
    events.insert(calendarId=programme["id"], body=_session("goneevent")).execute()
    events.delete(calendarId=programme["id"], eventId="goneevent").execute()
    assert [e["id"] for e in events.list(calendarId=programme["id"]).execute()["items"]] == ["keptevent"]
    shown = events.list(calendarId=programme["id"], showDeleted=True).execute()["items"]
    assert {e["id"]: e["status"] for e in shown} == {"keptevent": "confirmed", "goneevent": "cancelled"}
    by_uid = events.list(calendarId=programme["id"], iCalUID="goneevent@google.com", showDeleted=True).execute()
    assert [e["id"] for e in by_uid["items"]] == ["goneevent"]


def test_updated_min_lists_changes_since_deleted_ones_included(emulator_server, calendar, programme):
    from datetime import datetime, timedelta, timezone

    moments = iter([datetime(2017, 10, 1, tzinfo=timezone.utc) + timedelta(hours=h) for h in range(100)])
    emulator_server.emulator.clock = lambda: next(moments)
    events = calendar.events()
    events.insert(calendarId=programme["id"], body=_session("oldevent")).execute()       # 00:00
    events.insert(calendarId=programme["id"], body=_session("gonelater")).execute()      # 01:00
    events.delete(calendarId=programme["id"], eventId="gonelater").execute()             # 02:00
    changed = events.list(calendarId=programme["id"], updatedMin="2017-10-01T01:30:00Z").execute()["items"]
    assert [(e["id"], e["status"]) for e in changed] == [("gonelater", "cancelled")]


def test_send_updates_is_recorded_only_when_asked(endpoint, calendar, programme):
    events = calendar.events()
    events.insert(calendarId=programme["id"], body=_session(), sendUpdates="none").execute()
    events.patch(calendarId=programme["id"], eventId="oct16training0", sendUpdates="all",
                 body={"attendees": [{"email": "bo.chan@belmont.example.org"}]}).execute()
    events.patch(calendarId=programme["id"], eventId="oct16training0", body={"summary": "Training"}).execute()
    events.delete(calendarId=programme["id"], eventId="oct16training0", sendUpdates="all").execute()
    notes = _admin(endpoint)["notifications"]
    assert [(n["action"], n["sendUpdates"], n["recipients"]) for n in notes] == [
        ("updated", "all", ["ann.lee@belmont.example.org", "bo.chan@belmont.example.org"]),
        ("cancelled", "all", ["bo.chan@belmont.example.org"])]


def test_external_only_notifies_people_outside_the_accounts_domain(endpoint, calendar, programme):
    calendar.events().insert(calendarId=programme["id"], sendUpdates="externalOnly", body=_session(
        attendees=("ann.lee@belmont.example.org", "guest@partner.example.com"))).execute()
    assert _admin(endpoint)["notifications"][0]["recipients"] == ["guest@partner.example.com"]


def test_events_are_visible_in_the_html_view(endpoint, calendar, programme):
    calendar.events().insert(calendarId=programme["id"], sendUpdates="all", body=_session(
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"])).execute()
    with urllib.request.urlopen(endpoint + "/") as answer:
        page = answer.read().decode()
    for text in ("PLT facilitator training", "oct16training0", "RRULE:FREQ=WEEKLY;COUNT=3",
                 "ann.lee@belmont.example.org", "Invitations and updates"):
        assert text in page


def test_event_answers_fit_the_discovery_schema(calendar, programme):
    made = calendar.events().insert(calendarId=programme["id"], body=_session()).execute()
    assert check("calendar", "calendar.events.insert", made) is None
    listing = calendar.events().list(calendarId=programme["id"]).execute()
    assert check("calendar", "calendar.events.list", listing) is None
    assert check("calendar", "calendar.events.get", {"kind": "calendar#event", "bogus": 1}) is not None


def test_injected_commit_then_fail_leaves_the_event_made(admin, calendar, programme):
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                        "methods": ["calendar.events.insert"]})
    status, _, _ = _error(calendar.events().insert(calendarId=programme["id"], body=_session()))
    assert status == 500
    assert calendar.events().get(calendarId=programme["id"], eventId="oct16training0").execute()["status"] == \
        "confirmed"


def test_calendar_calls_are_charged_to_their_quota(admin, calendar, programme):
    admin("POST", "/_emulator/quotas", {"enabled": True, "limits": {"calendar.queries": 2}})
    calendar.calendars().get(calendarId=programme["id"]).execute()
    calendar.events().list(calendarId=programme["id"]).execute()
    status, _, body = _error(calendar.events().list(calendarId=programme["id"]))
    assert status == 429 and "calendar.googleapis.com" in body["message"]


def test_a_batch_carries_many_calls_each_answered_counted_and_faulted_on_its_own(admin, calendar, programme):
    admin("POST", "/_emulator/faults", {"kinds": [503], "count": 1, "after": 1, "methods": ["calendar.events.insert"]})
    answers = {}
    batch = calendar.new_batch_http_request(callback=lambda rid, response, error: answers.update({rid: error}))
    for n in range(3):
        batch.add(calendar.events().insert(calendarId=programme["id"], body=_session(f"batchevent{n}")),
                  request_id=str(n))
    batch.execute()
    assert answers["0"] is None and answers["2"] is None and answers["1"].resp.status == 503
    listed = calendar.events().list(calendarId=programme["id"]).execute()["items"]
    assert sorted(e["id"] for e in listed) == ["batchevent0", "batchevent2"]
    _status, stats, _headers = admin("GET", "/_emulator/stats")
    assert stats["by_method"]["calendar.events.insert"] == 3

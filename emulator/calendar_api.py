"""Google Calendar v3 as PLT Sync uses it: a programme calendar and its events, each exactly once.

Store kinds:
  "calendar", id = the calendar id (`<26 chars>@group.calendar.google.com`):
      {"id", "summary", "description", "timeZone", "etag", "appCreated": bool}
  "event", id = "<calendar id>/<event id>": the Event resource as answered, plus
      "calendarId"; a deleted event keeps its doc with status "cancelled", so its id stays
      reserved (a new insert with it answers 409, as Google does).
  "calendar_notification": one doc per invitation, update or cancellation Google would have
      emailed: {"id", "calendarId", "eventId", "summary", "action" (created | updated |
      cancelled), "sendUpdates", "recipients": [email], "at"}. A call with sendUpdates
      "none" (or none given) records nothing; "externalOnly" records only attendees outside
      the account's domain.

What is checked as Google does it: a client-supplied event id is base32hex (a–v, 0–9) of
5 to 1,024 characters, else 400 invalid; an id used before on the calendar (deleted or
not) answers 409 duplicate; an event needs a start and an end, the end not before the
start, and a recurring event's start a time zone. With only the `calendar.app.created`
scope, a calendar the app did not create is not found. `POST /batch/calendar/v3` takes up
to 1,000 calls in one request. `GET /_emulator/calendar` (admin, not counted) lists every
calendar, event and notification.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from .admin import api as admin_api
from .core import Api, ApiError, Call, Raw, parse_rfc3339
from .drive_batch import serve_batch
from .scopes import GOOGLE

api = Api("calendar")
_CALENDARS = "/calendar/v3/calendars"
_EVENTS = _CALENDARS + "/<calendar_id>/events"
_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
_APP_CREATED = GOOGLE + "calendar.app.created"
_WIDE = frozenset(GOOGLE + name for name in ("calendar", "calendar.events", "calendar.readonly",
                                              "calendar.events.readonly"))
MAX_BATCH_PARTS = 1000   # https://developers.google.com/calendar/api/guides/batch
MAX_PAGE = 2500
DEFAULT_PAGE = 250
_SEND_UPDATES = ("all", "externalOnly", "none")


def _etag(doc: dict) -> str:
    digest = hashlib.sha1(repr(sorted((k, repr(v)) for k, v in doc.items() if k != "etag")).encode()).hexdigest()
    return f'"{int(digest[:15], 16)}"'


def _not_found() -> ApiError:
    return ApiError(404, "Not Found", reason="notFound")


# Calendars.
@api.route("POST", _CALENDARS, "calendar.calendars.insert", write=True)
def insert_calendar(call: Call) -> dict:
    body = call.json()
    if not str(body.get("summary") or "").strip():
        raise ApiError(400, "Missing title.", reason="required")
    doc = {"id": secrets.token_hex(13) + "@group.calendar.google.com", "summary": body["summary"],
           "timeZone": body.get("timeZone") or "UTC", "appCreated": True}
    if body.get("description"):
        doc["description"] = body["description"]
    doc["etag"] = _etag(doc)
    call.store.put("calendar", doc["id"], doc)
    return _calendar_answer(doc)


@api.route("GET", _CALENDARS + "/<calendar_id>", "calendar.calendars.get")
def get_calendar(call: Call, calendar_id: str) -> dict:
    return _calendar_answer(_calendar(call, calendar_id))


def _calendar_answer(doc: dict) -> dict:
    answer = {"kind": "calendar#calendar", **{k: v for k, v in doc.items() if k != "appCreated"}}
    answer["conferenceProperties"] = {"allowedConferenceSolutionTypes": ["hangoutsMeet"]}
    return answer


def _calendar(call: Call, calendar_id: str) -> dict:
    """The calendar, as far as the request's scopes open it ("primary" is the account's own)."""
    if calendar_id == "primary":
        calendar_id = call.emulator.user_email
    doc = call.store.get("calendar", calendar_id)
    if doc is None and calendar_id.lower() == call.emulator.user_email.lower():
        doc = {"id": call.emulator.user_email, "summary": call.emulator.user_email, "timeZone": "UTC",
               "appCreated": False}
        doc["etag"] = _etag(doc)
        call.store.put("calendar", doc["id"], doc)
    if doc is None:
        raise _not_found()
    granted = call.scopes
    if granted is not None and not granted & _WIDE and _APP_CREATED in granted and not doc.get("appCreated"):
        raise _not_found()
    return doc


# Events: writing.
@api.route("POST", _EVENTS, "calendar.events.insert", write=True)
def insert_event(call: Call, calendar_id: str) -> dict:
    calendar = _calendar(call, calendar_id)
    body = call.json()
    event_id = body.get("id") or secrets.token_hex(13)
    if not _EVENT_ID.match(event_id):
        raise ApiError(400, "Invalid resource id value.", reason="invalid")
    key = f"{calendar['id']}/{event_id}"
    if call.store.get("event", key) is not None:
        raise ApiError(409, "The requested identifier already exists.", reason="duplicate")
    now = call.emulator.now_rfc3339()
    doc = {"kind": "calendar#event", "id": event_id, "status": "confirmed",
           "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
           "created": now, "updated": now, "iCalUID": body.get("iCalUID") or f"{event_id}@google.com",
           "sequence": 0, "creator": {"email": call.emulator.user_email},
           "organizer": {"email": calendar["id"], "displayName": calendar["summary"], "self": True},
           "reminders": {"useDefault": True}, "eventType": "default", "calendarId": calendar["id"]}
    doc.update(_event_fields(body))
    _check_times(doc)
    _notify(call, doc, "created", _emails(doc))
    return _store_event(call, key, doc)


@api.route("PATCH", _EVENTS + "/<event_id>", "calendar.events.patch", write=True)
def patch_event(call: Call, calendar_id: str, event_id: str) -> dict:
    calendar = _calendar(call, calendar_id)
    key = f"{calendar['id']}/{event_id}"
    doc = _event(call, key)
    before = dict(doc)
    changes = _event_fields(call.json())
    doc.update(changes)
    if doc.get("status") == "cancelled" and "status" not in changes:
        raise ApiError(410, "Resource has been deleted", reason="deleted")
    _check_times(doc)
    if any(doc.get(name) != before.get(name) for name in ("start", "end", "recurrence", "location")):
        doc["sequence"] = before.get("sequence", 0) + 1
    doc["updated"] = call.emulator.now_rfc3339()
    _notify(call, doc, "updated", _concerned(before, doc))
    return _store_event(call, key, doc)


@api.route("DELETE", _EVENTS + "/<event_id>", "calendar.events.delete", write=True)
def delete_event(call: Call, calendar_id: str, event_id: str) -> Raw:
    calendar = _calendar(call, calendar_id)
    key = f"{calendar['id']}/{event_id}"
    doc = _event(call, key)
    if doc["status"] == "cancelled":
        raise ApiError(410, "Resource has been deleted", reason="deleted")
    doc["status"] = "cancelled"
    doc["updated"] = call.emulator.now_rfc3339()
    doc["sequence"] = doc.get("sequence", 0) + 1
    _notify(call, doc, "cancelled", _emails(doc))
    _store_event(call, key, doc)
    return Raw(b"", "text/plain", status=204)


_WRITABLE = ("summary", "description", "location", "start", "end", "recurrence", "attendees", "status",
             "transparency", "visibility", "colorId", "reminders", "extendedProperties", "guestsCanModify",
             "guestsCanInviteOthers", "guestsCanSeeOtherGuests", "source")


def _event_fields(body: dict) -> dict:
    """The fields of a request body an event keeps; attendees get Google's defaults."""
    out = {name: body[name] for name in _WRITABLE if name in body and body[name] is not None}
    if "attendees" in out:
        out["attendees"] = [_attendee(person) for person in out["attendees"]]
    if out.get("status") not in (None, "confirmed", "tentative", "cancelled"):
        raise ApiError(400, "Invalid value for: status", reason="invalid")
    return out


def _attendee(person: dict) -> dict:
    email = str(person.get("email") or "").strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ApiError(400, "Invalid attendee email.", reason="invalid")
    out = {"email": email, "responseStatus": person.get("responseStatus") or "needsAction"}
    for name in ("displayName", "optional", "comment"):
        if person.get(name) not in (None, ""):
            out[name] = person[name]
    return out


def _moment(when: dict | None, which: str) -> datetime:
    if not when or not (when.get("dateTime") or when.get("date")):
        raise ApiError(400, f"Missing {which} time.", reason="required")
    text = when.get("dateTime") or when["date"] + "T00:00:00Z"
    try:
        return parse_rfc3339(text)
    except ValueError:
        raise ApiError(400, f"Invalid {which} time.", reason="invalid") from None


def _check_times(doc: dict) -> None:
    start, end = _moment(doc.get("start"), "start"), _moment(doc.get("end"), "end")
    if end < start:
        raise ApiError(400, "The specified time range is empty.", reason="timeRangeEmpty")
    if doc.get("recurrence") and doc["start"].get("dateTime") and not doc["start"].get("timeZone"):
        raise ApiError(400, "Missing time zone definition for start time.", reason="required")
    for rule in doc.get("recurrence", []):
        if not re.match(r"^(RRULE|EXRULE|RDATE|EXDATE):", str(rule)):
            raise ApiError(400, "Invalid recurrence rule.", reason="invalid")


def _concerned(before: dict, after: dict) -> list[str]:
    """Who hears of a patch: everyone invited before or after when what they see of the
    event changed (its time, place, title, repetition or status); else only the people
    added or removed."""
    old, new = set(_emails(before)), set(_emails(after))
    if any(before.get(name) != after.get(name) for name in ("summary", "start", "end", "recurrence", "location",
                                                             "status")):
        return sorted(old | new)
    return sorted(old ^ new)


def _emails(doc: dict) -> list[str]:
    return [person["email"] for person in doc.get("attendees", [])]


def _notify(call: Call, doc: dict, action: str, emails: list[str]) -> None:
    """Record the emails Google would send for this change under the call's sendUpdates."""
    mode = call.arg("sendUpdates") or ("all" if call.flag("sendNotifications") else "none")
    own_domain = call.emulator.user_email.rsplit("@", 1)[-1].lower()
    if mode == "externalOnly":
        emails = [e for e in emails if e.rsplit("@", 1)[-1].lower() != own_domain]
    if mode == "none" or not emails:
        return
    note = {"id": secrets.token_hex(8), "calendarId": doc["calendarId"], "eventId": doc["id"],
            "summary": doc.get("summary", ""), "action": action, "sendUpdates": mode, "recipients": emails,
            "at": call.emulator.now_rfc3339()}
    call.store.put("calendar_notification", note["id"], note)


def _store_event(call: Call, key: str, doc: dict) -> dict:
    doc["etag"] = _etag(doc)
    call.store.put("event", key, doc)
    return _event_answer(doc)


def _event_answer(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "calendarId"}


# Events: reading.
def _event(call: Call, key: str) -> dict:
    doc = call.store.get("event", key)
    if doc is None:
        raise _not_found()
    return dict(doc)


@api.route("GET", _EVENTS + "/<event_id>", "calendar.events.get")
def get_event(call: Call, calendar_id: str, event_id: str) -> dict:
    """A deleted event is still answered, with status "cancelled", as Google does."""
    calendar = _calendar(call, calendar_id)
    return _event_answer(_event(call, f"{calendar['id']}/{event_id}"))


@api.route("GET", _EVENTS, "calendar.events.list")
def list_events(call: Call, calendar_id: str) -> dict:
    calendar = _calendar(call, calendar_id)
    page_size = min(max(call.int_arg("maxResults", DEFAULT_PAGE), 1), MAX_PAGE)
    found = [doc for _, doc in call.store.all("event") if doc["calendarId"] == calendar["id"]]
    found = [doc for doc in found if _listed(call, doc)]
    found.sort(key=lambda doc: (doc["created"], doc["id"]))
    token = call.arg("pageToken") or "0"
    if not token.isdigit():
        raise ApiError(400, "Invalid page token value.", reason="invalid")
    start = int(token)
    page = found[start:start + page_size]
    answer = {"kind": "calendar#events", "etag": calendar["etag"], "summary": calendar["summary"],
              "updated": max((doc["updated"] for doc in found), default=call.emulator.now_rfc3339()),
              "timeZone": calendar["timeZone"], "accessRole": "owner", "defaultReminders": [],
              "items": [_event_answer(doc) for doc in page]}
    if start + len(page) < len(found):
        answer["nextPageToken"] = str(start + len(page))
    else:
        answer["nextSyncToken"] = "s" + secrets.token_hex(8)
    return answer


def _listed(call: Call, doc: dict) -> bool:
    """events.list's filters: iCalUID, updatedMin (which lists events deleted since then
    whatever showDeleted says), showDeleted."""
    if call.arg("iCalUID") and doc["iCalUID"] != call.arg("iCalUID"):
        return False
    updated_min = call.arg("updatedMin")
    if updated_min:
        try:
            since = parse_rfc3339(updated_min)
        except ValueError:
            raise ApiError(400, "Bad Request", reason="badRequest") from None
        if parse_rfc3339(doc["updated"]) < since:
            return False
        return True
    return doc["status"] != "cancelled" or call.flag("showDeleted")


@api.route("POST", "/batch/calendar/v3", "calendar.batch", counted=False)
def batch(call: Call) -> Raw:
    """Up to 1,000 Calendar calls in one `multipart/mixed` request, each counted, charged
    and faulted as a call of its own."""
    return serve_batch(call, MAX_BATCH_PARTS)


@admin_api.route("GET", "/_emulator/calendar", "admin.calendar")
def calendars_admin(call: Call) -> dict:
    """Every calendar with its events (deleted ones included) and the emails Google would have sent."""
    events = [doc for _, doc in call.store.all("event")]
    return {"calendars": [{**doc, "events": [e for e in events if e["calendarId"] == doc["id"]]}
                          for _, doc in call.store.all("calendar")],
            "notifications": [note for _, note in call.store.all("calendar_notification")]}

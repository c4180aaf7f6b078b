"""Reading and writing a programme calendar through a built Calendar v3 client.

Every event PLT Sync makes has an id it chose (base32hex, derived from what the event
stands for), so making one is idempotent: an insert that Google answers 409 was already
made, by a try whose answer was lost or by a concurrent run. Retried calls are therefore
safe, and a retry after "commit, then fail" or a dropped connection never makes a second
event. Which failures are worth another try is not decided here: the caller hands in the
one classifier PLT Sync keeps for every Google call.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from googleapiclient.errors import HttpError

from .model import MEETING_PROPERTY, CalendarEvent, EventChange, EventResult

PAGE_SIZE = 2500   # the most events.list answers in one page
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 32.0
_FIELDS = ("nextPageToken,items(id,status,summary,start,end,recurrence,attendees(email),"
           "extendedProperties(private))")


def create_calendar(client, title: str, time_zone: str) -> str:
    """A new secondary calendar owned by the account; its id."""
    return client.calendars().insert(body={"summary": title, "timeZone": time_zone}).execute()["id"]


def list_events(client, calendar_id: str) -> tuple[dict[str, CalendarEvent], int]:
    """Every event of the calendar, cancelled ones included, by id; and the calls made."""
    found: dict[str, CalendarEvent] = {}
    token, calls = None, 0
    while True:
        page = client.events().list(calendarId=calendar_id, showDeleted=True, maxResults=PAGE_SIZE,
                                    pageToken=token, fields=_FIELDS).execute()
        calls += 1
        for item in page.get("items", []):
            found[item["id"]] = parse_event(item)
        token = page.get("nextPageToken")
        if not token:
            return found, calls


def parse_event(item: dict) -> CalendarEvent:
    private = (item.get("extendedProperties") or {}).get("private") or {}
    return CalendarEvent(item["id"], private.get(MEETING_PROPERTY), item.get("status") == "cancelled",
                         item.get("summary", ""), _when(item.get("start")), _when(item.get("end")),
                         tuple(item.get("recurrence") or ()),
                         frozenset(person["email"].lower() for person in item.get("attendees") or ()
                                   if person.get("email")))


def _when(value: dict | None) -> datetime | None:
    if not value or not value.get("dateTime"):
        return None
    return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))


def apply_events(client, calendar_id: str, changes: Sequence[EventChange], *, classify,
                 retries: int = 4, sleep: Callable[[float], None] = time.sleep) -> tuple[list[EventResult], int]:
    """Make each change, one call each, retrying transient failures with capped backoff.
    Never raises for a failed change: it comes back `ok=False` with a plain reason."""
    results, calls = [], 0
    for change in changes:
        result, made = _apply_one(client, calendar_id, change, classify, retries, sleep)
        results.append(result)
        calls += made
    return results, calls


def _apply_one(client, calendar_id: str, change: EventChange, classify, retries: int,
               sleep) -> tuple[EventResult, int]:
    calls = 0
    for attempt in range(retries + 1):
        calls += 1
        try:
            _request(client, calendar_id, change).execute()
            return EventResult(change, True), calls
        except Exception as error:  # read by the one classifier; anything else is re-raised
            status = error.resp.status if isinstance(error, HttpError) else None
            if change.kind == "insert" and status == 409:
                return EventResult(change, True, already_there=True), calls
            if change.kind == "cancel" and status == 410:
                return EventResult(change, True, already_there=True), calls
            failure = classify(error)
            if failure is None:
                raise
            if not failure.transient or attempt == retries:
                return EventResult(change, False, reason=str(failure)), calls
            sleep(backoff_delay(attempt, failure.retry_after))
    raise AssertionError("unreachable")


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Capped exponential backoff with full jitter, never shorter than Google asked for."""
    return max(retry_after or 0.0, random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** attempt)))


def _request(client, calendar_id: str, change: EventChange):
    events = client.events()
    if change.kind == "insert":
        return events.insert(calendarId=calendar_id, body=change.body, sendUpdates=change.send_updates)
    if change.kind == "patch":
        return events.patch(calendarId=calendar_id, eventId=change.event_id, body=change.body,
                            sendUpdates=change.send_updates)
    if change.kind == "cancel":
        return events.delete(calendarId=calendar_id, eventId=change.event_id, sendUpdates=change.send_updates)
    raise ValueError(f"unknown calendar change {change.kind!r}")

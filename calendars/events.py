"""Reading and writing a programme calendar through a built Calendar v3 client.

Every event PLT Sync makes has an id it chose (base32hex, derived from what the event
stands for), so making one is idempotent: an insert that Google answers 409 was already
made, by a try whose answer was lost or by a concurrent run. Retried calls are therefore
safe, and a retry after "commit, then fail" or a dropped connection never makes a second
event. Changes go out in batch requests (up to 1,000 calls each), so a run that moves a
hundred meetings makes one write request, not a hundred. Which failures are worth another try is not decided here: the caller hands in the
one classifier PLT Sync keeps for every Google call.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from googleapiclient.errors import BatchError, HttpError

from .model import MEETING_PROPERTY, CalendarEvent, EventChange, EventResult

PAGE_SIZE = 2500   # the most events.list answers in one page
# Calendar takes at most 1,000 calls in one batch request
# (https://developers.google.com/calendar/api/guides/batch).
CALENDAR_BATCH_LIMIT = 1000
# A change the batch answer left out is read like an answer that could not be read.
_NO_ANSWER = BatchError("the batch answer left this change out")
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


def apply_events(client, calendar_id: str, changes: Sequence[EventChange], *, classify, retries: int = 4,
                 per_batch: int = CALENDAR_BATCH_LIMIT,
                 sleep: Callable[[float], None] = time.sleep) -> tuple[list[EventResult], int]:
    """Make the changes in batch requests of at most `per_batch` calls (Calendar takes
    1,000), trying the transient failures again, in rounds, with capped backoff. Every
    change is idempotent (a client-chosen id), so a batch whose answer was lost is simply
    sent again. Returns one result per change, in the order given, and the HTTP calls made.
    Never raises for a failed change: it comes back `ok=False` with a plain reason."""
    size = max(1, min(per_batch, CALENDAR_BATCH_LIMIT))
    results: dict[int, EventResult] = {}
    pending, calls = list(range(len(changes))), 0
    for attempt in range(retries + 1):
        again: dict[int, tuple[EventResult, float | None]] = {}
        for start in range(0, len(pending), size):
            calls += 1
            again.update(_send_batch(client, calendar_id, changes, pending[start:start + size], classify, results))
        pending = sorted(again)
        if not pending:
            break
        if attempt == retries:
            results.update({index: result for index, (result, _wait) in again.items()})
            break
        sleep(backoff_delay(attempt, max((wait or 0.0 for _r, wait in again.values()), default=0.0)))
    return [results[index] for index in range(len(changes))], calls


def _send_batch(client, calendar_id: str, changes: Sequence[EventChange], chunk: list[int], classify,
                results: dict[int, EventResult]) -> dict[int, tuple[EventResult, float | None]]:
    """One batch request. What it settled goes into `results`; the transient failures come
    back, with the wait Google asked for, to be tried again."""
    answers: dict[str, Exception | None] = {}

    def keep(request_id: str, _response, error: Exception | None) -> None:
        answers[request_id] = error

    batch = client.new_batch_http_request()
    for index in chunk:
        batch.add(_request(client, calendar_id, changes[index]), request_id=str(index), callback=keep)
    whole = None
    try:
        batch.execute()
    except KeyError:  # googleapiclient's way of saying the answer left some calls out
        pass
    except Exception as error:  # read by the one classifier; anything else is re-raised
        whole = classify(error)
        if whole is None:
            raise
    again = {}
    for index in chunk:
        change, key = changes[index], str(index)
        if key in answers and answers[key] is None:
            results[index] = EventResult(change, True)
            continue
        error = answers.get(key)
        status = error.resp.status if isinstance(error, HttpError) else None
        if (change.kind, status) in (("insert", 409), ("cancel", 410)):
            results[index] = EventResult(change, True, already_there=True)   # an earlier try made it
            continue
        failure = classify(error) if error is not None else (whole or classify(_NO_ANSWER))
        if failure.transient:
            again[index] = (EventResult(change, False, reason=str(failure)), failure.retry_after)
        else:
            results[index] = EventResult(change, False, reason=str(failure))
    return again


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

"""Calendar events as PLT Sync knows them, as plain frozen data; nothing here talks to Google.

Reading a calendar yields `CalendarEvent`s; planning yields `EventChange`s; applying them
yields one `EventResult` per change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The private extended property naming the meeting an event stands for: only events
# carrying it were made by PLT Sync, so only they are ever patched or cancelled.
MEETING_PROPERTY = "plt_meeting"


@dataclass(frozen=True)
class CalendarEvent:
    """One event as the calendar holds it (cancelled ones included: their ids stay taken)."""

    event_id: str
    meeting_key: str | None          # None: not made by PLT Sync
    cancelled: bool
    summary: str
    start: datetime | None
    end: datetime | None
    recurrence: tuple[str, ...]
    attendees: frozenset[str]        # lower-cased emails


@dataclass(frozen=True)
class EventChange:
    """One call to make: "insert", "patch" or "cancel" the event `event_id`.

    `body` is the Event resource to send (for a patch, only the fields that change);
    `send_updates` is Calendar's `sendUpdates` ("all", "externalOnly" or "none"), "none"
    unless the change is one the people invited would want to hear about."""

    kind: str
    event_id: str
    meeting_key: str
    summary: str
    body: dict
    send_updates: str = "none"


@dataclass(frozen=True)
class EventResult:
    change: EventChange
    ok: bool
    reason: str = ""                 # why it failed, in a coordinator's words
    already_there: bool = False      # an insert answered 409: an earlier try had made it

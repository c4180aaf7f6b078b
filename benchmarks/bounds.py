"""The fewest calls any tool could make for a scenario, given Google's API shapes.

A sync must read the form (one `forms.get`), every response page (5,000 a page), the
roster (one `spreadsheets.get`), the team folders (1,000 a page; one call when there are
none yet), then write: Drive changes in batches of at most 100 (folders first, since
sharing and template copies need their ids), one Docs `batchUpdate` per template copy
(Docs has no batch across documents, and a copy's fill needs its id), the sheet in one
`batchUpdate`, and one Gmail call per email. Template copies already made are listed with
the folders, in the same pages.

A programme with a calendar also reads its events (2,500 a page, `events.list`) and writes
the events that change in batches: Google takes at most 1,000 Calendar calls in one batch
request ("You're limited to 1000 calls in a single batch request",
https://developers.google.com/calendar/api/guides/batch). Each call in a batch still counts
against the per-minute quota, so the bound counts HTTP requests, not quota.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

RESPONSES_PER_PAGE = 5000
FILES_PER_PAGE = 1000
DRIVE_BATCH = 100
EVENTS_PER_PAGE = 2500
CALENDAR_BATCH = 1000


@dataclass(frozen=True)
class Work:
    """What a scenario has to do, whoever does it."""

    responses: int
    existing_folders: int = 0
    new_folders: int = 0
    sharing_changes: int = 0
    emails: int = 0
    documents: int = 0                     # template copies to make, each then filled
    existing_documents: int = 0            # template copies made by earlier runs
    calendar_events: int | None = None     # events the programme calendar holds (None: no calendar)
    event_changes: int = 0                 # events to insert, patch or cancel


def pages(items: int, per_page: int) -> int:
    return max(1, ceil(items / per_page))


def lower_bound(work: Work) -> dict[str, int]:
    """The lower bound, call by call, and its total under "total"."""
    parts = {"forms.get": 1, "responses.list": pages(work.responses, RESPONSES_PER_PAGE), "sheets.get": 1,
             "files.list": pages(work.existing_folders + work.existing_documents, FILES_PER_PAGE),
             "folder batches": ceil(work.new_folders / DRIVE_BATCH),
             "sharing batches": ceil((work.sharing_changes + work.documents) / DRIVE_BATCH),
             "document fills": work.documents,
             "sheet writes": 1, "emails": work.emails}
    if work.calendar_events is not None:
        parts["events.list"] = pages(work.calendar_events, EVENTS_PER_PAGE)
        parts["calendar batches"] = ceil(work.event_changes / CALENDAR_BATCH)
    parts["total"] = sum(parts.values())
    return parts


def first_sync(teams: int, shares_per_team: int, templates: int = 0) -> Work:
    return Work(teams, 0, teams, teams * shares_per_team, documents=teams * templates)


def quiet_sync(teams: int, templates: int = 0) -> Work:
    return Work(teams, teams, existing_documents=teams * templates)


def changed_sync(teams: int, changed: int, sharing_changes_per_team: int) -> Work:
    return Work(teams, teams, 0, changed * sharing_changes_per_team)


def reminder_day(teams: int) -> Work:
    return Work(teams, teams, emails=teams)

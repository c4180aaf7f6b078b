"""Carrying out a plan in a safe order: Drive, then the template copies' fills (Docs), then
Calendar, then the sheet write with the reminders' ledger rows `sending`, then the emails,
then the write that completes their ledger rows.

One team's failure never stops the others: what Drive could not do settles into the sheet
write as corrected cells and a Problems row (`sync.core.settle`). Each write is one
all-or-nothing `spreadsheets.batchUpdate` carrying cells, layout and Dashboard together.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable, Mapping, Sequence

from calendars.events import apply_events
from calendars.model import EventResult
from drive.batch import apply_changes
from sheets import layout as L
from sheets.book import Book, write_book

from sync.access import google_call, spreadsheet
from sync.core.drive_plan import DriveResults, drive_results
from sync.core.model import Action, AddHeaders, AddRow, AddTab, Plan, SendReminder, SetLastRun
from sync.core.plan import Observed, Rules
from sync.core.settle import settle
from sync.core.sheet_writes import build_edits
from sync.deliver import Delivery, Letterhead, deliver
from sync.fills import fill_copies
from sync.google.errors import classify
from sync.google.workspace import Workspace


@dataclass(frozen=True)
class Applied:
    """What a run did: its plan as Drive's answers settled it, and what the mail came to."""

    plan: Plan
    drive: DriveResults | None = None      # None: no Drive change was made (a dry run)
    delivery: Delivery | None = None       # None: no email was sent
    skipped: int = 0                       # reminders planned but not sent: no sender
    events: tuple[EventResult, ...] = ()   # what each planned calendar change came to

    def failures(self) -> list[str]:
        """One line per thing that failed, for the report, the Runs tab and the exit code."""
        out = [f"the facilitator form: {reason}; no response could be read, so the roster was left as it is"
               for reason in self.plan.form_errors]
        out += [f"{tid}: {what}: {reason}" for tid, what, reason in (self.drive.failures if self.drive else ())]
        out += [f"calendar: {r.change.kind} {r.change.summary!r}: {r.reason}" for r in self.events if not r.ok]
        return out + (self.delivery.failures if self.delivery else [])

    def event_counts(self) -> dict[str, int]:
        """Calendar events made, patched and cancelled by this run."""
        done = [r.change.kind for r in self.events if r.ok]
        return {"created": done.count("insert"), "updated": done.count("patch"), "cancelled": done.count("cancel")}


@dataclass(frozen=True)
class ApplyContext:
    """What a plan is carried out with: the clients, the mail sender and how the run logs itself."""

    workspace: Workspace
    sender: object | None                              # None: no reminder is sent
    letterhead: Letterhead
    templates: Mapping[str, str]                       # milestone key -> reminder template
    runs_row: Callable[[Applied], AddRow]              # the Runs tab row of the run so far
    sleep: Callable[[float], None] = time.sleep
    phase: Callable[[str], None] = field(default=lambda _text: None)


def apply(plan: Plan, observed: Observed, rules: Rules, now: datetime, context: ApplyContext) -> Applied:
    """Drive first; the sheet then shows what Drive made and what it could not."""
    results, _calls = apply_changes(context.workspace.drive, plan.drive, classify=classify,
                                    sleep=context.sleep)
    done = drive_results(results)
    fill_copies(context.workspace, plan.documents, results, done, context.sleep)
    applied = Applied(settle(plan, observed, rules, now, done), done, events=apply_calendar(plan, rules, context))
    context.phase(f"writing the roster; {sum(isinstance(a, SendReminder) for a in plan.emails)} reminders due")
    return _write_and_send(applied, observed.book, rules, now, context)


def apply_calendar(plan: Plan, rules: Rules, context: ApplyContext) -> tuple[EventResult, ...]:
    """The calendar's changes, one call each; a failed one is reported and tried again next run."""
    if not plan.calendar or rules.calendar is None:
        return ()
    context.phase(f"calendar: {len(plan.calendar)} event changes")
    results, _calls = apply_events(context.workspace.calendar, rules.calendar.calendar_id, plan.calendar,
                                   classify=classify, sleep=context.sleep)
    return tuple(results)


def _write_and_send(applied: Applied, book: Book, rules: Rules, now: datetime,
                    context: ApplyContext) -> Applied:
    """One sheet write; with reminders, a second after sending completes their ledger rows."""
    cells, layout, emails = list(applied.plan.actions), list(applied.plan.layout), applied.plan.emails
    if emails and context.sender is None:
        cells, layout = _without_ledger(cells, layout)
        applied = replace(applied, skipped=sum(isinstance(a, SendReminder) for a in emails))
        emails = ()
    if not emails:
        changed = bool(applied.events) or any(not isinstance(a, SetLastRun) for a in cells)
        _write(context, book, [*cells, *layout], rules, applied, changed)
        return applied
    last_run = [a for a in cells if isinstance(a, SetLastRun)]
    _write(context, book, [*(a for a in cells if not isinstance(a, SetLastRun)), *layout], rules, applied, False)
    delivery = deliver(emails, context.sender, context.letterhead, now, dict(context.templates))
    applied = replace(applied, delivery=delivery)
    _write(context, book, [*delivery.updates, *last_run], rules, applied, True)
    return applied


def _without_ledger(cells: list[Action], layout: list[Action]) -> tuple[list[Action], list[Action]]:
    """With no one to send them, reminders get no ledger row (they stay due); nor does a
    Reminders tab or column this run would have made get its layout."""
    made = {a.tab for a in cells if isinstance(a, (AddTab, AddHeaders)) and a.tab == L.REMINDERS}
    return ([a for a in cells if getattr(a, "tab", "") != L.REMINDERS],
            [a for a in layout if getattr(a, "tab", "") not in made])


def _write(context: ApplyContext, book: Book, actions: Sequence[Action], rules: Rules, applied: Applied,
           log_run: bool) -> None:
    if log_run or applied.failures():
        # The Runs row counts this write too: it goes out in the same call.
        actions = [*actions, context.runs_row(applied)]
    edits = build_edits(book, actions, rules.milestone_titles, rules.field_columns,
                        checkbox_titles=rules.checkbox_titles, file_titles=rules.file_titles,
                        meetings=rules.meeting_columns)
    google_call(*spreadsheet(book.spreadsheet_id), lambda: write_book(context.workspace.gspread.http_client, edits))

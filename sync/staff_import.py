"""`plt staff import FILE`: the district's HR or SIS export onto the Staff tab.

Two calls: one `spreadsheets.get` of the master spreadsheet, one `batchUpdate` with every
change (the Staff tab itself when it is new, its new rows, the cells the export changed,
and a Problems row for each row that could not be used). A second import of the same file
finds nothing to change and writes nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from forms.model import Problem
from sheets import format as F
from sheets import layout as L
from sheets.book import Edits, Tab, read_book, write_book

from sync.access import google_call, spreadsheet
from sync.core.cells import local_time
from sync.core.problems import OPEN, RESOLVED, problem_id
from sync.core.staff import (ASSIGNED, IMPORT_FIELD, StaffChanges, StaffRules, checked_people, known_names,
                             person_cells, plan_staff, staff_headers)
from sync.errors import UsageError
from sync.staff_file import read_export


@dataclass(frozen=True)
class ImportResult:
    changes: StaffChanges
    problems: tuple[Problem, ...]
    problems_new: int
    problems_resolved: int
    calls: int

    def lines(self) -> list[str]:
        c = self.changes
        out = [f"Staff: {len(c.added)} added, {len(c.updated)} updated, {c.unchanged} unchanged"]
        if self.problems:
            out.append(f"{len(self.problems)} row(s) left out, each a Problems row with the reason "
                       f"({self.problems_new} new)")
        if self.problems_resolved:
            out.append(f"{self.problems_resolved} earlier Problems row(s) of this file resolved")
        return out

    def to_json(self) -> dict:
        c = self.changes
        return {"added": len(c.added), "updated": len(c.updated), "unchanged": c.unchanged,
                "problems": [{"field": p.field, "value": p.value, "reason": p.reason} for p in self.problems],
                "problems_new": self.problems_new, "problems_resolved": self.problems_resolved,
                "api_calls": self.calls}


def staff_rules(settings) -> StaffRules:
    return StaffRules(tuple(settings.programme.sites), tuple(settings.drive.allowed_domains),
                      settings.programme.site_noun)


def import_staff(settings, workspace, path: Path, now: datetime,
                 sleep: Callable[[float], None] = time.sleep) -> ImportResult:
    """Read the export and the spreadsheet, then write every change in one call."""
    if settings.staff is None:
        raise UsageError("the config has no [staff] section: add one to keep a Staff tab")
    if not settings.roster.spreadsheet_id:
        raise UsageError("the config names no master spreadsheet yet: run `plt init` first")
    rules = staff_rules(settings)
    rows = read_export(path, rules.site_header, settings.staff.aliases)
    book = google_call(*spreadsheet(settings.roster.spreadsheet_id),
                       lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id), sleep)
    tab = book.tab(L.STAFF)
    people, problems = checked_people(rows, rules, known_names(tab), path.name)
    changes = plan_staff(tab, people, rules.site_header)
    edits = Edits(book)
    staff_edits(edits, changes, rules.site_header)
    stamp = local_time(now, settings.programme.time_zone)
    new, resolved = problem_edits(edits, problems, f"{IMPORT_FIELD} ({path.name}) line ", stamp)
    calls = google_call(*spreadsheet(book.spreadsheet_id), lambda: write_book(workspace.gspread.http_client, edits),
                        sleep)
    return ImportResult(changes, tuple(problems), new, resolved, 1 + calls)


def staff_tab(edits: Edits, site_header: str) -> Tab:
    """The Staff tab, made (with a frozen header and tick boxes under Assigned) when the
    spreadsheet has none, and given any column it lacks."""
    headers = staff_headers(site_header)
    tab = edits.book.tab(L.STAFF)
    if tab is None:
        tab = edits.add_tab(L.STAFF, headers)
        edits.requests += F.column_widths(tab.sheet_id, dict(enumerate(headers)))
        return tab
    missing = [h for h in headers if tab.column(h) is None]
    if missing:
        edits.add_headers(tab, missing)
    return tab


def staff_edits(edits: Edits, changes: StaffChanges, site_header: str) -> None:
    if changes.empty and edits.book.tab(L.STAFF) is not None:
        return
    tab = staff_tab(edits, site_header)
    for row, cells in changes.updated:
        edits.set_row(tab, row, {tab.column(h): v for h, v in cells})
    edits.add_rows(tab, tab.used_rows(), [{tab.column(h): v for h, v in person_cells(person, site_header).items()}
                                          for person in changes.added])
    column = tab.column(ASSIGNED)
    if tab.checkboxes.get(column, 0) < max(tab.used_rows() - 1, 1):
        edits.requests.append(F.checkboxes(tab.sheet_id, column, tab.row_count))


def problem_edits(edits: Edits, problems: Sequence[Problem], field_prefix: str, stamp: str) -> tuple[int, int]:
    """A Problems row for each problem not yet open there; earlier rows of the same source
    (their Field starts with `field_prefix`) that no longer apply resolved. Returns (new, resolved)."""
    tab = edits.book.tab(L.PROBLEMS) or edits.add_tab(L.PROBLEMS, L.PROBLEMS_LAYOUT.headers)
    index, _ = tab.index_by(("Problem ID",))
    wanted = {problem_id(p): p for p in problems}
    new = 0
    next_row = tab.used_rows()
    for pid, problem in wanted.items():
        row = index.get((pid,))
        if row is not None:
            if tab.value(row, "Status") != OPEN:
                edits.set_row(tab, row, _cells(tab, {"Status": OPEN, "Resolved": ""}))
            continue
        edits.set_row(tab, next_row, _cells(tab, {
            "Problem ID": pid, "Status": OPEN, "Severity": problem.severity, "Field": problem.field,
            "Value": problem.value, "Reason": problem.reason, "First seen": stamp}))
        next_row += 1
        new += 1
    resolved = 0
    for (pid,), row in index.items():
        if pid not in wanted and tab.value(row, "Status") == OPEN and _of_file(tab, row, field_prefix):
            edits.set_row(tab, row, _cells(tab, {"Status": RESOLVED, "Resolved": stamp}))
            resolved += 1
    return new, resolved


def _of_file(tab: Tab, row: int, field_prefix: str) -> bool:
    return str(tab.value(row, "Field")).startswith(field_prefix)


def _cells(tab: Tab, values: dict[str, object]) -> dict[int, object]:
    return {tab.column(h): v for h, v in values.items() if tab.column(h) is not None}

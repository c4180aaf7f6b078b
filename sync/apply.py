"""Carrying out the sheet part of a plan: actions become one `spreadsheets.batchUpdate`.

Rows are found by key in the spreadsheet as it was read; new rows go below the last used
row; nothing is ever deleted or moved.
"""
from __future__ import annotations

from typing import Iterable

from sheets import layout as L
from sheets.book import Book, Edits, Tab

from sync.core.model import Action, AddHeaders, AddRow, AddTab, SetLastRun, UpdateRow
from sync.core.plan import members_index


class _Rows:
    """Row lookup by key for each tab, computed once per tab."""

    def __init__(self, layouts):
        self.layouts = layouts
        self._cache: dict[str, dict[tuple, int]] = {}

    def find(self, tab: Tab, key: tuple) -> int | None:
        if tab.name not in self._cache:
            if tab.name == L.MEMBERS:
                self._cache[tab.name] = members_index(tab)
            else:
                self._cache[tab.name] = tab.index_by(self.layouts[tab.name].key)[0]
        return self._cache[tab.name].get(key)


def build_edits(book: Book, actions: Iterable[Action], milestone_titles: tuple[str, ...]) -> Edits:
    layouts = L.all_layouts(milestone_titles)
    edits = Edits(book)
    rows = _Rows(layouts)
    next_row: dict[str, int] = {}      # first free row of each tab, found once, not per new row
    for action in actions:
        if isinstance(action, AddTab):
            edits.add_tab(action.tab, action.headers, _tab_index(book, action.tab))
        elif isinstance(action, AddHeaders):
            edits.add_headers(book.tabs[action.tab], action.headers)
        elif isinstance(action, AddRow):
            tab = book.tabs[action.tab]
            row = next_row.get(tab.name) or tab.used_rows()
            edits.set_row(tab, row, _by_column(tab, action.values))
            next_row[tab.name] = row + 1
        elif isinstance(action, UpdateRow):
            tab = book.tabs[action.tab]
            row = rows.find(tab, action.key)
            if row is not None:
                edits.set_row(tab, row, _by_column(tab, ((h, new) for h, _old, new in action.changes)))
        elif isinstance(action, SetLastRun):
            _set_last_run(edits, book.tabs[L.DASHBOARD], action.text)
    return edits


def _by_column(tab: Tab, values: Iterable[tuple[str, object]]) -> dict[int, object]:
    out = {}
    for header, value in values:
        col = tab.column(header)
        if col is not None:
            out[col] = value
    return out


def _set_last_run(edits: Edits, tab: Tab, text: str) -> None:
    cells = {1: text}
    if str(tab.value(0, tab.header[0] if tab.header else "")) != L.LAST_SYNC_LABEL:
        cells[0] = L.LAST_SYNC_LABEL
    edits.set_row(tab, 0, cells)


def _tab_index(book: Book, name: str) -> int | None:
    """Where a new tab goes: after the tabs that come before it in the usual order."""
    if name not in L.TAB_ORDER:
        return None
    before = L.TAB_ORDER[: L.TAB_ORDER.index(name)]
    return sum(1 for t in book.tabs if t in before)


def runs_row(report) -> tuple[tuple[str, object], ...]:
    """The Runs tab row for a run that changed something or failed."""
    teams, problems = report.teams, report.problems
    values = {
        "Run ID": report.run_id, "Started": report.started_at, "Finished": report.finished_at,
        "Clock": report.now, "Exit code": report.exit_code, "Teams": teams["total"], "New": teams["new"],
        "Updated": teams["updated"], "Withdrawn": teams["withdrawn"], "Problems open": problems["open"],
        "Folders created": report.folders["created"], "Shared": report.sharing["added"],
        "Reminders sent": report.reminders["sent"], "API calls": report.api_calls.get("total", 0),
        "Summary": report.summary_line(),
    }
    return tuple(values.items())

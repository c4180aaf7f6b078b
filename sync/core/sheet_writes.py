"""Where a plan's sheet actions land: each becomes cells and requests of one `Edits`.

Rows are found by key in the spreadsheet as it was read, and written through their row tag
(sheets/row_tags.py), so a row a coordinator moved since the read is still the one
written; new rows of a keyed tab are inserted below the last used row, tagged in the same
batch; nothing is ever deleted or moved. The same placement serves the plan, which plays
its cell actions into a `Preview` to see the tabs they leave (and so their layout), and
apply, which plays the whole plan into the `Edits` of its one `spreadsheets.batchUpdate`.
"""
from __future__ import annotations

from typing import Iterable

from sheets import format as F
from sheets import layout as L
from sheets import row_tags
from sheets.book import Book, Edits, Tab

from sync.core.cells import record_key, row_index
from sync.core.model import (Action, AddHeaders, AddRow, AddTab, LinkFolders, RepairLayout, SetLastRun,
                             UpdateDashboard, UpdateRow)


def build_edits(book: Book, actions: Iterable[Action], milestone_titles: tuple[str, ...],
                field_columns: tuple[str, ...] = L.FIELD_COLUMNS, *, checkbox_titles: tuple[str, ...],
                file_titles: tuple[str, ...], meetings: tuple[str, ...] | None = None) -> Edits:
    """The one write of `actions` to `book` (which follows the edits, as the sheet will)."""
    edits = Edits(book)
    layouts = L.all_layouts(milestone_titles, field_columns, checkbox_titles=checkbox_titles, file_titles=file_titles,
                            meetings=meetings)
    for name, layout in layouts.items():
        tab = book.tab(name)
        if name in _TAGGED and tab is not None and tab.tags:
            edits.drop_stray_tags(tab, {row: row_tags.tag_value(name, key) for key, row in row_index(tab, layout).items()})
    return write_actions(edits, actions, milestone_titles, field_columns, checkbox_titles=checkbox_titles,
                         file_titles=file_titles, meetings=meetings)


def write_actions(edits: Edits, actions: Iterable[Action], milestone_titles: tuple[str, ...],
                  field_columns: tuple[str, ...] = L.FIELD_COLUMNS, *, checkbox_titles: tuple[str, ...],
                  file_titles: tuple[str, ...], meetings: tuple[str, ...] | None = None) -> Edits:
    layouts = L.all_layouts(milestone_titles, field_columns, checkbox_titles=checkbox_titles,
                            file_titles=file_titles, meetings=meetings)
    book = edits.book
    rows: dict[str, dict[tuple, int]] = {}     # each tab's rows by key, found once
    next_row: dict[str, int] = {}              # first free row of each tab, found once, not per new row
    for action in actions:
        if isinstance(action, AddTab):
            edits.add_tab(action.tab, action.headers, _tab_index(book, action.tab), action.sheet_id)
        elif isinstance(action, AddHeaders):
            edits.add_headers(book.tabs[action.tab], action.headers)
        elif isinstance(action, AddRow):
            tab = book.tabs[action.tab]
            row = next_row.get(tab.name) or tab.used_rows()
            key = record_key(layouts[tab.name], dict(action.values)) if tab.name in _TAGGED else None
            if key is None:
                edits.set_row(tab, row, _by_column(tab, action.values))
            else:
                edits.add_row(tab, row, _by_column(tab, action.values), row_tags.tag_value(tab.name, key))
            next_row[tab.name] = row + 1
        elif isinstance(action, UpdateRow):
            tab = book.tabs[action.tab]
            if tab.name not in rows:
                rows[tab.name] = row_index(tab, layouts[tab.name])
            row = rows[tab.name].get(action.key)
            if row is not None:
                edits.update_row(tab, row, row_tags.tag_value(tab.name, action.key),
                                 _by_column(tab, ((h, new) for h, _old, new in action.changes)))
        elif isinstance(action, SetLastRun):
            _set_last_run(edits, book.tabs[L.DASHBOARD], action.text)
        else:
            _write_layout(edits, action)
    return edits


# The tabs whose rows sync changes after making them; the Runs tab's log rows are only ever added.
_TAGGED = frozenset({L.ROSTER, L.MEMBERS, L.PROBLEMS, L.REMINDERS, L.MEETINGS})


def _write_layout(edits: Edits, action: Action) -> None:
    if isinstance(action, RepairLayout):
        edits.requests += action.requests
    elif isinstance(action, LinkFolders):
        tab = edits.book.tabs[action.tab]
        uris = dict(action.cells)
        for start, end in F.column_runs(uris):
            edits.requests.append(F.links(tab.sheet_id, action.column, start, [uris[r] for r in range(start, end)]))
    elif isinstance(action, UpdateDashboard):
        tab = edits.book.tabs[L.DASHBOARD]
        for row, cells in action.cells:
            edits.set_row(tab, row, dict(cells))
        edits.requests += action.requests


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
    before = L.tabs_before(name)
    if before is None:
        return None
    return sum(1 for t in book.tabs if t in before)

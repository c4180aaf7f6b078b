"""Keeping the sheet's tabs in line with what they should hold: the layout's tabs and
columns, and each tab's rows added or updated by key. Pure; the book as read never changes.
"""
from __future__ import annotations

from typing import Any, Mapping

from sheets import layout as L
from sheets.book import Book, Tab, free_sheet_id

from sync.core.cells import diff_row, row_index
from sync.core.model import Action, AddHeaders, AddRow, AddTab, UpdateRow


class SheetPlanner:
    """Collects the sheet actions of one plan over the book as read."""

    def __init__(self, book: Book, milestone_titles: tuple[str, ...], field_columns: tuple[str, ...] = L.FIELD_COLUMNS,
                 *, checkbox_titles: tuple[str, ...], file_titles: tuple[str, ...],
                 meetings: tuple[str, ...] | None = None):
        self.book = book
        self.layouts = L.all_layouts(milestone_titles, field_columns, checkbox_titles=checkbox_titles,
                                     file_titles=file_titles, meetings=meetings)
        self.actions: list[Action] = []
        self._indexes: dict[str, dict[tuple, int]] = {}

    def tab(self, name: str) -> Tab:
        """The tab as it will be once layout repairs are applied (empty when created)."""
        return self.book.tab(name) or Tab(name, -1, [list(self.layouts[name].headers)], 0, 0)

    def repair_layout(self) -> None:
        """Tabs and columns of the layout the sheet lacks (a new or damaged sheet)."""
        taken = {tab.sheet_id for tab in self.book.tabs.values()}
        for name, layout in self.layouts.items():
            existing = self.book.tab(name)
            if existing is None:
                sheet_id = free_sheet_id(name, taken)
                taken.add(sheet_id)
                self.actions.append(AddTab(name, layout.headers, sheet_id))
                continue
            missing = layout.missing(existing.header)
            if missing:
                self.actions.append(AddHeaders(name, tuple(missing)))

    def index(self, name: str) -> dict[tuple, int]:
        """Row of each key in tab `name` (planning never changes the book: built once)."""
        if name not in self._indexes:
            self._indexes[name] = row_index(self.tab(name), self.layouts[name])
        return self._indexes[name]

    def sync_table(self, name: str, desired: Mapping[tuple, Mapping[str, Any]],
                   team_of: Mapping[tuple, str] | None = None) -> tuple[int, int]:
        """Add missing rows and update changed ones; returns (added, updated)."""
        added = updated = 0
        for key, values in desired.items():
            action = self.row_action(name, key, values, (team_of or {}).get(key, ""))
            if action is not None:
                self.actions.append(action)
                added += isinstance(action, AddRow)
                updated += isinstance(action, UpdateRow)
        return added, updated

    def row_action(self, name: str, key: tuple, values: Mapping[str, Any], tid: str = "") -> AddRow | UpdateRow | None:
        """The action that makes the row with `key` hold `values`: None when it already does."""
        row = self.index(name).get(key)
        if row is None:
            return AddRow(name, tuple(values.items()), tid)
        changes = diff_row(self.tab(name), row, values, self.layouts[name].owned)
        return UpdateRow(name, key, changes, tid) if changes else None

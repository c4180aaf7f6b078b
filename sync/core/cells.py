"""Cells and rows as planning, applying and settling a run all see them: how a cell
compares with what sync wants in it, how a row is found by its key, and the local time
the sheet shows. Pure."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sheets import layout as L
from sheets.book import Tab


def local_time(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def same(old: Any, new: Any) -> bool:
    """Sheets hands numbers back as formatted text; compare as a coordinator sees them."""
    if type(old) is type(new) and old == new:
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return old == new
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        try:
            return float(str(old).replace(",", "")) == float(new)
        except ValueError:
            return False
    return str(old) == str(new)


def diff_row(tab: Tab, row: int, desired: Mapping[str, Any], owned: frozenset[str]) -> tuple[tuple[str, Any, Any], ...]:
    """(header, old, new) for each sync-owned cell of `row` that differs from `desired`."""
    cells = tab.rows[row] if row < len(tab.rows) else []
    columns = tab.columns()
    changes = []
    for header, new in desired.items():
        if header not in owned:
            continue
        col = columns.get(header)
        old = cells[col] if col is not None and col < len(cells) else ""
        if not same(old, new):
            changes.append((header, old, new))
    return tuple(changes)


def member_key(team: str, email: str, name: str) -> tuple[str, str, str]:
    """A member is known by email; only someone listed without one is known by name."""
    email = email.strip().lower()
    return (team, email, "" if email else name.strip())


def members_index(tab: Tab) -> dict[tuple, int]:
    found: dict[tuple, int] = {}
    for row in tab.data_rows():
        key = member_key(str(tab.value(row, L.TEAM_ID)).strip(), str(tab.value(row, "Email")),
                         str(tab.value(row, "Member")))
        if key[0]:
            found.setdefault(key, row)
    return found


def record_key(layout: L.TabLayout, record: Mapping[str, Any]) -> tuple | None:
    """The key of a row holding `record`, as `row_index` will find it; None: no key."""
    if layout.name == L.MEMBERS:
        key = member_key(str(record.get(L.TEAM_ID, "")).strip(), str(record.get("Email", "")),
                         str(record.get("Member", "")))
        return key if key[0] else None
    key = tuple(str(record.get(h, "")).strip() for h in layout.key)
    return key if any(key) else None


def row_index(tab: Tab, layout: L.TabLayout) -> dict[tuple, int]:
    """The row of each key in `tab` (the first, where a key repeats)."""
    return members_index(tab) if layout.name == L.MEMBERS else tab.index_by(layout.key)[0]

"""A1 notation as the Sheets API reads and writes it.

A range names an optional sheet and a rectangle: `'Team ''A'''!A1:B2`, `Roster!A:C`
(unbounded rows), `Roster!2:5` (unbounded columns), `A1:1`, a bare sheet name, or a bare
cell range on the first sheet. Parsing yields zero-based, end-exclusive indexes with
`None` where the range is open; answers quote a sheet title exactly when Google does
(anything but letters, digits and underscores, or a title that itself looks like a cell).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


class RangeSyntaxError(ValueError):
    """The text is not A1 notation."""


@dataclass(frozen=True)
class Rect:
    """Zero-based, end-exclusive bounds; None means open on that side."""

    row0: int | None = None
    row1: int | None = None
    col0: int | None = None
    col1: int | None = None


@dataclass(frozen=True)
class A1:
    """A parsed range: the sheet title (None: the first sheet) and the cells (None: all)."""

    title: str | None
    rect: Rect | None


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    value = 0
    for char in letters.upper():
        value = value * 26 + ord(char) - 64
    return value - 1


def valid_range_name(name: str) -> bool:
    """Google's rules for a named range's name: letters, digits and underscores, not
    starting with a digit, 1 to 250 characters, not TRUE or FALSE, not an A1 or R1C1 cell."""
    return (bool(_PLAIN_TITLE.match(name)) and len(name) <= 250 and name.upper() not in ("TRUE", "FALSE")
            and not _LOOKS_LIKE_CELL.match(name))


def quote_title(title: str) -> str:
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_cells(row0: int, row1: int, col0: int, col1: int) -> str:
    """Bounded cells as A1 (`B2`, `A1:C3`)."""
    start = f"{column_letters(col0)}{row0 + 1}"
    if row1 - row0 <= 1 and col1 - col0 <= 1:
        return start
    return f"{start}:{column_letters(col1 - 1)}{row1}"


def format_range(title: str, row0: int, row1: int, col0: int, col1: int) -> str:
    return f"{quote_title(title)}!{format_cells(row0, row1, col0, col1)}"


def split_title(text: str) -> tuple[str | None, str | None]:
    """`'A b'!C1` -> ("A b", "C1"); `Roster` -> (None, "Roster") to be decided by the caller."""
    if text.startswith("'"):
        end, title = 1, []
        while True:
            quote = text.find("'", end)
            if quote < 0:
                raise RangeSyntaxError(text)
            title.append(text[end:quote])
            if text[quote + 1:quote + 2] == "'":
                title.append("'")
                end = quote + 2
                continue
            rest = text[quote + 1:]
            if rest == "":
                return "".join(title), None
            if not rest.startswith("!"):
                raise RangeSyntaxError(text)
            return "".join(title), rest[1:]
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    return None, text


def parse_cells(text: str) -> Rect:
    """`A1`, `A1:B2`, `A:C`, `2:5`, `A1:C`, `A1:1` -> Rect."""
    parts = text.split(":")
    if len(parts) > 2 or not text:
        raise RangeSyntaxError(text)
    start = _endpoint(parts[0])
    end = _endpoint(parts[1]) if len(parts) == 2 else start
    col0 = start[0] if start[0] is not None else 0
    row0 = start[1] if start[1] is not None else 0
    if len(parts) == 1 and (start[0] is None or start[1] is None):
        raise RangeSyntaxError(text)
    col1 = end[0] + 1 if end[0] is not None else None
    row1 = end[1] + 1 if end[1] is not None else None
    if (col1 is not None and col1 <= col0) or (row1 is not None and row1 <= row0):
        col0, col1 = _ordered(col0, col1)
        row0, row1 = _ordered(row0, row1)
    return Rect(row0, row1, col0, col1)


def _ordered(low: int, high: int | None) -> tuple[int, int | None]:
    """`B2:A1` means `A1:B2`."""
    if high is None or high > low:
        return low, high
    return high - 1, low + 1


def _endpoint(text: str) -> tuple[int | None, int | None]:
    match = _CELL.match(text.strip())
    if not match or not (match.group(1) or match.group(2)):
        raise RangeSyntaxError(text)
    letters, digits = match.groups()
    if digits and int(digits) == 0:
        raise RangeSyntaxError(text)
    return (column_index(letters) if letters else None, int(digits) - 1 if digits else None)


def parse(text: str, titles: list[str]) -> A1:
    """Parse `text` knowing the sheet titles (a bare word may be a title or a cell range)."""
    text = text.strip()
    title, cells = split_title(text)
    if title is None and cells in titles:
        return A1(cells, None)
    if title is not None and cells is None:
        return A1(title, None)
    return A1(title, parse_cells(cells or ""))

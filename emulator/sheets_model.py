"""The "spreadsheet" document: what the emulator keeps for one Google spreadsheet.

Shape (kept compact so a 10,000 x 25 roster stays cheap to store and to change):

    {"spreadsheetId": str,
     "properties": {title, locale, autoRecalc, timeZone, defaultFormat, spreadsheetTheme},
     "namedRanges": [NamedRange], "developerMetadata": [DeveloperMetadata],
     "sheets": [{
        "properties": SheetProperties (sheetId, title, index, sheetType, gridProperties),
        "rows": [[cell, ...], ...],   # row-major, trailing empty rows/cells not stored
        "rowMeta": {"<row>": DimensionProperties}, "colMeta": {"<col>": DimensionProperties},
        "merges", "protectedRanges", "conditionalFormats", "charts", "basicFilter",
        "rowGroups", "columnGroups", "developerMetadata": [...] }]}

A cell is None (empty), a bare str/number/bool (a plain value, the common case), or a dict
with any of "v" (value; {"error": ErrorType} for a formula whose value is an error), "f"
(formula text), "fmt" (userEnteredFormat), "note", "dv" (dataValidation). Ranges inside the document never carry a sheetId; answers add it.
"""
from __future__ import annotations

import copy
import secrets
from typing import Any, Iterator

from .core import ApiError

DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26

_WHITE = {"red": 1, "green": 1, "blue": 1}
_THEME = [("TEXT", {}), ("BACKGROUND", _WHITE),
          ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
          ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
          ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
          ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
          ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
          ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
          ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8})]


class SheetsError(ApiError):
    """Sheets answers errors without Drive's `errors` list, sometimes with `details`."""

    def __init__(self, code: int, message: str, details: list | None = None):
        super().__init__(code, message)
        self.details = details

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def spreadsheet_properties(title: str) -> dict:
    """A new spreadsheet's properties, as Google fills them in for an en_US account."""
    text_format = {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
                   "bold": False, "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}}
    default_format = {"backgroundColor": dict(_WHITE), "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
                      "verticalAlignment": "BOTTOM", "wrapStrategy": "OVERFLOW_CELL", "textFormat": text_format,
                      "backgroundColorStyle": {"rgbColor": dict(_WHITE)}}
    theme = {"primaryFontFamily": "Arial",
             "themeColors": [{"colorType": kind, "color": {"rgbColor": dict(rgb)}} for kind, rgb in _THEME]}
    return {"title": title, "locale": "en_US", "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT",
            "defaultFormat": default_format, "spreadsheetTheme": theme}


def new_sheet(sheet_id: int, title: str, index: int, rows: int = DEFAULT_ROWS, columns: int = DEFAULT_COLUMNS,
              extra: dict | None = None) -> dict:
    if rows < 1 or columns < 1:
        raise SheetsError(400, "A sheet must have at least one row and one column.")
    props = {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
             "gridProperties": {"rowCount": rows, "columnCount": columns}}
    for key, value in (extra or {}).items():
        if key == "gridProperties":
            props["gridProperties"].update(value)
        elif key not in ("sheetId", "index", "sheetType"):
            props[key] = copy.deepcopy(value)
    return {"properties": props, "rows": [], "rowMeta": {}, "colMeta": {}}


def new_document(spreadsheet_id: str, title: str) -> dict:
    return {"spreadsheetId": spreadsheet_id, "properties": spreadsheet_properties(title),
            "sheets": [new_sheet(0, "Sheet1", 0)], "namedRanges": [], "developerMetadata": []}


def new_numeric_id(taken: set[int]) -> int:
    while True:
        candidate = secrets.randbelow(2**31 - 2) + 1
        if candidate not in taken:
            return candidate


# Finding things.
def sheet_by_id(doc: dict, sheet_id: int, where: str = "") -> dict:
    for sheet in doc["sheets"]:
        if sheet["properties"]["sheetId"] == sheet_id:
            return sheet
    raise SheetsError(400, f"{where}No grid with id: {sheet_id}")


def sheet_by_title(doc: dict, title: str) -> dict | None:
    for sheet in doc["sheets"]:
        if sheet["properties"]["title"] == title:
            return sheet
    lowered = title.lower()
    for sheet in doc["sheets"]:
        if sheet["properties"]["title"].lower() == lowered:
            return sheet
    return None


def grid_size(sheet: dict) -> tuple[int, int]:
    grid = sheet["properties"]["gridProperties"]
    return grid["rowCount"], grid["columnCount"]


def renumber(doc: dict) -> None:
    """Keep every sheet's `index` equal to its position."""
    for position, sheet in enumerate(doc["sheets"]):
        sheet["properties"]["index"] = position


# Cells.
def cell_at(sheet: dict, row: int, col: int) -> Any:
    rows = sheet["rows"]
    if row >= len(rows) or col >= len(rows[row]):
        return None
    return rows[row][col]


def put_cell(sheet: dict, row: int, col: int, cell: Any) -> None:
    """Store `cell` (None clears it), keeping trailing empties out of the document."""
    rows = sheet["rows"]
    if cell is None:
        if row < len(rows) and col < len(rows[row]):
            rows[row][col] = None
            trim_row(rows, row)
        return
    if row >= len(rows):
        rows.extend([] for _ in range(row + 1 - len(rows)))
    line = rows[row]
    if col >= len(line):
        line.extend([None] * (col + 1 - len(line)))
    line[col] = cell


def trim_row(rows: list, row: int) -> None:
    line = rows[row]
    while line and line[-1] is None:
        line.pop()
    while rows and not rows[-1]:
        rows.pop()


def trim_all(rows: list) -> None:
    for line in rows:
        while line and line[-1] is None:
            line.pop()
    while rows and not rows[-1]:
        rows.pop()


def iter_cells(sheet: dict, row0: int, row1: int, col0: int, col1: int) -> Iterator[tuple[int, int, Any]]:
    """Stored (non-empty) cells inside the bounds."""
    rows = sheet["rows"]
    for r in range(row0, min(row1, len(rows))):
        line = rows[r]
        for c in range(col0, min(col1, len(line))):
            if line[c] is not None:
                yield r, c, line[c]


def parts(cell: Any) -> dict:
    """The dict form of a cell ({} when empty)."""
    if cell is None:
        return {}
    if isinstance(cell, dict):
        return dict(cell)
    return {"v": cell}


def compact(cell_parts: dict) -> Any:
    """The stored form: None, a bare value, or a dict."""
    kept = {k: v for k, v in cell_parts.items() if v is not None and v != {}}
    if not kept:
        return None
    if set(kept) == {"v"}:
        return kept["v"]
    return kept


def clear_values(sheet: dict, row0: int, row1: int, col0: int, col1: int) -> None:
    """Remove values and formulas, keeping formats, notes and validation (values.clear)."""
    for r, c, cell in list(iter_cells(sheet, row0, row1, col0, col1)):
        kept = parts(cell)
        kept.pop("v", None)
        kept.pop("f", None)
        put_cell(sheet, r, c, compact(kept))

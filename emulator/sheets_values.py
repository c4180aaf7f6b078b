"""The spreadsheets.values.* methods: reading and writing cell values by A1 range.

Answers follow Google's shapes: the `range` echoed back is the requested range clipped to
the grid (`Roster` -> `Roster!A1:Z1000`), trailing empty rows and cells are trimmed and an
empty answer has no `values`. Writes outside the grid fail with Google's "exceeds grid
limits"; append grows the grid instead, as Google does.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import sheets_a1 as a1
from . import sheets_cells as cells
from .sheets_grid import insert_dimension
from .sheets_limits import check_cells
from .sheets_model import (SheetsError, cell_at, clear_values, compact, grid_size, parts, put_cell, sheet_by_id,
                           sheet_by_title)
from .sheets_tables import find_table

_INPUT_OPTIONS = ("RAW", "USER_ENTERED")


@dataclass
class Target:
    """A resolved range: the sheet, bounds filled in from the grid, and whether the end was given."""

    sheet: dict
    row0: int
    row1: int
    col0: int
    col1: int
    anchor: bool  # a single cell: the top-left corner of whatever is written

    @property
    def title(self) -> str:
        return self.sheet["properties"]["title"]

    def a1(self) -> str:
        return a1.format_range(self.title, self.row0, self.row1, self.col0, self.col1)


def resolve(doc: dict, text: str) -> Target:
    """Find the sheet and cells `text` names: a sheet range, a named range, or a named range
    after its sheet's name (`'Roster'!Teams`, as gspread writes every range it is given)."""
    titles = [s["properties"]["title"] for s in doc["sheets"]]
    try:
        parsed = a1.parse(text, titles)
    except a1.RangeSyntaxError:
        parsed = None
    sheet = None
    if parsed is not None:
        sheet = sheet_by_title(doc, parsed.title) if parsed.title is not None else _first_visible(doc)
    if sheet is None:
        return _named(doc, text) if parsed is not None or "!" not in text else _named_on_sheet(doc, text)
    rows, columns = grid_size(sheet)
    rect = parsed.rect or a1.Rect()
    row1 = rect.row1 if rect.row1 is not None else rows
    col1 = rect.col1 if rect.col1 is not None else columns
    single = rect.row1 is not None and rect.col1 is not None and row1 - rect.row0 == 1 and col1 - rect.col0 == 1
    return Target(sheet, rect.row0 or 0, row1, rect.col0 or 0, col1, single)


def _first_visible(doc: dict) -> dict:
    visible = [s for s in doc["sheets"] if not s["properties"].get("hidden")]
    return (visible or doc["sheets"])[0]


def _named(doc: dict, text: str) -> Target:
    """A named range used as an A1 range (names match whatever their case, as in Sheets)."""
    wanted = text.strip().casefold()
    for named in doc.get("namedRanges", []):
        if named["name"].casefold() == wanted:
            grid = named["range"]
            sheet = sheet_by_id(doc, grid.get("sheetId", 0))
            rows, columns = grid_size(sheet)
            return Target(sheet, grid.get("startRowIndex", 0), grid.get("endRowIndex", rows),
                          grid.get("startColumnIndex", 0), grid.get("endColumnIndex", columns), False)
    raise SheetsError(400, f"Unable to parse range: {text}")


def _named_on_sheet(doc: dict, text: str) -> Target:
    try:
        title, name = a1.split_title(text.strip())
    except a1.RangeSyntaxError:
        title = name = None
    target = _named(doc, name or text)
    if title is None or target.title.casefold() != title.casefold():
        raise SheetsError(400, f"Unable to parse range: {text}")
    return target


def clipped(target: Target) -> Target:
    rows, columns = grid_size(target.sheet)
    if target.row0 >= rows or target.col0 >= columns:
        raise _exceeds(target)
    return Target(target.sheet, target.row0, min(target.row1, rows), target.col0, min(target.col1, columns),
                  target.anchor)


def _exceeds(target: Target) -> SheetsError:
    rows, columns = grid_size(target.sheet)
    return SheetsError(400, f"Range ({a1.quote_title(target.title)}!"
                            f"{a1.format_cells(target.row0, target.row1, target.col0, target.col1)}) "
                            f"exceeds grid limits. Max rows: {rows}, max columns: {columns}")


# Reading.
def value_range(doc: dict, text: str, render: str = "FORMATTED_VALUE", major: str = "ROWS",
                date_option: str | None = None) -> dict:
    target = clipped(resolve(doc, text))
    values = read_block(target, render or "FORMATTED_VALUE", date_option)
    if (major or "ROWS") == "COLUMNS":
        values = _trim([list(col) for col in zip(*[row + [""] * (_width(values) - len(row)) for row in values])])
    answer = {"range": target.a1(), "majorDimension": major or "ROWS"}
    if values:
        answer["values"] = values
    return answer


def read_block(target: Target, render: str, date_option: str | None = None) -> list[list]:
    rows = target.sheet["rows"]
    out = []
    for r in range(target.row0, min(target.row1, len(rows))):
        line = rows[r]
        out.append([cells.rendered(parts(line[c]), render, date_option) if line[c] is not None else ""
                    for c in range(target.col0, min(target.col1, len(line)))])
    return _trim(out)


def _width(rows: list[list]) -> int:
    return max((len(row) for row in rows), default=0)


def _trim(rows: list[list]) -> list[list]:
    for row in rows:
        while row and row[-1] in ("", None):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def clear(doc: dict, text: str) -> str:
    """values.clear: remove values and formulas (formats and notes stay); answers the range."""
    target = clipped(resolve(doc, text))
    clear_values(target.sheet, target.row0, target.row1, target.col0, target.col1)
    return target.a1()


# Writing.
def input_option(option: str | None) -> str:
    if not option:
        raise SheetsError(400, "'valueInputOption' is required but not specified")
    if option not in _INPUT_OPTIONS:
        raise SheetsError(400, f"Invalid value at 'value_input_option' ({option})")
    return option


def checked_values(body: dict, field: str = "data.values") -> list[list]:
    """The `values` of a ValueRange, oriented as rows; Google's 400 for anything else."""
    values = body.get("values")
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        message = f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), {_json(values)}"
        raise SheetsError(400, message, [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                          "fieldViolations": [{"field": field, "description": message}]}])
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if isinstance(value, (list, dict)):
                kind = "list_value" if isinstance(value, list) else "struct_value"
                raise SheetsError(400, f"Invalid values[{r}][{c}]: {kind} {_json(value)} (a cell holds a string, "
                                       "a number or a boolean)")
    if body.get("majorDimension") == "COLUMNS":
        width = _width(values)
        return [[col[r] if r < len(col) else None for col in values] for r in range(width)]
    return values


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_block(target: Target, values: list[list], option: str, doc_id: str, *, grow: bool = False,
                written: set | None = None) -> dict:
    """Write `values` with their top-left at the target; answers an UpdateValuesResponse.
    A null value leaves its cell alone and is not counted; an empty string clears one and
    is. `written` collects (sheetId, row, column) of every cell written."""
    height, width = len(values), _width(values)
    if not target.anchor and (height > target.row1 - target.row0 or width > target.col1 - target.col0):
        raise _outside(target, height, width)
    end = Target(target.sheet, target.row0, target.row0 + height, target.col0, target.col0 + width, False)
    _fit_grid(end, grow)
    parse = cells.from_raw if option == "RAW" else cells.from_user_entered
    counted_rows, counted_cols, count = set(), set(), 0
    for dr, row in enumerate(values):
        for dc, value in enumerate(row):
            if value is None:
                continue
            store_input(target.sheet, target.row0 + dr, target.col0 + dc, parse(value))
            counted_rows.add(dr), counted_cols.add(dc)
            count += 1
            if written is not None:
                written.add((target.sheet["properties"]["sheetId"], target.row0 + dr, target.col0 + dc))
    answer = {"spreadsheetId": doc_id}
    if height and width:
        answer["updatedRange"] = end.a1()
        counts = {"updatedRows": len(counted_rows), "updatedColumns": len(counted_cols), "updatedCells": count}
        answer.update({key: n for key, n in counts.items() if n})  # Google leaves zero counts out
    return answer


def _outside(target: Target, height: int, width: int) -> SheetsError:
    if height > target.row1 - target.row0:
        where = f"row [{target.row1 + 1}]"
    else:
        where = f"column [{a1.column_letters(target.col1)}]"
    return SheetsError(400, f"Requested writing within range [{target.a1()}], but tried writing to {where}")


def _fit_grid(end: Target, grow: bool) -> None:
    rows, columns = grid_size(end.sheet)
    if end.row1 <= rows and end.col1 <= columns:
        return
    if not grow:
        raise _exceeds(end)
    grid = end.sheet["properties"]["gridProperties"]
    grid["rowCount"], grid["columnCount"] = max(rows, end.row1), max(columns, end.col1)


def store_input(sheet: dict, row: int, col: int, new: dict) -> None:
    """Replace a cell's value and formula, keeping its note, validation and format."""
    kept = parts(cell_at(sheet, row, col))
    kept.pop("v", None)
    kept.pop("f", None)
    if "fmt" in new:
        kept["fmt"] = {**kept.get("fmt", {}), **new["fmt"]}
    kept.update({k: v for k, v in new.items() if k != "fmt"})
    put_cell(sheet, row, col, compact(kept))


def append(doc: dict, text: str, body: dict, option: str, insert_rows: bool) -> dict:
    """values.append: write after the table found in the range, growing the grid as needed."""
    values = checked_values(body)
    target = clipped(resolve(doc, text))
    table = find_table(target.sheet, target.row0, target.row1, target.col0, target.col1)
    row, col = (table[1], table[2]) if table else (target.row0, target.col0)
    if insert_rows and values:
        insert_dimension(target.sheet, "ROWS", row, row + len(values))
    start = Target(target.sheet, row, row + 1, col, col + 1, True)
    answer = {"spreadsheetId": doc["spreadsheetId"]}
    if table:
        answer["tableRange"] = a1.format_range(target.title, *table)
    answer["updates"] = write_block(start, values, option, doc["spreadsheetId"], grow=True)
    check_cells(doc)
    return answer

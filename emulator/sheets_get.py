"""The Spreadsheet resource as `spreadsheets.get` (and create) answer it.

Grid data is built only when asked for (`includeGridData=true`, or a `fields` mask that
reaches into `sheets.data`), and only the parts the mask names, so reading the properties
of a 10,000-row roster does not walk its cells.
"""
from __future__ import annotations

import copy

from . import sheets_cells as cells
from .core import parse_fields
from .sheets_grid import COLUMN_PIXELS, ROW_PIXELS, answered_range
from .sheets_model import parts
from .sheets_values import Target, clipped, resolve

_SHEET_LISTS = ("merges", "conditionalFormats", "protectedRanges", "charts", "developerMetadata")
_FALSE_DEFAULTS = ("hidden", "rightToLeft", "hideGridlines")
_ZERO_DEFAULTS = ("frozenRowCount", "frozenColumnCount")


def spreadsheet_json(doc: dict, ranges: list[str] | None = None, include_grid: bool = False,
                     fields: str | None = None) -> dict:
    want = _grid_parts(fields, include_grid)
    targets = [clipped(resolve(doc, text)) for text in ranges or []]
    sheets = []
    for sheet in doc["sheets"]:
        mine = [t for t in targets if t.sheet is sheet]
        if targets and not mine:
            continue
        if not mine:
            rows, columns = sheet["properties"]["gridProperties"]["rowCount"], sheet["properties"][
                "gridProperties"]["columnCount"]
            mine = [Target(sheet, 0, rows, 0, columns, False)]
        sheets.append(sheet_json(sheet, mine if want else [], want))
    answer = {"spreadsheetId": doc["spreadsheetId"], "properties": copy.deepcopy(doc["properties"]),
              "sheets": sheets}
    for key in ("namedRanges", "developerMetadata"):
        if doc.get(key):
            answer[key] = copy.deepcopy(doc[key])
    answer["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{doc['spreadsheetId']}/edit"
    return answer


def _grid_parts(fields: str | None, include_grid: bool) -> set[str]:
    """Which GridData parts to build: rowData, rowMetadata, columnMetadata."""
    every = {"rowData", "rowMetadata", "columnMetadata"}
    if not fields:
        return every if include_grid else set()
    tree = parse_fields(fields)
    if "*" in tree:
        return every
    data = (tree.get("sheets") or {}).get("data")
    if data is None:
        return set()
    if not data or "*" in data:
        return every
    return every & set(data)


def sheet_json(sheet: dict, targets: list[Target], want: set[str]) -> dict:
    sheet_id = sheet["properties"]["sheetId"]
    answer = {"properties": sheet_properties(sheet)}
    if targets:
        answer["data"] = [grid_data(t, want) for t in targets]
    for key in _SHEET_LISTS:
        if sheet.get(key):
            answer[key] = [_with_sheet_id(item, key, sheet_id) for item in sheet[key]]
    for key in ("rowGroups", "columnGroups"):
        if sheet.get(key):
            answer[key] = [_group_json(group, sheet_id) for group in sheet[key]]
    return answer


def sheet_properties(sheet: dict) -> dict:
    """SheetProperties without the fields Google leaves out at their default."""
    props = copy.deepcopy(sheet["properties"])
    grid = props.get("gridProperties", {})
    for holder in (props, grid):
        for key in _FALSE_DEFAULTS:
            if holder.get(key) is False:
                del holder[key]
        for key in _ZERO_DEFAULTS:
            if holder.get(key) == 0:
                del holder[key]
    return props


def _with_sheet_id(item: dict, key: str, sheet_id: int) -> dict:
    item = copy.deepcopy(item)
    if key == "merges":
        return answered_range(item, sheet_id)
    if key == "protectedRanges":
        item["range"] = answered_range(item["range"], sheet_id)
    if key == "conditionalFormats":
        item["ranges"] = [answered_range(r, sheet_id) for r in item.get("ranges", [])]
    return item


def _group_json(group: dict, sheet_id: int) -> dict:
    group = copy.deepcopy(group)
    group["range"] = {**({"sheetId": sheet_id} if sheet_id else {}), **group["range"]}
    return group


def grid_data(target: Target, want: set[str]) -> dict:
    data: dict = {}
    if target.row0:
        data["startRow"] = target.row0
    if target.col0:
        data["startColumn"] = target.col0
    if "rowData" in want:
        row_data = _row_data(target)
        if row_data:
            data["rowData"] = row_data
    if "rowMetadata" in want:
        data["rowMetadata"] = _dimension_meta(target.sheet["rowMeta"], target.row0, target.row1, ROW_PIXELS)
    if "columnMetadata" in want:
        data["columnMetadata"] = _dimension_meta(target.sheet["colMeta"], target.col0, target.col1, COLUMN_PIXELS)
    return data


def _row_data(target: Target) -> list[dict]:
    rows = target.sheet["rows"]
    out = []
    for r in range(target.row0, min(target.row1, len(rows))):
        line = rows[r]
        values = [cell_data(line[c]) for c in range(target.col0, min(target.col1, len(line)))]
        out.append({"values": values} if values else {})
    while out and not out[-1]:
        out.pop()
    return out


def _dimension_meta(meta: dict, start: int, end: int, default_pixels: int) -> list[dict]:
    return [{"pixelSize": default_pixels, **meta.get(str(i), {})} for i in range(start, end)]


def cell_data(cell) -> dict:
    """CellData JSON for a stored cell."""
    if cell is None:
        return {}
    stored = parts(cell)
    answer: dict = {}
    if stored.get("f"):
        answer["userEnteredValue"] = {"formulaValue": stored["f"]}
    elif stored.get("v") is not None:
        answer["userEnteredValue"] = cells.extended_value(stored["v"])
    if stored.get("v") is not None:
        answer["effectiveValue"] = cells.extended_value(stored["v"])
        answer["formattedValue"] = cells.formatted(stored)
    if stored.get("fmt"):
        answer["userEnteredFormat"] = copy.deepcopy(stored["fmt"])
    if stored.get("note"):
        answer["note"] = stored["note"]
    if stored.get("dv"):
        answer["dataValidation"] = copy.deepcopy(stored["dv"])
    return answer

"""The Spreadsheet resource as `spreadsheets.get` (and create) answer it.

Grid data is built only when asked for (`includeGridData=true`, or a `fields` mask that
reaches into `sheets.data`), and only the parts the mask names, so reading the properties
of a 10,000-row roster does not walk its cells.
"""
from __future__ import annotations

import copy

from . import sheets_cells as cells
from .core import parse_fields
from .sheets_effective import effective_format, effective_value
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
        default_format = doc["properties"].get("defaultFormat", {}) if "effectiveFormat" in want else None
        sheets.append(sheet_json(sheet, mine if want else [], want, default_format))
    answer = {"spreadsheetId": doc["spreadsheetId"], "properties": copy.deepcopy(doc["properties"]),
              "sheets": sheets}
    for key in ("namedRanges", "developerMetadata"):
        if doc.get(key):
            answer[key] = copy.deepcopy(doc[key])
    answer["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{doc['spreadsheetId']}/edit"
    return answer


def _grid_parts(fields: str | None, include_grid: bool) -> set[str]:
    """Which GridData parts to build: rowData, rowMetadata, columnMetadata, and whether
    cells need their effectiveFormat (the costly part of a 10,000-row roster's cells)."""
    every = {"rowData", "rowMetadata", "columnMetadata", "effectiveFormat"}
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
    values = (data.get("rowData") or {}).get("values") if data.get("rowData") else None
    whole_cells = "rowData" in data and (not data["rowData"] or values == {} or "*" in (values or {}))
    return (every & set(data)) | ({"effectiveFormat"} if whole_cells or "effectiveFormat" in (values or {}) else set())


def sheet_json(sheet: dict, targets: list[Target], want: set[str], default_format: dict | None) -> dict:
    sheet_id = sheet["properties"]["sheetId"]
    answer = {"properties": sheet_properties(sheet)}
    if targets:
        answer["data"] = [grid_data(t, want, default_format) for t in targets]
    for key in _SHEET_LISTS:
        if sheet.get(key):
            answer[key] = [_with_sheet_id(item, key, sheet_id) for item in sheet[key]]
    for key in ("rowGroups", "columnGroups"):
        if sheet.get(key):
            answer[key] = [_group_json(group, sheet_id) for group in sheet[key]]
    if "basicFilter" in sheet:
        answer["basicFilter"] = {**copy.deepcopy(sheet["basicFilter"]),
                                 "range": answered_range(sheet["basicFilter"]["range"], sheet_id)}
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


def grid_data(target: Target, want: set[str], default_format: dict | None) -> dict:
    data: dict = {}
    if target.row0:
        data["startRow"] = target.row0
    if target.col0:
        data["startColumn"] = target.col0
    if "rowData" in want:
        row_data = _row_data(target, default_format)
        if row_data:
            data["rowData"] = row_data
    if "rowMetadata" in want:
        data["rowMetadata"] = _dimension_meta(target.sheet["rowMeta"], target.row0, target.row1, ROW_PIXELS,
                                              _tags(target.sheet, "ROWS"))
    if "columnMetadata" in want:
        data["columnMetadata"] = _dimension_meta(target.sheet["colMeta"], target.col0, target.col1, COLUMN_PIXELS,
                                                 _tags(target.sheet, "COLUMNS"))
    return data


def _tags(sheet: dict, dimension: str) -> dict[int, list[dict]]:
    """Developer metadata on one row (or column), by its index: Google answers it in that
    row's DimensionProperties.developerMetadata."""
    out: dict[int, list[dict]] = {}
    for entry in sheet.get("dimensionMetadata", []):
        span = entry["location"]["dimensionRange"]
        first = span.get("startIndex", 0)
        if span.get("dimension", "ROWS") == dimension and span.get("endIndex") == first + 1:
            out.setdefault(first, []).append(copy.deepcopy(entry))
    return out


def _row_data(target: Target, default_format: dict | None) -> list[dict]:
    rows = target.sheet["rows"]
    out = []
    for r in range(target.row0, min(target.row1, len(rows))):
        line = rows[r]
        values = [cell_data(line[c], default_format) for c in range(target.col0, min(target.col1, len(line)))]
        out.append({"values": values} if values else {})
    while out and not out[-1]:
        out.pop()
    return out


def _dimension_meta(meta: dict, start: int, end: int, default_pixels: int,
                    tags: dict[int, list[dict]]) -> list[dict]:
    out = [{"pixelSize": default_pixels, **meta.get(str(i), {})} for i in range(start, end)]
    for index, entries in tags.items():
        if start <= index < end:
            out[index - start]["developerMetadata"] = entries
    return out


def cell_data(cell, default_format: dict | None) -> dict:
    """CellData JSON for a stored cell (emulator/sheets_effective.py says what is effective)."""
    if cell is None:
        return {}
    stored = parts(cell)
    answer: dict = {}
    if stored.get("f"):
        answer["userEnteredValue"] = {"formulaValue": stored["f"]}
    elif stored.get("v") is not None:
        answer["userEnteredValue"] = cells.extended_value(stored["v"])
    if stored.get("v") is not None:
        answer["effectiveValue"] = effective_value(stored)
        answer["formattedValue"] = cells.formatted(stored)
    if stored.get("fmt"):
        answer["userEnteredFormat"] = copy.deepcopy(stored["fmt"])
    effective = effective_format(default_format, stored) if default_format is not None else None
    if effective:
        answer["effectiveFormat"] = effective
    if stored.get("note"):
        answer["note"] = stored["note"]
    if stored.get("dv"):
        answer["dataValidation"] = copy.deepcopy(stored["dv"])
    return answer

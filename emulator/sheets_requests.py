"""spreadsheets.batchUpdate: the request kinds that change sheets, cells and the grid.

Requests run in order inside one store transaction, so a failing request leaves the
spreadsheet untouched, and the answer carries one reply per request in order (`{}` for
kinds without a reply), as Google's does. Kinds that attach things to a sheet (protected
ranges, named ranges, charts, metadata, validation) live in `sheets_objects`.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Callable

from . import sheets_cells as cells
from . import sheets_grid as grid
from . import sheets_limits as limits
from .core import parse_fields
from .sheets_get import sheet_properties
from .sheets_model import (SheetsError, cell_at, compact, new_numeric_id, new_sheet, parts, put_cell, renumber,
                           sheet_by_id, sheet_by_title)


class RequestError(Exception):
    """A request Google refuses; the dispatcher adds `Invalid requests[i].kind: `."""


@dataclass
class Context:
    doc: dict
    user_email: str


HANDLERS: dict[str, Callable[[Context, dict], dict | None]] = {}


def handles(kind: str):
    def register(fn):
        HANDLERS[kind] = fn
        return fn
    return register


@functools.lru_cache(maxsize=1)
def google_kinds() -> frozenset[str]:
    """Every request kind of Google's batchUpdate, from its discovery document."""
    from .schema import document

    return frozenset(document("sheets")["schemas"]["Request"]["properties"])


def run(ctx: Context, requests: list[dict]) -> list[dict]:
    replies = []
    for position, request in enumerate(requests):
        if len(request) != 1:
            raise SheetsError(400, f"Invalid requests[{position}]: exactly one kind of request must be set")
        kind, body = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None and kind in google_kinds():
            raise SheetsError(400, f"Invalid requests[{position}].{kind}: Google carries out this kind of "
                                   "request; the emulator does not (docs/emulator-gaps.md).")
        if handler is None:
            raise SheetsError(400, "Invalid JSON payload received. "
                                   f"Unknown name \"{kind}\" at 'requests[{position}]': Cannot find field.")
        try:
            reply = handler(ctx, body or {})
            limits.check_cells(ctx.doc)
        except RequestError as err:
            raise SheetsError(400, f"Invalid requests[{position}].{kind}: {err}") from None
        except SheetsError as err:
            raise SheetsError(err.code, f"Invalid requests[{position}].{kind}: {err.message}") from None
        replies.append({kind: reply} if reply is not None else {})
    return replies


def masked_update(target: dict, source: dict, fields: str | dict) -> None:
    """Copy the fields a mask names from `source` onto `target`; named but absent fields are cleared."""
    tree = parse_fields(fields) if isinstance(fields, str) else fields
    if not tree:
        raise RequestError("At least one field must be specified.")
    for name, sub in tree.items():
        if name == "*":
            target.clear()
            target.update(copy.deepcopy(source))
        elif not sub:
            if name in source:
                target[name] = copy.deepcopy(source[name])
            else:
                target.pop(name, None)
        else:
            masked_update(target.setdefault(name, {}), source.get(name) or {}, sub)


def sheet_of(ctx: Context, grid_range: dict) -> dict:
    return sheet_by_id(ctx.doc, grid_range.get("sheetId", 0))


# Sheets.
@handles("addSheet")
def add_sheet(ctx: Context, body: dict) -> dict:
    props = body.get("properties", {})
    taken = {s["properties"]["sheetId"] for s in ctx.doc["sheets"]}
    sheet_id = props.get("sheetId", new_numeric_id(taken))
    if sheet_id in taken:
        raise RequestError(f"A sheet with id {sheet_id} already exists.")
    title = props.get("title") or _free_title(ctx.doc)
    if sheet_by_title(ctx.doc, title) is not None:
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    grid_props = props.get("gridProperties", {})
    sheet = new_sheet(sheet_id, title, 0, grid_props.get("rowCount", 1000), grid_props.get("columnCount", 26), props)
    index = limits.position(props.get("index", len(ctx.doc["sheets"])), len(ctx.doc["sheets"]), "properties.index")
    ctx.doc["sheets"].insert(index, sheet)
    renumber(ctx.doc)
    return {"properties": sheet_properties(sheet)}


def _free_title(doc: dict) -> str:
    n = len(doc["sheets"]) + 1
    while sheet_by_title(doc, f"Sheet{n}") is not None:
        n += 1
    return f"Sheet{n}"


@handles("deleteSheet")
def delete_sheet(ctx: Context, body: dict) -> None:
    sheet = sheet_by_id(ctx.doc, body.get("sheetId", 0))
    if len(ctx.doc["sheets"]) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    ctx.doc["sheets"].remove(sheet)
    sheet_id = sheet["properties"]["sheetId"]
    ctx.doc["namedRanges"] = [n for n in ctx.doc.get("namedRanges", []) if n["range"].get("sheetId", 0) != sheet_id]
    renumber(ctx.doc)


@handles("duplicateSheet")
def duplicate_sheet(ctx: Context, body: dict) -> dict:
    source = sheet_by_id(ctx.doc, body.get("sourceSheetId", 0))
    taken = {s["properties"]["sheetId"] for s in ctx.doc["sheets"]}
    sheet = copy.deepcopy(source)
    sheet["properties"]["sheetId"] = body.get("newSheetId", new_numeric_id(taken))
    if sheet["properties"]["sheetId"] in taken:
        raise RequestError(f"A sheet with id {sheet['properties']['sheetId']} already exists.")
    sheet["properties"]["title"] = body.get("newSheetName") or f"Copy of {source['properties']['title']}"
    if sheet_by_title(ctx.doc, sheet["properties"]["title"]) is not None:
        raise RequestError(f'A sheet with the name "{sheet["properties"]["title"]}" already exists.')
    index = limits.position(body.get("insertSheetIndex", len(ctx.doc["sheets"])), len(ctx.doc["sheets"]),
                            "insertSheetIndex")
    ctx.doc["sheets"].insert(index, sheet)
    renumber(ctx.doc)
    return {"properties": sheet_properties(sheet)}


@handles("updateSheetProperties")
def update_sheet_properties(ctx: Context, body: dict) -> None:
    wanted = body.get("properties", {})
    sheet = sheet_by_id(ctx.doc, wanted.get("sheetId", 0))
    props = copy.deepcopy(sheet["properties"])
    masked_update(props, wanted, body.get("fields", ""))
    props["sheetId"] = sheet["properties"]["sheetId"]
    if props.get("title") != sheet["properties"]["title"]:
        other = sheet_by_title(ctx.doc, props.get("title") or "")
        if not props.get("title") or (other is not None and other is not sheet):
            raise RequestError(f'A sheet with the name "{props.get("title")}" already exists.')
    if props.get("hidden") and all(s["properties"].get("hidden") for s in ctx.doc["sheets"] if s is not sheet):
        raise RequestError("You can't hide all the sheets in a document.")
    grid_props = props.setdefault("gridProperties", {})
    _resize(ctx, sheet, grid_props.get("rowCount", 0), grid_props.get("columnCount", 0))
    position = props.pop("index", sheet["properties"]["index"])
    sheet["properties"] = {**props, "index": sheet["properties"]["index"]}
    _move(ctx.doc, sheet, position)


def _resize(ctx: Context, sheet: dict, rows: int, columns: int) -> None:
    if rows < 1 or columns < 1:
        raise RequestError("A sheet must have at least one row and one column.")
    grid_props = sheet["properties"]["gridProperties"]
    for dimension, size_key, wanted in (("ROWS", "rowCount", rows), ("COLUMNS", "columnCount", columns)):
        if wanted < grid_props[size_key]:
            grid.delete_dimension(sheet, dimension, wanted, grid_props[size_key], ctx.doc)
        grid_props[size_key] = wanted


def _move(doc: dict, sheet: dict, position: int) -> None:
    doc["sheets"].remove(sheet)
    doc["sheets"].insert(max(0, min(position, len(doc["sheets"]))), sheet)
    renumber(doc)


@handles("updateSpreadsheetProperties")
def update_spreadsheet_properties(ctx: Context, body: dict) -> None:
    masked_update(ctx.doc["properties"], body.get("properties", {}), body.get("fields", ""))
    if not ctx.doc["properties"].get("title"):
        raise RequestError("A spreadsheet must have a title.")


# Rows and columns.
def _dimension_range(ctx: Context, body: dict, *, inserting: bool = False) -> tuple[dict, str, int, int]:
    sheet = sheet_of(ctx, body)
    return (sheet, *limits.dimension_span(sheet, body, inserting=inserting))


@handles("insertDimension")
def insert_dimension(ctx: Context, body: dict) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, body.get("range", {}), inserting=True)
    limits.check_cells(ctx.doc, limits.growth(sheet, dimension, end - start))
    grid.insert_dimension(sheet, dimension, start, end, ctx.doc)


@handles("deleteDimension")
def delete_dimension(ctx: Context, body: dict) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, body.get("range", {}))
    size_key = "rowCount" if dimension == "ROWS" else "columnCount"
    if start == 0 and end >= sheet["properties"]["gridProperties"][size_key]:
        raise RequestError(f"You can't delete all the {dimension.lower()} on the sheet.")
    grid.delete_dimension(sheet, dimension, start, end, ctx.doc)


@handles("appendDimension")
def append_dimension(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body)
    dimension, length = body.get("dimension", "ROWS"), body.get("length", 0)
    if length < 1:
        raise RequestError(f"length must be at least 1; got {length}.")
    limits.check_cells(ctx.doc, limits.growth(sheet, dimension, length))
    sheet["properties"]["gridProperties"]["rowCount" if dimension == "ROWS" else "columnCount"] += length


@handles("updateDimensionProperties")
def update_dimension_properties(ctx: Context, body: dict) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, body.get("range", {}))
    meta = sheet["rowMeta" if dimension == "ROWS" else "colMeta"]
    tree = parse_fields(body.get("fields", ""))
    for index in range(start, end):
        props = meta.get(str(index), {})
        masked_update(props, body.get("properties", {}), tree)
        if props.get("hiddenByUser") is False:
            del props["hiddenByUser"]
        if props:
            meta[str(index)] = props
        else:
            meta.pop(str(index), None)


@handles("autoResizeDimensions")
def auto_resize_dimensions(ctx: Context, body: dict) -> None:
    sheet, dimension, start, end = _dimension_range(ctx, body.get("dimensions", {}))
    grid.auto_resize(sheet, dimension, start, end)


# Cells.
@handles("updateCells")
def update_cells(ctx: Context, body: dict) -> None:
    tree = parse_fields(body.get("fields", ""))
    if "range" in body:
        sheet = sheet_of(ctx, body["range"])
        row0, row1, col0, col1 = grid.bounds(sheet, body["range"])
    else:
        start = body.get("start", {})
        sheet, row0, col0 = sheet_of(ctx, start), start.get("rowIndex", 0), start.get("columnIndex", 0)
        row1 = row0 + len(body.get("rows", []))
        col1 = col0 + max((len(r.get("values", [])) for r in body.get("rows", [])), default=0)
        limits.in_grid(sheet, row0, col0, row1 - row0, col1 - col0)
    rows = body.get("rows", [])
    for r in range(row0, row1):
        values = rows[r - row0].get("values", []) if r - row0 < len(rows) else []
        for c in range(col0, col1):
            apply_cell(sheet, r, c, values[c - col0] if c - col0 < len(values) else {}, tree)


@handles("repeatCell")
def repeat_cell(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body.get("range", {}))
    tree = parse_fields(body.get("fields", ""))
    row0, row1, col0, col1 = grid.bounds(sheet, body.get("range", {}))
    for r in range(row0, row1):
        for c in range(col0, col1):
            apply_cell(sheet, r, c, body.get("cell", {}), tree)


_CELL_PARTS = {"userEnteredFormat": "fmt", "note": "note", "dataValidation": "dv"}


def apply_cell(sheet: dict, row: int, col: int, data: dict, tree: dict) -> None:
    """Apply CellData `data` to one cell under a field mask."""
    stored = parts(cell_at(sheet, row, col))
    names = ["userEnteredValue", *_CELL_PARTS] if "*" in tree else list(tree)
    for name in names:
        if name == "userEnteredValue":
            for key in ("v", "f"):
                stored.pop(key, None)
            stored.update(cells.from_extended_value(data.get(name) or {}))
        elif name == "userEnteredFormat":
            fmt = stored.get("fmt", {})
            masked_update(fmt, data.get(name) or {}, tree.get(name) or {"*": {}})
            stored["fmt"] = with_color_styles(fmt)
        elif name in _CELL_PARTS:
            stored[_CELL_PARTS[name]] = copy.deepcopy(data.get(name)) or None
    put_cell(sheet, row, col, compact(stored))


def with_color_styles(fmt: dict) -> dict:
    """Google mirrors each color into its `...Style` twin (`backgroundColorStyle.rgbColor`)."""
    if "backgroundColor" in fmt:
        fmt["backgroundColorStyle"] = {"rgbColor": copy.deepcopy(fmt["backgroundColor"])}
    text = fmt.get("textFormat") or {}
    if "foregroundColor" in text:
        text["foregroundColorStyle"] = {"rgbColor": copy.deepcopy(text["foregroundColor"])}
    return fmt


@handles("mergeCells")
def merge_cells(ctx: Context, body: dict) -> None:
    grid.merge(sheet_of(ctx, body.get("range", {})), body.get("range", {}), body.get("mergeType", "MERGE_ALL"))


@handles("unmergeCells")
def unmerge_cells(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body.get("range", {}))
    grid.unmerge(sheet, body.get("range", {}))


from . import sheets_filters, sheets_metadata, sheets_objects  # noqa: E402,F401  (they register their kinds)

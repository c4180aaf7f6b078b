"""Grid geometry: inserting and deleting rows or columns, merges, copy and cut, and the
GridData a `spreadsheets.get` with grid data answers.

Inserting or deleting rows shifts everything anchored to them (values, row sizes and
hidden flags, merges, protected and named ranges, developer metadata on rows or columns),
as it does in the Sheets UI, so a roster a coordinator reshaped keeps its merges and
protections where they were. Google's reference on DeveloperMetadata: metadata on row 5
stays with that row when a row is inserted above it (it is then on row 6), and "if the
associated object is deleted its metadata is deleted too".
"""
from __future__ import annotations

from typing import Any, Iterator

from . import sheets_cells as cells
from .sheets_limits import grid_bounds
from .sheets_model import cell_at, compact, grid_size, iter_cells, parts, put_cell, trim_all

ROW_PIXELS, COLUMN_PIXELS = 21, 100
_KEYS = {"ROWS": ("startRowIndex", "endRowIndex", "rowCount", "rowMeta"),
         "COLUMNS": ("startColumnIndex", "endColumnIndex", "columnCount", "colMeta")}


def bounds(sheet: dict, grid: dict) -> tuple[int, int, int, int]:
    """A GridRange's (row0, row1, col0, col1), open sides filled from the grid; a range
    off the sheet is refused (emulator/sheets_limits.py)."""
    return grid_bounds(sheet, grid)


def stored_range(grid: dict) -> dict:
    """A GridRange as kept in the document (no sheetId)."""
    return {k: v for k, v in grid.items() if k != "sheetId"}


def answered_range(grid: dict, sheet_id: int) -> dict:
    """A GridRange as Google answers it: sheetId 0 is left out."""
    return {**({"sheetId": sheet_id} if sheet_id else {}), **grid}


def anchored_ranges(sheet: dict, doc: dict | None = None) -> Iterator[dict]:
    """Every stored GridRange that must follow inserted or deleted rows and columns."""
    yield from sheet.get("merges", [])
    for protected in sheet.get("protectedRanges", []):
        yield protected["range"]
    for rule in sheet.get("conditionalFormats", []):
        yield from rule.get("ranges", [])
    if "basicFilter" in sheet:
        yield sheet["basicFilter"]["range"]
    for named in (doc or {}).get("namedRanges", []):
        if named["range"].get("sheetId", 0) == sheet["properties"]["sheetId"]:
            yield named["range"]


# Rows and columns.
def insert_dimension(sheet: dict, dimension: str, start: int, end: int, doc: dict | None = None) -> None:
    count = end - start
    start_key, end_key, size_key, meta_key = _KEYS[dimension]
    rows = sheet["rows"]
    if dimension == "ROWS":
        if start < len(rows):
            rows[start:start] = [[] for _ in range(count)]
    else:
        for line in rows:
            if start < len(line):
                line[start:start] = [None] * count
    sheet[meta_key] = {str(int(k) + count if int(k) >= start else int(k)): v for k, v in sheet[meta_key].items()}
    for grid in anchored_ranges(sheet, doc):
        if grid.get(start_key, 0) >= start:
            grid[start_key] = grid.get(start_key, 0) + count
        if end_key in grid and grid[end_key] > start:
            grid[end_key] += count
    for span in dimension_spans(sheet, dimension):
        if span.get("startIndex", 0) >= start:
            span["startIndex"] = span.get("startIndex", 0) + count
        if span.get("endIndex", 0) > start:
            span["endIndex"] += count
    sheet["properties"]["gridProperties"][size_key] += count


def dimension_spans(sheet: dict, dimension: str) -> list[dict]:
    """The dimensionRange of every developer metadata entry on rows (or columns) of `sheet`."""
    return [entry["location"]["dimensionRange"] for entry in sheet.get("dimensionMetadata", [])
            if entry["location"]["dimensionRange"].get("dimension", "ROWS") == dimension]


def _delete_spans(sheet: dict, dimension: str, start: int, end: int) -> None:
    """Metadata on deleted rows (or columns) goes with them; the rest follows its rows."""
    kept = []
    for entry in sheet.get("dimensionMetadata", []):
        span = entry["location"]["dimensionRange"]
        if span.get("dimension", "ROWS") == dimension:
            first, last = _shift_out(span.get("startIndex", 0), start, end), _shift_out(span["endIndex"], start, end)
            if first >= last:
                continue
            span["startIndex"], span["endIndex"] = first, last
        kept.append(entry)
    if "dimensionMetadata" in sheet:
        sheet["dimensionMetadata"] = kept


def delete_dimension(sheet: dict, dimension: str, start: int, end: int, doc: dict | None = None) -> None:
    start_key, end_key, size_key, meta_key = _KEYS[dimension]
    end = min(end, sheet["properties"]["gridProperties"][size_key])
    count = end - start
    rows = sheet["rows"]
    if dimension == "ROWS":
        del rows[start:end]
    else:
        for line in rows:
            del line[start:end]
    trim_all(rows)
    sheet[meta_key] = {str(_shift_out(int(k), start, end)): v for k, v in sheet[meta_key].items()
                       if not start <= int(k) < end}
    for grid in anchored_ranges(sheet, doc):
        grid[start_key] = _shift_out(grid.get(start_key, 0), start, end)
        if end_key in grid:
            grid[end_key] = _shift_out(grid[end_key], start, end)
    sheet["merges"] = [m for m in sheet.get("merges", [])
                       if m[end_key] > m[start_key] and _area(m) > 1]
    _delete_spans(sheet, dimension, start, end)
    sheet["properties"]["gridProperties"][size_key] -= count


def _shift_out(index: int, start: int, end: int) -> int:
    if index <= start:
        return index
    return max(start, index - (end - start))


def _area(grid: dict) -> int:
    return (grid["endRowIndex"] - grid["startRowIndex"]) * (grid["endColumnIndex"] - grid["startColumnIndex"])


# Merges.
def merge(sheet: dict, grid: dict, merge_type: str) -> None:
    row0, row1, col0, col1 = bounds(sheet, grid)
    if merge_type == "MERGE_COLUMNS":
        pieces = [(row0, row1, c, c + 1) for c in range(col0, col1)]
    elif merge_type == "MERGE_ROWS":
        pieces = [(r, r + 1, col0, col1) for r in range(row0, row1)]
    else:
        pieces = [(row0, row1, col0, col1)]
    unmerge(sheet, grid)
    merges = sheet.setdefault("merges", [])
    for r0, r1, c0, c1 in pieces:
        if (r1 - r0) * (c1 - c0) < 2:
            continue
        merges.append({"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1})
        for r, c, cell in list(iter_cells(sheet, r0, r1, c0, c1)):
            if (r, c) != (r0, c0):
                kept = parts(cell)
                kept.pop("v", None), kept.pop("f", None)
                put_cell(sheet, r, c, compact(kept))


def unmerge(sheet: dict, grid: dict) -> None:
    row0, row1, col0, col1 = bounds(sheet, grid)
    sheet["merges"] = [m for m in sheet.get("merges", [])
                       if m["endRowIndex"] <= row0 or m["startRowIndex"] >= row1
                       or m["endColumnIndex"] <= col0 or m["startColumnIndex"] >= col1]
    if not sheet["merges"]:
        del sheet["merges"]


# Copy and cut.
_PASTE_PARTS = {"PASTE_NORMAL": None, "PASTE_NO_BORDERS": None, "PASTE_VALUES": ("v", "f"),
                "PASTE_FORMULA": ("v", "f"), "PASTE_FORMAT": ("fmt",), "PASTE_DATA_VALIDATION": ("dv",)}


def copy_block(sheet: dict, row0: int, row1: int, col0: int, col1: int) -> list[list[Any]]:
    return [[cell_at(sheet, r, c) for c in range(col0, col1)] for r in range(row0, row1)]


def paste_block(sheet: dict, block: list[list[Any]], row: int, col: int, paste_type: str = "PASTE_NORMAL",
                height: int = 0, width: int = 0) -> None:
    """Paste `block` at (row, col), repeated to fill height x width when those are larger."""
    if not block or not block[0]:
        return
    rows, columns = grid_size(sheet)
    height = min(max(height, len(block)), rows - row)
    width = min(max(width, len(block[0])), columns - col)
    only = _PASTE_PARTS.get(paste_type)
    for dr in range(height):
        for dc in range(width):
            source = parts(block[dr % len(block)][dc % len(block[0])])
            if only is None:
                put_cell(sheet, row + dr, col + dc, compact(source))
                continue
            kept = {k: v for k, v in parts(cell_at(sheet, row + dr, col + dc)).items() if k not in only}
            kept.update({k: v for k, v in source.items() if k in only})
            put_cell(sheet, row + dr, col + dc, compact(kept))


# Sizes.
_NARROW, _WIDE = set("iljtfI!.,:;|'` "), set("mwMW@")


def text_pixels(text: str) -> int:
    """Roughly how wide Arial 10 draws `text`, plus the cell's padding (for autoResize)."""
    units = 0
    for char in max(text.split("\n"), key=len):
        if char in _NARROW:
            units += 569
        elif char in _WIDE:
            units += 1706
        elif char.isupper():
            units += 1366
        else:
            units += 1139
    return round(units * 8685 / (1024 * 1366)) + 6


def auto_resize(sheet: dict, dimension: str, start: int, end: int) -> None:
    meta = sheet["rowMeta" if dimension == "ROWS" else "colMeta"]
    rows, columns = grid_size(sheet)
    for index in range(start, end):
        if dimension == "ROWS":
            meta.setdefault(str(index), {})["pixelSize"] = ROW_PIXELS
            continue
        texts = [cells.formatted(parts(cell)) for _, _, cell in iter_cells(sheet, 0, rows, index, index + 1)]
        if any(texts):
            meta.setdefault(str(index), {})["pixelSize"] = max(text_pixels(t) for t in texts if t)

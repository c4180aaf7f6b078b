"""The limits Google puts on a spreadsheet's geometry, checked before anything changes.

A GridRange, a GridCoordinate or a DimensionRange must lie on the sheet: no negative
index, no end before its start, no start past the grid (Google's "exceeds grid limits";
an end past the grid is read as the grid's edge, as the UI does when a range is selected
to the end). A spreadsheet holds at most 10,000,000 cells over all its sheets; a request
that would grow it past that is refused with Google's message, before rows are made.
"""
from __future__ import annotations

from . import sheets_a1 as a1
from .sheets_model import SheetsError, grid_size

MAX_CELLS = 10_000_000
_SIZE_KEY = {"ROWS": "rowCount", "COLUMNS": "columnCount"}


def cell_count(doc: dict) -> int:
    return sum(rows * columns for rows, columns in (grid_size(sheet) for sheet in doc["sheets"]))


def check_cells(doc: dict, added: int = 0) -> None:
    """Refuse a spreadsheet (about to be) grown past Google's cell limit."""
    if cell_count(doc) + added > MAX_CELLS:
        raise SheetsError(400, "This action would increase the number of cells in the workbook above the limit "
                               f"of {MAX_CELLS} cells.")


def exceeds(sheet: dict, row0: int, row1: int, col0: int, col1: int) -> SheetsError:
    rows, columns = grid_size(sheet)
    shown = a1.format_range(sheet["properties"]["title"], row0, max(row1, row0 + 1), col0, max(col1, col0 + 1))
    return SheetsError(400, f"Range ({shown}) exceeds grid limits. Max rows: {rows}, max columns: {columns}")


def grid_bounds(sheet: dict, grid: dict) -> tuple[int, int, int, int]:
    """A GridRange's (row0, row1, col0, col1) on `sheet`, open sides filled from the grid."""
    rows, columns = grid_size(sheet)
    row0, row1 = _span(grid, "startRowIndex", "endRowIndex", rows)
    col0, col1 = _span(grid, "startColumnIndex", "endColumnIndex", columns)
    if row0 > rows or col0 > columns or (row0 == rows and row1 > row0) or (col0 == columns and col1 > col0):
        raise exceeds(sheet, row0, row1, col0, col1)
    return row0, min(row1, rows), col0, min(col1, columns)


def _span(grid: dict, start_key: str, end_key: str, size: int) -> tuple[int, int]:
    start = grid.get(start_key, 0)
    end = grid.get(end_key, max(size, start))
    if start < 0 or end < 0:
        raise SheetsError(400, f"GridRange.{start_key if start < 0 else end_key} must not be negative; "
                               f"got {min(start, end)}.")
    if end < start:
        raise SheetsError(400, f"GridRange.{end_key} ({end}) must not be less than {start_key} ({start}).")
    return start, end


def in_grid(sheet: dict, row: int, col: int, height: int = 1, width: int = 1) -> None:
    """A block of height x width with its top-left at (row, col) must lie on the sheet."""
    rows, columns = grid_size(sheet)
    if row < 0 or col < 0:
        raise SheetsError(400, f"GridCoordinate must not be negative; got row {row}, column {col}.")
    if row + height > rows or col + width > columns:
        raise exceeds(sheet, row, row + height, col, col + width)


def dimension_span(sheet: dict, span: dict, *, inserting: bool = False) -> tuple[str, int, int]:
    """A DimensionRange's (dimension, start, end): rows or columns that exist on the sheet,
    or, when inserting, a place on it (the end included) and how many to make."""
    dimension = span.get("dimension", "ROWS")
    if dimension not in _SIZE_KEY:
        raise SheetsError(400, f"DimensionRange.dimension must be ROWS or COLUMNS; got {dimension}.")
    size = sheet["properties"]["gridProperties"][_SIZE_KEY[dimension]]
    start, end = span.get("startIndex", 0), span.get("endIndex", size)
    if start < 0 or end <= start:
        raise SheetsError(400, f"The range start index ({start}) must be less than the end index ({end}).")
    if start > size or (not inserting and end > size):
        raise SheetsError(400, f"The range {dimension.lower()} {start}..{end} is outside the sheet, which has "
                               f"{size} {dimension.lower()}.")
    return dimension, start, end


def growth(sheet: dict, dimension: str, count: int) -> int:
    """How many cells `count` more rows or columns add to `sheet`."""
    rows, columns = grid_size(sheet)
    return count * (columns if dimension == "ROWS" else rows)


def position(index: int, count: int, what: str) -> int:
    """A place among `count` things (0..count); Google refuses a negative one."""
    if index < 0:
        raise SheetsError(400, f"{what} must not be negative; got {index}.")
    return min(index, count)

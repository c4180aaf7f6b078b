"""Sorting and the basic filter: sortRange, setBasicFilter and clearBasicFilter.

Sorting moves whole cells (values, formats, notes) within the range, row by row, and is
stable. A sort across every column of the sheet moves whole rows, and the developer
metadata on each of those rows moves with it: Google's reference says metadata "will remain
associated at those locations as they move around and the spreadsheet is edited"; a sort of
some columns only moves cells, not rows, and leaves row metadata where it was. Google's order, ascending: numbers (dates are numbers) before text (compared
without regard to case) before FALSE and TRUE, errors after those; descending reverses
that; empty cells stay at the bottom either way.

A basic filter covers a range whose first row is its header. Setting one sorts the rows
below the header by its sortSpecs and hides the rows its criteria reject (rowMetadata
`hiddenByFilter`); clearing it shows them again. Criteria: `hiddenValues` (shown text) and
the conditions a filter can evaluate on a cell's own value: text (contains, does not
contain, starts with, ends with, equals, is an email, is a URL), numbers (>, >=, <, <=,
=, !=, between, not between), dates on a given date, BLANK and NOT_BLANK. Anything else
(custom formulas, relative dates, colours) is refused with a 400 naming it rather than
filtering nothing.
"""
from __future__ import annotations

import copy
import functools
import re

from . import sheets_cells as cells
from . import sheets_grid as grid
from .sheets_model import cell_at, parts, put_cell
from .sheets_requests import Context, RequestError, handles, sheet_of

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(https?|ftp)://\S+$", re.IGNORECASE)


@handles("sortRange")
def sort_range(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body.get("range", {}))
    row0, row1, col0, col1 = grid.bounds(sheet, body.get("range", {}))
    sort_rows(sheet, row0, row1, col0, col1, body.get("sortSpecs") or [])


def sort_rows(sheet: dict, row0: int, row1: int, col0: int, col1: int, specs: list[dict]) -> None:
    keys = [_spec_column(spec, col0, col1) for spec in specs]
    if not keys:
        return
    rows = [[cell_at(sheet, r, c) for c in range(col0, col1)] for r in range(row0, row1)]
    order = functools.cmp_to_key(lambda a, b: _compare(a, b, keys, col0))
    moved = sorted(range(len(rows)), key=lambda i: order(rows[i]))
    for r, old in enumerate(moved, start=row0):
        for c, cell in enumerate(rows[old], start=col0):
            put_cell(sheet, r, c, cell)
    if col0 == 0 and col1 >= sheet["properties"]["gridProperties"]["columnCount"]:
        _move_row_metadata(sheet, row0, row1, {row0 + old: row0 + new for new, old in enumerate(moved)})


def _move_row_metadata(sheet: dict, row0: int, row1: int, new_row: dict[int, int]) -> None:
    """Metadata on one sorted row goes where the row went."""
    for span in grid.dimension_spans(sheet, "ROWS"):
        first = span.get("startIndex", 0)
        if span["endIndex"] == first + 1 and row0 <= first < row1:
            span["startIndex"], span["endIndex"] = new_row[first], new_row[first] + 1


def _spec_column(spec: dict, col0: int, col1: int) -> tuple[int, bool]:
    for unsupported in ("foregroundColor", "backgroundColor", "foregroundColorStyle", "backgroundColorStyle",
                        "dataSourceColumnReference"):
        if unsupported in spec:
            raise RequestError(f"sorting by {unsupported} is not something the emulator does.")
    column = spec.get("dimensionIndex", 0)
    if not col0 <= column < col1:
        raise RequestError(f"sortSpecs.dimensionIndex {column} is outside the range's columns "
                           f"({col0}..{col1 - 1}).")
    return column, spec.get("sortOrder", "ASCENDING") == "DESCENDING"


def _compare(a: list, b: list, keys: list[tuple[int, bool]], col0: int) -> int:
    for column, descending in keys:
        first, second = _sort_key(a[column - col0]), _sort_key(b[column - col0])
        if first is None or second is None:
            if first is None and second is None:
                continue
            return 1 if first is None else -1  # empty cells last, whichever the order
        if first != second:
            return (1 if first > second else -1) * (-1 if descending else 1)
    return 0


def _sort_key(cell) -> tuple | None:
    value = parts(cell).get("v")
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, str):
        return (1, value.casefold())
    return (3, str(value))


# The basic filter.
@handles("setBasicFilter")
def set_basic_filter(ctx: Context, body: dict) -> None:
    wanted = copy.deepcopy(body.get("filter") or {})
    sheet = sheet_of(ctx, wanted.get("range", {}))
    row0, row1, col0, col1 = grid.bounds(sheet, wanted.get("range", {}))
    criteria = _criteria(wanted, col0, col1)
    wanted["range"] = grid.stored_range({"startRowIndex": row0, "endRowIndex": row1, "startColumnIndex": col0,
                                         "endColumnIndex": col1})
    _show_all(sheet)
    sheet["basicFilter"] = wanted
    sort_rows(sheet, row0 + 1, row1, col0, col1, wanted.get("sortSpecs") or [])
    for r in range(row0 + 1, row1):
        if not all(_keeps(criterion, parts(cell_at(sheet, r, column))) for column, criterion in criteria):
            sheet["rowMeta"].setdefault(str(r), {})["hiddenByFilter"] = True


@handles("clearBasicFilter")
def clear_basic_filter(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body)
    _show_all(sheet)
    sheet.pop("basicFilter", None)


def _show_all(sheet: dict) -> None:
    for index, props in list(sheet["rowMeta"].items()):
        props.pop("hiddenByFilter", None)
        if not props:
            del sheet["rowMeta"][index]


def _criteria(wanted: dict, col0: int, col1: int) -> list[tuple[int, dict]]:
    """(column, FilterCriteria) pairs from `filterSpecs` and the older `criteria` map."""
    found = [(spec.get("columnIndex", 0), spec.get("filterCriteria") or {}) for spec in wanted.get("filterSpecs", [])]
    for key, criterion in (wanted.get("criteria") or {}).items():
        if not key.lstrip("-").isdigit():
            raise RequestError(f"criteria keys are column indexes; got {key!r}.")
        found.append((int(key), criterion or {}))
    for column, criterion in found:
        if not col0 <= column < col1:
            raise RequestError(f"filter column {column} is outside the filter's range ({col0}..{col1 - 1}).")
        _check_criterion(criterion)
    return found


def _check_criterion(criterion: dict) -> None:
    for unsupported in ("visibleBackgroundColor", "visibleForegroundColor", "visibleBackgroundColorStyle",
                        "visibleForegroundColorStyle"):
        if unsupported in criterion:
            raise RequestError(f"filtering by {unsupported} is not something the emulator does.")
    condition = criterion.get("condition")
    if condition is not None and condition.get("type") not in _CONDITIONS:
        raise RequestError(f"the emulator does not evaluate {condition.get('type')} filter conditions; it "
                           f"evaluates {', '.join(sorted(_CONDITIONS))}.")
    for value in (condition or {}).get("values", []):
        if "relativeDate" in value:
            raise RequestError("the emulator does not evaluate relative dates in filter conditions.")


def _keeps(criterion: dict, cell: dict) -> bool:
    shown = cells.formatted(cell)
    if shown in (criterion.get("hiddenValues") or []):
        return False
    condition = criterion.get("condition")
    if condition is None:
        return True
    given = [value.get("userEnteredValue", "") for value in condition.get("values", [])]
    return _CONDITIONS[condition["type"]](cell.get("v"), shown, given)


def _numbers(given: list[str]) -> list[float] | None:
    try:
        return [float(text) for text in given]
    except ValueError:
        return None


def _number_test(test):
    def check(value, _shown, given):
        wanted = _numbers(given)
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return bool(is_number and wanted and test(value, wanted))
    return check


def _date_test(test):
    def check(value, _shown, given):
        typed = [cells.from_user_entered(text).get("v") for text in given]
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return bool(is_number and typed and all(isinstance(t, (int, float)) for t in typed)
                    and test(int(value), [int(t) for t in typed]))
    return check


def _text(test):
    return lambda _value, shown, given: bool(given) and test(shown.casefold(), given[0].casefold())


_CONDITIONS = {
    "TEXT_CONTAINS": _text(lambda shown, wanted: wanted in shown),
    "TEXT_NOT_CONTAINS": _text(lambda shown, wanted: wanted not in shown),
    "TEXT_STARTS_WITH": _text(lambda shown, wanted: shown.startswith(wanted)),
    "TEXT_ENDS_WITH": _text(lambda shown, wanted: shown.endswith(wanted)),
    "TEXT_EQ": _text(lambda shown, wanted: shown == wanted),
    "TEXT_IS_EMAIL": lambda _value, shown, _given: bool(_EMAIL.match(shown)),
    "TEXT_IS_URL": lambda _value, shown, _given: bool(_URL.match(shown)),
    "NUMBER_GREATER": _number_test(lambda v, w: v > w[0]),
    "NUMBER_GREATER_THAN_EQ": _number_test(lambda v, w: v >= w[0]),
    "NUMBER_LESS": _number_test(lambda v, w: v < w[0]),
    "NUMBER_LESS_THAN_EQ": _number_test(lambda v, w: v <= w[0]),
    "NUMBER_EQ": _number_test(lambda v, w: v == w[0]),
    "NUMBER_NOT_EQ": _number_test(lambda v, w: v != w[0]),
    "NUMBER_BETWEEN": _number_test(lambda v, w: len(w) > 1 and min(w[:2]) <= v <= max(w[:2])),
    "NUMBER_NOT_BETWEEN": _number_test(lambda v, w: len(w) > 1 and not min(w[:2]) <= v <= max(w[:2])),
    "DATE_EQ": _date_test(lambda day, w: day == w[0]),
    "DATE_BEFORE": _date_test(lambda day, w: day < w[0]),
    "DATE_AFTER": _date_test(lambda day, w: day > w[0]),
    "BLANK": lambda value, shown, _given: shown == "",
    "NOT_BLANK": lambda value, shown, _given: shown != "",
}

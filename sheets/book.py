"""Reading the whole master spreadsheet in one call, and writing a run's changes in one.

One `spreadsheets.get` with grid data returns every tab's id, size and values; one
`spreadsheets.batchUpdate` carries every change of a run (new tabs, grid growth, headers,
cells). Text is written as `stringValue`, which Sheets stores literally: a respondent's
"=IMPORTXML(...)" stays text and never becomes a formula. `fields: userEnteredValue`
leaves every coordinator's formatting alone.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Sequence

from gspread.urls import SPREADSHEET_URL

Cell = str | bool | int | float

# Besides values, the read brings the layout facts sync repairs: sheet-level lists (rules,
# protections, charts) and, per cell, only fields that are absent from plain cells (a
# checkbox's validation type, a cell-level link, a true/false value), so a 10,000-row
# roster grows little.
READ_FIELDS = ("spreadsheetId,properties.title,sheets(properties(sheetId,title,index,"
               "gridProperties(rowCount,columnCount,frozenRowCount)),"
               "conditionalFormats(ranges,booleanRule.condition),"
               "protectedRanges(protectedRangeId,range,description,warningOnly),"
               "charts(chartId,spec(title,basicChart(domains,series))),"
               "data(rowData(values(formattedValue,effectiveValue.boolValue,dataValidation.condition.type,"
               "userEnteredFormat.textFormat.link))))")


@dataclass
class Tab:
    name: str
    sheet_id: int
    rows: list[list[Cell]]         # row 0 holds the headers
    row_count: int                 # the grid's size, which writes may have to grow
    col_count: int
    frozen_rows: int = 0
    rules: list[dict] = field(default_factory=list)        # conditional formats: ranges + condition
    protected: list[dict] = field(default_factory=list)    # protected ranges
    charts: list[dict] = field(default_factory=list)       # chartId + spec (title, domains, series)
    checkboxes: dict[int, int] = field(default_factory=dict)   # column -> data rows from row 2 with one
    links: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, column) -> cell-level link
    # Header text -> first column, built once: planning looks cells up millions of times.
    _columns: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def header(self) -> list[str]:
        return [str(c).strip() for c in self.rows[0]] if self.rows else []

    def column(self, header: str) -> int | None:
        return self.columns().get(header)

    def columns(self) -> dict[str, int]:
        """Header text -> its first column."""
        if self._columns is None:
            self._columns = {}
            for index, text in enumerate(self.header):
                self._columns.setdefault(text, index)
        return self._columns

    def headers_changed(self) -> None:
        """Call after changing row 0 in place."""
        self._columns = None

    def value(self, row: int, header: str) -> Cell:
        col = self.column(header)
        if col is None or row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        return self.rows[row][col]

    def record(self, row: int) -> dict[str, Cell]:
        return {h: self.value(row, h) for h in self.header if h}

    def data_rows(self) -> range:
        return range(1, self.used_rows())

    def used_rows(self) -> int:
        """Rows up to the last one holding any value (header included)."""
        for index in range(len(self.rows) - 1, -1, -1):
            if any(c not in ("", None) for c in self.rows[index]):
                return index + 1
        return 0

    def index_by(self, key: Sequence[str]) -> tuple[dict[tuple, int], list[int]]:
        """Row index of each key, and the rows whose key repeats an earlier row's."""
        found: dict[tuple, int] = {}
        repeats: list[int] = []
        for row in self.data_rows():
            values = tuple(str(self.value(row, h)).strip() for h in key)
            if not any(values):
                continue
            if values in found:
                repeats.append(row)
            else:
                found[values] = row
        return found, repeats


@dataclass
class Book:
    spreadsheet_id: str
    title: str
    tabs: dict[str, Tab]

    def tab(self, name: str) -> Tab | None:
        return self.tabs.get(name)


_CELL_FIELDS = frozenset({"formattedValue", "effectiveValue", "dataValidation", "userEnteredFormat"})


def _compact_cell(obj: dict) -> Any:
    """`json.loads` object hook: a plain cell becomes its value as it is decoded.

    A 10,000-team roster answers about 600,000 cells: decoded as dicts first, the read
    peaked at 427 MB; decoded this way, at 150 MB. Cells that carry a checkbox or a link
    stay dicts (one column each) so their layout facts can be read."""
    if len(obj) == 1 and "formattedValue" in obj:   # plain text or number: most cells
        return obj["formattedValue"]
    if not obj or not obj.keys() <= _CELL_FIELDS:
        return obj
    if "dataValidation" in obj or "userEnteredFormat" in obj:
        return obj
    return _cell_value(obj)


def _cell_value(cell: Any) -> Cell:
    if not isinstance(cell, dict):
        return cell
    effective = cell.get("effectiveValue") or {}
    if "boolValue" in effective:
        return bool(effective["boolValue"])
    return cell.get("formattedValue", "")


def _detail(cell: Any, *path: str) -> Any:
    """A nested field of a cell that kept its dict (see `_compact_cell`), or None."""
    for key in path:
        if not isinstance(cell, dict):
            return None
        cell = cell.get(key)
    return cell


def parse_book(payload: Mapping[str, Any]) -> Book:
    tabs = {}
    for sheet in payload.get("sheets", []):
        props = sheet["properties"]
        grid = props.get("gridProperties", {})
        data = (sheet.get("data") or [{}])[0]
        cells = [r.get("values", []) for r in data.get("rowData", [])]
        tabs[props["title"]] = Tab(props["title"], props.get("sheetId", 0), _values(cells),
                                   grid.get("rowCount", 0), grid.get("columnCount", 0),
                                   frozen_rows=grid.get("frozenRowCount", 0),
                                   rules=list(sheet.get("conditionalFormats", [])),
                                   protected=list(sheet.get("protectedRanges", [])),
                                   charts=list(sheet.get("charts", [])),
                                   checkboxes=_checkbox_rows(cells), links=_links(cells))
    return Book(payload["spreadsheetId"], payload.get("properties", {}).get("title", ""), tabs)


def _values(cells: list[list[Any]]) -> list[list[Cell]]:
    """Rows of plain values; a row of compacted cells is already one and is kept as is."""
    rows = []
    for line in cells:
        if any(isinstance(c, dict) for c in line):
            line = [_cell_value(c) for c in line]
        rows.append(line)
    return rows


def _checkbox_rows(cells: list[list[Any]]) -> dict[int, int]:
    """For each column, how many data rows from the second row on hold a checkbox, unbroken."""
    counts: dict[int, int] = {}
    open_columns: set[int] | None = None
    for line in cells[1:]:
        boxed = {c for c, cell in enumerate(line) if _detail(cell, "dataValidation", "condition", "type") == "BOOLEAN"}
        open_columns = boxed if open_columns is None else open_columns & boxed
        if not open_columns:
            break
        for col in open_columns:
            counts[col] = counts.get(col, 0) + 1
    return counts


def _links(cells: list[list[Any]]) -> dict[tuple[int, int], str]:
    found = {}
    for r, line in enumerate(cells):
        for c, cell in enumerate(line):
            uri = _detail(cell, "userEnteredFormat", "textFormat", "link", "uri") if type(cell) is dict else None
            if uri:
                found[(r, c)] = uri
    return found


def read_book(http_client, spreadsheet_id: str) -> Book:
    """The whole spreadsheet, every tab's values included, in one API call, decoded
    straight into compact rows (see `_compact_cell`)."""
    response = http_client.request("get", SPREADSHEET_URL % spreadsheet_id,
                                   params={"includeGridData": "true", "fields": READ_FIELDS})
    return parse_book(json.loads(response.content, object_hook=_compact_cell))


def cell_data(value: Cell | None) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def stable_sheet_id(name: str) -> int:
    """A sheet id for a tab sync creates, fixed by its name, so one batch can create and fill it."""
    return zlib.crc32(name.encode("utf-8")) & 0x3FFFFFFF


def free_sheet_id(name: str, taken: Iterable[int]) -> int:
    """The stable sheet id of `name`, or the next one up that no tab in `taken` holds."""
    used = set(taken)
    sheet_id = stable_sheet_id(name)
    while sheet_id in used:
        sheet_id += 1
    return sheet_id


@dataclass
class Edits:
    """The changes of one run, turned into one `spreadsheets.batchUpdate`."""

    book: Book
    requests: list[dict] = field(default_factory=list)
    cells: int = 0

    def add_tab(self, name: str, headers: Sequence[str], index: int | None = None,
                sheet_id: int | None = None) -> Tab:
        if sheet_id is None:
            sheet_id = free_sheet_id(name, (t.sheet_id for t in self.book.tabs.values()))
        props: dict[str, Any] = {"sheetId": sheet_id, "title": name,
                                 "gridProperties": {"rowCount": 1000, "columnCount": max(26, len(headers)),
                                                    "frozenRowCount": 1}}
        if index is not None:
            props["index"] = index
        self.requests.append({"addSheet": {"properties": props}})
        tab = Tab(name, sheet_id, [], 1000, max(26, len(headers)), frozen_rows=1)
        self.book.tabs[name] = tab
        self.set_row(tab, 0, {i: h for i, h in enumerate(headers)})
        return tab

    def add_headers(self, tab: Tab, headers: Iterable[str]) -> None:
        """Missing headers go after the last used column; coordinators' columns stay put."""
        start = len(tab.header)
        while start > 0 and not tab.header[start - 1]:
            start -= 1
        self.set_row(tab, 0, {start + i: h for i, h in enumerate(headers)})

    def set_row(self, tab: Tab, row: int, values: Mapping[int, Cell | None]) -> None:
        """Write cells of one row, one request per run of adjacent columns."""
        if not values:
            return
        self._grow(tab, row + 1, max(values) + 1)
        columns = sorted(values)
        run = [columns[0]]
        for col in columns[1:] + [None]:
            if col is not None and col == run[-1] + 1:
                run.append(col)
                continue
            self._update(tab, row, run[0], [values[c] for c in run])
            if col is not None:
                run = [col]
        self._mirror(tab, row, values)

    def add_rows(self, tab: Tab, first: int, rows: Sequence[Mapping[int, Cell | None]]) -> None:
        """Write new rows below the last used one as one block: one request for a thousand
        people instead of a thousand. Cells between those given are empty already."""
        if not rows:
            return
        start = min(min(r) for r in rows if r)
        end = max(max(r) for r in rows if r) + 1
        self._grow(tab, first + len(rows), end)
        self.cells += len(rows) * (end - start)
        self.requests.append({"updateCells": {
            "range": {"sheetId": tab.sheet_id, "startRowIndex": first, "endRowIndex": first + len(rows),
                      "startColumnIndex": start, "endColumnIndex": end},
            "rows": [{"values": [cell_data(r.get(c)) for c in range(start, end)]} for r in rows],
            "fields": "userEnteredValue"}})
        for offset, values in enumerate(rows):
            self._mirror(tab, first + offset, values)

    def _update(self, tab: Tab, row: int, col: int, cells: list[Cell | None]) -> None:
        self.cells += len(cells)
        self.requests.append({"updateCells": {
            "range": {"sheetId": tab.sheet_id, "startRowIndex": row, "endRowIndex": row + 1,
                      "startColumnIndex": col, "endColumnIndex": col + len(cells)},
            "rows": [{"values": [cell_data(c) for c in cells]}],
            "fields": "userEnteredValue"}})

    def _grow(self, tab: Tab, rows: int, cols: int) -> None:
        if rows > tab.row_count:
            extra = max(rows - tab.row_count, 100)
            self.requests.append({"appendDimension": {"sheetId": tab.sheet_id, "dimension": "ROWS", "length": extra}})
            tab.row_count += extra
        if cols > tab.col_count:
            extra = cols - tab.col_count
            self.requests.append({"appendDimension": {"sheetId": tab.sheet_id, "dimension": "COLUMNS",
                                                      "length": extra}})
            tab.col_count += extra

    @staticmethod
    def _mirror(tab: Tab, row: int, values: Mapping[int, Cell | None]) -> None:
        """Keep the in-memory tab in step, so later edits in the same run see these."""
        while len(tab.rows) <= row:
            tab.rows.append([])
        cells = tab.rows[row]
        for col, value in values.items():
            while len(cells) <= col:
                cells.append("")
            cells[col] = "" if value is None else value
        if row == 0:
            tab.headers_changed()


class Preview(Edits):
    """The book as a run's writes will leave it (new tabs, headers, rows, a grown grid),
    worked out without building the cell requests and without changing the book as read:
    how a plan sees the tabs its own rows and columns make, to decide their layout."""

    def __init__(self, book: Book):
        tabs = {name: replace(tab, rows=list(tab.rows)) for name, tab in book.tabs.items()}
        super().__init__(Book(book.spreadsheet_id, book.title, tabs))

    def add_rows(self, tab: Tab, first: int, rows: Sequence[Mapping[int, Cell | None]]) -> None:
        """Write new rows below the last used one as one block: one request for a thousand
        people instead of a thousand. Cells between those given are empty already."""
        if not rows:
            return
        start = min(min(r) for r in rows if r)
        end = max(max(r) for r in rows if r) + 1
        self._grow(tab, first + len(rows), end)
        self.cells += len(rows) * (end - start)
        self.requests.append({"updateCells": {
            "range": {"sheetId": tab.sheet_id, "startRowIndex": first, "endRowIndex": first + len(rows),
                      "startColumnIndex": start, "endColumnIndex": end},
            "rows": [{"values": [cell_data(r.get(c)) for c in range(start, end)]} for r in rows],
            "fields": "userEnteredValue"}})
        for offset, values in enumerate(rows):
            self._mirror(tab, first + offset, values)

    def _update(self, tab: Tab, row: int, col: int, cells: list[Cell | None]) -> None:
        self.cells += len(cells)

    @staticmethod
    def _mirror(tab: Tab, row: int, values: Mapping[int, Cell | None]) -> None:
        # A row as read is shared with the book as read: it is copied before it changes.
        if row < len(tab.rows):
            tab.rows[row] = list(tab.rows[row])
        Edits._mirror(tab, row, values)


def write_book(http_client, edits: Edits) -> int:
    """Send every change in one call; returns the number of calls made (0 or 1)."""
    if not edits.requests:
        return 0
    http_client.batch_update(edits.book.spreadsheet_id, {"requests": edits.requests})
    return 1


def create_spreadsheet(http_client, title: str, tabs: Sequence[tuple[str, Sequence[str]]], time_zone: str,
                       layout: Callable[[str, int, Sequence[str], int], Mapping[str, Any]] | None = None) -> str:
    """A new master spreadsheet with every tab, its header row and, when `layout` is given,
    each tab's formatting (called with the tab's name, sheet id, headers and row count; it
    answers extra Sheet fields: `conditionalFormats`, `protectedRanges`, more `data`), in one call."""
    sheets = []
    for index, (name, headers) in enumerate(tabs):
        sheet_id = stable_sheet_id(name)
        sheet: dict[str, Any] = {
            "properties": {"sheetId": sheet_id, "title": name, "index": index,
                           "gridProperties": {"rowCount": 1000, "columnCount": max(26, len(headers)),
                                              "frozenRowCount": 1}},
            "data": [{"startRow": 0, "startColumn": 0,
                      "rowData": [{"values": [cell_data(h) for h in headers]}]}],
        }
        for key, value in (layout(name, sheet_id, headers, 1000) if layout else {}).items():
            sheet[key] = sheet.get(key, []) + list(value)
        sheets.append(sheet)
    body = {"properties": {"title": title, "timeZone": time_zone, "locale": "en_US"}, "sheets": sheets}
    response = http_client.request("post", "https://sheets.googleapis.com/v4/spreadsheets", json=body)
    return response.json()["spreadsheetId"]

"""Reading the whole master spreadsheet in one call, and writing a run's changes in one or two.

One `spreadsheets.get` with grid data returns every tab's id, size, values and row tags;
one `spreadsheets.batchUpdate` carries the run's new tabs, grid growth, headers, new rows
and layout, and one `values.batchUpdateByDataFilter` its changes to existing rows, each
found by its row tag at the moment of the write (sheets/row_tags.py says why). Text is written as `stringValue`, which Sheets stores literally: a respondent's
"=IMPORTXML(...)" stays text and never becomes a formula. `fields: userEnteredValue`
leaves every coordinator's formatting alone.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Sequence

from gspread.urls import SPREADSHEET_URL

from sheets import row_tags

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
               "userEnteredFormat.textFormat.link)),"
               f"{row_tags.READ_FIELDS}))")


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
    tags: dict[int, tuple[int, str]] = field(default_factory=dict)    # row -> its row tag: (metadata id, value)
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
                                   checkboxes=_checkbox_rows(cells), links=_links(cells),
                                   tags=row_tags.row_tags(data.get("rowMetadata", [])))
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
    """The changes of one run: a `spreadsheets.batchUpdate` (tabs, headers, new rows, layout,
    cells found by position) and a `values.batchUpdateByDataFilter` (changes to existing
    rows, each found by its row tag)."""

    book: Book
    requests: list[dict] = field(default_factory=list)
    cells: int = 0
    by_tag: list[dict] = field(default_factory=list)     # DataFilterValueRanges of tagged rows
    made: list[str] = field(default_factory=list)        # the tags of rows this batch inserts
    deferred: int = 0                                    # row changes held for the next run: no trusted tag
    _inserts: dict[str, dict] = field(default_factory=dict, repr=False)     # tab -> its insertDimension range
    _tag_counts: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

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

    def add_row(self, tab: Tab, row: int, values: Mapping[int, Cell | None], tag: str) -> None:
        """A new tagged row at `row`, the first free row as read. A fresh row is inserted
        there, written and tagged in the same all-or-nothing batch: it never lands on a row
        a coordinator moved there since the read."""
        insert = self._inserts.get(tab.name)
        if insert is not None and insert["endIndex"] == row:
            insert["endIndex"] += 1
        else:
            self._grow(tab, row + 1, 0)
            insert = {"sheetId": tab.sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}
            self.requests.append({"insertDimension": {"range": insert}})
            self._inserts[tab.name] = insert
        tab.row_count += 1
        # The inserted row holds no tick box: the column's boxes now stop above it.
        tab.checkboxes = {col: min(n, row - 1) for col, n in tab.checkboxes.items()}
        self.set_row(tab, row, values)
        self.requests.append(row_tags.create(tab.sheet_id, row, tag))
        self.made.append(tag)
        tab.tags = {**tab.tags, row: (0, tag)}

    def update_row(self, tab: Tab, row: int, tag: str, values: Mapping[int, Cell | None]) -> bool:
        """Changes to an existing row, written through its row tag. Where the row as read
        has no trusted tag, nothing is written: the row is tagged for the next run (False)."""
        if not values:
            return True
        held = tab.tags.get(row)
        if held is not None and held[1] == tag and held[0] != row_tags.UNTRUSTED and self._unique(tab, tag):
            self._grow(tab, 0, max(values) + 1)
            self.by_tag.append(row_tags.value_range(tag, values))
            self.cells += len(values)
            self._mirror(tab, row, values)
            return True
        if held is None or held[0] != row_tags.UNTRUSTED:
            if held is not None:
                self.requests.append(row_tags.delete(held[0]))
            self.requests.append(row_tags.create(tab.sheet_id, row, tag))
            tab.tags = {**tab.tags, row: (row_tags.UNTRUSTED, tag)}
        self.deferred += 1
        return False

    def drop_stray_tags(self, tab: Tab, expected: Mapping[int, str]) -> None:
        """Tags on rows that no longer hold the key they name (or on a row whose key
        repeats an earlier row's) are removed, so no write ever follows them."""
        stray = {row: held for row, held in tab.tags.items()
                 if held[0] != row_tags.UNTRUSTED and expected.get(row) != held[1]}
        for row, (metadata_id, _value) in stray.items():
            self.requests.append(row_tags.delete(metadata_id))
        if stray:
            tab.tags = {row: held for row, held in tab.tags.items() if row not in stray}

    def _unique(self, tab: Tab, tag: str) -> bool:
        if tab.name not in self._tag_counts:
            counts: dict[str, int] = {}
            for _id, value in tab.tags.values():
                counts[value] = counts.get(value, 0) + 1
            self._tag_counts[tab.name] = counts
        return self._tag_counts[tab.name].get(tag, 0) == 1

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
        tabs = {name: replace(tab, rows=list(tab.rows)) for name, tab in book.tabs.items()}   # dicts are replaced, never changed
        super().__init__(Book(book.spreadsheet_id, book.title, tabs))

    def _update(self, tab: Tab, row: int, col: int, cells: list[Cell | None]) -> None:
        self.cells += len(cells)

    def update_row(self, tab: Tab, row: int, tag: str, values: Mapping[int, Cell | None]) -> bool:
        self.cells += len(values)
        self._mirror(tab, row, values)
        return True

    @staticmethod
    def _mirror(tab: Tab, row: int, values: Mapping[int, Cell | None]) -> None:
        # A row as read is shared with the book as read: it is copied before it changes.
        if row < len(tab.rows):
            tab.rows[row] = list(tab.rows[row])
        Edits._mirror(tab, row, values)


def write_book(http_client, edits: Edits, call: Callable[[Callable[[], Any]], Any] = lambda once: once()) -> int:
    """Send the run's changes: the batch first (it makes the tabs, columns and rows the
    tagged writes may need), then the tagged row changes. `call` runs one idempotent call
    with retries; the batch is made so by looking, before a retry, for a row it inserts.
    Returns the number of calls made (0, 1 or 2)."""
    calls = 0
    if edits.requests:
        call(_batch_once(http_client, edits))
        calls += 1
    if edits.by_tag:
        url = SPREADSHEET_URL % edits.book.spreadsheet_id + "/values:batchUpdateByDataFilter"
        call(lambda: http_client.request("post", url, json={"valueInputOption": "RAW", "data": edits.by_tag}))
        calls += 1
    return calls


def _batch_once(http_client, edits: Edits) -> Callable[[], None]:
    """The batch, as a call that is safe to retry: an answer lost after Google applied it
    would otherwise insert its rows twice. The batch is all or nothing, so one of its new
    rows' tags being there means all of it is."""
    tries = []

    def once() -> None:
        if tries and edits.made and _tagged(http_client, edits.book.spreadsheet_id, edits.made[0]):
            return
        tries.append(1)
        http_client.batch_update(edits.book.spreadsheet_id, {"requests": edits.requests})
    return once


def _tagged(http_client, spreadsheet_id: str, tag: str) -> bool:
    response = http_client.request("post", SPREADSHEET_URL % spreadsheet_id + "/developerMetadata:search",
                                   json={"dataFilters": [row_tags.lookup(tag)]})
    return bool(response.json().get("matchedDeveloperMetadata"))


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

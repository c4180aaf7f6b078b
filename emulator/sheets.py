"""Sheets v4 as gspread 6.2.1 and google-api-python-client use it: the route table.

The stored document is described in emulator/sheets_model.py; values.* live in
sheets_values.py (append's table detection in sheets_tables.py), batchUpdate request
kinds in sheets_requests.py / sheets_objects.py / sheets_metadata.py / sheets_filters.py,
the Spreadsheet resource in sheets_get.py (effective values and formats in
sheets_effective.py), cell input and display (including what is and is not evaluated in
formulas) in sheets_cells.py and sheets_formats.py, geometry limits in sheets_limits.py.

A spreadsheet is also a Drive file: creating one registers the file, a title change here
renames it, and every change moves its modifiedTime, as in Google. Drive calls
`new_spreadsheet`, `rename_spreadsheet` and `delete_spreadsheet` for its side.
"""
from __future__ import annotations

import csv
import io

from . import sheets_metadata, sheets_requests
from . import sheets_values as values
from .core import Api, Call
from .sheets_requests import Context
from .sheets_requests import run as run_requests
from .sheets_get import spreadsheet_json
from .sheets_limits import check_cells
from .sheets_model import SheetsError, new_document, new_numeric_id, new_sheet, renumber, sheet_by_title

api = Api("sheets")
_ONE = "/v4/spreadsheets/<spreadsheet_id>"
_SPREADSHEET = "application/vnd.google-apps.spreadsheet"


# What Drive calls.
def new_spreadsheet(emulator, spreadsheet_id: str, title: str) -> dict:
    """A blank spreadsheet (one 1000 x 26 "Sheet1"), as Drive's files.create makes it."""
    return emulator.store.put("spreadsheet", spreadsheet_id, new_document(spreadsheet_id, title))


def rename_spreadsheet(emulator, spreadsheet_id: str, title: str) -> None:
    doc = emulator.store.get("spreadsheet", spreadsheet_id)
    if doc is not None:
        emulator.store.touch("spreadsheet", spreadsheet_id)
        doc["properties"]["title"] = title


def import_csv(emulator, spreadsheet_id: str, text: str) -> None:
    """Drive's upload of CSV onto a spreadsheet: as Google converts it, every sheet (and the
    named ranges on them) gives way to one new sheet named after the spreadsheet, holding the
    rows as if typed in, on a grid of at least 1000 x 26."""
    doc = emulator.store.get("spreadsheet", spreadsheet_id)
    emulator.store.touch("spreadsheet", spreadsheet_id)
    taken = {sheet["properties"]["sheetId"] for sheet in doc["sheets"]}
    sheet = new_sheet(new_numeric_id(taken), doc["properties"]["title"], 0)
    doc["sheets"], doc["namedRanges"] = [sheet], []
    rows = list(csv.reader(io.StringIO(text)))
    values.write_block(values.Target(sheet, 0, 0, 0, 0, True), rows, "USER_ENTERED", spreadsheet_id, grow=True)


def delete_spreadsheet(emulator, spreadsheet_id: str) -> None:
    emulator.store.delete("spreadsheet", spreadsheet_id)


# Access.
def _document(call: Call, spreadsheet_id: str, *, write: bool = False) -> dict:
    """The spreadsheet the caller may read (or change), else Google's 404 / 403."""
    from .drive_files import ROLE_RANK, role_of

    doc = call.store.get("spreadsheet", spreadsheet_id)
    if doc is None:
        raise SheetsError(404, "Requested entity was not found.")
    drive_file = call.store.get("file", spreadsheet_id)
    if drive_file is not None:
        role = role_of(drive_file, call.emulator.user_email)
        if role is None or (write and ROLE_RANK[role] < ROLE_RANK["writer"]):
            raise SheetsError(403, "The caller does not have permission")
    if write:
        call.store.touch("spreadsheet", spreadsheet_id)
        _coordinator_edits(call, doc)
    return doc


def _coordinator_edits(call: Call, doc: dict) -> None:
    """A coordinator's edit armed through the admin API (emulator/sheets_admin.py) lands
    just before this write, as if made between the caller's read and its write."""
    edits = call.emulator.armed_edits.pop(doc["spreadsheetId"], None)
    if edits:
        sheets_requests.run(Context(doc, "coordinator@emulator.local"), edits)


def _changed(call: Call, doc: dict) -> None:
    """The Drive file follows the spreadsheet: same name, fresh modifiedTime."""
    from .drive_files import touch_file

    drive_file = call.store.get("file", doc["spreadsheetId"])
    if drive_file is not None:
        drive_file["name"] = doc["properties"]["title"]
        touch_file(call, drive_file)


# Spreadsheets.
@api.route("POST", "/v4/spreadsheets", "sheets.spreadsheets.create", write=True)
def create(call: Call) -> dict:
    from .drive import register_file

    body = call.json()
    spreadsheet_id = call.emulator.new_id()
    title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
    doc = new_document(spreadsheet_id, title)
    doc["properties"].update({k: v for k, v in (body.get("properties") or {}).items() if k != "title"})
    wanted = body.get("sheets") or []
    if wanted:
        doc["sheets"] = []
        for position, sheet in enumerate(wanted):
            props = sheet.get("properties") or {}
            taken = {s["properties"]["sheetId"] for s in doc["sheets"]}
            sheet_id = props.get("sheetId", 0 if position == 0 and 0 not in taken else new_numeric_id(taken))
            _check_unique(doc, position, sheet_id, props.get("title"))
            grid = props.get("gridProperties") or {}
            doc["sheets"].append(new_sheet(sheet_id, props.get("title") or f"Sheet{position + 1}", position,
                                           grid.get("rowCount", 1000), grid.get("columnCount", 26), props))
        renumber(doc)
        check_cells(doc)
        _fill_created_sheets(call, doc, wanted)
    call.store.put("spreadsheet", spreadsheet_id, doc)
    register_file(call.emulator, file_id=spreadsheet_id, name=title, mime_type=_SPREADSHEET)
    return spreadsheet_json(doc)


def _check_unique(doc: dict, position: int, sheet_id: int, title: str | None) -> None:
    """Two sheets of one spreadsheet never share an id or a title."""
    if any(s["properties"]["sheetId"] == sheet_id for s in doc["sheets"]):
        raise SheetsError(400, f"Invalid sheets[{position}]: A sheet with id {sheet_id} already exists.")
    if title and sheet_by_title(doc, title) is not None:
        raise SheetsError(400, f'Invalid sheets[{position}]: A sheet with the name "{title}" already exists.')


def _fill_created_sheets(call: Call, doc: dict, wanted: list[dict]) -> None:
    """A create body may carry each sheet's cells, column widths, conditional formats,
    protected ranges and charts: applied as the equivalent batchUpdate requests would be."""
    requests = []
    for given, made in zip(wanted, doc["sheets"]):
        sheet_id = made["properties"]["sheetId"]
        requests += _grid_requests(sheet_id, given.get("data") or [])
        requests += [{"addConditionalFormatRule": {"rule": rule, "index": i}}
                     for i, rule in enumerate(given.get("conditionalFormats") or [])]
        requests += [{"addProtectedRange": {"protectedRange": protected}}
                     for protected in given.get("protectedRanges") or []]
        requests += [{"addChart": {"chart": chart}} for chart in given.get("charts") or []]
    if requests:
        try:
            run_requests(Context(doc, call.emulator.user_email), requests)
        except SheetsError as err:
            raise SheetsError(err.code, err.message.replace("requests[", "sheets data[")) from None


def _grid_requests(sheet_id: int, data: list[dict]) -> list[dict]:
    out = []
    for grid in data:
        row0, col0 = grid.get("startRow", 0), grid.get("startColumn", 0)
        if grid.get("rowData"):
            out.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row0, "columnIndex": col0},
                                        "rows": grid["rowData"], "fields": "*"}})
        for offset, props in enumerate(grid.get("columnMetadata") or []):
            out.append({"updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col0 + offset,
                          "endIndex": col0 + offset + 1}, "properties": props, "fields": ",".join(props)}})
    return out


@api.route("GET", _ONE, "sheets.spreadsheets.get")
def get(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id)
    return spreadsheet_json(doc, call.query.getlist("ranges"), call.flag("includeGridData"), call.arg("fields"))


@api.route("POST", _ONE + ":batchUpdate", "sheets.spreadsheets.batchUpdate", write=True)
def batch_update(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    body = call.json()
    replies = sheets_requests.run(sheets_requests.Context(doc, call.emulator.user_email), body.get("requests") or [])
    _changed(call, doc)
    answer = {"spreadsheetId": spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        answer["updatedSpreadsheet"] = spreadsheet_json(doc, body.get("responseRanges"),
                                                        bool(body.get("responseIncludeGridData")))
    return answer


# Values.
@api.route("GET", _ONE + "/values/<path:range_>", "sheets.spreadsheets.values.get")
def values_get(call: Call, spreadsheet_id: str, range_: str) -> dict:
    doc = _document(call, spreadsheet_id)
    return values.value_range(doc, range_, call.arg("valueRenderOption"), call.arg("majorDimension"),
                              call.arg("dateTimeRenderOption"))


@api.route("GET", _ONE + "/values:batchGet", "sheets.spreadsheets.values.batchGet")
def values_batch_get(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id)
    ranges = [values.value_range(doc, text, call.arg("valueRenderOption"), call.arg("majorDimension"),
                                 call.arg("dateTimeRenderOption"))
              for text in call.query.getlist("ranges")]
    return {"spreadsheetId": spreadsheet_id, "valueRanges": ranges}


@api.route("PUT", _ONE + "/values/<path:range_>", "sheets.spreadsheets.values.update", write=True)
def values_update(call: Call, spreadsheet_id: str, range_: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    body = call.json()
    rows = values.checked_values(body)
    option = values.input_option(call.arg("valueInputOption"))
    answer = values.write_block(values.resolve(doc, range_), rows, option, spreadsheet_id)
    _changed(call, doc)
    return _with_data(call, doc, answer)


def _with_data(call: Call, doc: dict, answer: dict) -> dict:
    """`includeValuesInResponse`: echo what the written range now holds."""
    if call.flag("includeValuesInResponse") and "updatedRange" in answer:
        answer["updatedData"] = values.value_range(doc, answer["updatedRange"], call.arg("responseValueRenderOption"),
                                                   None, call.arg("responseDateTimeRenderOption"))
    return answer


@api.route("POST", _ONE + "/values:batchUpdate", "sheets.spreadsheets.values.batchUpdate", write=True)
def values_batch_update(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    body = call.json()
    option = values.input_option(body.get("valueInputOption"))
    responses, written = [], set()
    for position, item in enumerate(body.get("data") or []):
        rows = values.checked_values(item, f"data[{position}].values")
        answer = values.write_block(values.resolve(doc, item.get("range", "")), rows, option, spreadsheet_id,
                                    written=written)
        if body.get("includeValuesInResponse") and "updatedRange" in answer:
            answer["updatedData"] = values.value_range(doc, answer["updatedRange"],
                                                       body.get("responseValueRenderOption"), None,
                                                       body.get("responseDateTimeRenderOption"))
        responses.append(answer)
    _changed(call, doc)
    return {"spreadsheetId": spreadsheet_id, **_totals(written), "responses": responses}


@api.route("POST", _ONE + "/values:batchUpdateByDataFilter", "sheets.spreadsheets.values.batchUpdateByDataFilter",
           write=True)
def values_batch_update_by_data_filter(call: Call, spreadsheet_id: str) -> dict:
    """Each DataFilterValueRange is written into every range its filter selects at this
    moment; a filter that selects nothing writes nothing."""
    doc = _document(call, spreadsheet_id, write=True)
    body = call.json()
    option = values.input_option(body.get("valueInputOption"))
    responses, written = [], set()
    for position, item in enumerate(body.get("data") or []):
        rows = values.checked_values(item, f"data[{position}].values")
        for target in sheets_metadata.filter_targets(doc, item.get("dataFilter") or {}):
            answer = values.write_block(target, rows, option, spreadsheet_id, written=written)
            answer.pop("spreadsheetId", None)
            if body.get("includeValuesInResponse") and "updatedRange" in answer:
                answer["updatedData"] = values.value_range(doc, answer["updatedRange"],
                                                           body.get("responseValueRenderOption"), None,
                                                           body.get("responseDateTimeRenderOption"))
            responses.append({**answer, "dataFilter": item.get("dataFilter")})
    _changed(call, doc)
    return {"spreadsheetId": spreadsheet_id, **_totals(written), "responses": responses}


def _totals(written: set[tuple[int, int, int]]) -> dict:
    """values.batchUpdate's totals as Google defines them: the rows, columns, cells and
    sheets where at least one cell was written, each counted once however many ranges
    wrote there (two ranges on row 2 of one sheet make one updated row); zeros left out."""
    totals = {"totalUpdatedRows": len({(sheet, row) for sheet, row, _ in written}),
              "totalUpdatedColumns": len({(sheet, column) for sheet, _, column in written}),
              "totalUpdatedCells": len(written), "totalUpdatedSheets": len({sheet for sheet, _, _ in written})}
    return {key: n for key, n in totals.items() if n}


@api.route("POST", _ONE + "/values/<path:range_>:append", "sheets.spreadsheets.values.append", write=True)
def values_append(call: Call, spreadsheet_id: str, range_: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    option = values.input_option(call.arg("valueInputOption"))
    insert = call.arg("insertDataOption", "OVERWRITE") == "INSERT_ROWS"
    answer = values.append(doc, range_, call.json(), option, insert)
    _with_data(call, doc, answer["updates"])
    _changed(call, doc)
    return answer


@api.route("POST", _ONE + "/values/<path:range_>:clear", "sheets.spreadsheets.values.clear", write=True)
def values_clear(call: Call, spreadsheet_id: str, range_: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    cleared = values.clear(doc, range_)
    _changed(call, doc)
    return {"spreadsheetId": spreadsheet_id, "clearedRange": cleared}


@api.route("POST", _ONE + "/values:batchClear", "sheets.spreadsheets.values.batchClear", write=True)
def values_batch_clear(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id, write=True)
    cleared = [values.clear(doc, text) for text in call.json().get("ranges") or []]
    _changed(call, doc)
    return {"spreadsheetId": spreadsheet_id, "clearedRanges": cleared}


# Developer metadata.
@api.route("POST", _ONE + "/developerMetadata:search", "sheets.spreadsheets.developerMetadata.search")
def metadata_search(call: Call, spreadsheet_id: str) -> dict:
    doc = _document(call, spreadsheet_id)
    return sheets_metadata.search(doc, call.json().get("dataFilters") or [])


@api.route("GET", _ONE + "/developerMetadata/<metadata_id>", "sheets.spreadsheets.developerMetadata.get")
def metadata_get(call: Call, spreadsheet_id: str, metadata_id: str) -> dict:
    doc = _document(call, spreadsheet_id)
    if not metadata_id.isdigit():
        raise SheetsError(400, f"Invalid value at 'metadata_id' (TYPE_INT32), \"{metadata_id}\"")
    entry = sheets_metadata.get(doc, int(metadata_id))
    if entry is None:
        raise SheetsError(404, f"No developer metadata with ID: {metadata_id}")
    return entry


from . import sheets_admin  # noqa: E402,F401  (its admin routes belong with the sheets they edit)

"""The emulator's Sheets v4, driven the way PLT Sync drives it: through gspread and through
google-api-python-client, over loopback HTTP, never through emulator internals."""
from __future__ import annotations

import gspread
import pytest
from googleapiclient.errors import HttpError

from sync.google.workspace import connect


@pytest.fixture
def workspace(endpoint):
    return connect(None, endpoint)


@pytest.fixture
def sheets(workspace):
    return workspace.sheets.spreadsheets()


@pytest.fixture
def roster(sheets) -> str:
    """A new master spreadsheet made through spreadsheets.create; its id."""
    answer = sheets.create(body={"properties": {"title": "Belmont PLT roster"},
                                 "sheets": [{"properties": {"title": "Roster"}}]}).execute()
    return answer["spreadsheetId"]


def _values(sheets, spreadsheet_id, text, **options):
    return sheets.values().get(spreadsheetId=spreadsheet_id, range=text, **options).execute()


def _write(sheets, spreadsheet_id, text, rows, option="RAW"):
    return sheets.values().update(spreadsheetId=spreadsheet_id, range=text, valueInputOption=option,
                                  body={"values": rows}).execute()


def _status(call) -> int:
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status, caught.value


# Creating and reading spreadsheets.
def test_created_spreadsheet_has_googles_default_grid_and_is_a_drive_file(workspace, sheets, roster):
    answer = sheets.get(spreadsheetId=roster).execute()
    assert answer["properties"]["title"] == "Belmont PLT roster"
    assert answer["sheets"][0]["properties"]["gridProperties"] == {"rowCount": 1000, "columnCount": 26}
    assert answer["spreadsheetUrl"].endswith(f"/d/{roster}/edit")
    drive_file = workspace.drive.files().get(fileId=roster, fields="id,name,mimeType").execute()
    assert drive_file == {"id": roster, "name": "Belmont PLT roster",
                          "mimeType": "application/vnd.google-apps.spreadsheet"}


def test_spreadsheet_deleted_in_drive_answers_404_in_sheets(workspace, sheets, roster):
    workspace.drive.files().delete(fileId=roster).execute()
    status, error = _status(sheets.get(spreadsheetId=roster))
    assert status == 404
    assert "Requested entity was not found." in str(error)


def test_renaming_the_spreadsheet_renames_its_drive_file(workspace, sheets, roster):
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"updateSpreadsheetProperties": {
        "properties": {"title": "WSFCS PLTs"}, "fields": "title"}}]}).execute()
    assert workspace.drive.files().get(fileId=roster).execute()["name"] == "WSFCS PLTs"


def test_fields_mask_with_dots_selects_notes_in_grid_data(sheets, roster):
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"updateCells": {
        "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 1, "endColumnIndex": 2},
        "rows": [{"values": [{"note": "charter due Friday"}]}], "fields": "note"}}]}).execute()
    answer = sheets.get(spreadsheetId=roster, ranges=["Roster!A1:B2"],
                        fields="sheets.data.rowData.values.note").execute()
    assert answer == {"sheets": [{"data": [{"rowData": [{}, {"values": [{}, {"note": "charter due Friday"}]}]}]}]}


def test_include_grid_data_shows_value_kinds_and_formatted_text(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["Team 7", "12", "=2*3"]], "USER_ENTERED")
    answer = sheets.get(spreadsheetId=roster, ranges=["Roster!A1:C1"], includeGridData=True).execute()
    cells = answer["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cells[0]["userEnteredValue"] == {"stringValue": "Team 7"}
    assert cells[1]["effectiveValue"] == {"numberValue": 12}
    assert cells[2]["userEnteredValue"] == {"formulaValue": "=2*3"}
    assert cells[2]["formattedValue"] == "6"


# Values: input and rendering options.
def test_raw_keeps_formula_text_as_text(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["=HYPERLINK(\"x\")", "=1+1"]], "RAW")
    shown = _values(sheets, roster, "Roster!A1:B1", valueRenderOption="FORMULA")
    assert shown["values"] == [["=HYPERLINK(\"x\")", "=1+1"]]
    assert _values(sheets, roster, "Roster!A1:B1")["values"] == [["=HYPERLINK(\"x\")", "=1+1"]]


def test_user_entered_stores_formulas_and_parses_typed_text(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["=1+1", "0042", "1,250", "50%", "true", "2024-03-01", "'=not a formula"]],
           "USER_ENTERED")
    assert _values(sheets, roster, "Roster!1:1")["values"] == [
        ["2", "42", "1,250", "50%", "TRUE", "2024-03-01", "=not a formula"]]
    assert _values(sheets, roster, "Roster!1:1", valueRenderOption="UNFORMATTED_VALUE")["values"] == [
        [2, 42, 1250, 0.5, True, 45352, "=not a formula"]]
    assert _values(sheets, roster, "Roster!A1", valueRenderOption="FORMULA")["values"] == [["=1+1"]]


def test_only_constant_arithmetic_formulas_get_a_value_or_an_error(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["=2^3^2", "=-(1+2)*2", "=COUNTA(B:B)", "=1/0"]], "USER_ENTERED")
    assert _values(sheets, roster, "Roster!A1:D1")["values"] == [["64", "-6", "", "#DIV/0!"]]
    assert _values(sheets, roster, "Roster!A1:D1", valueRenderOption="FORMULA")["values"] == [
        ["=2^3^2", "=-(1+2)*2", "=COUNTA(B:B)", "=1/0"]]


def test_raw_numbers_and_booleans_render_like_google(sheets, roster):
    _write(sheets, roster, "Roster!A1", [[1, 1.45, 0.4, True, 42.0]])
    assert _values(sheets, roster, "Roster!A1:E1")["values"] == [["1", "1.45", "0.4", "TRUE", "42"]]


def test_major_dimension_columns_reads_and_writes_by_column(sheets, roster):
    sheets.values().update(spreadsheetId=roster, range="Roster!A1", valueInputOption="RAW",
                           body={"majorDimension": "COLUMNS", "values": [["Team", "T1", "T2"], ["School"]]}).execute()
    assert _values(sheets, roster, "Roster!A1:B3")["values"] == [["Team", "School"], ["T1"], ["T2"]]
    assert _values(sheets, roster, "Roster!A1:B3", majorDimension="COLUMNS")["values"] == [
        ["Team", "T1", "T2"], ["School"]]


def test_trailing_empty_rows_and_cells_are_trimmed(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["a", "", ""], ["", "", ""], ["", "b", ""], ["", "", ""]])
    answer = _values(sheets, roster, "Roster!A1:D6")
    assert answer == {"range": "Roster!A1:D6", "majorDimension": "ROWS", "values": [["a"], [], ["", "b"]]}
    assert "values" not in _values(sheets, roster, "Roster!F10:G12")


# A1 notation.
def test_quoted_sheet_names_with_apostrophes_and_spaces(workspace, roster):
    book = workspace.gspread.open_by_key(roster)
    book.add_worksheet("Team 'A'", rows=10, cols=5)
    answer = workspace.sheets.spreadsheets().values().update(
        spreadsheetId=roster, range="'Team ''A'''!B2", valueInputOption="RAW", body={"values": [["x"]]}).execute()
    assert answer["updatedRange"] == "'Team ''A'''!B2"
    assert book.worksheet("Team 'A'").get_values("B2") == [["x"]]


def test_unbounded_ranges_and_bare_sheet_names_clip_to_the_grid(sheets, roster):
    assert _values(sheets, roster, "Roster!A:C")["range"] == "Roster!A1:C1000"
    assert _values(sheets, roster, "Roster!2:5")["range"] == "Roster!A2:Z5"
    assert _values(sheets, roster, "Roster!B3:4")["range"] == "Roster!B3:Z4"
    assert _values(sheets, roster, "Roster")["range"] == "Roster!A1:Z1000"
    assert _values(sheets, roster, "A1:B2")["range"] == "Roster!A1:B2"


def test_sheet_title_that_looks_like_a_cell_is_quoted(workspace, roster):
    workspace.gspread.open_by_key(roster).sheet1.update_title("D3")
    assert _values(workspace.sheets.spreadsheets(), roster, "'D3'!A1:B2")["range"] == "'D3'!A1:B2"


# Writing at the grid's edge.
def test_append_finds_the_table_and_grows_the_grid(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).add_worksheet("Members", rows=3, cols=3)
    sheet.update([["Team", "Member"], ["T1", "ana@belmont.example.org"], ["T1", "bo@belmont.example.org"]], "A1")
    answer = sheet.append_row(["T2", "cy@belmont.example.org"], table_range="A1")
    assert answer["tableRange"] == "Members!A1:B3"
    assert answer["updates"]["updatedRange"] == "Members!A4:B4"
    assert workspace.gspread.open_by_key(roster).worksheet("Members").row_count == 4
    assert sheet.get_values("A4:B4") == [["T2", "cy@belmont.example.org"]]


def test_append_with_insert_rows_pushes_rows_below_down(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["Team"], ["T1"], [""], ["Notes kept below"]])
    sheets.values().append(spreadsheetId=roster, range="Roster!A1:A2", valueInputOption="RAW",
                           insertDataOption="INSERT_ROWS", body={"values": [["T2"]]}).execute()
    assert _values(sheets, roster, "Roster!A1:A6")["values"] == [["Team"], ["T1"], ["T2"], [], ["Notes kept below"]]
    grid = sheets.get(spreadsheetId=roster).execute()["sheets"][0]["properties"]["gridProperties"]
    assert grid["rowCount"] == 1001


def test_update_outside_the_grid_is_a_400_like_google(sheets, roster):
    status, error = _status(sheets.values().update(spreadsheetId=roster, range="Roster!A1000",
                                                   valueInputOption="RAW", body={"values": [["a"], ["b"]]}))
    assert status == 400
    assert "exceeds grid limits. Max rows: 1000, max columns: 26" in str(error)


def test_writing_more_than_the_named_range_holds_is_refused(sheets, roster):
    status, error = _status(sheets.values().update(spreadsheetId=roster, range="Roster!A1:B1",
                                                   valueInputOption="RAW", body={"values": [["a", "b", "c"]]}))
    assert status == 400
    assert "tried writing to column [C]" in str(error)


# Errors.
def test_errors_carry_googles_codes_and_messages(sheets, roster):
    assert _status(sheets.values().get(spreadsheetId=roster, range="Nowhere!A1"))[0] == 400
    assert "Unable to parse range: Nowhere!A1" in str(_status(sheets.values().get(spreadsheetId=roster,
                                                                                   range="Nowhere!A1"))[1])
    assert _status(sheets.get(spreadsheetId="no-such-sheet"))[0] == 404
    assert _status(sheets.values().update(spreadsheetId=roster, range="Roster!A1", body={"values": [["x"]]}))[0] == 400


def test_gspread_sees_errors_as_api_errors(workspace, roster):
    with pytest.raises(gspread.exceptions.APIError) as caught:
        workspace.gspread.open_by_key(roster).values_get("'Missing tab'!A1")
    assert caught.value.response.status_code == 400
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        workspace.gspread.open_by_key("1" * 44)


def test_failed_batch_update_changes_nothing(sheets, roster):
    requests = [{"addSheet": {"properties": {"title": "Problems"}}}, {"deleteSheet": {"sheetId": 123456}}]
    status, error = _status(sheets.batchUpdate(spreadsheetId=roster, body={"requests": requests}))
    assert status == 400
    assert "Invalid requests[1].deleteSheet: No grid with id: 123456" in str(error)
    titles = [s["properties"]["title"] for s in sheets.get(spreadsheetId=roster).execute()["sheets"]]
    assert titles == ["Roster"]


# Batch values methods.
def test_batch_update_batch_get_and_batch_clear(sheets, roster):
    answer = sheets.values().batchUpdate(spreadsheetId=roster, body={
        "valueInputOption": "USER_ENTERED",
        "data": [{"range": "Roster!A1", "values": [["Team", "Members"]]},
                 {"range": "Roster!A2:B2", "values": [["T1", "=1+2"]]}]}).execute()
    assert (answer["totalUpdatedCells"], answer["totalUpdatedRows"], answer["totalUpdatedSheets"]) == (4, 2, 1)
    assert [r["updatedRange"] for r in answer["responses"]] == ["Roster!A1:B1", "Roster!A2:B2"]
    got = sheets.values().batchGet(spreadsheetId=roster, ranges=["Roster!A1:B1", "Roster!B2"],
                                   valueRenderOption="FORMULA").execute()
    assert [r.get("values") for r in got["valueRanges"]] == [[["Team", "Members"]], [["=1+2"]]]
    cleared = sheets.values().batchClear(spreadsheetId=roster, body={"ranges": ["Roster!A2:B2", "Roster!A1"]}).execute()
    assert cleared["clearedRanges"] == ["Roster!A2:B2", "Roster!A1"]
    assert _values(sheets, roster, "Roster!A1:B2")["values"] == [["", "Members"]]


def test_clear_keeps_notes_and_formats_but_removes_values(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    sheet.update([["Charter", "received"]], "A1")
    sheet.update_note("A1", "coordinator checks this")
    sheet.format("A1:B1", {"textFormat": {"bold": True}})
    assert sheet.clear()["clearedRange"] == "Roster!A1:Z1000"
    assert "values" not in workspace.gspread.open_by_key(roster).values_get("Roster")
    assert sheet.get_note("A1") == "coordinator checks this"


# spreadsheets.batchUpdate through gspread.
def test_worksheets_are_added_renamed_resized_hidden_and_deleted(workspace, roster):
    book = workspace.gspread.open_by_key(roster)
    problems = book.add_worksheet("Problems", rows=5, cols=4)
    problems.update_title("Problems (open)")
    problems.resize(rows=8)
    problems.hide()
    props = {s["properties"]["title"]: s["properties"] for s in book.fetch_sheet_metadata()["sheets"]}
    assert props["Problems (open)"]["gridProperties"] == {"rowCount": 8, "columnCount": 4}
    assert props["Problems (open)"]["hidden"] is True and props["Problems (open)"]["index"] == 1
    book.del_worksheet(problems)
    assert [w.title for w in book.worksheets()] == ["Roster"]


def test_hiding_the_only_visible_sheet_is_refused(workspace, roster):
    with pytest.raises(gspread.exceptions.APIError) as caught:
        workspace.gspread.open_by_key(roster).sheet1.hide()
    assert "You can't hide all the sheets in a document." in str(caught.value)


def test_inserting_and_deleting_rows_moves_values_and_merges(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    sheet.update([["Team", "School"], ["T1", "Belmont High"], ["T2", "Chenery"]], "A1")
    sheet.merge_cells("A3:B3")
    sheet.insert_row(["T0", "Winn Brook"], index=2)
    assert sheet.spreadsheet.values_get("Roster!A1:B4")["values"] == [
        ["Team", "School"], ["T0", "Winn Brook"], ["T1", "Belmont High"], ["T2"]]
    merges = workspace.gspread.open_by_key(roster).fetch_sheet_metadata()["sheets"][0]["merges"]
    assert merges == [{"startRowIndex": 3, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 2}]
    sheet.delete_rows(2)
    assert sheet.get_values("A1:A3") == [["Team"], ["T1"], ["T2"]]


def test_merge_keeps_the_top_left_value_and_unmerge_removes_the_merge(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    sheet.update([["School", "x"], ["y", "z"]], "A1")
    sheet.merge_cells("A1:B2")
    assert sheet.spreadsheet.values_get("Roster!A1:B2")["values"] == [["School"]]
    sheet.unmerge_cells("A1:B2")
    assert "merges" not in workspace.gspread.open_by_key(roster).fetch_sheet_metadata()["sheets"][0]


def test_format_is_stored_with_googles_color_styles(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    sheet.format("A1", {"backgroundColor": {"red": 1}, "textFormat": {"bold": True}})
    answer = workspace.sheets.spreadsheets().get(spreadsheetId=roster, ranges=["Roster!A1"],
                                                 fields="sheets/data/rowData/values/userEnteredFormat").execute()
    fmt = answer["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert fmt == {"backgroundColor": {"red": 1}, "backgroundColorStyle": {"rgbColor": {"red": 1}},
                   "textFormat": {"bold": True}}


def test_protected_ranges_list_the_owner_as_editor_and_can_be_deleted(workspace, roster, emulator_server):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    added = sheet.add_protected_range("A1:B2", description="sync-owned columns")
    protected = added["replies"][0]["addProtectedRange"]["protectedRange"]
    assert protected["editors"] == {} and protected["requestingUserCanEdit"] is True
    stored = workspace.gspread.open_by_key(roster).fetch_sheet_metadata()["sheets"][0]["protectedRanges"][0]
    assert stored["editors"] == {"users": [emulator_server.emulator.user_email]}
    sheet.delete_protected_range(protected["protectedRangeId"])
    assert "protectedRanges" not in workspace.gspread.open_by_key(roster).fetch_sheet_metadata()["sheets"][0]


def test_named_ranges_hidden_rows_groups_and_copy(workspace, roster):
    sheet = workspace.gspread.open_by_key(roster).sheet1
    sheet.update([["T1"], ["T2"]], "A1")
    named = sheet.define_named_range("A1:A2", "Teams")["replies"][0]["addNamedRange"]["namedRange"]
    assert workspace.gspread.open_by_key(roster).values_get("Teams")["values"] == [["T1"], ["T2"]]
    sheet.hide_rows(0, 1)
    sheet.add_dimension_group_columns(0, 2)
    sheet.copy_range("A1:A2", "C1:C2")
    meta = workspace.sheets.spreadsheets().get(spreadsheetId=roster, fields="sheets.data.rowMetadata").execute()
    assert meta["sheets"][0]["data"][0]["rowMetadata"][0] == {"pixelSize": 21, "hiddenByUser": True}
    book = workspace.gspread.open_by_key(roster).fetch_sheet_metadata()
    assert book["sheets"][0]["columnGroups"] == [{"range": {"dimension": "COLUMNS", "startIndex": 0, "endIndex": 2},
                                                  "depth": 1}]
    assert sheet.get_values("C1:C2") == [["T1"], ["T2"]]
    sheet.delete_named_range(named["namedRangeId"])
    assert "namedRanges" not in workspace.gspread.open_by_key(roster).fetch_sheet_metadata()


# spreadsheets.batchUpdate through google-api-python-client.
def test_replies_come_back_in_request_order(sheets, roster):
    requests = [
        {"addSheet": {"properties": {"title": "Dashboard", "gridProperties": {"rowCount": 20, "columnCount": 5}}}},
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 10}},
        {"createDeveloperMetadata": {"developerMetadata": {"metadataKey": "plt-tab", "metadataValue": "roster",
                                                           "location": {"sheetId": 0}, "visibility": "DOCUMENT"}}},
    ]
    replies = sheets.batchUpdate(spreadsheetId=roster, body={"requests": requests}).execute()["replies"]
    assert list(replies[0]) == ["addSheet"] and replies[1] == {}
    assert replies[0]["addSheet"]["properties"]["title"] == "Dashboard"
    assert replies[2]["createDeveloperMetadata"]["developerMetadata"]["location"] == {
        "locationType": "SHEET", "sheetId": 0}
    found = sheets.developerMetadata().search(spreadsheetId=roster, body={"dataFilters": [
        {"developerMetadataLookup": {"metadataKey": "plt-tab"}}]}).execute()
    assert [m["developerMetadata"]["metadataValue"] for m in found["matchedDeveloperMetadata"]] == ["roster"]
    grid = sheets.get(spreadsheetId=roster).execute()["sheets"][0]["properties"]["gridProperties"]
    assert grid["rowCount"] == 1010


def test_validation_conditional_format_chart_borders_and_autosize(sheets, roster):
    cells = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3, "startColumnIndex": 0, "endColumnIndex": 1}
    rule = {"condition": {"type": "BOOLEAN"}}
    chart = {"spec": {"title": "Teams per school"},
             "position": {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 0, "columnIndex": 3}}}}
    requests = [
        {"setDataValidation": {"range": cells, "rule": rule}},
        {"addConditionalFormatRule": {"index": 0, "rule": {"ranges": [cells], "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "missing"}]},
            "format": {"backgroundColor": {"red": 1}}}}}},
        {"addChart": {"chart": chart}},
        {"updateBorders": {"range": cells, "top": {"style": "SOLID"}}},
    ]
    _write(sheets, roster, "Roster!A2", [["a much longer team name than the column"]])
    replies = sheets.batchUpdate(spreadsheetId=roster, body={"requests": requests}).execute()["replies"]
    chart_id = replies[2]["addChart"]["chart"]["chartId"]
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [
        {"updateChartSpec": {"chartId": chart_id, "spec": {"title": "Teams by goal"}}},
        {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0,
                                                 "endIndex": 1}}}]}).execute()
    answer = sheets.get(spreadsheetId=roster, includeGridData=True, ranges=["Roster!A1:A3"]).execute()["sheets"][0]
    assert answer["charts"][0]["spec"] == {"title": "Teams by goal"}
    assert answer["conditionalFormats"][0]["ranges"] == [{k: v for k, v in cells.items() if k != "sheetId"}]
    rows = answer["data"][0]["rowData"]
    assert rows[1]["values"][0]["dataValidation"] == rule
    assert rows[1]["values"][0]["userEnteredFormat"]["borders"] == {"top": {"style": "SOLID"}}
    assert answer["data"][0]["columnMetadata"][0]["pixelSize"] > 100


def test_cut_paste_moves_values(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["T1"], ["T2"]])
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"cutPaste": {
        "source": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 1},
        "destination": {"sheetId": 0, "rowIndex": 0, "columnIndex": 2}, "pasteType": "PASTE_NORMAL"}}]}).execute()
    assert _values(sheets, roster, "Roster!A1:C2")["values"] == [["", "", "T1"], ["", "", "T2"]]


def test_deleting_columns_shifts_values_left(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["Team", "Old column", "School"]])
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"deleteDimension": {
        "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}}]}).execute()
    assert _values(sheets, roster, "Roster!1:1") == {"range": "Roster!A1:Y1", "majorDimension": "ROWS",
                                                     "values": [["Team", "School"]]}


def test_a_ten_thousand_row_roster_stays_workable(sheets, roster):
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 9000}}]}).execute()
    rows = [[f"T{r}"] + [f"r{r}c{c}" for c in range(1, 25)] for r in range(10000)]
    assert _write(sheets, roster, "Roster!A1", rows)["updatedCells"] == 250000
    _write(sheets, roster, "Roster!B5000", [["edited by a coordinator"]])
    appended = sheets.values().append(spreadsheetId=roster, range="Roster!A1", valueInputOption="RAW",
                                      body={"values": [["T10000"]]}).execute()
    assert appended["updates"]["updatedRange"] == "Roster!A10001"
    everything = _values(sheets, roster, "Roster")["values"]
    assert len(everything) == 10001 and everything[4999][1] == "edited by a coordinator"


def test_create_applies_the_cells_widths_rules_and_protections_given_for_each_sheet(endpoint):
    """PLT Sync's init creates the master sheet with its headers and layout in one call."""
    from sync.google.workspace import connect as connect_clients

    sheets = connect_clients(None, endpoint).sheets
    body = {"properties": {"title": "Roster"}, "sheets": [{
        "properties": {"sheetId": 7, "title": "Roster", "gridProperties": {"frozenRowCount": 1}},
        "data": [{"startRow": 0, "startColumn": 0,
                  "rowData": [{"values": [{"userEnteredValue": {"stringValue": "Team ID"}},
                                          {"userEnteredValue": {"stringValue": "=not a formula"}}]}],
                  "columnMetadata": [{"pixelSize": 140}]}],
        "conditionalFormats": [{"ranges": [{"sheetId": 7, "startColumnIndex": 1, "endColumnIndex": 2}],
                                "booleanRule": {"condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "overdue"}]},
                                                "format": {"textFormat": {"bold": True}}}}],
        "protectedRanges": [{"range": {"sheetId": 7, "startColumnIndex": 0, "endColumnIndex": 1},
                             "description": "Filled in by PLT Sync", "warningOnly": True}]}]}
    created = sheets.spreadsheets().create(body=body).execute()
    sid = created["spreadsheetId"]
    values = sheets.spreadsheets().values().get(spreadsheetId=sid, range="Roster!A1:B1",
                                                valueRenderOption="FORMULA").execute()["values"]
    got = sheets.spreadsheets().get(spreadsheetId=sid, fields="sheets(conditionalFormats,protectedRanges,"
                                    "data(columnMetadata(pixelSize)))", includeGridData=True).execute()["sheets"][0]
    assert values == [["Team ID", "=not a formula"]]
    assert got["conditionalFormats"][0]["booleanRule"]["condition"]["type"] == "TEXT_EQ"
    assert got["protectedRanges"][0]["warningOnly"] is True
    assert got["data"][0]["columnMetadata"][0]["pixelSize"] == 140


def test_a_request_kind_google_has_but_the_emulator_lacks_is_refused_naming_it(sheets, roster):
    """Not "Unknown name": Google knows addBanding, and a script using it should learn that
    the emulator, not its request, is what falls short. The whole batch is refused (a 400:
    the emulator answers no 5xx to a request it can read)."""
    requests = [{"addSheet": {"properties": {"title": "Problems"}}},
                {"addBanding": {"bandedRange": {"range": {"sheetId": 0}}}}]
    status, error = _status(sheets.batchUpdate(spreadsheetId=roster, body={"requests": requests}))
    assert status == 400
    assert "requests[1].addBanding: Google carries out this kind of request; the emulator does not" in str(error)
    titles = [s["properties"]["title"] for s in sheets.get(spreadsheetId=roster).execute()["sheets"]]
    assert titles == ["Roster"]

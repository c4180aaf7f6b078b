"""The emulator's Sheets answers the way Google's do where clients look closely: sorting
and the basic filter, effective values and formats, number and date formats, append's table
detection, named ranges as A1 ranges, the update counts and colours. Driven through gspread
and google-api-python-client over loopback HTTP."""
from __future__ import annotations

import json

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
    answer = sheets.create(body={"properties": {"title": "Belmont PLT roster"},
                                 "sheets": [{"properties": {"title": "Roster"}}]}).execute()
    return answer["spreadsheetId"]


@pytest.fixture
def tab(workspace, roster):
    """The Roster tab through gspread."""
    return workspace.gspread.open_by_key(roster).worksheet("Roster")


def _write(sheets, roster, text, rows, option="RAW"):
    return sheets.values().update(spreadsheetId=roster, range=text, valueInputOption=option,
                                  body={"values": rows}).execute()


def _values(sheets, roster, text, **options):
    return sheets.values().get(spreadsheetId=roster, range=text, **options).execute().get("values", [])


def _batch(sheets, roster, *requests):
    return sheets.batchUpdate(spreadsheetId=roster, body={"requests": list(requests)}).execute()


def _cells(sheets, roster, text, fields="sheets.data.rowData.values") -> list[dict]:
    answer = sheets.get(spreadsheetId=roster, ranges=[text], fields=fields).execute()
    return [cell for row in answer["sheets"][0]["data"][0].get("rowData", []) for cell in row.get("values", [])]


# Sorting and the basic filter.
def test_sort_puts_numbers_before_text_before_booleans_and_blanks_last(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["Team"], ["banana"], [True], [3], [""], ["Apple"], [1.5]])
    _batch(sheets, roster, {"sortRange": {"range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 7,
                                                    "startColumnIndex": 0, "endColumnIndex": 1},
                                          "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "ASCENDING"}]}})
    assert _values(sheets, roster, "Roster!A1:A7", valueRenderOption="UNFORMATTED_VALUE") == [
        ["Team"], [1.5], [3], ["Apple"], ["banana"], [True]]


def test_gspread_sort_descending_moves_whole_rows_and_keeps_blanks_last(sheets, roster, tab):
    _write(sheets, roster, "Roster!A1", [["T1", "Belmont High", 3], ["T2", "Belmont Middle", ""],
                                         ["T3", "Belmont Elementary", 7]])
    _batch(sheets, roster, {"updateCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1,
                                                      "startColumnIndex": 0, "endColumnIndex": 1},
                                            "rows": [{"values": [{"note": "first team"}]}], "fields": "note"}})
    tab.sort((3, "des"), range="A1:C3")
    assert _values(sheets, roster, "Roster!A1:C3") == [["T3", "Belmont Elementary", "7"],
                                                       ["T1", "Belmont High", "3"], ["T2", "Belmont Middle"]]
    assert _cells(sheets, roster, "Roster!A2", "sheets.data.rowData.values.note") == [{"note": "first team"}]


def test_basic_filter_sorts_below_the_header_and_hides_rejected_rows(sheets, roster, tab):
    _write(sheets, roster, "Roster!A1", [["Team", "School", "Members"], ["T1", "Belmont High", 4],
                                         ["T2", "Belmont Middle", 2], ["T3", "Belmont High", 6]])
    _batch(sheets, roster, {"setBasicFilter": {"filter": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 3},
        "sortSpecs": [{"dimensionIndex": 2, "sortOrder": "DESCENDING"}],
        "filterSpecs": [{"columnIndex": 1, "filterCriteria": {"condition": {
            "type": "TEXT_CONTAINS", "values": [{"userEnteredValue": "high"}]}}}]}}})
    assert _values(sheets, roster, "Roster!A1:A4") == [["Team"], ["T3"], ["T1"], ["T2"]]
    answer = sheets.get(spreadsheetId=roster, ranges=["Roster!A1:C4"],
                        fields="sheets(basicFilter.range,data.rowMetadata.hiddenByFilter)").execute()["sheets"][0]
    assert answer["basicFilter"]["range"] == {"startRowIndex": 0, "endRowIndex": 4, "startColumnIndex": 0,
                                              "endColumnIndex": 3}
    assert [row.get("hiddenByFilter", False) for row in answer["data"][0]["rowMetadata"]] == [
        False, False, False, True]
    tab.clear_basic_filter()
    answer = sheets.get(spreadsheetId=roster, ranges=["Roster!A1:C4"],
                        fields="sheets(basicFilter,data.rowMetadata.hiddenByFilter)").execute()["sheets"][0]
    assert "basicFilter" not in answer
    assert not any(row.get("hiddenByFilter") for row in answer["data"][0]["rowMetadata"])


def test_gspread_basic_filter_covers_the_range_it_names(sheets, roster, tab):
    tab.set_basic_filter("A1:C10")
    answer = sheets.get(spreadsheetId=roster, fields="sheets.basicFilter").execute()
    assert answer["sheets"][0]["basicFilter"] == {"range": {"startRowIndex": 0, "endRowIndex": 10,
                                                            "startColumnIndex": 0, "endColumnIndex": 3}}


def test_a_filter_condition_the_emulator_cannot_evaluate_is_refused_by_name(sheets, roster):
    with pytest.raises(HttpError) as caught:
        _batch(sheets, roster, {"setBasicFilter": {"filter": {
            "range": {"sheetId": 0, "endRowIndex": 4, "endColumnIndex": 3},
            "filterSpecs": [{"columnIndex": 0, "filterCriteria": {"condition": {
                "type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=A2>1"}]}}}]}}})
    assert caught.value.resp.status == 400
    assert "CUSTOM_FORMULA" in json.loads(caught.value.content)["error"]["message"]


# Effective values and formats.
def test_grid_data_gives_each_cell_its_effective_value_and_format(sheets, roster):
    _write(sheets, roster, "Roster!A1", [["Team 7", 12, True, "=1/0", "=2*3"]], "USER_ENTERED")
    _batch(sheets, roster, {"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1},
                                           "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                                           "fields": "userEnteredFormat.textFormat.bold"}})
    team, members, ticked, broken, computed = _cells(sheets, roster, "Roster!A1:E1")
    assert team["effectiveValue"] == {"stringValue": "Team 7"}
    assert team["effectiveFormat"]["textFormat"] == {
        "foregroundColor": {}, "fontFamily": "Arial", "fontSize": 10, "bold": True, "italic": False,
        "strikethrough": False, "underline": False, "foregroundColorStyle": {"rgbColor": {}}}
    assert team["effectiveFormat"]["horizontalAlignment"] == "LEFT"
    assert team["effectiveFormat"]["backgroundColor"] == {"red": 1, "green": 1, "blue": 1}
    assert members["effectiveFormat"]["horizontalAlignment"] == "RIGHT"
    assert ticked["effectiveFormat"]["horizontalAlignment"] == "CENTER"
    assert broken["effectiveValue"] == {"errorValue": {"type": "DIVIDE_BY_ZERO",
                                                       "message": "Function DIVIDE parameter 2 cannot be zero."}}
    assert broken["formattedValue"] == "#DIV/0!"
    assert computed["effectiveValue"] == {"numberValue": 6}
    assert _cells(sheets, roster, "Roster!F1:F1") == []


# Number and date formats.
@pytest.mark.parametrize("value, number_format, shown", [
    (1234.567, {"type": "NUMBER", "pattern": "#,##0.00"}, "1,234.57"),
    (1234.567, {"type": "NUMBER"}, "1,234.57"),
    (1234567, {"type": "NUMBER", "pattern": '#,##0,"k"'}, "1,235k"),
    (0.256, {"type": "PERCENT", "pattern": "0.0%"}, "25.6%"),
    (0.1, {"type": "PERCENT"}, "10.00%"),
    (-1234.5, {"type": "CURRENCY", "pattern": '"$"#,##0.00;("$"#,##0.00)'}, "($1,234.50)"),
    (1234.5, {"type": "SCIENTIFIC"}, "1.23E+03"),
    (45352, {"type": "DATE", "pattern": "dddd, mmmm d, yyyy"}, "Friday, March 1, 2024"),
    (45352, {"type": "DATE"}, "3/1/2024"),
    (45352.5729166667, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}, "2024-03-01 13:45"),
    (0.5729166667, {"type": "TIME"}, "1:45:00 PM"),
    (1.5, {"type": "TIME", "pattern": "[h]:mm"}, "36:00"),
    (7, {"type": "NUMBER", "pattern": "000"}, "007"),
])
def test_numbers_show_through_their_number_format(sheets, roster, tab, value, number_format, shown):
    _write(sheets, roster, "Roster!A1", [[value]])
    tab.format("A1", {"numberFormat": number_format})
    assert tab.get("A1") == [[shown]]
    assert _values(sheets, roster, "Roster!A1", valueRenderOption="UNFORMATTED_VALUE") == [[value]]


def test_user_entered_dates_and_times_are_serials_shown_in_the_format_typed(sheets, roster, tab):
    typed = ["2024-03-01", "3/1/2024", "2024-03-01 13:45", "13:45", "1:45 PM", "1,250", "12.5%", "$1,200",
             "1.5E+3"]
    _write(sheets, roster, "Roster!A1", [typed], "USER_ENTERED")
    assert tab.get("A1:I1") == [["2024-03-01", "3/1/2024", "2024-03-01 13:45:00", "13:45:00", "1:45:00 PM",
                                 "1,250", "12.50%", "$1,200.00", "1.50E+03"]]
    serials = _values(sheets, roster, "Roster!A1:E1", valueRenderOption="UNFORMATTED_VALUE")[0]
    assert serials[:2] == [45352, 45352]
    assert serials[2] == pytest.approx(45352 + 13.75 / 24)
    assert serials[3:] == [pytest.approx(13.75 / 24), pytest.approx(13.75 / 24)]
    assert tab.get("A1:B1", value_render_option="UNFORMATTED_VALUE", date_time_render_option="FORMATTED_STRING") == [
        ["2024-03-01", "3/1/2024"]]


# values.append's tables.
GOOGLES_EXAMPLE = [["x", "y", "z"], ["x", "y", "z"], [], [None, "x", "y"], [None, None, "y", "z"],
                   [None, "x", "y", "z"]]


@pytest.mark.parametrize("range_, written, table", [
    ("Roster", "Roster!B7:C7", "Roster!B4:D6"),
    ("Roster!B4", "Roster!B7:C7", "Roster!B4:D6"),
    ("Roster!C5:D5", "Roster!B7:C7", "Roster!B4:D6"),
    ("Roster!B2:D4", "Roster!B7:C7", "Roster!B4:D6"),
    ("Roster!A3:G10", "Roster!B7:C7", "Roster!B4:D6"),
    ("Roster!A1", "Roster!A3:B3", "Roster!A1:C2"),
    ("Roster!E4", "Roster!E4:F4", None),
    ("Roster!A4", "Roster!A4:B4", None),
])
def test_append_writes_after_the_last_table_in_the_range(sheets, roster, range_, written, table):
    _write(sheets, roster, "Roster!A1", GOOGLES_EXAMPLE)
    answer = sheets.values().append(spreadsheetId=roster, range=range_, valueInputOption="RAW",
                                    body={"values": [["new", "row"]]}).execute()
    assert answer["updates"]["updatedRange"] == written
    assert answer.get("tableRange") == table


def test_gspread_append_row_lands_under_the_roster_not_beside_a_note_cell(sheets, roster, tab):
    _write(sheets, roster, "Roster!A1", [["Team", "School"], ["T1", "Belmont High"]])
    _write(sheets, roster, "Roster!F1", [["coordinator notes"]])
    tab.append_row(["T2", "Belmont Middle"])
    assert _values(sheets, roster, "Roster!A1:B3") == [["Team", "School"], ["T1", "Belmont High"],
                                                       ["T2", "Belmont Middle"]]


# Named ranges.
def test_a_named_range_serves_as_an_a1_range_in_every_values_method(sheets, roster, tab):
    _batch(sheets, roster, {"addNamedRange": {"namedRange": {"name": "Teams", "range": {
        "sheetId": 0, "startRowIndex": 1, "endRowIndex": 6, "startColumnIndex": 1, "endColumnIndex": 3}}}})
    assert _write(sheets, roster, "Teams", [["T1", "Belmont High"]])["updatedRange"] == "Roster!B2:C2"
    appended = sheets.values().append(spreadsheetId=roster, range="teams", valueInputOption="RAW",
                                      body={"values": [["T2", "Belmont Middle"]]}).execute()
    assert (appended["tableRange"], appended["updates"]["updatedRange"]) == ("Roster!B2:C2", "Roster!B3:C3")
    batch = sheets.values().batchGet(spreadsheetId=roster, ranges=["TEAMS"]).execute()["valueRanges"][0]
    assert batch == {"range": "Roster!B2:C6", "majorDimension": "ROWS",
                     "values": [["T1", "Belmont High"], ["T2", "Belmont Middle"]]}
    assert tab.get("Teams") == [["T1", "Belmont High"], ["T2", "Belmont Middle"]]
    sheets.values().clear(spreadsheetId=roster, range="Teams", body={}).execute()
    assert _values(sheets, roster, "Roster") == []


@pytest.mark.parametrize("name", ["A1", "R1C1", "2024_teams", "True", "team list", "x" * 251])
def test_names_google_refuses_for_a_named_range_are_refused(sheets, roster, name):
    with pytest.raises(HttpError) as caught:
        _batch(sheets, roster, {"addNamedRange": {"namedRange": {"name": name, "range": {"sheetId": 0}}}})
    assert caught.value.resp.status == 400
    assert "not a valid name" in json.loads(caught.value.content)["error"]["message"]


# Counts.
def test_batch_update_totals_count_each_row_column_and_cell_once(sheets, roster):
    answer = sheets.values().batchUpdate(spreadsheetId=roster, body={"valueInputOption": "RAW", "data": [
        {"range": "Roster!A1", "values": [["T1", "Belmont High", None], ["T2", "", None]]},
        {"range": "Roster!B2", "values": [["Belmont Middle", "4"]]},
        {"range": "Roster!A10", "values": [[None]]}]}).execute()
    assert [{k: v for k, v in r.items() if k != "spreadsheetId"} for r in answer["responses"]] == [
        {"updatedRange": "Roster!A1:C2", "updatedRows": 2, "updatedColumns": 2, "updatedCells": 4},
        {"updatedRange": "Roster!B2:C2", "updatedRows": 1, "updatedColumns": 2, "updatedCells": 2},
        {"updatedRange": "Roster!A10"}]
    assert {k: v for k, v in answer.items() if k.startswith("total")} == {
        "totalUpdatedRows": 2, "totalUpdatedColumns": 3, "totalUpdatedCells": 5, "totalUpdatedSheets": 1}


# Colours.
def test_gspread_colours_come_back_rounded_to_float32_and_black_as_empty(sheets, roster, tab):
    tab.format("A1", {"backgroundColor": {"red": 0, "green": 0.2, "blue": 0.7}, "textFormat": {
        "foregroundColor": {"red": 0, "green": 0, "blue": 0}}})
    tab.format("B1", {"backgroundColor": {"red": 2 / 3, "green": 1 / 7, "blue": 0.1}})
    first, second = _cells(sheets, roster, "Roster!A1:B1", "sheets.data.rowData.values.userEnteredFormat")
    assert first["userEnteredFormat"]["backgroundColor"] == {"green": 0.2, "blue": 0.7}
    assert first["userEnteredFormat"]["textFormat"]["foregroundColor"] == {}
    assert second["userEnteredFormat"]["backgroundColor"] == {"red": 0.6666667, "green": 0.14285715, "blue": 0.1}

"""Row metadata that follows its row, writes by data filter, and a coordinator's edit
armed to land between a run's read and its write."""
import pytest

from sync.google.workspace import connect

TAG = {"metadataKey": "plt_row", "locationType": "ROW"}


@pytest.fixture
def sheets(endpoint):
    return connect(None, endpoint).sheets.spreadsheets()


def _roster(sheets, ids=("U-1", "U-2", "U-3", "U-4")) -> str:
    body = {"properties": {"title": "Roster book"},
            "sheets": [{"properties": {"sheetId": 7, "title": "Roster", "gridProperties": {"rowCount": 20}}}]}
    book = sheets.create(body=body).execute()["spreadsheetId"]
    rows = [{"values": [{"userEnteredValue": {"stringValue": v}} for v in ("Unit ID", "School", "Status")]}]
    rows += [{"values": [{"userEnteredValue": {"stringValue": v}} for v in (uid, f"School {uid[-1]}", "")]}
             for uid in ids]
    requests = [{"updateCells": {"start": {"sheetId": 7}, "rows": rows, "fields": "userEnteredValue"}}]
    requests += [{"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "plt_row", "metadataValue": uid, "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": 7, "dimension": "ROWS", "startIndex": i, "endIndex": i + 1}}}}}
        for i, uid in enumerate(ids, start=1)]
    sheets.batchUpdate(spreadsheetId=book, body={"requests": requests}).execute()
    return book


def _tags_by_row(sheets, book) -> dict[int, str]:
    got = sheets.get(spreadsheetId=book, includeGridData=True,
                     fields="sheets(data(rowData(values(formattedValue)),"
                            "rowMetadata(developerMetadata(metadataKey,metadataValue))))").execute()
    data = got["sheets"][0]["data"][0]
    out = {}
    for row, meta in enumerate(data["rowMetadata"]):
        for entry in meta.get("developerMetadata", []):
            cells = data["rowData"][row]["values"]
            assert entry["metadataValue"] == cells[0]["formattedValue"], "a tag left its row"
            out[row] = entry["metadataValue"]
    return out


def _write_status(sheets, book, uid, text) -> dict:
    body = {"valueInputOption": "RAW", "data": [{"dataFilter": {"developerMetadataLookup": {**TAG, "metadataValue": uid}},
                                                 "values": [[None, None, text]]}]}
    return sheets.values().batchUpdateByDataFilter(spreadsheetId=book, body=body).execute()


def _column(sheets, book, col="A") -> list:
    got = sheets.values().get(spreadsheetId=book, range=f"Roster!{col}1:{col}20").execute()
    return [r[0] if r else "" for r in got.get("values", [])]


def test_row_tags_follow_inserted_deleted_and_sorted_rows(sheets):
    book = _roster(sheets, ("U-3", "U-1", "U-4", "U-2"))
    edits = [{"insertDimension": {"range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}}},
             {"deleteDimension": {"range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 4, "endIndex": 5}}},
             {"sortRange": {"range": {"sheetId": 7, "startRowIndex": 1}, "sortSpecs": [{"dimensionIndex": 0}]}}]
    sheets.batchUpdate(spreadsheetId=book, body={"requests": edits}).execute()
    assert _tags_by_row(sheets, book) == {1: "U-2", 2: "U-3", 3: "U-4"}   # U-1's row was deleted, its tag with it


def test_a_write_by_data_filter_lands_on_the_tagged_row_wherever_it_went(sheets):
    book = _roster(sheets)
    sort = {"sortRange": {"range": {"sheetId": 7, "startRowIndex": 1},
                          "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}}
    sheets.batchUpdate(spreadsheetId=book, body={"requests": [sort]}).execute()
    answer = _write_status(sheets, book, "U-3", "checked")
    assert answer["responses"][0]["updatedRange"] == "Roster!A3:C3" and answer["totalUpdatedCells"] == 1
    assert _column(sheets, book) == ["Unit ID", "U-4", "U-3", "U-2", "U-1"]
    assert _column(sheets, book, "C") == ["Status", "", "checked"]


def test_a_write_by_data_filter_to_a_deleted_row_writes_nothing(sheets):
    book = _roster(sheets)
    drop = {"deleteDimension": {"range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 2, "endIndex": 3}}}
    sheets.batchUpdate(spreadsheetId=book, body={"requests": [drop]}).execute()
    answer = _write_status(sheets, book, "U-2", "checked")
    assert "totalUpdatedCells" not in answer and answer["responses"] == []
    assert _column(sheets, book, "C") == ["Status"]


def test_an_armed_edit_lands_once_just_before_the_next_write(sheets, admin):
    book = _roster(sheets)
    insert = {"insertDimension": {"range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}
    assert admin("POST", f"/_emulator/sheets/{book}/edits", {"requests": [insert]})[0] == 200
    assert _column(sheets, book)[1] == "U-1"                  # a read does not set it off
    sheets.batchUpdate(spreadsheetId=book, body={"requests": [{"updateCells": {
        "start": {"sheetId": 7, "rowIndex": 1, "columnIndex": 2}, "rows": [{"values": [
            {"userEnteredValue": {"stringValue": "by position"}}]}], "fields": "userEnteredValue"}}]}).execute()
    assert _column(sheets, book)[:3] == ["Unit ID", "", "U-1"]   # the write met the inserted row
    assert admin("GET", f"/_emulator/sheets/{book}/edits")[1] == {"armed": []}
    _write_status(sheets, book, "U-1", "by tag")
    assert _column(sheets, book, "C")[:3] == ["Status", "by position", "by tag"]


def test_an_edit_google_would_refuse_is_refused_when_armed(sheets, admin):
    book = _roster(sheets)
    bad = {"deleteDimension": {"range": {"sheetId": 99, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}
    status, body = admin("POST", f"/_emulator/sheets/{book}/edits", {"requests": [bad]})[:2]
    assert status == 400 and "refused" in str(body)
    assert admin("GET", f"/_emulator/sheets/{book}/edits")[1] == {"armed": []}

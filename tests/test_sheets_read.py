"""Reading the master spreadsheet in one call: every kind of cell a coordinator leaves in
the roster comes back as the value they see, with checkbox columns and cell links known."""
from __future__ import annotations

from sheets.book import Edits, create_spreadsheet, read_book, write_book
from sheets.format import checkboxes
from sync.google.workspace import connect

HEADERS = ["Team ID", "Team name", "Member count", "Signed team charter received", "Folder", "Notes"]
FOLDER = "https://drive.google.com/drive/folders/f-123"


def roster_with_every_kind_of_cell(endpoint: str):
    http = connect(None, endpoint).gspread.http_client
    spreadsheet_id = create_spreadsheet(http, "Belmont PLT roster", [("Roster", HEADERS)], "America/New_York")
    book = read_book(http, spreadsheet_id)
    edits = Edits(book)
    roster = book.tab("Roster")
    edits.set_row(roster, 1, {0: "PLT-4F2A", 1: "=IMPORTXML(\"x\")", 2: 5, 3: True, 5: "Met Tuesday"})
    edits.set_row(roster, 2, {0: "PLT-9B1C", 1: "Grade 3 Math", 2: 4, 3: False, 5: "TRUE"})
    edits.requests.append(checkboxes(roster.sheet_id, 3, 3))
    edits.requests.append({"updateCells": {
        "range": {"sheetId": roster.sheet_id, "startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 4,
                  "endColumnIndex": 5},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "Team folder"},
                              "userEnteredFormat": {"textFormat": {"link": {"uri": FOLDER}}}}]}],
        "fields": "userEnteredValue,userEnteredFormat.textFormat.link"}})
    write_book(http, edits)
    return read_book(http, spreadsheet_id).tab("Roster")


def test_plain_text_numbers_ticks_and_typed_true_come_back_as_the_coordinator_sees_them(endpoint):
    roster = roster_with_every_kind_of_cell(endpoint)

    assert roster.rows[1][:4] == ["PLT-4F2A", "=IMPORTXML(\"x\")", "5", True]
    assert roster.rows[2][:4] == ["PLT-9B1C", "Grade 3 Math", "4", False]
    assert roster.value(1, "Notes") == "Met Tuesday"
    assert roster.value(2, "Notes") == "TRUE"   # text a coordinator typed stays text
    assert roster.value(1, "Folder") == "Team folder"


def test_checkbox_column_and_cell_link_are_read_in_the_same_call(endpoint):
    roster = roster_with_every_kind_of_cell(endpoint)

    assert roster.checkboxes == {3: 2}
    assert roster.links == {(1, 4): FOLDER}

"""The master spreadsheet's layout: made by `init` and the first sync, repaired by later runs
when a piece is gone, never at the cost of a coordinator's own formatting, and free on a
quiet re-run (still one write). Everything goes through the real Google client to the emulator."""
import pytest

from programme import Programme, at
from sheets import format as F
from sheets import layout as L
from sync.core.layout_plan import new_tab_layout, stale_folder_links, tab_repairs

TITLES = ("Facilitator submission", "SMART goal submitted to evaluator", "Signed team charter")
CHECKBOXES = TITLES[1:]   # the facilitator submission's evidence is the response itself, no tick
FILES = TITLES[2:]        # only the signed charter can be a file in the team folder
SHEET_FIELDS = ("sheets(properties(sheetId,title,gridProperties.frozenRowCount),conditionalFormats,"
                "protectedRanges,data.columnMetadata.pixelSize)")


@pytest.fixture
def programme(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    programme.submit("Ana", "Lopez", school="Belmont High School")
    programme.submit("Ben", "Okafor", school="Chenery Middle School")
    programme.sync(at("2017-10-10 06:00"))
    return programme


def sheets_api(programme):
    return programme.workspace().sheets.spreadsheets()


def sheet_json(programme, title):
    answer = sheets_api(programme).get(spreadsheetId=programme.settings().roster.spreadsheet_id,
                                       fields=SHEET_FIELDS).execute()
    return next(s for s in answer["sheets"] if s["properties"]["title"] == title)


def batch(programme, *requests):
    sheets_api(programme).batchUpdate(spreadsheetId=programme.settings().roster.spreadsheet_id,
                                      body={"requests": list(requests)}).execute()


def pending_layout(programme):
    """The layout repairs a run would add to the sheet as it stands now: requests, and Folder cells to link."""
    book = programme.book()
    repairs = []
    for name, layout in L.all_layouts(TITLES, checkbox_titles=CHECKBOXES, file_titles=FILES).items():
        repairs += tab_repairs(book.tab(name), layout, {}, TITLES)
    return repairs + list(stale_folder_links(book.tab(L.ROSTER)))


def test_first_sync_leaves_a_roster_with_frozen_header_checkboxes_status_colours_links_and_warnings(programme):
    book = programme.book()
    roster = book.tab(L.ROSTER)
    assert all(tab.frozen_rows == 1 for tab in book.tabs.values())
    for title in CHECKBOXES:
        col = roster.column(L.received_header(title))
        assert roster.checkboxes.get(col, 0) >= roster.used_rows() - 1
    for title in TITLES:
        status = roster.column(L.status_header(title))
        assert all(F.has_status_rule(roster.rules, status, word) for word in ("overdue", "received"))
    folder = roster.column(L.FOLDER)
    for row in roster.data_rows():
        assert roster.links[(row, folder)] == roster.value(row, L.FOLDER)
        assert str(roster.value(row, L.FOLDER)).startswith("https://drive.google.com/")
    warned = {col for item in roster.protected for col in range(item["range"]["startColumnIndex"],
                                                                item["range"]["endColumnIndex"])}
    assert all(item.get("warningOnly") and item["description"] == F.PROTECTION_NOTE for item in roster.protected)
    assert roster.column(L.TEAM_ID) in warned and roster.column(L.status_header(TITLES[2])) in warned
    assert roster.column(L.NOTES) not in warned
    assert not any(roster.column(L.received_header(t)) in warned for t in TITLES)


def test_tabs_come_in_the_usual_order_with_sync_made_widths(programme):
    answer = sheets_api(programme).get(spreadsheetId=programme.settings().roster.spreadsheet_id,
                                       fields=SHEET_FIELDS).execute()
    assert [s["properties"]["title"] for s in answer["sheets"]] == list(L.TAB_ORDER)
    roster = sheet_json(programme, L.ROSTER)
    widths = [c.get("pixelSize") for c in roster["data"][0]["columnMetadata"]]
    headers = L.roster_layout(TITLES, checkbox_titles=CHECKBOXES, file_titles=FILES).headers
    assert widths[headers.index("Members")] == F.WIDTHS["Members"]
    assert widths[headers.index("Team ID")] == F.WIDTHS["Team ID"]


def test_quiet_rerun_needs_no_layout_request_and_makes_one_write(programme):
    assert pending_layout(programme) == []
    programme.reset_stats()
    report = programme.sync(at("2017-10-10 06:15"))
    calls = programme.stats()["by_method"]
    assert calls["sheets.spreadsheets.batchUpdate"] == 1 and calls["sheets.spreadsheets.get"] == 1
    assert report.teams["updated"] == 0


def test_damaged_layout_is_repaired_and_a_coordinators_own_formatting_stays(programme):
    roster = programme.book().tab(L.ROSTER)
    sid = roster.sheet_id
    notes, received = roster.column(L.NOTES), roster.column(L.received_header(TITLES[2]))
    status = roster.column(L.status_header(TITLES[2]))
    overdue_at = next(i for i, rule in enumerate(roster.rules) if F.has_status_rule([rule], status, "overdue"))
    guard = next(p for p in roster.protected if p["range"]["startColumnIndex"] == 0)
    guarded = (0, guard["range"]["endColumnIndex"])
    coordinator_rule = {"ranges": [F.column_range(sid, notes, 1)], "booleanRule": {
        "condition": {"type": "NOT_BLANK"}, "format": {"backgroundColor": {"red": 0.9, "green": 0.9, "blue": 1}}}}
    batch(programme,
          {"deleteConditionalFormatRule": {"sheetId": sid, "index": overdue_at}},
          {"addConditionalFormatRule": {"index": 0, "rule": coordinator_rule}},
          {"deleteProtectedRange": {"protectedRangeId": guard["protectedRangeId"]}},
          {"setDataValidation": {"range": F.column_range(sid, received, 1, roster.row_count)}},
          {"updateSheetProperties": {"properties": {"sheetId": sid, "gridProperties": {"frozenRowCount": 0}},
                                     "fields": "gridProperties.frozenRowCount"}},
          {"updateDimensionProperties": {"range": {"sheetId": sid, "dimension": "COLUMNS", "startIndex": notes,
                                                   "endIndex": notes + 1},
                                         "properties": {"pixelSize": 411}, "fields": "pixelSize"}},
          F.links(sid, roster.column(L.FOLDER), 1, [""]))
    assert len(pending_layout(programme)) == 5

    programme.sync(at("2017-10-10 06:30"))

    repaired = programme.book().tab(L.ROSTER)
    assert repaired.frozen_rows == 1
    assert F.has_status_rule(repaired.rules, status, "overdue")
    assert any(rule["booleanRule"]["condition"]["type"] == "NOT_BLANK" for rule in repaired.rules)
    assert guarded in F.our_protections(repaired.protected)
    assert repaired.checkboxes.get(received, 0) >= repaired.used_rows() - 1
    assert repaired.links[(1, roster.column(L.FOLDER))] == repaired.value(1, L.FOLDER)
    widths = sheet_json(programme, L.ROSTER)["data"][0]["columnMetadata"]
    assert widths[notes]["pixelSize"] == 411
    assert pending_layout(programme) == []


def test_a_coordinators_tick_survives_the_checkbox_and_counts_as_received(programme):
    roster = programme.book().tab(L.ROSTER)
    col = roster.column(L.received_header(TITLES[2]))
    batch(programme, {"updateCells": {"range": {"sheetId": roster.sheet_id, "startRowIndex": 1, "endRowIndex": 2,
                                                "startColumnIndex": col, "endColumnIndex": col + 1},
                                      "rows": [{"values": [{"userEnteredValue": {"boolValue": True}}]}],
                                      "fields": "userEnteredValue"}})
    programme.sync(at("2017-10-10 06:30"))
    after = programme.book().tab(L.ROSTER)
    assert after.value(1, L.received_header(TITLES[2])) is True
    assert after.value(1, L.status_header(TITLES[2])) == "received"
    assert after.checkboxes.get(col, 0) >= after.used_rows() - 1


def test_new_spreadsheet_carries_its_layout_in_the_create_call():
    fields = new_tab_layout(TITLES, checkbox_titles=CHECKBOXES, file_titles=FILES)
    headers = L.roster_layout(TITLES, checkbox_titles=CHECKBOXES, file_titles=FILES).headers
    roster = fields(L.ROSTER, 7, headers, 1000)
    status = headers.index(L.status_header(TITLES[0]))
    assert F.has_status_rule(roster["conditionalFormats"], status, "overdue")
    assert all(p["warningOnly"] and p["range"]["sheetId"] == 7 for p in roster["protectedRanges"])
    checkbox_cols = {d["startColumn"] for d in roster["data"] if "rowData" in d}
    assert checkbox_cols == {headers.index(L.received_header(t)) for t in CHECKBOXES}
    assert all(len(d["rowData"]) == 999 for d in roster["data"] if "rowData" in d)
    widths = {d["startColumn"]: d["columnMetadata"][0]["pixelSize"] for d in roster["data"] if "columnMetadata" in d}
    assert widths[headers.index(L.FOLDER)] == F.WIDTHS["Folder"] and len(widths) == len(headers)
    members = fields(L.MEMBERS, 8, L.MEMBERS_LAYOUT.headers, 1000)
    assert "conditionalFormats" not in members and len(members["protectedRanges"]) == 1


def test_a_milestone_whose_evidence_has_no_checkbox_gets_a_status_column_but_no_received_checkbox(endpoint, tmp_path):
    belmont = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")
    belmont.submit("Ana", "Lopez", school="Belmont High School")
    belmont.sync(at("2017-10-10 06:00"))
    roster = belmont.book().tab(L.ROSTER)
    assert roster.column(L.status_header(TITLES[0])) is not None
    assert roster.column(L.received_header(TITLES[0])) is None
    assert set(roster.checkboxes) == {roster.column(L.received_header(t)) for t in CHECKBOXES}


def test_only_a_milestone_a_file_can_complete_gets_a_file_column(endpoint, tmp_path):
    belmont = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")
    belmont.submit("Ana", "Lopez", school="Belmont High School")
    belmont.sync(at("2017-10-10 06:00"))
    headers = belmont.book().tab(L.ROSTER).header
    assert [h for h in headers if h.endswith(" file")] == [L.file_header("Signed team charter")]


def test_a_received_column_an_older_version_made_is_left_alone_with_the_coordinators_ticks(endpoint, tmp_path):
    older = Programme.create(endpoint, tmp_path, edit=lambda text: text.replace("evidence_checkbox = false",
                                                                                "evidence_checkbox = true"))
    older.submit("Ana", "Lopez", school="Belmont High School")
    older.sync(at("2017-10-10 06:00"))
    roster = older.book().tab(L.ROSTER)
    old = L.received_header(TITLES[0])
    col = roster.column(old)
    batch(older, {"updateCells": {"range": {"sheetId": roster.sheet_id, "startRowIndex": 1, "endRowIndex": 2,
                                            "startColumnIndex": col, "endColumnIndex": col + 1},
                                  "rows": [{"values": [{"userEnteredValue": {"boolValue": True}}]}],
                                  "fields": "userEnteredValue"}})
    text = older.config_path.read_text(encoding="utf-8")
    older.config_path.write_text(text.replace("evidence_checkbox = true", "evidence_checkbox = false", 1),
                                 encoding="utf-8")
    older.submit("Ben", "Okafor", school="Chenery Middle School")
    older.sync(at("2017-10-11 06:00"))
    after = older.book().tab(L.ROSTER)
    assert after.column(old) == col and after.value(1, old) is True
    assert pending_layout(older) == []
    older.reset_stats()
    older.sync(at("2017-10-11 06:15"))
    assert older.stats()["by_method"]["sheets.spreadsheets.batchUpdate"] == 1

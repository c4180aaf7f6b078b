"""Google's JSON mapping at the emulator's edge: bodies, masks and query parameters may use
lowerCamelCase or proto names, a single value stands for a list of one, and whatever names
nothing known or has the wrong type is Google's 400, never a silent no-op or a stored junk
key. Driven through google-api-python-client (which sends bodies as given) and plain HTTP."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

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


def _refused(call) -> dict:
    with pytest.raises(HttpError) as caught:
        call.execute()
    assert caught.value.resp.status == 400
    return json.loads(caught.value.content)["error"]


def _roster_properties(sheets, roster) -> dict:
    return sheets.get(spreadsheetId=roster).execute()["sheets"][0]["properties"]


def _http(endpoint: str, method: str, path: str, body=None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# Proto names and lowerCamelCase alike.
def test_proto_names_in_body_and_mask_freeze_the_header_row(sheets, roster):
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"update_sheet_properties": {
        "properties": {"sheet_id": 0, "grid_properties": {"frozen_row_count": 1}},
        "fields": "grid_properties.frozen_row_count"}}]}).execute()
    properties = _roster_properties(sheets, roster)
    assert properties["gridProperties"] == {"rowCount": 1000, "columnCount": 26, "frozenRowCount": 1}
    assert "grid_properties" not in properties


def test_mask_naming_an_unknown_field_is_refused_and_stores_nothing(sheets, roster):
    before = _roster_properties(sheets, roster)
    error = _refused(sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
        "fields": "grid_properties.frozen_rows"}}]}))
    assert error["status"] == "INVALID_ARGUMENT"
    assert "requests[0].update_sheet_properties.fields" in error["message"]
    assert '"frozen_rows"' in error["message"]
    assert _roster_properties(sheets, roster) == before


def test_forms_update_mask_may_use_proto_names(workspace):
    forms = workspace.forms.forms()
    form_id = forms.create(body={"info": {"title": "PLT enrolment"}}).execute()["formId"]
    item = {"title": "School", "questionItem": {"question": {"textQuestion": {}}}}
    forms.batchUpdate(formId=form_id, body={"requests": [
        {"create_item": {"item": item, "location": {"index": 0}}}]}).execute()
    forms.batchUpdate(formId=form_id, body={"requests": [{"update_item": {
        "item": {"title": "School", "question_item": {"question": {"required": True, "text_question": {}}}},
        "location": {"index": 0}, "update_mask": "question_item.question.required"}}]}).execute()
    question = forms.get(formId=form_id).execute()["items"][0]["questionItem"]["question"]
    assert question["required"] is True


def test_query_parameters_may_use_proto_names(endpoint, sheets, roster):
    sheets.values().update(spreadsheetId=roster, range="Roster!A1", valueInputOption="USER_ENTERED",
                           body={"values": [["=1+1"]]}).execute()
    query = urllib.parse.urlencode({"value_render_option": "FORMULA"})
    status, answer = _http(endpoint, "GET", f"/v4/spreadsheets/{roster}/values/Roster!A1?{query}")
    assert (status, answer["values"]) == (200, [["=1+1"]])


# One value for a list.
def test_a_single_request_object_reads_as_a_list_of_one(sheets, roster):
    answer = sheets.batchUpdate(spreadsheetId=roster, body={
        "requests": {"addSheet": {"properties": {"title": "Members"}}}}).execute()
    assert answer["replies"][0]["addSheet"]["properties"]["title"] == "Members"


def test_requests_sent_in_a_nested_list_are_carried_out_in_order(sheets, roster):
    """gspread-pandas merges header cells with `requests: [[merge, merge]]`; Google carries out
    both (recorded in its test suite: two replies)."""
    merges = [{"mergeCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1,
                                        "startColumnIndex": start, "endColumnIndex": start + 2},
                              "mergeType": "MERGE_ALL"}} for start in (1, 3)]
    answer = sheets.batchUpdate(spreadsheetId=roster, body={"requests": [merges]}).execute()
    assert answer["replies"] == [{}, {}]
    got = sheets.get(spreadsheetId=roster).execute()["sheets"][0]["merges"]
    assert [m["startColumnIndex"] for m in got] == [1, 3]


# Refusals name the field by its proto path.
@pytest.mark.parametrize("request_, words", [
    ({"updateSheetProperties": {"properties": {"sheetId": "first"}, "fields": "title"}},
     ["requests[0].update_sheet_properties.properties.sheet_id", "TYPE_INT32", '"first"']),
    ({"addSheet": {"properties": {"title": "Staff", "sheetType": "PIVOT"}}},
     ["requests[0].add_sheet.properties.sheet_type", "GRID"]),
    ({"addSheet": {"properties": {"gridProperties": {"rowCount": 2**40}}}},
     ["requests[0].add_sheet.properties.grid_properties.row_count", str(2**40)]),
    ({"addSheet": [{"properties": {}}]}, ["Proto field is not repeating", "requests[0].add_sheet"]),
    ({"addSheets": {}}, ['Unknown name "addSheets" at \'requests[0]\'', "Cannot find field"]),
])
def test_wrong_types_and_unknown_names_are_refused_with_the_field_path(sheets, roster, request_, words):
    error = _refused(sheets.batchUpdate(spreadsheetId=roster, body={"requests": [request_]}))
    for word in words:
        assert word in error["message"]
    assert [s["properties"]["title"] for s in sheets.get(spreadsheetId=roster).execute()["sheets"]] == ["Roster"]


def test_a_whole_properties_mask_without_a_title_is_refused(sheets, roster):
    error = _refused(sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"updateSpreadsheetProperties": {
        "properties": {"locale": "en_GB"}, "fields": "*"}}]}))
    assert "must have a title" in error["message"]
    assert sheets.get(spreadsheetId=roster).execute()["properties"]["title"] == "Belmont PLT roster"


def test_a_body_that_is_not_an_object_is_refused(endpoint, roster):
    status, answer = _http(endpoint, "POST", f"/v4/spreadsheets/{roster}:batchUpdate", [{"requests": []}])
    assert status == 400
    assert "Root element must be a message" in answer["error"]["message"]


def test_unknown_query_parameter_and_enum_value_are_refused(endpoint, roster):
    status, answer = _http(endpoint, "GET", f"/v4/spreadsheets/{roster}/values/Roster!A1?renderOption=FORMULA")
    assert status == 400 and "Unknown name \"renderOption\"" in answer["error"]["message"]
    status, answer = _http(endpoint, "GET", f"/v4/spreadsheets/{roster}/values/Roster!A1?valueRenderOption=RAW")
    assert status == 400 and "value_render_option" in answer["error"]["message"]


def test_fields_parameter_naming_an_unknown_field_is_refused(sheets, roster):
    error = _refused(sheets.get(spreadsheetId=roster, fields="sheets.propertees"))
    assert "propertees" in error["message"]
    assert sheets.get(spreadsheetId=roster, fields="sheets.properties.grid_properties").execute() == {
        "sheets": [{"properties": {"gridProperties": {"rowCount": 1000, "columnCount": 26}}}]}


def test_drive_drops_names_it_does_not_know_as_drive_does(workspace):
    made = workspace.drive.files().create(body={"name": "Team 7", "title": "ignored by Drive v3"},
                                          fields="id,name").execute()
    assert made["name"] == "Team 7"
    assert "title" not in workspace.drive.files().get(fileId=made["id"], fields="*").execute()


def test_colour_components_come_back_as_google_stores_them(sheets, roster):
    colour = {"red": 1 / 3, "green": 0.6, "blue": 0.33}
    sheets.batchUpdate(spreadsheetId=roster, body={"requests": [{"repeatCell": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1},
        "cell": {"userEnteredFormat": {"backgroundColor": colour}}, "fields": "userEnteredFormat"}}]}).execute()
    answer = sheets.get(spreadsheetId=roster, ranges=["Roster!A1"],
                        fields="sheets.data.rowData.values.userEnteredFormat.backgroundColor").execute()
    stored = answer["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]["backgroundColor"]
    assert stored == {"red": 0.33333334, "green": 0.6, "blue": 0.33}

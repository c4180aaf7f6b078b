"""Recorded real Google traffic replayed against the emulator: the emulator must answer
every recorded call the way Google did, except the few set aside on purpose."""
from __future__ import annotations

import io
import json

import pytest

from emulator import conformance
from emulator.conformance_compare import IdMap, compare

_SPREADSHEET = "application/vnd.google-apps.spreadsheet"
_RECORDED_ID = "1RecordedRosterIdRecordedRosterIdRecorded00"


def test_every_shared_recording_matches_except_the_deliberate_skips():
    if not conformance.DEFAULT_DIR.is_dir():
        pytest.skip("the shared conformance recordings are not next to this checkout")
    out = io.StringIO()
    results = conformance.replay_folder(conformance.DEFAULT_DIR, out=out)
    failing = [line for line in out.getvalue().splitlines() if line.startswith("    ")]
    assert failing == []
    assert all(r.matched + r.skipped == r.total for r in results)
    assert sum(r.total for r in results) > 1000
    assert len(conformance.SKIPS) <= 6
    assert sum(r.skipped for r in results) <= 5
    assert out.getvalue().splitlines()[-1].startswith("conformance: ")


def _interaction(method, uri, status, answer, body=None):
    text = answer if isinstance(answer, str) else json.dumps(answer)
    return {"request": {"method": method, "uri": uri, "body": json.dumps(body) if body is not None else None,
                        "headers": {"Content-Type": ["application/json"]} if body is not None else {}},
            "response": {"status": {"code": status, "message": ""}, "headers": {}, "body": {"string": text}}}


def _create(name):
    return _interaction("POST", "https://www.googleapis.com/drive/v3/files?supportsAllDrives=True", 200,
                        {"kind": "drive#file", "id": _RECORDED_ID, "name": name, "mimeType": _SPREADSHEET},
                        {"name": name, "mimeType": _SPREADSHEET})


def _sheets(path):
    return f"https://sheets.googleapis.com/v4/spreadsheets/{_RECORDED_ID}{path}"


def _write_recording(folder, name, interactions):
    (folder / f"{name}.json").write_text(json.dumps({"version": 1, "interactions": interactions}))


@pytest.fixture
def recordings(tmp_path):
    """A folder with one faithful recording and one whose last answer Google never gave."""
    added = {"addSheet": {"properties": {"sheetId": 12345, "title": "Problems", "index": 1, "sheetType": "GRID",
                                         "gridProperties": {"rowCount": 1000, "columnCount": 26}}}}
    _write_recording(tmp_path, "Roster.test_write_then_rename_tab", [
        _create("Roster"),
        _interaction("PUT", _sheets("/values/Sheet1%21A1?valueInputOption=RAW"), 200,
                     {"spreadsheetId": _RECORDED_ID, "updatedRange": "Sheet1!A1:B1", "updatedRows": 1,
                      "updatedColumns": 2, "updatedCells": 2}, {"values": [["Team", "T1"]]}),
        _interaction("POST", _sheets(":batchUpdate"), 200, {"spreadsheetId": _RECORDED_ID, "replies": [added]},
                     {"requests": [{"addSheet": {"properties": {"title": "Problems"}}}]}),
        _interaction("POST", _sheets(":batchUpdate"), 200, {"spreadsheetId": _RECORDED_ID, "replies": [{}]},
                     {"requests": [{"updateSheetProperties": {"properties": {"sheetId": 12345, "title": "Open"},
                                                              "fields": "title"}}]}),
        _interaction("GET", _sheets("?fields=sheets.properties.title"), 200,
                     {"sheets": [{"properties": {"title": "Sheet1"}}, {"properties": {"title": "Open"}}]}),
        _interaction("DELETE", f"https://www.googleapis.com/drive/v3/files/{_RECORDED_ID}", 204, ""),
    ])
    _write_recording(tmp_path, "Roster.test_answer_google_never_gave", [
        _create("Roster"),
        _interaction("GET", _sheets("/values/Sheet1%21A1"), 200,
                     {"range": "Sheet1!A1", "majorDimension": "ROWS", "values": [["not there"]]}),
    ])
    return tmp_path


def test_another_folder_is_replayed_with_ids_carried_between_calls(recordings):
    out = io.StringIO()
    results = {r.name: r for r in conformance.replay_folder(recordings, out=out)}
    faithful = results["Roster.test_write_then_rename_tab"]
    assert (faithful.matched, faithful.total, faithful.failures) == (6, 6, [])
    wrong = results["Roster.test_answer_google_never_gave"]
    assert (wrong.matched, wrong.total) == (1, 2)
    assert "$.values" in wrong.failures[0]
    assert out.getvalue().splitlines()[-1] == "conformance: 7/8 interactions match"


def test_folder_from_the_environment_and_exit_status(recordings, monkeypatch, capsys):
    monkeypatch.setenv("PLT_CASSETTES_DIR", str(recordings))
    assert conformance.main([]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "conformance: 7/8 interactions match"


def test_missing_folder_is_a_usage_error(tmp_path, capsys):
    assert conformance.main([str(tmp_path / "nowhere")]) == 2
    assert "no recordings folder" in capsys.readouterr().err


def test_a_recorded_id_must_always_meet_the_same_emulator_id():
    ids = IdMap()
    assert compare({"spreadsheetId": "recorded-1"}, {"spreadsheetId": "emulated-1"}, ids) == []
    assert compare({"spreadsheetId": "recorded-1"}, {"spreadsheetId": "emulated-2"}, ids) != []
    assert compare({"createdTime": "2023-07-25T15:40:49.067Z"}, {"createdTime": "2026-01-02T03:04:05.000Z"}, ids) == []
    assert compare({"a": 1}, {"a": 1, "b": 2}, ids) == ["$.b: not in the recording (2)"]


def test_a_spreadsheet_made_before_recording_began_is_recreated_for_the_replay(tmp_path):
    """Older recordings work on a spreadsheet their test class made before recording."""
    _write_recording(tmp_path, "Roster.test_made_earlier", [
        _interaction("GET", _sheets("?fields=properties.title"), 200, {"properties": {"title": "Made earlier"}}),
        _interaction("PUT", _sheets("/values/Sheet1%21A1?valueInputOption=RAW"), 200,
                     {"spreadsheetId": _RECORDED_ID, "updatedRange": "Sheet1!A1", "updatedRows": 1,
                      "updatedColumns": 1, "updatedCells": 1}, {"values": [["Team"]]}),
    ])
    [result] = conformance.replay_folder(tmp_path, out=io.StringIO())
    assert (result.matched, result.total, result.failures) == (2, 2, [])


def test_theme_colours_match_in_any_order():
    """Google lists a spreadsheet's theme colours in a different order from one call to the next."""
    link = {"colorType": "LINK", "color": {"rgbColor": {"blue": 0.8}}}
    text = {"colorType": "TEXT", "color": {"rgbColor": {}}}
    assert compare({"themeColors": [link, text]}, {"themeColors": [text, link]}, IdMap()) == []
    assert compare({"themeColors": [link, text]}, {"themeColors": [text, text]}, IdMap()) != []

"""gspread-pandas's recordings of real Google traffic (tests/conformance_gspread_pandas/, betamax
JSON kept with their source and licence) replayed against the emulator: every recorded call
must get Google's status and JSON answer, except the calls listed in EXPECTED_DIFFERENCES."""
from __future__ import annotations

import base64
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from emulator import conformance
from emulator.conformance_betamax import from_betamax
from emulator.conformance_compare import compare
from emulator.core import Emulator
from emulator.server import EmulatorServer
from emulator.store import Store

FOLDER = Path(__file__).parent / "conformance_gspread_pandas"
_SPREADSHEET = "https://sheets.googleapis.com/v4/spreadsheets/1u626GkYm1RAJSmHcGyd5_VsHNr_c_IfUcE_W-fQGxIM"
_SHEET = f"GET {_SPREADSHEET}?includeGridData=false"
_OTHERS_PROTECTION = "a protected range another account"

# Every call the emulator answers differently on purpose: (recording, request line start) ->
# (the first words of the conformance.SKIPS reason that sets it aside, how many such calls).
# A call set aside that is not here, or a listed call that was compared after all, fails.
EXPECTED_DIFFERENCES = {
    ("tests.client_test.TestClient.test_move_file", "POST https://www.googleapis.com/drive/v2/files"):
        ("a Drive v2 file resource", 1),
    ("tests.spread_test.TestSpread.test_open_sheet", _SHEET): (_OTHERS_PROTECTION, 11),
    ("tests.spread_test.TestSpread.test_spread", _SHEET): (_OTHERS_PROTECTION, 7),
    ("tests.spread_test.TestSpread.test_spread", "GET https://www.googleapis.com/userinfo/v2/me"):
        ("the OAuth2 userinfo API", 1),
    ("tests.util_test.test_monkey_patch_request", _SHEET): (_OTHERS_PROTECTION, 7),
    ("tests.spread_test.TestSpread.test_df", _SHEET): (_OTHERS_PROTECTION, 2),
    ("tests.spread_test.TestSpread.test_df", f"GET {_SPREADSHEET}/values/%27Test%20df_to_sheet%27"):
        ("a formula's result", 1),
}


@pytest.fixture(scope="module")
def replayed() -> tuple[list[conformance.Result], str]:
    """One replay of the whole folder (a few seconds) shared by the tests below."""
    return conformance.replay_report(FOLDER)


def test_every_recording_matches_except_the_listed_differences(replayed):
    results, report = replayed
    assert conformance.differences(report) == []
    assert all(r.matched + r.skipped == r.total for r in results)
    found: Counter = Counter()
    for result in results:
        for line, reason in result.skips:
            listed = [key for key in EXPECTED_DIFFERENCES if key[0] == result.name and line.startswith(key[1])]
            assert len(listed) == 1, f"{line} in {result.name} was set aside ({reason}) but is not listed"
            assert reason.startswith(EXPECTED_DIFFERENCES[listed[0]][0])
            found[listed[0]] += 1
    assert found == Counter({key: count for key, (_, count) in EXPECTED_DIFFERENCES.items()})


def test_the_figures_are_reported(replayed):
    results, report = replayed
    assert len(results) >= 15
    matched, total = sum(r.matched for r in results), sum(r.total for r in results)
    skipped = sum(count for _, count in EXPECTED_DIFFERENCES.values())
    assert matched + skipped == total >= 50
    summary = f"conformance: {matched}/{total} interactions match, {skipped} deliberately skipped"
    assert report.splitlines()[-1] == summary
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"`tests/conformance_gspread_pandas/`:\n`{summary}`" in readme


def test_the_source_and_licence_travel_with_the_recordings():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "https://github.com/aiguofer/gspread-pandas" in readme and "BSD" in readme
    licence = (FOLDER / "LICENSE.gspread-pandas.txt").read_text(encoding="utf-8")
    assert "Redistribution and use in source and binary forms" in licence
    assert all(f"`{p.name}`" in readme for p in FOLDER.glob("*.json"))


def test_the_hand_built_spreadsheet_matches_but_for_the_owners_protected_ranges():
    """The calls set aside for another account's protected ranges differ in nothing else: with
    the editors and `requestingUserCanEdit` that only the owner sees taken out, the emulator's
    answer for the recreated spreadsheet is Google's."""
    interactions = conformance.load_recording(FOLDER / "tests.spread_test.TestSpread.test_open_sheet.json")
    with EmulatorServer(Emulator(Store(), validate_responses=True)) as server:
        replayer = conformance.Replayer(server)
        replayer.seeder.seed(interactions)
        sheet_get = next(i for i in interactions if i["request"]["uri"] == _SHEET[4:])
        status, body = replayer.send("GET", replayer.ids.text(sheet_get["request"]["uri"]))
        answer = json.loads(body)
        for sheet in answer["sheets"]:
            for protected in sheet["protectedRanges"]:
                assert protected.pop("requestingUserCanEdit") is True
                protected.pop("editors")
        recorded = json.loads(sheet_get["response"]["body"]["string"])
        assert status == 200 and compare(recorded, answer, replayer.ids) == []


def test_betamax_bodies_are_read_whether_plain_or_gzip_base64():
    answer = {"files": [{"id": "1RecordedFolderIdRecordedFolder", "name": "dir"}]}
    packed = base64.b64encode(gzip.compress(json.dumps(answer).encode())).decode()
    [interaction] = from_betamax({"http_interactions": [{
        "request": {"method": "POST", "uri": "https://www.googleapis.com/drive/v3/files",
                    "body": {"encoding": "utf-8", "string": '{"name": "dir"}'}, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                     "body": {"encoding": "UTF-8", "base64_string": packed}}}]})
    assert interaction["request"]["body"] == '{"name": "dir"}'
    assert json.loads(interaction["response"]["body"]["string"]) == answer

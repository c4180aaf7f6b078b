"""gspread's recordings of real Google traffic (tests/conformance_gspread/, vendored with their
source and licence) replayed against the emulator: every recorded call must get Google's
status and JSON answer, except the calls listed in EXPECTED_DIFFERENCES below."""
from __future__ import annotations

from pathlib import Path

import pytest

from emulator import conformance

FOLDER = Path(__file__).parent / "conformance_gspread"

# Every call the emulator answers differently on purpose: (recording, method, URL ending) ->
# the first words of the conformance.SKIPS reason that sets it aside. A call set aside that
# is not here, or a call here that was compared after all, fails the test.
EXPECTED_DIFFERENCES = {
    ("ClientTest.test_client_export_spreadsheet", "GET", "/export?mimeType=text%2Fcsv"):
        "files.export renders a spreadsheet",
    ("ClientTest.test_access_private_spreadsheet", "GET", "?includeGridData=false"):
        "the file belongs to another Google account",
}


@pytest.fixture(scope="module")
def replayed() -> tuple[list[conformance.Result], str]:
    """One replay of the whole folder (a few seconds) shared by the tests below."""
    return conformance.replay_report(FOLDER)


def test_every_vendored_recording_matches_except_the_listed_differences(replayed):
    results, report = replayed
    assert conformance.differences(report) == []
    assert all(r.matched + r.skipped == r.total for r in results)
    set_aside = {(r.name, line.split(" ", 1)[0], line): reason for r in results for line, reason in r.skips}
    found = {}
    for (name, method, line), reason in set_aside.items():
        listed = [key for key in EXPECTED_DIFFERENCES if key[:2] == (name, method) and line.endswith(key[2])]
        assert len(listed) == 1, f"{line} in {name} was set aside ({reason}) but is not listed"
        assert reason.startswith(EXPECTED_DIFFERENCES[listed[0]])
        found[listed[0]] = reason
    assert set(found) == set(EXPECTED_DIFFERENCES)


def test_the_selection_is_broad_and_its_figures_are_reported(replayed):
    results, report = replayed
    assert len(results) >= 50
    assert sum(r.total for r in results) >= 600
    assert {r.name.split(".")[0] for r in results} == {"CellTest", "ClientTest", "SpreadsheetTest", "WorksheetTest"}
    matched, total = sum(r.matched for r in results), sum(r.total for r in results)
    assert report.splitlines()[-1] == (f"conformance: {matched}/{total} interactions match, "
                                       f"{len(EXPECTED_DIFFERENCES)} deliberately skipped")


def test_the_source_and_licence_travel_with_the_recordings():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "https://github.com/burnash/gspread" in readme and "MIT" in readme
    assert "Permission is hereby granted" in (FOLDER / "LICENSE.gspread.txt").read_text(encoding="utf-8")
    listed = {p.name for p in FOLDER.glob("*.json")}
    assert all(f"`{name}`" in readme for name in listed)

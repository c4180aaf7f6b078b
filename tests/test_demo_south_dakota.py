"""`plt demo --programme south-dakota`: five schools' building plans make 22 work groups;
Jefferson's second plan moves a member, drops a meeting and gives up a group; quiet
re-runs make one write each."""
from __future__ import annotations

import json

import pytest

from config.load import load_settings
from emulator.server import EmulatorServer
from sheets import layout as L
from sheets.book import read_book
from sync.commands.demo import run_demo
from sync.commands.demo_south_dakota import DOMAIN, JEFFERSON, PLANS
from sync.google.workspace import SCOPES, connect


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("south-dakota")
    result = run_demo(folder, "south-dakota")
    with EmulatorServer(data=str(folder / "emulator.sqlite"), scopes=SCOPES) as server:
        settings = load_settings(folder / "plt.toml", {"PLT_GOOGLE_ENDPOINT": server.url})
        book = read_book(connect(None, server.url).gspread.http_client, settings.roster.spreadsheet_id)
        tabs = {name: [book.tab(name).record(r) for r in book.tab(name).data_rows()]
                for name in (L.ROSTER, L.MEMBERS, L.MEETINGS, L.PROBLEMS)}
    return result, tabs


def test_every_run_of_the_season_succeeds_and_quiet_reruns_are_one_write(season):
    result, _tabs = season
    assert [r.exit_code for r in result.reports] == [0, 0, 0, 0]
    assert [r.api_calls["write"] for r in result.reports][1::2] == [1, 1]
    assert json.dumps(result.to_json())


def test_five_schools_make_22_work_groups_and_jeffersons_given_up_group_is_withdrawn(season):
    _result, tabs = season
    roster = tabs[L.ROSTER]
    assert len(roster) == 22 == sum(len(groups) for _p, _s, groups in PLANS.values())
    assert {r["School"] for r in roster} == set(PLANS)
    withdrawn = [(r["School"], r["CWG"]) for r in roster if r["Team status"] == "withdrawn"]
    assert withdrawn == [(JEFFERSON, "4")]
    jefferson_1 = next(r for r in roster if r["School"] == JEFFERSON and r["CWG"] == "1")
    assert jefferson_1["Earlier responses"].count("\n") == 0 and jefferson_1["Earlier responses"]


def test_a_member_moved_between_groups_is_removed_from_one_and_on_the_other(season):
    _result, tabs = season
    gil = {m["Team name"]: m["On team"] for m in tabs[L.MEMBERS] if m["Email"] == f"gil.ives@{DOMAIN}"}
    assert gil[f"{JEFFERSON} CWG #2"] == "yes"
    assert gil[f"{JEFFERSON} CWG #1"].startswith("removed")


def test_meetings_show_the_cancelled_one_and_the_unreadable_line_is_a_problem(season):
    _result, tabs = season
    status = {(m["Unit"], m["Start"]): m["Status"] for m in tabs[L.MEETINGS]}
    assert status[(f"{JEFFERSON} CWG #3", "2017-11-28 15:30")] == "cancelled"
    assert status[(f"{JEFFERSON} CWG #3", "2017-10-24 15:30")] == "scheduled"
    assert {s for (unit, _start), s in status.items() if unit == f"{JEFFERSON} CWG #4"} == {"withdrawn"}
    unreadable = [p for p in tabs[L.PROBLEMS] if p["Field"] == "meetings" and p["Status"] == "open"]
    assert [p["Value"] for p in unreadable] == ["Tuesdays after school when we can"]

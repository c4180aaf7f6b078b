"""`plt status`: the Dashboard's picture in a terminal, read from the roster the last
sync wrote. Counted by hand from a small roster, and checked against the demo programme
through the real command line and an independent gspread read of the same sheet."""
from __future__ import annotations

import io
import json
from collections import Counter


from sheets import layout as L
from sheets.book import Book, Tab
from sync.commands.cli import run
from sync.environment import Environment
from sync.commands.status import programme_status
from sync.commands.status_view import show
from sync.google.workspace import connect

SCHOOLS = ["Belmont High School", "Chenery Middle School", "Butler Elementary School"]
MILESTONES = ["SMART goal", "Signed team charter"]
HEADER = [L.TEAM_ID, "Team name", "School", "Facilitator", "Facilitator email", "Member count", L.TEAM_STATUS,
          "SMART goal status", "Signed team charter status"]


def roster(*rows) -> Book:
    tabs = {L.ROSTER: Tab(L.ROSTER, 1, [HEADER, *map(list, rows)], 100, len(HEADER)),
            L.DASHBOARD: Tab(L.DASHBOARD, 2, [["Last sync", "2017-11-20T08:30:00-05:00"]], 10, 2)}
    return Book("sheet", "PLT master roster", tabs)


def test_counts_each_school_and_lists_overdue_teams_leaving_withdrawn_teams_out():
    book = roster(
        ["t1", "Readers", "Belmont High School", "Ana Lopez", "ana@b.org", "3", "active", "received", "overdue"],
        ["t2", "Writers", "Belmont High School", "Ben Ode", "ben@b.org", "2", "active", "received", "received"],
        ["t3", "Math", "Chenery Middle School", "Cy Hall", "cy@b.org", "4", "active", "overdue", "due soon"],
        ["t4", "Gone", "Chenery Middle School", "Di Fox", "di@b.org", "5", "withdrawn", "overdue", "overdue"],
        ["t5", "Art", "Winn Brook Elementary School", "Ed Wu", "ed@b.org", "2", "active", "missing", ""],
    )
    status = programme_status(book, "Belmont PLTs", SCHOOLS, MILESTONES)
    by_school = {s.school: s for s in status.schools}
    high, chenery = by_school["Belmont High School"], by_school["Chenery Middle School"]
    assert (high.teams, high.members) == (2, 5)
    assert (chenery.teams, chenery.members) == (1, 4)
    assert high.milestones[1].received == 1 and high.milestones[1].overdue == 1
    assert high.milestones[1].percent(high.milestones[1].received) == 50
    assert chenery.milestones[1].due_soon == 1
    assert by_school["Butler Elementary School"].teams == 0
    # A school the config no longer lists still shows, after the configured ones.
    assert status.schools[-1].school == "Winn Brook Elementary School"
    assert status.schools[-1].milestones[1].not_checked == 1
    assert [(t.team, t.milestones) for t in status.overdue] == [("Readers", ("Signed team charter",)),
                                                               ("Math", ("SMART goal",))]
    total = status.total
    assert (total.teams, total.members, total.milestones[0].received) == (4, 11, 2)
    assert status.last_sync == "2017-11-20T08:30:00-05:00"


def test_plain_text_has_no_table_drawing_and_a_terminal_gets_rich_tables():
    book = roster(["t1", "Readers [K-2]", "Belmont High School", "Ana Lopez", "ana@b.org", "3", "active",
                   "received", "overdue"])
    status = programme_status(book, "Belmont PLTs", SCHOOLS, MILESTONES)
    plain, rich = io.StringIO(), io.StringIO()
    show(status, plain, terminal=False)
    show(status, rich, terminal=True)
    assert "┃" not in plain.getvalue() and "│" not in plain.getvalue()
    assert "Belmont High School | Readers [K-2] | Ana Lopez <ana@b.org> | Signed team charter" in plain.getvalue()
    assert "┃" in rich.getvalue() and "0/1 received (0%), 1 overdue" in plain.getvalue()
    # A team name that looks like console markup is shown as typed.
    assert "Readers [K-2]" in rich.getvalue()


def plt(args, endpoint):
    out, err = io.StringIO(), io.StringIO()
    status = run(args, Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": endpoint}))
    return status, out.getvalue(), err.getvalue()


def roster_records(config, endpoint):
    """The Roster tab as gspread reads it: a second, independent way to the same numbers."""
    settings_id = next(line.split('"')[1] for line in config.read_text().splitlines()
                       if line.startswith("spreadsheet_id"))
    return connect(None, endpoint).gspread.open_by_key(settings_id).worksheet(L.ROSTER).get_all_records()


def test_status_json_of_the_demo_agrees_with_the_roster_cells(served_demo):
    config, endpoint = served_demo
    status, out, err = plt(["status", "--config", str(config), "--json"], endpoint)
    assert status == 0, err
    report = json.loads(out)
    records = [r for r in roster_records(config, endpoint) if r[L.TEAM_STATUS] == "active"]
    assert report["total"]["teams"] == len(records)
    assert report["total"]["members"] == sum(int(r["Member count"]) for r in records)
    for milestone in report["total"]["milestones"]:
        words = Counter(r[L.status_header(milestone["title"])] for r in records)
        assert (milestone["received"], milestone["overdue"]) == (words["received"], words["overdue"])
    late = {r["Team name"] for r in records if any(r[L.status_header(m["title"])] == "overdue"
                                                  for m in report["total"]["milestones"])}
    assert late and {t["team"] for t in report["overdue_teams"]} == late


def test_status_prints_plain_text_when_not_on_a_terminal(served_demo):
    config, endpoint = served_demo
    status, out, _err = plt(["status", "--config", str(config)], endpoint)
    assert status == 0
    assert out.startswith("Belmont Public Schools Professional Learning Teams")
    assert "Overdue teams: " in out and "│" not in out


def test_status_of_a_deleted_roster_exits_4_in_one_line(served_demo):
    config, endpoint = served_demo
    workspace = connect(None, endpoint)
    sheet_id = next(line.split('"')[1] for line in config.read_text().splitlines() if line.startswith("spreadsheet_id"))
    workspace.drive.files().delete(fileId=sheet_id).execute()
    status, out, err = plt(["status", "--config", str(config)], endpoint)
    assert status == 4 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot access the master roster (HTTP 404)" in err


def test_status_before_init_exits_2_saying_to_run_init(served_demo):
    config, endpoint = served_demo
    config.write_text(config.read_text().replace("spreadsheet_id = \"", "spreadsheet_id = \"\"\n# was \""))
    status, _out, err = plt(["status", "--config", str(config)], endpoint)
    assert status == 2 and "run `plt init`" in err

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
from sync.core.report_model import ModelRules, build_model
from sync.commands.status_view import show
from sync.google.workspace import connect

SCHOOLS = ("Belmont High School", "Chenery Middle School", "Butler Elementary School")
MILESTONES = ("SMART goal", "Signed team charter")
RULES = ModelRules(MILESTONES, SCHOOLS, "School", ("facilitator",))
HEADER = [L.TEAM_ID, "Team name", "School", L.TEAM_STATUS, "SMART goal status", "Signed team charter status"]
MEMBERS = [L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"]


def roster(rows, people) -> Book:
    tabs = {L.ROSTER: Tab(L.ROSTER, 1, [HEADER, *map(list, rows)], 100, len(HEADER)),
            L.MEMBERS: Tab(L.MEMBERS, 3, [MEMBERS, *map(list, people)], 100, len(MEMBERS)),
            L.DASHBOARD: Tab(L.DASHBOARD, 2, [["Last sync", "2017-11-20T08:30:00-05:00"]], 10, 2)}
    return Book("sheet", "PLT master roster", tabs)


def person(team, name, role="member", on="yes"):
    return [team, "", name, f"{name.split()[0].lower()}@b.org", role, on]


def test_counts_each_school_and_lists_overdue_teams_leaving_withdrawn_teams_and_former_members_out():
    book = roster([
        ["t1", "Readers", "Belmont High School", "active", "received", "overdue"],
        ["t2", "Writers", "Belmont High School", "active", "received", "received"],
        ["t3", "Math", "Chenery Middle School", "active", "overdue", "due soon"],
        ["t4", "Gone", "Chenery Middle School", "withdrawn", "overdue", "overdue"],
        ["t5", "Art", "Winn Brook Elementary School", "active", "missing", ""],
    ], [person("t1", "Ana Lopez", "facilitator"), person("t1", "Sam Lee"), person("t1", "Kim Ng"),
        person("t2", "Ben Ode", "facilitator"), person("t2", "Sam Lee"), person("t2", "Old Timer", on="removed 2017-10-01"),
        person("t3", "Cy Hall", "facilitator"), person("t3", "Dee Park"),
        person("t4", "Di Fox", "facilitator"), person("t5", "Ed Wu", "facilitator")])
    status = programme_status(build_model(book, RULES), "Belmont PLTs")
    by_school = {s.school: s for s in status.schools}
    high, chenery = by_school["Belmont High School"], by_school["Chenery Middle School"]
    # Sam Lee is on two Belmont High teams: one person there.
    assert (high.teams, high.people) == (2, 4)
    assert (chenery.teams, chenery.people) == (1, 2)
    assert high.milestones[1].received == 1 and high.milestones[1].overdue == 1
    assert high.milestones[1].received_percent == 50
    assert chenery.milestones[1].due_soon == 1
    assert by_school["Butler Elementary School"].teams == 0
    # A school the config no longer lists still shows, in its place by name.
    assert [s.school for s in status.schools] == sorted([*SCHOOLS, "Winn Brook Elementary School"])
    assert by_school["Winn Brook Elementary School"].milestones[1].not_checked == 1
    assert [(t.team, t.whose_turn, t.milestones) for t in status.overdue] == [
        ("Readers", "Ana Lopez <ana@b.org>", ("Signed team charter",)), ("Math", "Cy Hall <cy@b.org>", ("SMART goal",))]
    total = status.total
    assert (total.teams, total.people, total.milestones[0].received) == (4, 7, 2)
    assert status.last_sync == "2017-11-20T08:30:00-05:00"


def test_plain_text_has_no_table_drawing_and_a_terminal_gets_rich_tables():
    book = roster([["t1", "Readers [K-2]", "Belmont High School", "active", "received", "overdue"]],
                  [person("t1", "Ana Lopez", "facilitator")])
    status = programme_status(build_model(book, RULES), "Belmont PLTs")
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


def sheet_id(config):
    return next(line.split('"')[1] for line in config.read_text().splitlines() if line.startswith("spreadsheet_id"))


def roster_records(config, endpoint):
    """The Roster tab as gspread reads it: a second, independent way to the same numbers."""
    return connect(None, endpoint).gspread.open_by_key(sheet_id(config)).worksheet(L.ROSTER).get_all_records()


def test_status_json_of_the_demo_agrees_with_the_roster_cells(served_demo):
    config, endpoint = served_demo
    status, out, err = plt(["status", "--config", str(config), "--json"], endpoint)
    assert status == 0, err
    report = json.loads(out)
    records = [r for r in roster_records(config, endpoint) if r[L.TEAM_STATUS] == "active"]
    assert report["total"]["teams"] == len(records)
    people = connect(None, endpoint).gspread.open_by_key(sheet_id(config)).worksheet(L.MEMBERS).get_all_records()
    active = {r[L.TEAM_ID]: r["School"] for r in records}
    on_teams = {(active[p[L.TEAM_ID]], (p["Email"] or p["Member"]).lower()) for p in people
                if p[L.TEAM_ID] in active and p["On team"] == "yes"}
    assert report["total"]["people"] == len(on_teams)
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

"""The Dashboard: teams, people and milestone progress per school, participation against
targets, and a completion chart made once and kept pointing at the table."""
from datetime import date

import pytest

from programme import Programme, at
from sheets import dashboard as D
from sheets import layout as L
from sheets.book import Book, Tab
from sync.core.report_model import ModelRules, TargetRule, build_model, target_in_force
from sync.core.report_tables import dashboard_rows as table_rows

CHARTER = "Signed team charter"
TITLES = ("Facilitator submission", "SMART goal submitted to evaluator", CHARTER)


def model(teams, staff, targets, today=None):
    """A sheet of teams (school, people, charter status) and its programme model."""
    roster = [[L.TEAM_ID, "School", L.TEAM_STATUS, f"{CHARTER} status"]]
    members = [[L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"]]
    for n, (school, people, charter) in enumerate(teams):
        roster.append([f"t{n}", school, "active", charter])
        members += [[f"t{n}", f"Team {n}", who, "", "member", "yes"] for who in sorted(people)]
    tabs = {L.ROSTER: Tab(L.ROSTER, 1, roster, 100, 4), L.MEMBERS: Tab(L.MEMBERS, 2, members, 100, 6)}
    if staff is not None:
        rows = [["Name", "Email", "School"]] + [[f"{s} {i}", "", s] for s, n in staff.items() for i in range(n)]
        tabs[L.STAFF] = Tab(L.STAFF, 3, rows, 200, 3)
    rules = ModelRules((CHARTER,), (), "School", (), tuple(TargetRule(share, (site,)) for site, share in targets.items()))
    return build_model(Book("sheet", "roster", tabs), rules)


def test_each_school_counts_its_teams_people_and_milestone_progress():
    teams = [("Hale", {"a", "b", "c"}, "received"), ("Hale", {"c", "d"}, "overdue"),
             ("Hale", {"e"}, "due soon"), ("Webster", {"f", "g"}, "missing")]
    rows = table_rows(model(teams, {"Hale": 8, "Webster": 40, "Rogers": 20}, {"Hale": 0.25, "Rogers": 1.0}),
                          None)
    by_school = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert list(by_school) == ["Hale", "Rogers", "Webster", D.ALL_SCHOOLS]
    hale = by_school["Hale"]
    assert (hale["Teams"], hale["People in PLTs"], hale["Staff"]) == (3, 5, 8)
    assert [hale[f"{CHARTER} {w}"] for w in ("received", "missing", "overdue", "% received")] == [1, 1, 1, 33]
    assert (hale["Participation %"], hale["Target %"], hale["On track"]) == (62, 25, "yes")
    rogers = by_school["Rogers"]          # a target with no team yet still shows, at zero
    assert (rogers["Teams"], rogers["People in PLTs"], rogers["Participation %"], rogers["On track"]) == (0, 0, 0, "no")
    assert by_school["Webster"]["On track"] is None
    total = by_school[D.ALL_SCHOOLS]
    assert (total["Teams"], total["People in PLTs"], total["Staff"], total["Participation %"]) == (4, 7, 68, 10)
    assert [total[f"{CHARTER} {w}"] for w in ("received", "missing", "overdue", "% received")] == [1, 2, 1, 25]


def test_without_staff_by_school_participation_is_left_blank():
    rows = table_rows(model([("Hale", {"a"}, "received")], None, {"Hale": 0.25}), None)
    assert rows[0][:8] == list(D.BASE_HEADERS)
    assert rows[1] == ["Hale", 1, 1, None, None, 25, None, None, 1, 0, 0, 100]
    assert rows[2][0] == D.ALL_SCHOOLS and rows[2][3] is None


def test_the_target_in_force_is_the_next_one_due_then_the_last_one_passed():
    targets = (TargetRule(0.25, ("Hale",), date(2017, 10, 31)), TargetRule(1.0, (), date(2018, 5, 11)))
    assert target_in_force(targets, "Hale", date(2017, 9, 1)) == 0.25
    assert target_in_force(targets, "Hale", date(2017, 10, 31)) == 0.25
    assert target_in_force(targets, "Hale", date(2017, 11, 1)) == 1.0
    assert target_in_force(targets, "Hale", date(2019, 1, 1)) == 1.0
    assert target_in_force(targets, "Webster", date(2017, 9, 1)) == 1.0
    assert target_in_force((), "Hale", date(2017, 9, 1)) is None


def test_chart_reads_school_names_and_percentages_but_not_the_total_row():
    spec = D.chart_spec(42, 3, [CHARTER, "Goal"])
    domain = spec["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert (domain["startRowIndex"], domain["endRowIndex"], domain["startColumnIndex"]) == (2, 6, 0)
    series = [s["series"]["sourceRange"]["sources"][0]["startColumnIndex"] for s in spec["basicChart"]["series"]]
    headers = D.headers([CHARTER, "Goal"])
    assert [headers[c] for c in series] == [f"{CHARTER} % received", "Goal % received"]


@pytest.fixture
def programme(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    programme.submit("Ana", "Lopez", school="Belmont High School", members="Sam Lee <sam.lee@belmont.example.org>")
    programme.submit("Ben", "Okafor", school="Belmont High School", members="Kim Ng <kim.ng@belmont.example.org>")
    programme.submit("Cara", "Diaz", school="Chenery Middle School", members="Sam Lee <sam.lee@belmont.example.org>")
    return programme


def dashboard_rows(programme):
    tab = programme.book().tab(L.DASHBOARD)
    rows = tab.rows[D.TABLE_ROW:tab.used_rows()]
    return tab, {row[0]: dict(zip(tab.rows[D.TABLE_ROW], row)) for row in rows[1:]}


def test_dashboard_after_the_charter_deadline_shows_overdue_teams_and_targets(programme):
    programme.sync(at("2017-10-10 06:00"))
    programme.sync(at("2017-11-20 09:00"), send=False)
    tab, rows = dashboard_rows(programme)
    assert tab.value(0, L.LAST_SYNC_LABEL) == L.LAST_SYNC_LABEL and "2017-11-20" in str(tab.rows[0][1])
    belmont = rows["Belmont High School"]
    assert (belmont["Teams"], belmont["People in PLTs"], belmont["Target %"]) == ("2", "4", "80")
    assert belmont[f"{CHARTER} overdue"] == "2" and belmont[f"{CHARTER} % received"] == "0"
    assert rows["Chenery Middle School"]["Teams"] == "1"
    assert rows[D.ALL_SCHOOLS]["Teams"] == "3" and rows[D.ALL_SCHOOLS]["People in PLTs"] == "6"
    assert rows[D.ALL_SCHOOLS]["Participation %"] == ""


def test_a_tick_updates_the_numbers_and_the_chart_is_made_once_then_follows_a_school_added(programme):
    programme.sync(at("2017-10-10 06:00"))
    chart = programme.book().tab(L.DASHBOARD).charts
    assert [c["spec"]["title"] for c in chart] == [D.CHART_TITLE]
    roster = programme.book().tab(L.ROSTER)
    row = roster.index_by((L.TEAM_ID,))[0][(str(roster.value(1, L.TEAM_ID)),)]
    col = roster.column(L.received_header(CHARTER))
    programme.workspace().sheets.spreadsheets().batchUpdate(
        spreadsheetId=programme.settings().roster.spreadsheet_id, body={"requests": [{"updateCells": {
            "range": {"sheetId": roster.sheet_id, "startRowIndex": row, "endRowIndex": row + 1,
                      "startColumnIndex": col, "endColumnIndex": col + 1},
            "rows": [{"values": [{"userEnteredValue": {"boolValue": True}}]}], "fields": "userEnteredValue"}}]}
    ).execute()
    programme.submit("Dee", "Park", school="Butler Elementary School")
    text = programme.config_path.read_text(encoding="utf-8")
    programme.config_path.write_text(text.replace('schools = [\n', 'schools = [\n  "Payson Park School",\n'),
                                     encoding="utf-8")
    programme.sync(at("2017-10-11 06:00"))
    tab, rows = dashboard_rows(programme)
    assert rows[D.ALL_SCHOOLS][f"{CHARTER} received"] == "1" and rows["Butler Elementary School"]["Teams"] == "1"
    assert rows["Payson Park School"]["Teams"] == "0"
    assert [c["chartId"] for c in tab.charts] == [chart[0]["chartId"]]
    domain = tab.charts[0]["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["endRowIndex"] == D.TABLE_ROW + 1 + len(programme.settings().programme.sites)


def test_staff_tab_with_schools_gives_participation_against_the_target(programme, endpoint):
    spreadsheet = programme.settings().roster.spreadsheet_id
    staff = [["Name", "Email", "School"]] + [[f"Teacher {i}", f"t{i}@belmont.example.org", "Belmont High School"]
                                             for i in range(16)]
    api = programme.workspace().sheets.spreadsheets()
    api.batchUpdate(spreadsheetId=spreadsheet, body={"requests": [{"addSheet": {"properties": {"title": L.STAFF}}}]}
                    ).execute()
    api.values().update(spreadsheetId=spreadsheet, range=f"{L.STAFF}!A1", valueInputOption="RAW",
                        body={"values": staff}).execute()
    programme.sync(at("2017-10-10 06:00"))
    _tab, rows = dashboard_rows(programme)
    belmont = rows["Belmont High School"]
    assert (belmont["Staff"], belmont["Participation %"], belmont["Target %"], belmont["On track"]) == (
        "16", "25", "80", "no")
    assert rows["Chenery Middle School"]["Staff"] == "0" and rows["Chenery Middle School"]["Participation %"] == ""
    assert rows["Chenery Middle School"]["On track"] == ""
    assert _tab.rows[D.BEHIND_ROW][:2] == [D.BEHIND_LABEL, "Belmont High School"]


def test_every_school_of_the_programme_is_listed_from_the_first_sync(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    programme.submit("Ana", "Lopez", school="Chenery Middle School")
    programme.sync(at("2017-10-02 18:00"))
    _tab, rows = dashboard_rows(programme)
    sites = programme.settings().programme.sites
    assert list(rows) == [*sorted(sites), D.ALL_SCHOOLS]
    butler, belmont = rows["Butler Elementary School"], rows["Belmont High School"]
    assert (butler["Teams"], butler["People in PLTs"], butler["Target %"]) == ("0", "0", "")
    assert (butler[f"{CHARTER} missing"], butler[f"{CHARTER} % received"]) == ("0", "0")
    assert (belmont["Teams"], belmont["Target %"]) == ("0", "80")
    assert rows["Chenery Middle School"]["Teams"] == "1" and rows[D.ALL_SCHOOLS]["Teams"] == "1"

    programme.reset_stats()
    programme.sync(at("2017-10-02 18:15"))
    calls = programme.stats()["by_method"]
    assert sum(calls.values()) == 5 and "sheets.spreadsheets.values.batchUpdate" not in calls


def test_a_target_of_one_role_counts_that_role_of_the_staff_and_rolls_over_on_its_date():
    roster = [[L.TEAM_ID, "School", L.TEAM_STATUS, f"{CHARTER} status"], ["t1", "Hale", "active", "received"]]
    members = [[L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"], ["t1", "T", "Ann", "", "teacher", "yes"]]
    staff = [["Name", "Email", "School", "Role"], ["Ann", "", "Hale", "Teacher"], ["Bo", "", "Hale", "teacher"],
             ["Cy", "", "Hale", "Principal"], ["Di", "", "Hale", "Teacher"]]
    book = Book("sheet", "roster", {L.ROSTER: Tab(L.ROSTER, 1, roster, 10, 4), L.MEMBERS: Tab(L.MEMBERS, 2, members, 10, 6),
                                    L.STAFF: Tab(L.STAFF, 3, staff, 10, 4)})
    targets = (TargetRule(0.25, ("Hale",), date(2017, 10, 31), "teacher"), TargetRule(1.0, ("Hale",), date(2018, 5, 11)))
    built = build_model(book, ModelRules((CHARTER,), ("Hale",), "School", (), targets))
    autumn = dict(zip(D.BASE_HEADERS, table_rows(built, date(2017, 10, 1))[1]))
    spring = dict(zip(D.BASE_HEADERS, table_rows(built, date(2018, 1, 8))[1]))
    assert (autumn["Staff"], autumn["Participation %"], autumn["Target %"], autumn["Target by"],
            autumn["On track"]) == (3, 33, 25, "2017-10-31", "yes")
    assert (spring["Staff"], spring["Participation %"], spring["Target %"], spring["Target by"],
            spring["On track"]) == (4, 25, 100, "2018-05-11", "no")
    assert built.behind_target(date(2018, 1, 8)) == ["Hale"] and built.behind_target(date(2017, 10, 1)) == []

"""`plt sync` end to end on the emulator: the roster shows every team once, coordinators'
edits survive, unusable answers are explained, and a quiet re-run writes one cell."""
import pytest

from sheets import dashboard as D
from sheets import layout as L
from sync.errors import SafetyStop
from sync.lock import run_lock
from sync.errors import LockHeld
from programme import DOMAIN, Programme, at


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path)


def roster(programme):
    return {r[L.TEAM_ID]: r for r in programme.records(L.ROSTER)}


def test_first_sync_lists_each_team_once_and_quiet_rerun_writes_only_the_last_run_time(programme):
    programme.submit("Ana", "Lopez", team="Close Reading 7")
    programme.submit("Ben", "Okafor", team="Number Talks", school="Burbank Elementary School")
    first = programme.sync(at("2017-10-10 06:00"))
    assert first.teams["new"] == 2 and first.exit_code == 0
    rows = roster(programme)
    assert sorted(r["Team name"] for r in rows.values()) == ["Close Reading 7", "Number Talks"]
    assert all(r[L.TEAM_STATUS] == "active" for r in rows.values())

    programme.reset_stats()
    quiet = programme.sync(at("2017-10-10 06:15"))
    calls = programme.stats()["by_method"]
    assert quiet.teams["unchanged"] == 2 and quiet.teams["new"] == 0
    assert calls.get("sheets.spreadsheets.batchUpdate") == 1
    writes = {m: n for m, n in calls.items() if m.split(".")[-1] in ("create", "update", "delete", "batchUpdate")}
    assert writes == {"sheets.spreadsheets.batchUpdate": 1}
    assert quiet.api_calls["write"] == 1
    assert "sheets.spreadsheets.values.batchUpdate" not in calls


def test_resubmission_replaces_the_earlier_one(programme):
    programme.submit("Ana", "Lopez", team="Close Reading 7")
    programme.sync(at("2017-10-10 06:00"))
    programme.response_ids.clear()  # a second, separate response from the same facilitator
    programme.submit("Ana", "Lopez", team="Close Reading Grade 7", submitted="2017-10-05T10:00:00Z")
    report = programme.sync(at("2017-10-11 06:00"))
    rows = roster(programme)
    assert len(rows) == 1
    assert next(iter(rows.values()))["Team name"] == "Close Reading Grade 7"
    assert report.teams == {"total": 1, "new": 0, "updated": 1, "unchanged": 0, "withdrawn": 0}


def test_a_replaced_response_stays_traceable_on_the_roster_at_no_extra_call(programme):
    first = programme.submit("Ana", "Lopez", team="Close Reading 7")
    programme.sync(at("2017-10-10 06:00"))
    programme.response_ids.clear()  # two more separate responses from the same facilitator
    second = programme.submit("Ana", "Lopez", team="Close Reading Grade 7", submitted="2017-10-05T10:00:00Z")
    programme.response_ids.clear()
    latest = programme.submit("Ana", "Lopez", team="Close Reading Gr. 7", submitted="2017-10-06T15:30:00Z")
    programme.reset_stats()
    programme.sync(at("2017-10-11 06:00"))
    assert programme.stats()["by_method"]["sheets.spreadsheets.batchUpdate"] == 1
    [row] = programme.records(L.ROSTER)
    assert row["Response ID"] == latest
    assert row.get("Earlier responses") == f"2017-10-02 10:00 ({first})\n2017-10-05 06:00 ({second})"
    programme.reset_stats()
    programme.sync(at("2017-10-11 06:15"))
    assert sum(programme.stats()["by_method"].values()) == 5
    assert programme.stats()["by_method"]["sheets.spreadsheets.batchUpdate"] == 1


def test_edited_response_updates_only_changed_cells_and_keeps_coordinator_notes(programme):
    programme.submit("Ana", "Lopez", team="Close Reading 7")
    programme.sync(at("2017-10-10 06:00"))
    sheet = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id)
    ws = sheet.worksheet(L.ROSTER)
    notes_col = ws.row_values(1).index(L.NOTES) + 1
    ws.update_cell(2, notes_col, "Met with Ana on 10/12")
    ws.insert_cols([["Coordinator flag", "follow up"]], col=2)   # a coordinator's own column
    programme.submit("Ana", "Lopez", team="Close Reading 7", meeting_time="Thursdays 7:15")
    report = programme.sync(at("2017-10-12 06:00"))
    row = programme.records(L.ROSTER)[0]
    assert report.teams["updated"] == 1
    assert row["Meeting time"] == "Thursdays 7:15"
    assert row[L.NOTES] == "Met with Ana on 10/12"
    assert row["Coordinator flag"] == "follow up"


def test_rows_sorted_by_a_coordinator_are_still_found_by_team_id(programme):
    for first, last in (("Ben", "Okafor"), ("Ana", "Lopez"), ("Cy", "Young")):
        programme.submit(first, last)
    programme.sync(at("2017-10-10 06:00"))
    ws = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id).worksheet(L.ROSTER)
    values = ws.get_all_values()
    header, body = values[0], values[1:]
    sorted_body = sorted(body, key=lambda r: r[header.index("Facilitator")], reverse=True)
    facilitators = [r[header.index("Facilitator")] for r in body]
    # The sort moves Ben's row, so the row his tag is on now shows another team.
    assert facilitators.index("Ben Okafor") != [r[header.index("Facilitator")] for r in sorted_body].index("Ben Okafor")
    ws.update([header] + sorted_body, "A1", raw=True)   # the coordinator sorted by facilitator, Z-A
    programme.submit("Ben", "Okafor", topic="Number talks, revised")
    # Rows pasted over others keep the other rows' tags: this run tags them again and
    # holds Ben's change back rather than guess where his row is; the next run writes it.
    programme.sync(at("2017-10-11 06:00"))
    rows = programme.records(L.ROSTER)
    assert len(rows) == 3 and {r["Topic"] for r in rows} == {"Close reading"}
    programme.sync(at("2017-10-11 07:00"))
    rows = programme.records(L.ROSTER)
    assert len(rows) == 3
    assert [r["Topic"] for r in rows if r["Facilitator"] == "Ben Okafor"] == ["Number talks, revised"]
    assert [r["Facilitator"] for r in rows] == ["Cy Young", "Ben Okafor", "Ana Lopez"]


def test_a_team_row_sorted_between_the_read_and_the_write_gets_its_own_change(programme, admin):
    for first, last in (("Ana", "Lopez"), ("Ben", "Okafor"), ("Cy", "Young")):
        programme.submit(first, last)
    programme.sync(at("2017-10-10 06:00"))
    book = programme.book()
    roster = book.tab(L.ROSTER)
    sort = {"sortRange": {"range": {"sheetId": roster.sheet_id, "startRowIndex": 1},
                          "sortSpecs": [{"dimensionIndex": roster.column("Facilitator"), "sortOrder": "DESCENDING"}]}}
    assert admin("POST", f"/_emulator/sheets/{book.spreadsheet_id}/edits", {"requests": [sort]})[0] == 200
    programme.submit("Ben", "Okafor", topic="Number talks, revised")
    programme.sync(at("2017-10-11 06:00"))
    rows = programme.records(L.ROSTER)
    assert [(r["Facilitator"], r["Topic"]) for r in rows] == [
        ("Cy Young", "Close reading"), ("Ben Okafor", "Number talks, revised"), ("Ana Lopez", "Close reading")]
    assert [r["Facilitator"] for r in rows] == ["Cy Young", "Ben Okafor", "Ana Lopez"]


def test_deleted_response_marks_the_team_withdrawn_and_keeps_its_row(programme):
    for first, last in (("Ana", "Lopez"), ("Ben", "Okafor"), ("Cy", "Young")):
        programme.submit(first, last)
    programme.sync(at("2017-10-10 06:00"))
    programme.delete_response(f"ben.okafor@{DOMAIN}")
    report = programme.sync(at("2017-10-11 06:00"))
    states = {r["Facilitator"]: r[L.TEAM_STATUS] for r in programme.records(L.ROSTER)}
    assert report.teams["withdrawn"] == 1
    assert states == {"Ana Lopez": "active", "Ben Okafor": "withdrawn", "Cy Young": "active"}


def test_formula_looking_topic_is_stored_as_text_never_a_formula(programme):
    topic = '=IMPORTXML("http://example.org/x","//a")'
    programme.submit("Ana", "Lopez", topic=topic)
    programme.sync(at("2017-10-10 06:00"))
    ws = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id).worksheet(L.ROSTER)
    col = ws.row_values(1).index("Topic") + 1
    assert ws.cell(2, col, value_render_option="FORMULA").value == topic
    assert ws.cell(2, col, value_render_option="UNFORMATTED_VALUE").value == topic


def test_unusable_response_becomes_a_problem_row_once_and_resolves_when_fixed(programme):
    programme.submit("Ana", "Lopez", members=" ")
    first = programme.sync(at("2017-10-10 06:00"))
    problems = [p for p in programme.records(L.PROBLEMS) if p["Status"] == "open"]
    assert first.teams["total"] == 0
    assert any(p["Field"] == "members" for p in problems)
    programme.sync(at("2017-10-10 07:00"))
    assert len(programme.records(L.PROBLEMS)) == len(problems)
    programme.submit("Ana", "Lopez", members=f"Sam Lee <sam.lee@{DOMAIN}>")
    fixed = programme.sync(at("2017-10-11 06:00"))
    assert fixed.problems["resolved"] >= 1
    assert all(p["Status"] == "resolved" for p in programme.records(L.PROBLEMS) if p["Field"] == "members")


def test_dry_run_lists_the_plan_and_writes_nothing(programme):
    programme.submit("Ana", "Lopez")
    programme.reset_stats()
    report = programme.sync(at("2017-10-10 06:00"), dry_run=True)
    calls = programme.stats()["by_method"]
    assert report.dry_run and any(a["action"] == "AddRow" for a in report.actions)
    assert not [m for m in calls if m.endswith(("batchUpdate", "create", "batch"))]
    assert programme.records(L.ROSTER) == []


def test_form_suddenly_empty_is_a_safety_stop_that_writes_nothing(programme):
    for first, last in (("Ana", "Lopez"), ("Ben", "Okafor"), ("Cy", "Young")):
        programme.submit(first, last)
    programme.sync(at("2017-10-10 06:00"))
    for email in list(programme.response_ids):
        programme.delete_response(email)
    programme.reset_stats()
    with pytest.raises(SafetyStop):
        programme.sync(at("2017-10-11 06:00"))
    assert "sheets.spreadsheets.batchUpdate" not in programme.stats()["by_method"]
    report = programme.sync(at("2017-10-11 06:00"), allow_shrink=True)
    assert report.teams["withdrawn"] == 3


def test_second_run_on_the_same_config_is_refused_while_the_first_holds_the_lock(tmp_path):
    config = tmp_path / "plt.toml"
    config.write_text("")
    with run_lock(config):
        with pytest.raises(LockHeld):
            with run_lock(config):
                pass
    with run_lock(config):
        pass


def test_members_written_name_comma_email_as_the_belmont_form_asks_are_one_person_each(endpoint, tmp_path):
    belmont = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")
    belmont.submit("Ana", "Lopez", school="Belmont High School",
                   members=f"Ann Lee, alee@{DOMAIN}\nBob Ray, bray@{DOMAIN}, Cy Wu, cwu@{DOMAIN}")
    belmont.sync(at("2017-10-10 06:00"))
    row = belmont.records(L.ROSTER)[0]
    assert row["Member count"] == "3"
    assert row["Members"] == f"Ann Lee <alee@{DOMAIN}>\nBob Ray <bray@{DOMAIN}>\nCy Wu <cwu@{DOMAIN}>"
    members = {(m["Member"], m["Email"]) for m in belmont.records(L.MEMBERS) if m["Role"] != "facilitator"}
    assert members == {("Ann Lee", f"alee@{DOMAIN}"), ("Bob Ray", f"bray@{DOMAIN}"), ("Cy Wu", f"cwu@{DOMAIN}")}
    dashboard = belmont.book().tab(L.DASHBOARD)
    header = dashboard.rows[D.TABLE_ROW]
    school = next(dict(zip(header, r)) for r in dashboard.rows[D.TABLE_ROW + 1:] if r[0] == "Belmont High School")
    assert school["People in PLTs"] == "4"  # the facilitator and three members
    assert [p for p in belmont.records(L.PROBLEMS) if p["Field"] == "members"] == []

"""`plt staff import FILE`: an HR or SIS export (CSV or XLSX) onto the coordinator-owned
Staff tab, through the real command line against the emulator."""
import csv
import io
import json

import pandas as pd
import pytest

from programme import DOMAIN, Programme, at
from sheets import layout as L
from sync.commands.cli import run
from sync.environment import Environment
from sync.staff_file import match_columns

STAFF = '\n[staff]\naliases = { evaluator = ["Appraiser"] }\n'
HEADERS = "Employee Name,Work E-mail,Building,Job Title,Supervisor\n"


def with_staff(text: str) -> str:
    return text + STAFF


def plt(args, programme):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint},
                      sleep=lambda _s: None, clock=lambda: at("2017-09-05 09:00"))
    status = run([*args, "--config", str(programme.config_path)], env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path, edit=with_staff, config="programmes/belmont.toml")


def export(tmp_path, lines: list[str], name="hr.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADERS + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


ROWS = [f"Rosa Diaz,rosa.diaz@{DOMAIN},Belmont High School,Principal,",
        f"Sam Lee,Sam.Lee@{DOMAIN},belmont high school,Teacher,Rosa Diaz",
        f"Kim Ng,kim.ng@{DOMAIN},Chenery Middle School,Teacher,Rosa Diaz <rosa.diaz@{DOMAIN}>",
        "Pat Quinn,pat.quinn@gmail.com,Chenery Middle School,Teacher,",
        f"Lou Park,lou.park@{DOMAIN},Hogwarts,Teacher,",
        f"Ida Wu,not-an-email,Chenery Middle School,Teacher,",
        f"Al Fox,al.fox@{DOMAIN},Chenery Middle School,Teacher,Nobody Known",
        ",,,,"]


def staff_records(programme):
    return {r["Email"]: r for r in programme.records(L.STAFF)}


def import_problems(programme):
    return [r for r in programme.records(L.PROBLEMS) if r["Field"].startswith("Staff import")]


def test_import_adds_the_people_and_makes_each_bad_row_a_problems_row_in_two_calls(programme, tmp_path):
    path = export(tmp_path, ROWS)
    programme.reset_stats()
    status, out, err = plt(["staff", "import", path, "--json"], programme)
    assert status == 1, err
    report = json.loads(out)
    assert (report["added"], report["updated"], report["unchanged"], report["problems_new"]) == (3, 0, 0, 4)
    calls = programme.stats()["by_method"]
    assert calls == {"sheets.spreadsheets.get": 1, "sheets.spreadsheets.batchUpdate": 1}
    people = staff_records(programme)
    assert list(people) == [f"rosa.diaz@{DOMAIN}", f"sam.lee@{DOMAIN}", f"kim.ng@{DOMAIN}"]
    sam = people[f"sam.lee@{DOMAIN}"]
    assert (sam["Name"], sam["School"], sam["Role"], sam["Evaluator"]) == (
        "Sam Lee", "Belmont High School", "Teacher", f"rosa.diaz@{DOMAIN}")
    assert people[f"kim.ng@{DOMAIN}"]["Evaluator"] == f"rosa.diaz@{DOMAIN}"
    assert sam["Assigned"] is False
    staff = programme.book().tab(L.STAFF)
    assert staff.header == ["Name", "Email", "School", "Role", "Evaluator", "Assigned"]
    assert staff.checkboxes.get(staff.column("Assigned"), 0) >= 3
    reasons = {p["Field"]: p["Reason"] for p in import_problems(programme)}
    assert set(reasons) == {f"Staff import (hr.csv) line {n}" for n in (5, 6, 7, 8)}
    assert "outside the district's domains" in reasons["Staff import (hr.csv) line 5"]
    assert "'Hogwarts' is not one of the programme's sites" in reasons["Staff import (hr.csv) line 6"]
    assert "not a valid email address" in reasons["Staff import (hr.csv) line 7"]
    assert "evaluator 'Nobody Known'" in reasons["Staff import (hr.csv) line 8"]


def test_a_second_import_of_the_same_file_writes_nothing(programme, tmp_path):
    path = export(tmp_path, ROWS)
    assert plt(["staff", "import", path], programme)[0] == 1
    before = programme.book()
    programme.reset_stats()
    status, out, _err = plt(["staff", "import", path], programme)
    assert status == 1 and "0 added, 0 updated, 3 unchanged" in out and "(0 new)" in out
    assert programme.stats()["by_method"] == {"sheets.spreadsheets.get": 1}
    assert programme.book().tab(L.STAFF).rows == before.tab(L.STAFF).rows


def test_an_xlsx_export_updates_by_email_and_keeps_people_and_ticks_a_coordinator_added(programme, tmp_path):
    assert plt(["staff", "import", export(tmp_path, ROWS[:3])], programme)[0] == 0
    settings = programme.settings()
    staff = programme.book().tab(L.STAFF)
    api = programme.workspace().sheets.spreadsheets()
    api.values().update(spreadsheetId=settings.roster.spreadsheet_id, range=f"{L.STAFF}!A5:F5",
                        valueInputOption="RAW", body={"values": [[
                            "Dee Park", f"dee.park@{DOMAIN}", "Butler Elementary School", "Teacher", "", True]]}
                        ).execute()
    api.values().update(spreadsheetId=settings.roster.spreadsheet_id, range=f"{L.STAFF}!F3",
                        valueInputOption="RAW", body={"values": [[True]]}).execute()
    workbook = tmp_path / "sis.xlsx"
    pd.DataFrame({"First Name": ["Sam", "Nia"], "Last Name": ["Lee", "Ross"],
                  "Email Address": [f"SAM.LEE@{DOMAIN}", f"nia.ross@{DOMAIN}"],
                  "School": ["Chenery Middle School", "Chenery Middle School"],
                  "Position": ["Instructional Coach", ""], "Appraiser": ["", "Kim Ng"]}).to_excel(workbook, index=False)
    status, out, err = plt(["staff", "import", str(workbook)], programme)
    assert status == 0, err
    assert "1 added, 1 updated, 0 unchanged" in out
    people = staff_records(programme)
    assert list(people) == [f"rosa.diaz@{DOMAIN}", f"sam.lee@{DOMAIN}", f"kim.ng@{DOMAIN}", f"dee.park@{DOMAIN}",
                            f"nia.ross@{DOMAIN}"]
    sam = people[f"sam.lee@{DOMAIN}"]
    assert (sam["School"], sam["Role"], sam["Evaluator"], sam["Assigned"]) == (
        "Chenery Middle School", "Instructional Coach", f"rosa.diaz@{DOMAIN}", True)
    assert people[f"dee.park@{DOMAIN}"]["Assigned"] is True
    assert people[f"nia.ross@{DOMAIN}"]["Evaluator"] == f"kim.ng@{DOMAIN}"
    assert staff.sheet_id == programme.book().tab(L.STAFF).sheet_id


def test_a_sync_leaves_the_import_problems_open_and_a_fixed_file_resolves_them(programme, tmp_path):
    path = export(tmp_path, ROWS)
    plt(["staff", "import", path], programme)
    programme.submit("Ana", "Lopez", school="Belmont High School")
    programme.sync(at("2017-10-10 06:00"), send=False)
    assert [p["Status"] for p in import_problems(programme)] == ["open"] * 4
    status, out, _err = plt(["staff", "import", export(tmp_path, ROWS[:3])], programme)
    assert status == 0 and "4 earlier Problems row(s) of this file resolved" in out
    assert [p["Status"] for p in import_problems(programme)] == ["resolved"] * 4


def test_formula_like_text_stays_text(programme, tmp_path):
    path = export(tmp_path, [f'"=IMPORTXML(""x"")",eve@{DOMAIN},Belmont High School,=1+1,'])
    assert plt(["staff", "import", path], programme)[0] == 0
    eve = staff_records(programme)[f"eve@{DOMAIN}"]
    assert (eve["Name"], eve["Role"]) == ('=IMPORTXML("x")', "=1+1")


def test_an_export_without_an_email_column_is_refused_naming_its_columns(programme, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Name,Phone\nAna,555\n", encoding="utf-8")
    status, _out, err = plt(["staff", "import", str(path)], programme)
    assert status == 2 and "no email column found" in err and "'Phone'" in err
    assert programme.records(L.STAFF) == []


def test_without_a_staff_section_the_import_is_refused_and_with_one_added_later_it_makes_the_tab(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")
    status, _out, err = plt(["staff", "import", export(tmp_path, ROWS[:3])], programme)
    assert status == 2 and "[staff]" in err
    assert programme.book().tab(L.STAFF) is None
    programme.config_path.write_text(with_staff(programme.config_path.read_text()))
    programme.reset_stats()
    assert plt(["staff", "import", export(tmp_path, ROWS[:3])], programme)[0] == 0
    assert sum(programme.stats()["by_method"].values()) == 2
    staff = programme.book().tab(L.STAFF)
    assert staff.header == ["Name", "Email", "School", "Role", "Evaluator", "Assigned"] and staff.frozen_rows == 1
    assert staff.checkboxes.get(staff.column("Assigned"), 0) >= 3 and len(programme.records(L.STAFF)) == 3


def test_header_aliases_match_whatever_case_and_punctuation():
    columns = match_columns(["E-MAIL ADDRESS", "Full  Name", "Campus", "Evaluated by"], "Site")
    assert columns == {"email": 0, "name": 1, "site": 2, "evaluator": 3}
    assert match_columns(["Surname", "Given Name", "Email"]) == {"email": 2, "name": (1, 0)}


def test_init_makes_the_staff_tab_with_tick_boxes_when_the_config_has_a_staff_section(programme):
    staff = programme.book().tab(L.STAFF)
    assert staff.header == ["Name", "Email", "School", "Role", "Evaluator", "Assigned"]
    assert staff.checkboxes.get(staff.column("Assigned"), 0) > 0


def test_hostile_names_and_roles_from_an_export_are_kept_as_text_or_refused_with_a_reason(programme, tmp_path):
    from hostile_corpus import CORPUS

    texts = list(dict.fromkeys(v for entry in CORPUS for v in entry.answers.values() if len(v) < 5000))[:40]
    frame = pd.DataFrame({"Name": texts, "Email": [f"h{i}@{DOMAIN}" for i in range(len(texts))],
                          "School": ["Belmont High School"] * len(texts), "Role": texts})
    path = tmp_path / "hostile.csv"
    frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL)   # a bare CR is quoted too
    status, out, err = plt(["staff", "import", str(path), "--json"], programme)
    assert status in (0, 1), err
    report = json.loads(out)
    people = staff_records(programme)
    refused = {p["Field"] for p in import_problems(programme)}
    assert report["added"] + len(report["problems"]) == len(texts)
    for line, text in enumerate(texts, start=2):
        email = f"h{line - 2}@{DOMAIN}"
        if email in people:
            assert people[email]["Name"] == " ".join(text.split()) and people[email]["Role"] == " ".join(text.split())
        else:
            assert f"Staff import (hostile.csv) line {line}" in refused
    sheet = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id)
    formulas = sheet.worksheet(L.STAFF).get(value_render_option="FORMULA")
    assert not any(str(cell).startswith("=") and cell not in texts and cell.strip() not in
                   {" ".join(t.split()) for t in texts} for row in formulas for cell in row)


def test_the_separator_is_told_from_the_header_line():
    from sync.staff_file import delimiter

    assert (delimiter("Name,Email,School"), delimiter("Name;Email;School"), delimiter("Name\tEmail")) == (",", ";", "\t")

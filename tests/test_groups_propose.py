"""`plt groups propose`: the interest survey read into groups on the Groups tab, through the
real command line against the emulator; a coordinator edits and approves, and proposing
again keeps what was approved."""
import io
import json

import pytest

from programme import DOMAIN, Programme, at
from sheets import layout as L
from sheets.book import Edits, write_book
from sync.commands.cli import run
from sync.core.groups_tab import GROUPS
from sync.environment import Environment

TOPICS = ["Literacy", "Math talk", "Restorative practice"]

SURVEY = f'''
[[form]]
key = "interests"
purpose = "survey"
title = "Professional learning interests"

[[form.field]]
key = "respondent"
title = "Your email"
type = "respondent"
required = true

[[form.field]]
key = "school"
title = "Your school"
type = "dropdown"
choices = "sites"
required = true

[[form.field]]
key = "role"
title = "Your role"
type = "choice"
choices = ["Teacher", "Principal", "Other"]

[[form.field]]
key = "first"
title = "Your 1st choice topic"
type = "dropdown"
choices = {json.dumps(TOPICS)}

[[form.field]]
key = "second"
title = "Your 2nd choice topic"
type = "dropdown"
choices = {json.dumps(TOPICS)}

[[form.field]]
key = "third"
title = "Your 3rd choice topic"
type = "dropdown"
choices = {json.dumps(TOPICS)}

[[form.field]]
key = "facilitate"
title = "I would facilitate this topic"
type = "checkboxes"
choices = {json.dumps(TOPICS)}

[grouping]
survey = "interests"
choices = ["first", "second", "third"]
school = "school"
facilitate = "facilitate"
min_size = 2
max_size = 3
'''


def plt(args, programme):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint},
                      sleep=lambda _s: None, clock=lambda: at("2017-09-05 09:00"))
    status = run([*args, "--config", str(programme.config_path)], env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path, edit=lambda text: text + SURVEY, config="programmes/belmont.toml")


def email(name: str) -> str:
    return f"{name}@{DOMAIN}"


def answer(programme, name, first="", second="", third="", facilitate=(), school="Chenery Middle School",
           submitted="2017-09-01T14:00:00Z"):
    answers = {"school": school, "role": "Teacher", "first": first, "second": second, "third": third,
               "facilitate": list(facilitate)}
    return programme.answer("interests", email(name), {k: v for k, v in answers.items() if v}, submitted)


def a_survey(programme):
    """Ana and Ben lead; five teachers want Literacy, two Math talk."""
    answer(programme, "ana", "Literacy", facilitate=["Literacy"])
    answer(programme, "ben", "Math talk", "Literacy", facilitate=["Math talk", "Restorative practice"])
    for i, (first, second) in enumerate([("Literacy", "Math talk")] * 3 + [("Literacy", "")] * 2
                                        + [("Math talk", "Literacy")] * 2):
        answer(programme, f"t{i}", first, second, school=("Chenery Middle School", "Belmont High School")[i % 2])


def groups(programme):
    return [r for r in programme.records(GROUPS)]


def test_propose_writes_the_groups_and_the_unassigned_with_reasons_in_four_calls(programme):
    a_survey(programme)
    programme.reset_stats()
    status, out, err = plt(["groups", "propose", "--json"], programme)
    assert status == 0, err
    report = json.loads(out)
    assert programme.stats()["by_method"] == {"forms.forms.get": 1, "forms.forms.responses.list": 1,
                                              "sheets.spreadsheets.get": 1, "sheets.spreadsheets.batchUpdate": 1}
    assert report["optimal"] and report["respondents"] == 9
    rows = groups(programme)
    proposed = [r for r in rows if r["Group ID"]]
    assert [(r["Topic"], r["Facilitator"], r["Size"], r["Approved"]) for r in proposed] == [
        ("Literacy", email("ana"), "3", False), ("Math talk", email("ben"), "3", False)]
    assert proposed[0]["Choice ranks"] == "1st\n1st\n1st"
    left = [r for r in rows if not r["Group ID"]]
    assert len(left) == 1 and left[0]["Reason"].startswith("unassigned: groups full")
    # The ranked objective: five of seven placed people in their first choice.
    assert report["shares"]["first"] == pytest.approx(5 / 9)
    status, out, _err = plt(["groups", "propose"], programme)
    assert "1st choice 55.6%, 2nd 11.1%, 3rd 0.0%, unassigned 1 of 9 respondents" in out


def test_proposing_again_with_nothing_new_writes_nothing(programme):
    a_survey(programme)
    assert plt(["groups", "propose"], programme)[0] == 0
    programme.reset_stats()
    status, out, _err = plt(["groups", "propose"], programme)
    assert status == 0 and "0 row(s) written; 3 API call(s)" in out
    assert "sheets.spreadsheets.batchUpdate" not in programme.stats()["by_method"]


def test_an_approved_group_with_members_edited_by_hand_is_kept_exactly(programme):
    a_survey(programme)
    plt(["groups", "propose"], programme)
    book = programme.book()
    tab = book.tab(GROUPS)
    row = next(r for r in tab.data_rows() if tab.value(r, "Topic") == "Math talk")
    edits = Edits(book)
    members = f"{email('t5')}\n{email('t6')}\nNew Teacher <{email('newbie')}>"
    edits.set_row(tab, row, {tab.column("Members"): members, tab.column("Approved"): True})
    write_book(programme.workspace().gspread.http_client, edits)
    # Two more people want Math talk; Ben's approved group takes nobody new.
    answer(programme, "late1", "Math talk", "Literacy")
    answer(programme, "late2", "Math talk")
    status, out, err = plt(["groups", "propose", "--json"], programme)
    assert status == 0, err
    after = programme.book().tab(GROUPS)
    assert after.record(row)["Members"] == members and after.record(row)["Approved"] is True
    report = json.loads(out)
    kept = [g for g in report["groups"] if g["approved"]]
    assert kept == [{"group_id": tab.value(row, "Group ID"), "topic": "Math talk", "facilitator": email("ben"),
                     "members": [email("t5"), email("t6"), email("newbie")], "approved": True}]
    placed = [m for g in report["groups"] if not g["approved"] for m in g["members"]]
    assert not {email("t5"), email("t6"), email("ben")} & set(placed)
    assert {u["email"] for u in report["unassigned"]} >= {email("late2")}


def test_bad_answers_become_problems_rows_and_a_resubmission_replaces_the_earlier_one(programme):
    answer(programme, "ana", "Literacy", facilitate=["Literacy"])
    answer(programme, "t1", "Literacy", "Literacy")
    answer(programme, "t2", "Math talk", submitted="2017-09-01T10:00:00Z")
    answer(programme, "t2", "Literacy", submitted="2017-09-02T10:00:00Z")
    status, out, err = plt(["groups", "propose", "--json"], programme)
    assert status == 0, err
    report = json.loads(out)
    assert report["respondents"] == 3
    literacy = next(g for g in report["groups"] if g["topic"] == "Literacy")
    assert literacy["members"] == [email("t1"), email("t2")]
    problems = [r for r in programme.records(L.PROBLEMS) if r["Field"].startswith("Survey (interests)")]
    assert [(p["Field"], p["Reason"], p["Status"]) for p in problems] == [
        ("Survey (interests) second", "'Literacy' was already chosen; it counts as the 1st choice", "open")]
    # A sync leaves the survey's Problems rows to the next proposal.
    programme.sync(at("2017-09-06 06:00"))
    assert [r["Status"] for r in programme.records(L.PROBLEMS) if r["Field"].startswith("Survey")] == ["open"]


def test_without_a_grouping_section_propose_is_refused(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")
    status, _out, err = plt(["groups", "propose"], programme)
    assert status == 2 and "no [grouping] section" in err


def grid(programme, tab: str, render: str) -> list[dict]:
    sheet = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id)
    rows = sheet.worksheet(tab).get(value_render_option=render, pad_values=True)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_hostile_text_a_coordinator_typed_into_the_groups_tab_is_kept_or_replaced_never_run(programme):
    # The survey's questions are all choices Google checks, so the hostile text a proposal
    # meets is what a coordinator typed (or pasted) into the Groups tab.
    from hostile_corpus import CORPUS

    texts = [next(iter(e.answers.values())) for e in CORPUS if e.outcome == "kept" and e.answers][:12]
    a_survey(programme)
    plt(["groups", "propose"], programme)
    book = programme.book()
    tab = book.tab(GROUPS)
    approved, loose = 1, 2
    edits = Edits(book)
    edits.set_row(tab, approved, {tab.column("Members"): "\n".join(texts), tab.column("Topic"): texts[0],
                                  tab.column("Approved"): True})
    edits.set_row(tab, loose, {tab.column("Members"): texts[1], tab.column("Reason"): texts[2]})
    write_book(programme.workspace().gspread.http_client, edits)
    before = grid(programme, GROUPS, "FORMULA")[approved - 1]
    status, out, err = plt(["groups", "propose", "--json"], programme)
    assert status == 0, err
    after = grid(programme, GROUPS, "FORMULA")
    assert after[approved - 1] == before
    assert after[loose - 1]["Members"] != texts[1] and after[loose - 1]["Reason"] != texts[2]
    kept = json.loads(out)["groups"][0]
    assert kept["approved"] and kept["topic"] == texts[0].strip()
    assert all(str(v) == str(u) for v, u in zip(grid(programme, GROUPS, "UNFORMATTED_VALUE")[approved - 1].values(),
                                                before.values()))

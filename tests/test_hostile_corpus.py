"""Every hostile answer of the corpus, submitted through the form and synced by the real
job, then read back from what Google holds: the roster cells (as formulas and as raw
values), the Problems and Members tabs, and the reminders as Gmail keeps them.

The whole corpus is one programme synced once (and again, to prove a quiet re-run changes
nothing), so each scenario below is a view of the same, realistic run.
"""
from __future__ import annotations

import base64
from email import message_from_bytes, policy

import pytest
import requests
from gspread.utils import ValueRenderOption

from emulator.core import Emulator
from emulator.server import EmulatorServer
from hostile_corpus import ALTERED, CORPUS, DOMAIN, KEPT, REFUSED
from programme import Programme, at
from hostile_traffic import SheetTraffic
from sync.google.workspace import SCOPES

# Reminders for the SMART goal (due November 1) go out seven days before, to every team.
REMINDER_DAY = at("2017-10-25 09:00")
BASE_ANSWERS = {"facilitator_name": "Ana Lopez", "school": "Chenery Middle School", "topic": "Close reading",
                "goal_type": "Student Learning", "meeting_time": "Tuesdays 3:00",
                "training": "Enrolled in the facilitator training course"}
ALLOWED_HEADERS = {"subject", "from", "to", "reply-to", "date", "message-id", "auto-submitted", "mime-version",
                   "content-type", "content-transfer-encoding"}


def submit(programme: Programme, entry) -> str:
    q = programme.settings().form.titles
    answers = {**BASE_ANSWERS, "team_name": f"{entry.key} PLT",
               "members": f"Member {entry.key} <{entry.key}.m@{DOMAIN}>", **entry.answers}
    body = {"answers": {q[field]: text for field, text in answers.items()},
            "respondentEmail": entry.respondent, "submittedAt": "2017-10-02T14:00:00Z"}
    response = requests.post(f"{programme.endpoint}/_emulator/forms/{programme.settings().form.id}/responses",
                             json=body, timeout=30)
    response.raise_for_status()
    return response.json()["responseId"]


def roster_grid(programme: Programme, render: str) -> list[dict]:
    sheet = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id)
    rows = sheet.worksheet("Roster").get(value_render_option=render, pad_values=True)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def raw_messages(programme: Programme) -> list[bytes]:
    gmail = programme.workspace().gmail.users().messages()
    ids = [m["id"] for m in programme.mail()]
    return [base64.urlsafe_b64decode(gmail.get(userId="me", id=i, format="raw").execute()["raw"]) for i in ids]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    with EmulatorServer(Emulator(validate_responses=True, scopes=SCOPES)) as server:
        programme = Programme.create(server.url, tmp_path_factory.mktemp("hostile"))
        response_ids = {entry.key: submit(programme, entry) for entry in CORPUS}
        with SheetTraffic() as traffic:
            first = programme.sync(REMINDER_DAY)
        again = programme.sync(at("2017-10-25 09:30"))
        yield {"programme": programme, "ids": response_ids, "first": first, "again": again,
               "traffic": traffic, "formula": roster_grid(programme, ValueRenderOption.formula),
               "unformatted": roster_grid(programme, ValueRenderOption.unformatted),
               "problems": programme.records("Problems"), "members": programme.records("Members"),
               "raw_mail": raw_messages(programme)}


def rows_of(run, key: str, grid: str = "formula") -> list[dict]:
    return [row for row in run[grid] if row.get("Response ID") == run["ids"][key]]


def problems_of(run, key: str) -> list[dict]:
    return [p for p in run["problems"] if p["Response ID"] == run["ids"][key] and p["Status"] == "open"]


def test_corpus_holds_at_least_60_answers_each_with_a_reason():
    assert len(CORPUS) >= 60
    assert len({entry.key for entry in CORPUS}) == len(CORPUS)
    assert all(entry.why.strip() for entry in CORPUS)
    categories = {entry.key.split("-")[0] for entry in CORPUS}
    assert categories == {"f", "h", "l", "u", "c", "e", "m"}


def test_the_run_over_the_whole_corpus_succeeds_and_explains_nothing_it_did_not_need_to(run):
    assert run["first"].exit_code == 0, run["first"].failures
    usable = [e for e in CORPUS if e.outcome != REFUSED]
    assert run["first"].teams["new"] == len(usable)
    assert run["first"].reminders["sent"] == len(usable)


@pytest.mark.parametrize("entry", CORPUS, ids=[e.key for e in CORPUS])
def test_hostile_answer_is_kept_exactly_or_explained(run, entry):
    rows = rows_of(run, entry.key)
    mine = problems_of(run, entry.key)
    if entry.outcome == REFUSED:
        assert rows == []
        assert any(p["Severity"] == "error" and p["Field"] == entry.field and entry.because in p["Reason"]
                   for p in mine), mine
        return
    assert len(rows) == 1
    for header, text in entry.roster.items():
        assert rows[0][header] == text, header
    if entry.outcome == KEPT:
        assert mine == []
    if entry.outcome == ALTERED:
        assert any(p["Severity"] == "warning" and p["Field"] == entry.field and entry.because in p["Reason"]
                   for p in mine), mine


def test_every_roster_cell_reads_back_as_the_same_text_as_formula_and_as_raw_value(run):
    """A cell that became a formula reads back differently under UNFORMATTED_VALUE (its
    result, or nothing) than under FORMULA; a number, date or boolean is not a string."""
    assert len(run["formula"]) == len(run["unformatted"])
    for as_formula, as_value in zip(run["formula"], run["unformatted"]):
        for header in ("Team name", "Topic", "Facilitator", "Meeting time", "Members"):
            assert isinstance(as_value[header], str), (header, as_value[header])
            assert as_value[header] == as_formula[header]


def test_member_names_reach_the_members_tab_exactly(run):
    names = {(m["Email"], m["Member"]) for m in run["members"]}
    assert (f"f-member-name.m@{DOMAIN}", "=1+1") in names
    assert (f"m-bracketed-name.m@{DOMAIN}", "Sam Lee (Math)") in names


def test_no_sheets_request_carries_a_formula_or_user_entered_input(run):
    writes = run["traffic"].sheet_writes()
    assert writes, "the run wrote nothing to Sheets"
    for request in writes:
        assert "formulaValue" not in request.body
        assert "USER_ENTERED" not in request.url and "USER_ENTERED" not in request.body
    assert any("=IMPORTXML" in request.body for request in writes)


def test_reminders_carry_only_their_own_headers_and_one_recipient(run):
    assert len(run["raw_mail"]) == len([e for e in CORPUS if e.outcome != REFUSED])
    for raw in run["raw_mail"]:
        message = message_from_bytes(raw, policy=policy.default)
        names = {name.lower() for name in message.keys()}
        assert names <= ALLOWED_HEADERS, names - ALLOWED_HEADERS
        assert len(message.get_all("To")) == 1 and len(message["To"].addresses) == 1
        assert "Bcc" not in message and message["Cc"] is None
        for name, value in message.items():
            assert "\r" not in str(value) and "\n" not in str(value), name
        assert b"\nBcc:" not in raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n")


def test_a_reminder_goes_to_the_facilitator_address_and_no_injected_one(run):
    recipients = {m["to"][0] if isinstance(m["to"], list) else m["to"] for m in run["programme"].mail()}
    assert not any("evil.example" in r and "e-" not in r for r in recipients)
    assert all("victim" not in r for r in recipients)


def test_a_second_run_over_the_corpus_changes_and_duplicates_nothing(run):
    again = run["again"]
    assert again.exit_code == 0
    assert again.teams["new"] == 0 and again.teams["updated"] == 0 and again.teams["withdrawn"] == 0
    assert again.problems["new"] == 0 and again.reminders["sent"] == 0
    assert again.api_calls["write"] == 1
    ids = [row["Team ID"] for row in run["formula"]]
    assert len(ids) == len(set(ids))

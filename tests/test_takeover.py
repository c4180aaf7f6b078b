"""Nobody takes over a team, end to end through `plt sync` on the emulator.

Alice's team has Xavier and Yara. Someone else submits the enrol form typing Alice's
email and listing Mallory as the only member. Nothing changes (nobody gains or loses
access to the folder) and the Problems tab holds the response with an Approve tick; a
coordinator's tick applies it on the next run, once. With verified emails, only the
team's facilitator may change its people."""
from __future__ import annotations

import io
import json

import gspread
import pytest
import requests

from drive.folders import list_team_folders
from sheets import layout as L
from sync.commands.cli import run as plt_main
from sync.environment import Environment
from programme import DOMAIN, Programme, typed_facilitator_email

ALICE, XAVIER, YARA = f"alice.adams@{DOMAIN}", f"xavier.x@{DOMAIN}", f"yara.y@{DOMAIN}"
MALLORY, ZED = f"mallory.m@{DOMAIN}", f"zed.z@{DOMAIN}"
TEAM = f"Xavier X <{XAVIER}>\nYara Y <{YARA}>"
UNVERIFIED = "collect_verified_email = false\nallow_unverified_responses = true"


def unverified(text: str) -> str:
    return text.replace("collect_verified_email = true", UNVERIFIED, 1)


def sync(programme: Programme, now: str) -> dict:
    """`plt sync --json` as cron runs it: the report."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint},
                      sleep=lambda _s: None)
    status = plt_main(["sync", "--config", str(programme.config_path), "--json", "--now", now], env)
    assert status == 0, err.getvalue()
    return json.loads(out.getvalue())


def respond(programme: Programme, *, sender: str, facilitator: str, members: str, submitted: str) -> str:
    """A response to the enrol form from `sender` (verified when the form collects it)
    that types `facilitator` as the facilitator's email."""
    q = programme.settings().form.titles
    answers = {q["facilitator_name"]: "Alice Adams", q["facilitator_email"]: facilitator, q["team_name"]: "Readers",
               q["school"]: "Chenery Middle School", q["topic"]: "Close reading", q["goal_type"]: "Student Learning",
               q["meeting_time"]: "Tuesdays 3:00", q["training"]: "Enrolled in the facilitator training course",
               q["members"]: members}
    url = f"{programme.endpoint}/_emulator/forms/{programme.settings().form.id}/responses"
    reply = requests.post(url, json={"answers": answers, "respondentEmail": sender, "submittedAt": submitted},
                          timeout=30)
    reply.raise_for_status()
    return reply.json()["responseId"]


def folder_access(programme: Programme) -> dict[str, str]:
    (folder,) = list_team_folders(programme.workspace().drive, programme.settings().drive.parent_folder_id)[0].values()
    return {p.email: p.role for p in folder.permissions if p.email and p.role != "owner"}


def problems_of(programme: Programme, response_id: str) -> list[dict]:
    return [p for p in programme.records(L.PROBLEMS) if p["Response ID"] == response_id]


def tick_approve(programme: Programme, response_id: str, ticked: bool = True) -> None:
    """A coordinator ticks (or unticks) Approve on the response's Problems row."""
    sheet = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id).worksheet(L.PROBLEMS)
    rows = sheet.get_all_values()
    number = next(n for n, row in enumerate(rows[1:], start=2) if response_id in row)
    sheet.update([[ticked]], gspread.utils.rowcol_to_a1(number, rows[0].index(L.APPROVE) + 1), raw=True)


def members_on_team(programme: Programme) -> dict[str, str]:
    return {m["Email"]: m["On team"] for m in programme.records(L.MEMBERS)}


@pytest.fixture
def unverified_programme(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, edit=unverified, config="programmes/belmont.toml")
    respond(programme, sender="", facilitator=ALICE, members=TEAM, submitted="2017-10-02T14:00:00Z")
    sync(programme, "2017-10-03T06:00")
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}
    return programme


def test_an_unverified_response_typing_the_facilitators_email_changes_nothing_and_waits_for_approval(
        unverified_programme):
    programme = unverified_programme
    roster_before, members_before = programme.records(L.ROSTER), programme.records(L.MEMBERS)
    spoof = respond(programme, sender="", facilitator=ALICE, members=f"Mallory M <{MALLORY}>",
                    submitted="2017-10-04T14:00:00Z")
    report = sync(programme, "2017-10-05T06:00")
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}
    assert (report["sharing"]["added"], report["sharing"]["removed"]) == (0, 0)
    assert programme.records(L.ROSTER) == roster_before and programme.records(L.MEMBERS) == members_before
    (row,) = problems_of(programme, spoof)
    assert (row["Status"], row["Field"], row["Team ID"]) == ("open", "people", roster_before[0]["Team ID"])
    assert row["Reason"] == (f"not applied: it would add {MALLORY} (member); remove {XAVIER} (member), {YARA} "
                             "(member); a response without a verified email may not change an existing team's "
                             "people. Tick Approve to apply it")
    assert row[L.APPROVE] in ("", "FALSE") and report["problems"]["new"] == 1
    quiet = sync(programme, "2017-10-05T07:00")
    assert {m: n for m, n in quiet["api_calls"]["by_method"].items() if not m.endswith((".get", ".list"))} == {
        "sheets.spreadsheets.batchUpdate": 1}


def test_an_approved_response_is_applied_once_and_its_row_says_so(unverified_programme):
    programme = unverified_programme
    spoof = respond(programme, sender="", facilitator=ALICE, members=f"Mallory M <{MALLORY}>",
                    submitted="2017-10-04T14:00:00Z")
    sync(programme, "2017-10-05T06:00")
    tick_approve(programme, spoof)
    report = sync(programme, "2017-10-06T06:00")
    assert folder_access(programme) == {ALICE: "writer", MALLORY: "writer"}
    assert (report["sharing"]["added"], report["sharing"]["removed"]) == (1, 2)
    assert members_on_team(programme) == {ALICE: "yes", MALLORY: "yes", XAVIER: "removed 2017-10-06",
                                          YARA: "removed 2017-10-06"}
    (row,) = problems_of(programme, spoof)
    assert (row["Status"], row["Resolved"][:10]) == ("applied", "2017-10-06")
    assert programme.records(L.ROSTER)[0]["Response ID"] == spoof
    tick_approve(programme, spoof, ticked=False)
    again = sync(programme, "2017-10-07T06:00")
    assert (again["sharing"]["added"], again["sharing"]["removed"]) == (0, 0)
    assert folder_access(programme) == {ALICE: "writer", MALLORY: "writer"}
    assert [r["Status"] for r in problems_of(programme, spoof)] == ["applied"]


def test_an_unverified_response_still_creates_a_new_team(unverified_programme):
    programme = unverified_programme
    respond(programme, sender="", facilitator=f"bob.b@{DOMAIN}", members=f"Zed Z <{ZED}>",
            submitted="2017-10-04T14:00:00Z")
    report = sync(programme, "2017-10-05T06:00")
    assert report["teams"]["new"] == 1 and report["problems"]["new"] == 0
    assert {r["Facilitator email"] for r in programme.records(L.ROSTER)} == {ALICE, f"bob.b@{DOMAIN}"}


def test_an_unverified_change_of_the_team_name_alone_is_applied(unverified_programme):
    programme = unverified_programme
    q = programme.settings().form.titles
    rid = respond(programme, sender="", facilitator=ALICE, members=TEAM, submitted="2017-10-04T14:00:00Z")
    requests.put(f"{programme.endpoint}/_emulator/forms/{programme.settings().form.id}/responses/{rid}",
                 json={"answers": {q["facilitator_name"]: "Alice Adams", q["facilitator_email"]: ALICE,
                                   q["team_name"]: "Close Readers", q["school"]: "Chenery Middle School",
                                   q["members"]: TEAM}, "submittedAt": "2017-10-04T15:00:00Z"},
                 timeout=30).raise_for_status()
    report = sync(programme, "2017-10-05T06:00")
    assert report["problems"]["new"] == 0 and programme.records(L.ROSTER)[0]["Team name"] == "Close Readers"
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}


@pytest.fixture
def typed_programme(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, edit=typed_facilitator_email, config="programmes/belmont.toml")
    respond(programme, sender=ALICE, facilitator=ALICE, members=TEAM, submitted="2017-10-02T14:00:00Z")
    sync(programme, "2017-10-03T06:00")
    return programme


def test_a_different_verified_respondent_cannot_change_a_teams_people(typed_programme):
    programme = typed_programme
    other = respond(programme, sender=MALLORY, facilitator=ALICE, members=f"Mallory M <{MALLORY}>",
                    submitted="2017-10-04T14:00:00Z")
    report = sync(programme, "2017-10-05T06:00")
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}
    assert members_on_team(programme) == {ALICE: "yes", XAVIER: "yes", YARA: "yes"}
    (row,) = problems_of(programme, other)
    assert (row["Status"], row["Value"]) == ("open", MALLORY) and report["problems"]["new"] == 1
    assert row["Reason"].endswith(f"only the team's facilitator ({ALICE}) may change its people and this response "
                                  f"is from {MALLORY}. Tick Approve to apply it")


def test_the_facilitators_own_verified_resubmission_changes_the_people_as_before(typed_programme):
    programme = typed_programme
    other = respond(programme, sender=MALLORY, facilitator=ALICE, members=f"Mallory M <{MALLORY}>",
                    submitted="2017-10-04T14:00:00Z")
    sync(programme, "2017-10-05T06:00")
    own = respond(programme, sender=ALICE, facilitator=ALICE, members=f"{TEAM}\nZed Z <{ZED}>",
                  submitted="2017-10-06T14:00:00Z")
    report = sync(programme, "2017-10-07T06:00")
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer", ZED: "writer"}
    assert programme.records(L.ROSTER)[0]["Response ID"] == own and report["sharing"]["added"] == 1
    assert [r["Status"] for r in problems_of(programme, other)] == ["resolved"]


def test_an_unverified_edit_of_the_teams_only_response_changes_nothing_until_approved(unverified_programme):
    """Google keeps no earlier version of an edited response: the team stays as the sheet
    holds it (not withdrawn, nobody unshared) while the edit waits."""
    programme = unverified_programme
    (rid,) = [r["Response ID"] for r in programme.records(L.ROSTER)]
    q = programme.settings().form.titles
    requests.put(f"{programme.endpoint}/_emulator/forms/{programme.settings().form.id}/responses/{rid}",
                 json={"answers": {q["facilitator_name"]: "Alice Adams", q["facilitator_email"]: ALICE,
                                   q["team_name"]: "Readers", q["school"]: "Chenery Middle School",
                                   q["members"]: f"Mallory M <{MALLORY}>"}, "submittedAt": "2017-10-04T15:00:00Z"},
                 timeout=30).raise_for_status()
    report = sync(programme, "2017-10-05T06:00")
    assert report["teams"]["withdrawn"] == 0 and programme.records(L.ROSTER)[0]["Team status"] == "active"
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}
    assert members_on_team(programme) == {ALICE: "yes", XAVIER: "yes", YARA: "yes"}
    (row,) = problems_of(programme, rid)
    assert row["Status"] == "open" and row["Field"] == "people"
    tick_approve(programme, rid)
    sync(programme, "2017-10-06T06:00")
    assert folder_access(programme) == {ALICE: "writer", MALLORY: "writer"}
    assert [r["Status"] for r in problems_of(programme, rid)] == ["applied"]


def test_a_response_over_the_cap_shares_nothing_and_sends_nothing(unverified_programme):
    programme = unverified_programme
    directory = "\n".join(f"Staff Member {n} <staff{n}@{DOMAIN}>" for n in range(40))
    pasted = respond(programme, sender="", facilitator=f"bob.b@{DOMAIN}", members=directory,
                     submitted="2017-10-04T14:00:00Z")
    over_alice = respond(programme, sender="", facilitator=ALICE, members=directory, submitted="2017-10-04T15:00:00Z")
    report = sync(programme, "2017-10-25T09:00")       # a reminder day: the SMART goal is due in a week
    assert [r["Facilitator email"] for r in programme.records(L.ROSTER)] == [ALICE]
    assert folder_access(programme) == {ALICE: "writer", XAVIER: "writer", YARA: "writer"}
    assert report["sharing"]["added"] == 0 and report["folders"]["created"] == 0
    assert [m["to"] for m in programme.mail()] == [[ALICE]]
    for rid in (pasted, over_alice):
        (row,) = problems_of(programme, rid)
        assert row["Reason"] == "lists 40 people, making a team of 41; a team has at most 30 ([unit] max_people)"

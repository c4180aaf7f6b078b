"""`[unit] max_people` end to end: a response naming more people than a team may have (a
staff directory pasted into the members answer) shares nothing, sends nothing and is
explained on the Problems tab; a team it would have changed keeps its earlier response."""
from __future__ import annotations

import pytest

from drive.folders import list_team_folders
from sheets import layout as L
from programme import DOMAIN, Programme, at

SAM, KIM = f"sam.lee@{DOMAIN}", f"kim.ng@{DOMAIN}"
STAFF_DIRECTORY = "\n".join(f"Staff Member {n} <staff{n}@{DOMAIN}>" for n in range(240))
REMINDER_DAY = at("2017-10-25 09:00")      # seven days before the SMART goal is due
CAP_REASON = "lists 240 people, making a team of 241; a team has at most 30 ([unit] max_people)"


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path, config="programmes/belmont.toml")


def folders(programme) -> dict:
    return list_team_folders(programme.workspace().drive, programme.settings().drive.parent_folder_id)[0]


def open_errors(programme, response_id: str) -> list[dict]:
    return [p for p in programme.records(L.PROBLEMS)
            if p["Response ID"] == response_id and p["Status"] == "open" and p["Severity"] == "error"]


def resubmit(programme, first: str, last: str, **answers: str) -> str:
    """A new response from the same facilitator (not an edit of the earlier one)."""
    programme.response_ids.pop(f"{first.lower()}.{last.lower()}@{DOMAIN}")
    return programme.submit(first, last, **answers)


def test_a_new_team_over_the_cap_gets_no_folder_no_sharing_no_reminder_and_a_problems_row(programme):
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    pasted = programme.submit("Ben", "Cho", team="Everyone", members=STAFF_DIRECTORY)
    report = programme.sync(REMINDER_DAY)
    assert report.exit_code == 0, report.failures
    assert [r["Team name"] for r in programme.records(L.ROSTER)] == ["Lopez PLT"]
    (folder,) = folders(programme).values()
    assert {p.email for p in folder.permissions} >= {f"ana.lopez@{DOMAIN}", SAM}
    assert not any(p.email.startswith("staff") for p in folder.permissions)
    assert {r["Email"] for r in programme.records(L.MEMBERS)} == {f"ana.lopez@{DOMAIN}", SAM}
    assert [m["to"] for m in programme.mail()] == [[f"ana.lopez@{DOMAIN}"]]
    (problem,) = open_errors(programme, pasted)
    assert (problem["Field"], problem["Reason"]) == ("members", CAP_REASON)
    assert sum(p["Response ID"] == pasted for p in programme.records(L.PROBLEMS)) == 1


def test_an_existing_team_resubmitted_over_the_cap_keeps_its_members_and_their_access(programme):
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-10 06:00"))
    pasted = resubmit(programme, "Ana", "Lopez", members=STAFF_DIRECTORY, submitted="2017-10-11T14:00:00Z")
    report = programme.sync(at("2017-10-12 06:00"))
    assert report.exit_code == 0, report.failures
    (folder,) = folders(programme).values()
    assert {p.email for p in folder.permissions} >= {f"ana.lopez@{DOMAIN}", SAM, KIM}
    assert not any(p.email.startswith("staff") for p in folder.permissions)
    (row,) = programme.records(L.ROSTER)
    assert row["Members"] == f"Sam Lee <{SAM}>\nKim Ng <{KIM}>"
    assert {m["Email"]: m["On team"] for m in programme.records(L.MEMBERS)} == {
        f"ana.lopez@{DOMAIN}": "yes", SAM: "yes", KIM: "yes"}
    assert [p["Reason"] for p in open_errors(programme, pasted)] == [CAP_REASON]


def test_a_team_of_exactly_the_cap_is_enrolled(programme):
    twenty_nine = "\n".join(f"Staff Member {n} <staff{n}@{DOMAIN}>" for n in range(29))
    programme.submit("Ana", "Lopez", members=twenty_nine)
    programme.sync(at("2017-10-10 06:00"))
    (row,) = programme.records(L.ROSTER)
    assert row["Member count"] == "29"
    assert len({p.email for p in next(iter(folders(programme).values())).permissions} - {""}) >= 30

"""South Dakota's building plans end to end on the emulator: one response per school makes
one work group per filled CWG; a resubmitted plan updates each group in place and
withdraws a group left empty."""
from __future__ import annotations

import pytest

from programme import Programme
from sheets import layout as L
from work_groups import CONFIG, DOMAIN, LINCOLN, at, group, person, send_plan

PRINCIPAL = ("Dana", "Olson")
FIRST = {
    1: group("Horizontal group by grade level", person("Ann", "Lee"), (person("Bo", "King"), person("Cy", "Moe")),
             "every other Tuesday 3:30-4:15 pm from 2017-09-12 to 2018-05-15"),
    2: group("Vertical team by subject area", person("Di", "Ray"), (person("Ed", "Fox"),), "Sept 14 2017 3:30-4:30 pm"),
    3: group("Needs of students", person("Flo", "Gay"), (person("Gus", "Hu"),), "first Wednesday of each month 7:30-8:00 am"),
}


@pytest.fixture
def programme(endpoint, tmp_path) -> Programme:
    return Programme.create(endpoint, tmp_path, config=CONFIG)


def roster(programme: Programme) -> dict[str, dict]:
    return {f"{r['School']} #{r['CWG']}": r for r in programme.records(L.ROSTER)}


def test_one_building_plan_makes_one_work_group_per_filled_cwg(programme):
    send_plan(programme, LINCOLN, PRINCIPAL, FIRST, "2017-09-05T15:00:00Z")
    report = programme.sync(at("2017-09-06 06:00"))
    assert report.exit_code == 0, report.summary_line()
    rows = roster(programme)
    assert sorted(rows) == [f"{LINCOLN} #1", f"{LINCOLN} #2", f"{LINCOLN} #3"]
    first = rows[f"{LINCOLN} #1"]
    assert first["Leader"] == person("Ann", "Lee") and str(first["Member count"]) == "2"
    assert first["Structure"] == "Horizontal group by grade level" and first["Principal"] == "Dana Olson"
    assert first["Team ID"].startswith("CWG-") and len({r["Team ID"] for r in rows.values()}) == 3
    members = {(m["Team ID"], m["Email"]): m["Role"] for m in programme.records(L.MEMBERS)}
    assert members[(first["Team ID"], f"ann.lee@{DOMAIN}")] == "leader"
    assert members[(first["Team ID"], f"bo.king@{DOMAIN}")] == "member"
    assert members[(first["Team ID"], f"dana.olson@{DOMAIN}")] == "principal"
    # The principal is in every group of the school by design: no "one person on several" warning.
    assert programme.records(L.PROBLEMS) == []


def test_a_resubmitted_plan_updates_each_group_in_place_and_withdraws_an_emptied_one(programme):
    rid = send_plan(programme, LINCOLN, PRINCIPAL, FIRST, "2017-09-05T15:00:00Z")
    programme.sync(at("2017-09-06 06:00"))
    before = roster(programme)
    moved = {1: group(FIRST[1]["structure"], person("Ann", "Lee"), (person("Bo", "King"),), FIRST[1]["meetings"]),
             2: group(FIRST[2]["structure"], person("Di", "Ray"), (person("Ed", "Fox"), person("Cy", "Moe")),
                      FIRST[2]["meetings"])}
    send_plan(programme, LINCOLN, PRINCIPAL, moved, "2017-09-20T15:00:00Z", response_id=rid)
    report = programme.sync(at("2017-09-21 06:00"))
    assert report.exit_code == 0
    after = roster(programme)
    assert sorted(after) == sorted(before)
    assert {k: r["Team ID"] for k, r in after.items()} == {k: r["Team ID"] for k, r in before.items()}
    assert after[f"{LINCOLN} #3"]["Team status"] == "withdrawn"
    assert str(after[f"{LINCOLN} #2"]["Member count"]) == "2" and str(after[f"{LINCOLN} #1"]["Member count"]) == "1"
    cy = {m["Team ID"]: m["On team"] for m in programme.records(L.MEMBERS) if m["Email"] == f"cy.moe@{DOMAIN}"}
    assert cy[after[f"{LINCOLN} #2"]["Team ID"]] == "yes"
    assert cy[after[f"{LINCOLN} #1"]["Team ID"]].startswith("removed")


def test_a_filled_group_without_its_leader_is_refused_alone(programme):
    plan = {**FIRST, 4: group("Other", "", (person("Hal", "Ito"),), "")}
    send_plan(programme, LINCOLN, PRINCIPAL, plan, "2017-09-05T15:00:00Z")
    report = programme.sync(at("2017-09-06 06:00"))
    assert sorted(roster(programme)) == [f"{LINCOLN} #1", f"{LINCOLN} #2", f"{LINCOLN} #3"]
    problems = [p for p in programme.records(L.PROBLEMS) if p["Field"] == "leader"]
    assert len(problems) == 1 and problems[0]["Response ID"].endswith("#4")
    assert "missing" in problems[0]["Reason"] and report.exit_code == 0


def test_a_quiet_rerun_of_building_plans_is_one_write(programme):
    send_plan(programme, LINCOLN, PRINCIPAL, FIRST, "2017-09-05T15:00:00Z")
    programme.sync(at("2017-09-06 06:00"))
    programme.reset_stats()
    report = programme.sync(at("2017-09-06 06:15"))
    assert report.api_calls["write"] == 1, report.api_calls


def test_meetings_are_listed_on_their_tab_and_the_next_one_on_the_roster(programme):
    plan = {**FIRST, 2: group(FIRST[2]["structure"], person("Di", "Ray"), (person("Ed", "Fox"),),
                              "Sept 14 2017 3:30-4:30 pm\nwhenever we can\n2017-10-12 15:30-16:30")}
    rid = send_plan(programme, LINCOLN, PRINCIPAL, plan, "2017-09-05T15:00:00Z")
    assert programme.sync(at("2017-09-13 06:00")).exit_code == 0
    rows = roster(programme)
    assert rows[f"{LINCOLN} #1"]["Next meeting"] == "2017-09-26 15:30"     # the 12th is past: a fortnight on
    assert rows[f"{LINCOLN} #2"]["Next meeting"] == "2017-09-14 15:30"
    meetings = {(m["Unit"], m["Meeting"]): m for m in programme.records(L.MEETINGS)}
    series = meetings[(f"{LINCOLN} CWG #1", "20170912r")]
    assert (series["Start"], series["End"], series["CWG"], series["School"]) == ("2017-09-12 15:30", "16:15", "1",
                                                                                LINCOLN)
    assert series["Repeats"] == "every other Tuesday from 2017-09-12 to 2018-05-15"
    assert series["Status"] == "scheduled"
    assert sorted(k for _u, k in meetings) == ["20170906r", "20170912r", "20170914", "20171012"]
    unreadable = [p for p in programme.records(L.PROBLEMS) if p["Field"] == "meetings"]
    assert [(p["Value"], p["Response ID"], p["Severity"]) for p in unreadable] == [
        ("whenever we can", f"{rid}#2", "warning")]
    assert "'whenever we can'" in unreadable[0]["Reason"]

    # The group drops a meeting and the plan's CWG #3 is emptied: rows stay, marked.
    edited = {1: FIRST[1], 2: group(FIRST[2]["structure"], person("Di", "Ray"), (person("Ed", "Fox"),),
                                    "Sept 14 2017 3:30-4:30 pm")}
    send_plan(programme, LINCOLN, PRINCIPAL, edited, "2017-09-20T15:00:00Z", response_id=rid)
    assert programme.sync(at("2017-09-21 06:00")).exit_code == 0
    status = {m["Meeting"]: m["Status"] for m in programme.records(L.MEETINGS)}
    assert status == {"20170912r": "scheduled", "20170914": "scheduled", "20171012": "cancelled",
                      "20170906r": "withdrawn"}
    assert [p["Status"] for p in programme.records(L.PROBLEMS) if p["Field"] == "meetings"] == ["resolved"]


def test_a_count_raised_before_the_form_has_the_new_questions_warns_and_reads_the_rest(programme):
    send_plan(programme, LINCOLN, PRINCIPAL, FIRST, "2017-09-05T15:00:00Z")
    text = programme.config_path.read_text(encoding="utf-8")
    programme.config_path.write_text(text.replace("count = 6", "count = 7"), encoding="utf-8")
    report = programme.sync(at("2017-09-06 06:00"))
    assert report.exit_code == 0
    assert roster(programme)[f"{LINCOLN} #1"]["Leader"] == person("Ann", "Lee")
    missing = sorted(p["Value"] for p in programme.records(L.PROBLEMS))
    assert missing == ["CWG #7 leader (name, email)", "CWG #7 meeting times with dates",
                       "CWG #7 members (one per line: name, email)", "CWG #7 structure"]

"""The programme model's checks across sections, and its refusal of what this release does
not carry out yet: each problem named at its place in the file, all of them at once."""
from __future__ import annotations

import copy
import tomllib
from datetime import date
from pathlib import Path
from typing import Callable

import pytest

from config import ConfigError, settings_from_toml

BELMONT = Path(__file__).resolve().parent.parent / "config" / "programmes" / "belmont.toml"
BELMONT_RAW = tomllib.loads(BELMONT.read_text(encoding="utf-8"))
FIELDS = ("facilitator_name, facilitator_email, team_name, school, topic, members, goal_type, meeting_time, "
          "training")
EVIDENCE_FORM = {"key": "checkpoint", "purpose": "evidence", "title": "PLT checkpoint",
                 "field": [{"key": "summary", "title": "What did the team learn?", "type": "paragraph"}]}


def problems_of(change: Callable[[dict], None]) -> list[tuple[str, str]]:
    """The problems of Belmont's programme once `change` is made to it, in the order given."""
    raw = copy.deepcopy(BELMONT_RAW)
    change(raw)
    with pytest.raises(ConfigError) as caught:
        settings_from_toml(raw, BELMONT, {})
    return [(problem.path, problem.message) for problem in caught.value.problems]


def form(raw: dict) -> dict:
    return raw["form"][0]


def field(raw: dict, key: str) -> dict:
    return next(f for f in form(raw)["field"] if f["key"] == key)


def role(raw: dict, key: str) -> dict:
    return next(r for r in raw["unit"]["role"] if r["key"] == key)


def undated(raw: dict, index: int) -> dict:
    del raw["milestone"][index]["due"]
    return raw["milestone"][index]


def test_belmont_has_no_problem():
    assert settings_from_toml(copy.deepcopy(BELMONT_RAW), BELMONT, {}).unit.key == ["facilitator_email"]


# Each cross-section problem: the change that makes it, its place and its message.
CROSS_SECTION = {
    "unit key names no field": (
        lambda raw: raw["unit"].update(key=["facilitator_email", "grade"]),
        [("unit.key[1]", f'expected a field of the enrol form ({FIELDS}), got "grade"')]),
    "unit site names no field": (
        lambda raw: raw["unit"].update(site="building"),
        [("unit.site", f'expected a field of the enrol form ({FIELDS}), got "building"')]),
    "role field is no person": (
        lambda raw: role(raw, "member").update(field="topic"),
        [("unit.role[1].field", 'expected a field of type email, person, people or respondent; "topic" is '
                                '"paragraph"')]),
    "role field names no field": (
        lambda raw: role(raw, "member").update(field="staff"),
        [("unit.role[1].field", 'expected a field of the enrol form, got "staff"')]),
    "role name field names no field": (
        lambda raw: role(raw, "facilitator").update(name_field="full_name"),
        [("unit.role[0].name_field", 'expected a field of the enrol form, got "full_name"')]),
    "no role is reminded": (
        lambda raw: role(raw, "facilitator").update(remind="cc"),
        [("unit.role", 'expected at least one role with remind = "to": reminders need someone to go to')]),
    "unit owner names no role": (
        lambda raw: raw["unit"].update(owner="coach"),
        [("unit.owner", 'expected the key of a [[unit.role]] (facilitator, member), got "coach"')]),
    "unit source names no form": (
        lambda raw: raw["unit"].update(source="facilitators"),
        [("unit.source", 'expected the key of an enrol form, got "facilitators" (forms: enrol)')]),
    "unit source is no enrol form": (
        lambda raw: (raw["form"].append(copy.deepcopy(EVIDENCE_FORM)), raw["unit"].update(source="checkpoint")),
        [("unit.source", 'expected an enrol form; form "checkpoint" has purpose "evidence"')]),
    "unknown placeholder in the unit name": (
        lambda raw: raw["unit"].update(name="{team_name} ({grade})"),
        [("unit.name", "expected placeholders naming fields of the enrol form or unit_id; {grade} is none of "
                       "them")]),
    "first-format placeholder in the folder name": (
        lambda raw: raw["drive"].update(folder_name="{team_id} {school} {room}"),
        [("drive.folder_name", "expected placeholders naming fields of the enrol form or unit_id; {team_id}, "
                               "{room} is none of them")]),
    "milestone due two ways": (
        lambda raw: raw["milestone"][0].update(days_after_start=10),
        [("milestone[0]", "expected exactly one of due (a date), after (another milestone) or days_after_start; "
                          "got due, days_after_start")]),
    "milestone due no way": (
        lambda raw: undated(raw, 1),
        [("milestone[1]", "expected exactly one of due (a date), after (another milestone) or days_after_start; "
                          "got none")]),
    "after names no milestone": (
        lambda raw: undated(raw, 1).update(after={"milestone": "kickoff", "days": 7}),
        [("milestone[1].after.milestone", 'expected the key of another milestone, got "kickoff"')]),
    "after loops": (
        lambda raw: (undated(raw, 1).update(after={"milestone": "signed_charter"}),
                     undated(raw, 2).update(after={"milestone": "smart_goal", "days": 16})),
        [("milestone[1].after.milestone", "expected a chain of milestones that ends in a date; this one loops"),
         ("milestone[2].after.milestone", "expected a chain of milestones that ends in a date; this one loops")]),
    "after itself": (
        lambda raw: undated(raw, 2).update(after={"milestone": "signed_charter"}),
        [("milestone[2].after.milestone", "expected a chain of milestones that ends in a date; this one loops")]),
    "evidence form is the enrol form": (
        lambda raw: raw["milestone"][2]["evidence"].update(form="enrol"),
        [("milestone[2].evidence.form", 'expected the key of a form with purpose = "evidence", got "enrol"')]),
    "evidence form names no form": (
        lambda raw: raw["milestone"][2]["evidence"].update(form="charter"),
        [("milestone[2].evidence.form", 'expected the key of a form with purpose = "evidence", got "charter"')]),
    "evidence form that cannot place a response": (
        lambda raw: (raw["form"].append(dict(EVIDENCE_FORM, collect_verified_email=False)),
                     raw["milestone"][2]["evidence"].update(form="checkpoint")),
        [("form[1].field", 'expected a field with key = "unit_id" (the Unit ID PLT Sync pre-fills in the links it '
                           'emails) or collect_verified_email = true: otherwise no response to this evidence form '
                           'can be placed with its unit')]),
    "enrol form without verified emails": (
        lambda raw: form(raw).update(collect_verified_email=False),
        [("form[0].collect_verified_email", "expected true for an enrol form: without verified emails anyone who "
                                            "knows a facilitator's address could send a response in their name and "
                                            "take over the team and its folder; set collect_verified_email = true, "
                                            "or accept that risk with allow_unverified_responses = true")]),
    "unverified responses allowed on an evidence form": (
        lambda raw: (raw["form"].append(dict(EVIDENCE_FORM, field=[{"key": "unit_id", "title": "Unit ID"}],
                                             allow_unverified_responses=True)),
                     raw["milestone"][2]["evidence"].update(form="checkpoint")),
        [("form[1].allow_unverified_responses", "only an enrol form's responses change who is in a unit; remove "
                                                "it from this form")]),
    "calendar session ends before it starts": (
        lambda raw: raw["calendar"]["session"][0].update(start="17:30", end="15:30"),
        [("calendar.session[0].end", 'expected a time after the start (17:30), got "15:30"')]),
    "calendar meetings field is no dates field": (
        lambda raw: raw["calendar"].update(meetings_field="meeting_time"),
        [("calendar.meetings_field", 'expected a dates field of the enrol form (none), got "meeting_time"')]),
    "calendar invites a role the unit lacks": (
        lambda raw: raw["calendar"]["invite"].update(role="coach"),
        [("calendar.invite.role", 'expected a role of the unit (facilitator, member), got "coach"')]),
    "calendar invites on an answer the form does not offer": (
        lambda raw: raw["calendar"]["invite"].update(answers=["Enrolled"]),
        [("calendar.invite.answers[0]", 'expected one of the choices of "training", got "Enrolled"')]),
    "target site is no site": (
        lambda raw: raw["target"][0].update(sites=["Belmont High School", "Payson Park School"]),
        [("target[0].sites[1]", 'expected a site listed in programme.sites, got "Payson Park School"')]),
    "two forms with one key": (
        lambda raw: raw["form"].append({**copy.deepcopy(EVIDENCE_FORM), "key": "enrol"}),
        [("form[1].key", "expected a unique key; form[0] has the same one")]),
    "two fields with one key": (
        lambda raw: field(raw, "topic").update(key="team_name"),
        [("form[0].field[4].key", "expected a unique key; field[2] of this form has the same one")]),
    "two fields with one title": (
        lambda raw: field(raw, "topic").update(title="  plt  NAME "),
        [("form[0].field[4].title", 'expected a question title of its own; field[2] has the same title '
                                    '"  plt  NAME "')]),
    "two roles with one key": (
        lambda raw: role(raw, "member").update(key="facilitator"),
        [("unit.role[1].key", "expected a unique role key")]),
    "two milestones with one key": (
        lambda raw: raw["milestone"][2].update(key="facilitator_submission"),
        [("milestone[2].key", "expected a unique key; milestone[0] has the same one")]),
    "choice field without choices": (
        lambda raw: field(raw, "goal_type").pop("choices"),
        [("form[0].field[6].choices", 'required for a choice field: a list, or "sites"')]),
    "choices on a text field": (
        lambda raw: field(raw, "meeting_time").update(choices=["Mondays", "Wednesdays"]),
        [("form[0].field[7].choices", "only a choice, dropdown or checkboxes field has choices")]),
    "count column on a text field": (
        lambda raw: field(raw, "topic").update(count_column="Topic count"),
        [("form[0].field[4].count_column", "only a people field has a count column")]),
}


@pytest.mark.parametrize("case", sorted(CROSS_SECTION))
def test_each_cross_section_problem_is_named_at_its_place(case):
    change, expected = CROSS_SECTION[case]
    assert problems_of(change) == expected


def add_form(purpose: str) -> Callable[[dict], None]:
    return lambda raw: raw["form"].append({**copy.deepcopy(EVIDENCE_FORM), "key": purpose, "purpose": purpose})


# Each part of the programme model this release refuses rather than ignores.
NOT_YET = {
    "sign-off form": (add_form("signoff"), [("form[1].purpose", "a signoff form is not supported yet")]),
    "application form": (add_form("application"), [("form[1].purpose", "an application form is not supported "
                                                                          "yet")]),
    "units from groups": (
        lambda raw: raw["unit"].update(source="groups"),
        [("unit.source", 'making units from approved groups (source = "groups") is not supported yet')]),
    "site-level milestone": (
        lambda raw: raw["milestone"][1].update(level="site"),
        [("milestone[1].level", "a site-level milestone is not supported yet")]),
    "sign-off evidence": (
        lambda raw: raw["milestone"][2]["evidence"].update(signoff="all members"),
        [("milestone[2].evidence.signoff", "a sign-off as evidence is not supported yet")]),
    "choice evidence": (
        lambda raw: raw["milestone"][2]["evidence"].update(choice=["Close out", "Continue next year"]),
        [("milestone[2].evidence.choice", "a coordinator's choice as evidence is not supported yet")]),
    "cycle": (
        lambda raw: raw.update(cycle=[{"key": "improvement", "title": "Improvement cycle",
                                       "starts": [date(2017, 10, 2)]}]),
        [("cycle", "an improvement cycle ([[cycle]]) is not supported yet")]),
    "calendar meetings from two dates fields": (
        lambda raw: (raw.update(calendar={"title": "PLT meetings", "meetings_field": "meeting_time"}),
                     [f.update(type="dates") for f in form(raw)["field"] if f["key"] in ("meeting_time", "topic")]),
        [("calendar.meetings_field", "meetings from one of several dates fields on the calendar is not supported "
                                     "yet (the enrol form has topic, meeting_time)")]),
    "facilitators from applications": (
        lambda raw: (add_form("survey")(raw), raw.update(grouping={
            "survey": "survey", "choices": ["summary"], "school": "summary", "facilitators": "applications"})),
        [("grouping.facilitators", 'facilitators from accepted applications ("applications") is not supported '
                                   'yet; use "volunteers" (the survey\'s facilitate field)'),
         ("grouping.survey", 'expected the survey form to have a field of type = "respondent"'),
         ("grouping.choices[0]", "expected a choice or dropdown field listing the topics; \"summary\" is not")]),
}


def test_a_digest_inside_quiet_hours_or_led_at_no_site_is_refused():
    def change(raw: dict) -> None:
        raw["mail"]["quiet_hours"] = "20:00-07:00"
        raw["digest"] = {"day": "Monday", "time": "06:30", "site_leaders": {"Nowhere High": ["p@belmont.k12.ma.us"]}}

    assert sorted(problems_of(change)) == [
        ("digest.site_leaders.Nowhere High", "expected a site listed in [programme] sites"),
        ("digest.time", 'expected a time outside [mail] quiet_hours (20:00-07:00), got "06:30": no digest could '
                        "ever be sent then")]


def test_a_target_by_a_date_for_one_role_is_accepted():
    raw = copy.deepcopy(BELMONT_RAW)
    raw["target"][0].update(by=date(2017, 10, 31), role="Teacher")
    settings = settings_from_toml(raw, BELMONT, {})
    assert (settings.targets[0].by, settings.targets[0].role) == (date(2017, 10, 31), "Teacher")


@pytest.mark.parametrize("case", sorted(NOT_YET))
def test_each_part_not_carried_out_yet_is_refused_at_its_place(case):
    change, expected = NOT_YET[case]
    assert problems_of(change) == expected


def test_a_config_with_several_problems_lists_every_one_at_once():
    cases = ["enrol form without verified emails", "unit site names no field", "role field is no person", "milestone due two ways", "after loops",
             "target site is no site", "two fields with one title", "choice field without choices"]
    refusals = ["application form", "units from groups", "sign-off evidence"]

    def change(raw: dict) -> None:
        for case in refusals:
            NOT_YET[case][0](raw)
        for case in cases:
            CROSS_SECTION[case][0](raw)
        raw["mail"]["quite_hours"] = "20:00-07:00"

    found = problems_of(change)
    expected = [problem for case in cases for problem in CROSS_SECTION[case][1]]
    expected += [problem for case in refusals for problem in NOT_YET[case][1]]
    expected.append(("mail.quite_hours", "unknown key; did you mean quiet_hours? (expected one of: backend, "
                                         "from_address, reply_to, coordinator_email, cc_coordinator, quiet_hours, "
                                         "send_time, min_gap_days, skip_weekends, templates_dir, smtp)"))
    # "units from groups" leaves no enrol form to check the unit's site and roles against.
    expected = [p for p in expected if not p[0].startswith(("unit.site", "unit.role"))]
    assert sorted(found) == sorted(expected)
    heads = [path.split(".")[0].split("[")[0] for path, _message in found]
    order = ["form", "unit", "milestone", "calendar", "target", "mail"]
    assert heads == sorted(heads, key=order.index)


def test_an_enrol_form_without_verified_emails_loads_once_the_risk_is_accepted():
    def allowed(raw: dict) -> dict:
        form(raw).update(collect_verified_email=False, allow_unverified_responses=True)
        return raw

    settings = settings_from_toml(allowed(copy.deepcopy(BELMONT_RAW)), BELMONT, {})
    assert (settings.form.collect_verified_email, settings.form.allow_unverified_responses) == (False, True)
    assert settings_from_toml(copy.deepcopy(BELMONT_RAW), BELMONT, {}).form.allow_unverified_responses is False


def test_people_per_unit_default_to_thirty_and_a_cap_under_one_is_refused():
    assert settings_from_toml(copy.deepcopy(BELMONT_RAW), BELMONT, {}).unit.max_people == 30
    assert problems_of(lambda raw: raw["unit"].update(max_people=0)) == [
        ("unit.max_people", "expected a number of at least 1, got 0")]


def test_a_units_owner_is_its_facilitator_unless_another_role_is_named():
    assert settings_from_toml(copy.deepcopy(BELMONT_RAW), BELMONT, {}).unit.owner_role == "facilitator"
    named = copy.deepcopy(BELMONT_RAW)
    named["unit"]["owner"] = "member"
    assert settings_from_toml(named, BELMONT, {}).unit.owner_role == "member"


def test_a_single_form_table_is_named_as_such_in_a_programme_model_file():
    """A file with a [unit] is in the programme model, even with `[form]` for `[[form]]`."""
    def single_form(raw: dict) -> None:
        raw["form"] = raw["form"][0]

    assert problems_of(single_form) == [("form", "expected [[form]] tables (two brackets), got one [form] table")]


def test_a_single_role_table_is_named_as_such():
    assert problems_of(lambda raw: raw["unit"].update(role=raw["unit"]["role"][0])) == [
        ("unit.role", "expected [[unit.role]] tables (two brackets), got one [unit.role] table")]


def test_a_table_where_a_list_of_values_belongs_is_no_array_of_tables():
    assert problems_of(lambda raw: raw["drive"].update(allowed_domains={"belmont": "example.org"})) == [
        ("drive.allowed_domains", 'expected a list like ["a", "b"], got {"belmont": "example.org"}')]

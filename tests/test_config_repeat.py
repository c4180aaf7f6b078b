"""A form whose questions repeat per group ([form.repeat]) in the config: where {n} may
appear and what the unit's key must hold, every problem named at its place at once."""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from config import ConfigError, settings_from_toml
from forms.repeat import expand

SOUTH_DAKOTA = Path(__file__).resolve().parent.parent / "config" / "programmes" / "south-dakota.toml"
RAW = tomllib.loads(SOUTH_DAKOTA.read_text(encoding="utf-8"))


def problems_of(change) -> list[tuple[str, str]]:
    raw = copy.deepcopy(RAW)
    change(raw)
    with pytest.raises(ConfigError) as caught:
        settings_from_toml(raw, SOUTH_DAKOTA, {})
    return [(problem.path, problem.message) for problem in caught.value.problems]


def field(raw: dict, key: str) -> dict:
    return next(f for f in raw["form"][0]["field"] if f["key"] == key)


def test_south_dakota_asks_each_cwg_question_six_times():
    settings = settings_from_toml(copy.deepcopy(RAW), SOUTH_DAKOTA, {})
    titles = [f.title for f in expand(settings.form.fields, settings.form.repeat.count)]
    assert titles.count("School") == 1
    assert [t for t in titles if t.endswith("leader (name, email)")] == [f"CWG #{n} leader (name, email)"
                                                                         for n in range(1, 7)]


def test_more_than_six_groups_is_a_larger_count():
    raw = copy.deepcopy(RAW)
    raw["form"][0]["repeat"]["count"] = 9
    settings = settings_from_toml(raw, SOUTH_DAKOTA, {})
    titles = [f.title for f in expand(settings.form.fields, settings.form.repeat.count)]
    assert "CWG #9 meeting times with dates" in titles and len(titles) == 4 + 4 * 9


CASES = {
    "{n} without repeat": (
        lambda raw: raw["form"][0].pop("repeat"),
        [("form[0].field[4].title", "expected no {n}: only a form with [form.repeat] asks a question once per "
                                    "group"),
         ("form[0].field[5].title", "expected no {n}: only a form with [form.repeat] asks a question once per "
                                    "group"),
         ("form[0].field[6].title", "expected no {n}: only a form with [form.repeat] asks a question once per "
                                    "group"),
         ("form[0].field[7].title", "expected no {n}: only a form with [form.repeat] asks a question once per "
                                    "group"),
         ("unit.key[1]", 'expected a field of the enrol form (school, principal_name, principal_email, formation, '
                         'structure, leader, members, meetings), got "n"'),
         ("unit.name", "expected placeholders naming fields of the enrol form or unit_id; {n} is none of them"),
         ("drive.folder_name", "expected placeholders naming fields of the enrol form or unit_id; {n} is none of "
                               "them")]),
    "no question repeats": (
        lambda raw: [f.update(title=f["title"].replace("{n}", "1")) for f in raw["form"][0]["field"]],
        [("form[0].repeat", "expected questions asked once per group: put {n} in their titles, like \"CWG #{n} "
                            "leader\"")]),
    "key without the number": (
        lambda raw: raw["unit"].update(key=["school"]),
        [("unit.key", 'expected "n" (the group\'s number) in the key of units made one per group: otherwise a '
                      "response's groups would all be one unit")]),
    "key of the number alone": (
        lambda raw: raw["unit"].update(key=["n"]),
        [("unit.key", 'expected a field asked once per response (like the school) next to "n": otherwise every '
                      "school's group #1 would be one unit")]),
    "key of a repeated question": (
        lambda raw: raw["unit"].update(key=["school", "n", "leader"]),
        [("unit.key[2]", 'expected a field asked once per response; "leader" is asked once per group, and changes '
                         "when a group is edited")]),
    "repeat column taken": (
        lambda raw: raw["form"][0]["repeat"].update(column="Leader"),
        [("form[0].repeat.column", 'expected a roster column of its own; a field\'s column is "Leader" already')]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_repeat_problem_is_named_at_its_place(case):
    change, expected = CASES[case]
    assert problems_of(change) == expected


def test_every_repeat_problem_is_listed_at_once():
    def change(raw):
        CASES["key of a repeated question"][0](raw)
        CASES["repeat column taken"][0](raw)
        field(raw, "meetings")["type"] = "dates"
        raw["milestone"][0]["level"] = "site"
        raw["calendar"] = {"title": "CWG meetings", "meetings_field": "structure"}

    assert problems_of(change) == [
        *CASES["repeat column taken"][1], *CASES["key of a repeated question"][1],
        ("milestone[0].level", "a site-level milestone is not supported yet"),
        ("calendar.meetings_field", 'expected a dates field of the enrol form (meetings), got "structure"')]

"""Units from building plans, checked against an independent oracle: whatever sequence of
plans schools send (groups filled, emptied, or filled without their leader), each school's
groups are what its latest usable plan says, under ids that never change."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings as hsettings, strategies as st

from config import load_settings
from forms.model import Member, Submission
from forms.repeat import group_key

from sync.core.repeat_units import choose_group_units
from sync.core.units import normalise_name, unit_rules

SETTINGS = load_settings(Path(__file__).resolve().parent.parent / "config" / "programmes" / "south-dakota.toml", {})
UNITS = unit_rules(SETTINGS)
FIELDS = SETTINGS.form.fields
COUNT = 3
SCHOOLS = SETTINGS.programme.sites[:2]
START = datetime(2017, 9, 1, tzinfo=timezone.utc)
FILLED, EMPTY, NO_LEADER = "filled", "empty", "no leader"


def member(name: str) -> Member:
    return Member(name, f"{name.lower()}@sioux-valley.example.org")


def plan_submission(index: int, school: str, groups: tuple[tuple[str, int], ...]) -> Submission:
    """A building plan as the form reader makes it: every group's answers under its own key."""
    values = {"school": school, "principal_name": "Dana Olson", "formation": ""}
    people = {"principal_email": (member("dana"),)}
    for n, (state, leader) in enumerate(groups, start=1):
        values[group_key("structure", n)] = "Other" if state != EMPTY else ""
        values[group_key("meetings", n)] = ""
        people[group_key("leader", n)] = (member(f"lead{leader}"),) if state == FILLED else ()
        people[group_key("members", n)] = (member(f"m{leader}"),) if state != EMPTY else ()
    return Submission(f"r{index}", START + timedelta(hours=index), values, people, "dana@sioux-valley.example.org")


plans = st.lists(st.tuples(st.sampled_from(SCHOOLS),
                           st.tuples(*[st.tuples(st.sampled_from([FILLED, EMPTY, NO_LEADER]), st.integers(0, 3))
                                       for _ in range(COUNT)])), max_size=8)


def oracle(sent: list[tuple[str, tuple]]) -> dict[str, str]:
    """Unit id -> its leader's email, from the plans as sent: the newest plan that does not
    leave group n without its leader decides it."""
    out = {}
    for school in SCHOOLS:
        mine = [groups for s, groups in sent if s == school]
        for n in range(1, COUNT + 1):
            usable = [groups[n - 1] for groups in mine if groups[n - 1][0] != NO_LEADER]
            if usable and usable[-1][0] == FILLED:
                out[UNITS.id_of(f"{normalise_name(school)}|{n}")] = f"lead{usable[-1][1]}@sioux-valley.example.org"
    return out


@hsettings(max_examples=150, deadline=None)
@given(plans)
def test_each_schools_groups_are_what_its_latest_usable_plan_says(sent):
    submissions = [plan_submission(i, school, groups) for i, (school, groups) in enumerate(sent)]
    teams, problems = choose_group_units(submissions, UNITS, FIELDS, COUNT, 30)
    assert {tid: team.submission.person("leader").email for tid, team in teams.items()} == oracle(sent)
    refused = sum(1 for _s, groups in sent for state, _l in groups if state == NO_LEADER)
    assert len(problems) == refused and all(p.field == "leader" for p in problems)
    for team in teams.values():
        assert team.submission.response_id.rsplit("#", 1)[1] == team.submission.values["n"]
        assert all(earlier.submitted_at < team.submission.submitted_at for earlier in team.superseded)

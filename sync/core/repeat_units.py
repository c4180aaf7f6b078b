"""Units from a form whose questions repeat per group (`[form.repeat]`): one response per
school, one unit per filled group (South Dakota's CWG #1..#6).

Pure. A school's latest response says what each of its groups is now: a filled group is
a unit (its key the school and the group's number, so a resubmitted plan updates each
group in place), an empty one is no unit (the roster then marks it withdrawn, never
deletes it). A group the latest response fills but cannot use (a required answer
missing) keeps what the school's previous response said of it, as a refused response
leaves a unit as it was.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from forms.model import FieldSpec, Submission
from forms.repeat import EMPTY, FILLED, REFUSED, Group, is_repeated, split

from sync.core.model import Team
from sync.core.units import UnitRules


def school_key(submission: Submission, units: UnitRules) -> str:
    """The key of the response as a whole: the unit key without the group's number."""
    return units.sender_of(units.key_of(submission))


def choose_group_units(submissions: Iterable[Submission], units: UnitRules, fields: Sequence[FieldSpec],
                       count: int, max_people: int | None = None) -> tuple[dict[str, Team], list]:
    """The units of every school's groups, and the problems of groups refused."""
    by_school: dict[str, list[Submission]] = {}
    for sub in submissions:
        by_school.setdefault(school_key(sub, units), []).append(sub)
    teams: dict[str, Team] = {}
    problems: list = []
    people_fields = tuple(dict.fromkeys(role.field for role in units.roles))
    for responses in by_school.values():
        responses.sort(key=lambda s: (s.submitted_at, s.response_id))
        history: list[list[Group]] = []
        for sub in responses:
            groups, refused = split(sub, fields, count, max_people, people_fields, units.noun)
            history.append(groups)
            problems += refused
        for n in range(1, count + 1):
            team = _group_unit([groups[n - 1] for groups in history], units)
            if team is not None:
                teams[team.team_id] = team
    return teams, problems


def _group_unit(states: list[Group], units: UnitRules) -> Team | None:
    """Group n of one school over its responses, oldest first: the latest usable state
    counts; the earlier filled ones are its superseded responses."""
    current = next((g for g in reversed(states) if g.state != REFUSED), None)
    if current is None or current.state == EMPTY:
        return None
    filled = [g.submission for g in states if g.state == FILLED]
    latest = current.submission
    earlier = tuple(s for s in filled if s.submitted_at <= latest.submitted_at and s is not latest)
    key = units.key_of(latest)
    return Team(units.id_of(key), key, latest, earlier, _started(states, latest))


def _started(states: list[Group], latest: Submission):
    """When the group's current run of responses began: a group emptied and filled again
    starts afresh."""
    start = latest.submitted_at
    for group in reversed(states):
        if group.state == EMPTY:
            break
        if group.state == FILLED:
            start = group.submission.submitted_at
    return start


def group_senders(submissions: Iterable[Submission], units: UnitRules, count: int) -> dict[str, tuple[str, object]]:
    """Response id (the response's and each of its groups') -> (its school's key, when
    submitted): a school's later plan resolves the problems of its earlier ones."""
    out = {}
    for sub in submissions:
        who = (school_key(sub, units), sub.submitted_at)
        out[sub.response_id] = who
        out.update({f"{sub.response_id}#{n}": who for n in range(1, count + 1)})
    return out


def in_groups_only(submission: Submission, form) -> Submission:
    """A unit's submission as far as it is its group's own: the people of a form asked
    once per response (the principal) are in each of the school's groups by design, not
    one person on several groups worth a warning."""
    if form.repeat is None:
        return submission
    own = {f.key for f in form.fields if is_repeated(f)}
    return replace(submission, people={k: v for k, v in submission.people.items() if k in own})

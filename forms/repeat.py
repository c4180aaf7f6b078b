"""One response, several units: a form whose questions repeat for each group (`[form.repeat]`).

South Dakota's building plan asks, once per school, for CWG #1 to #6: each group's
structure, leader, members and meeting times. In the config such a question is written
once, with `{n}` in its title ("CWG #{n} leader"); the form asks it `count` times. The
response is read as usual with every repeated question as a field of its own
(`leader#2`), then split into one submission per group, carrying the shared answers (the
school, the respondent) and the group's own under the field's plain key, and the group's
number as the field `n`.

A group is filled when any of its questions is answered. A filled group lacking a
required answer, or naming more people than a unit may have, is refused on its own: the
school's other groups go ahead.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from .model import ERROR, Member, PERSON_TYPES, FieldSpec, Problem, Submission

GROUP = "n"          # the field holding a group's number: `{n}` in titles, "n" in [unit] key and name
MARK = "{n}"
FILLED, EMPTY, REFUSED = "filled", "empty", "refused"


@dataclass(frozen=True)
class RepeatedField:
    """One repeated question as the form asks it for group `n` (a `FieldSpec`)."""

    key: str
    title: str
    type: str
    required: bool
    ask: str | None
    choices: Sequence[str] | str | None
    help: str | None


@dataclass(frozen=True)
class Group:
    """What one response says of group `n`: filled (with its submission), empty, or refused."""

    n: int
    state: str
    submission: Submission | None = None


def is_repeated(field: FieldSpec) -> bool:
    return MARK in field.title


def group_key(key: str, n: int) -> str:
    return f"{key}#{n}"


def split_key(key: str) -> tuple[str, int | None]:
    """`leader#2` -> ("leader", 2); a shared field's key -> (key, None)."""
    base, mark, number = key.rpartition("#")
    return (base, int(number)) if mark and number.isdigit() else (key, None)


def expand(fields: Sequence[FieldSpec], count: int) -> list[FieldSpec]:
    """The questions as the form asks them: each repeated one once per group, none of
    them required on the form (a school fills as many groups as it has)."""
    out: list[FieldSpec] = []
    for field in fields:
        if not is_repeated(field):
            out.append(field)
            continue
        out += [RepeatedField(group_key(field.key, n), field.title.replace(MARK, str(n)), field.type, False,
                              "optional", field.choices, field.help) for n in range(1, count + 1)]
    return out


def group_problem(problem: Problem) -> Problem:
    """A problem of an answer to a repeated question, told as its group's: the field's
    plain key, and the response id of the group's submission (`<response>#<n>`). A
    problem of the form itself (no question "CWG #7 leader") keeps the group's field
    (`leader#7`): the other groups' leaders are still read."""
    base, n = split_key(problem.field)
    if n is None or not problem.response_id:
        return problem
    return replace(problem, field=base, response_id=f"{problem.response_id}#{n}")


def split(submission: Submission, fields: Sequence[FieldSpec], count: int, max_people: int | None = None,
          people_fields: Sequence[str] = (), noun: str = "group") -> tuple[list[Group], list[Problem]]:
    """A response's groups, 1 to `count`, and the problems of those refused."""
    repeated = [f for f in fields if is_repeated(f)]
    shared_values = {k: v for k, v in submission.values.items() if split_key(k)[1] is None}
    shared_people = {k: v for k, v in submission.people.items() if split_key(k)[1] is None}
    groups: list[Group] = []
    problems: list[Problem] = []
    for n in range(1, count + 1):
        values = {f.key: submission.values.get(group_key(f.key, n), "") for f in repeated
                  if f.type not in PERSON_TYPES}
        people = {f.key: submission.people.get(group_key(f.key, n), ()) for f in repeated if f.type in PERSON_TYPES}
        if not any(values.values()) and not any(people.values()):
            groups.append(Group(n, EMPTY))
            continue
        rid = f"{submission.response_id}#{n}"
        refusals = _missing(rid, repeated, values, people) or _over_cap(rid, people, max_people, people_fields, noun)
        if refusals:
            problems += refusals
            groups.append(Group(n, REFUSED))
            continue
        groups.append(Group(n, FILLED, Submission(rid, submission.submitted_at,
                                                  {**shared_values, **values, GROUP: str(n)},
                                                  {**shared_people, **people}, submission.respondent)))
    return groups, problems


def _missing(rid: str, fields: Sequence[FieldSpec], values, people) -> list[Problem]:
    return [Problem(rid, f.key, "", f"the {f.key.replace('_', ' ')} is missing from a filled group")
            for f in fields if f.required and not (values.get(f.key) or people.get(f.key))]


def _over_cap(rid: str, people: dict[str, tuple[Member, ...]], max_people: int | None, counted: Sequence[str],
              noun: str) -> list[Problem]:
    if max_people is None:
        return []
    everyone = {(m.email or m.name).strip().lower() for f in counted for m in people.get(f, ())} - {""}
    if len(everyone) <= max_people:
        return []
    field = max((f for f in counted if f in people), key=lambda f: len(people[f]))
    return [Problem(rid, field, "\n".join(m.email or m.name for m in people[field]),
                    f"lists {len(people[field])} people, making a {noun} of {len(everyone)}; a {noun} has at most "
                    f"{max_people} ([unit] max_people)", ERROR)]

"""Who may change a unit's people: nobody takes over a team by typing its facilitator's email.

Pure. A unit's people as the Members tab holds them are what earlier runs applied. Its
responses are taken oldest first; one that would change the people of the last one
applied (add, remove or move someone between roles, which is what grants or takes away
folder access) is applied only when it is trusted:

- its verified respondent is one of the unit's owners (the people of `[unit] owner`, by
  default the facilitator) as they were before it; or
- a coordinator ticked `Approve` on the Problems row that holds it back.

Any other such response is held: the unit keeps the latest response that may be applied
(or, with none, stays exactly as the sheet holds it) and the held one becomes a Problems
row saying what it would change. A response without a verified email is never trusted.
A response that leaves the people as they are (a new team name, a new topic) and the
first response of a unit the sheet does not hold yet are applied as before.

The Problems row's id hashes what the response would change, so a tick approves exactly
that change: an edited response, or one the unit moved on from, needs a new tick. Once
applied, the Members tab holds the new people and the response is trusted by being
equal to them: it is applied once, and stays applied if the row is later unticked.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from forms.model import Problem, Submission
from sheets import layout as L
from sheets.book import Book

from sync.core.model import Team
from sync.core.problems import HELD_FIELD, approved, problem_id
from sync.core.units import UnitRules

ON_TEAM = "yes"
WITHDRAWN_FROM = "team withdrawn"

Person = tuple[str, str]     # (role key, email, or the name of someone without one)


@dataclass(frozen=True)
class Guard:
    """What the sheet says about who may change each unit's people."""

    owner_role: str
    people: Mapping[str, frozenset[Person]]      # unit id -> its people as the Members tab holds them
    approved: frozenset[str]                     # Problem IDs a coordinator ticked Approve on


@dataclass(frozen=True)
class Guarded:
    """The units with held responses taken out, the Problems rows of those responses, and
    the units none of whose responses may be applied (the sheet keeps them as they are)."""

    teams: Mapping[str, Team]
    problems: tuple[Problem, ...]
    frozen: frozenset[str]
    held: Mapping[str, str]                      # held response id -> its unit id


def read_guard(book: Book, owner_role: str) -> Guard:
    """The people of every unit the Members tab holds (on it now, or on it when it was
    withdrawn), and the Approve ticks of held responses' Problems rows."""
    people: dict[str, set[Person]] = {}
    members = book.tab(L.MEMBERS)
    for row in members.data_rows() if members is not None else ():
        on_team = str(members.value(row, "On team")).strip().lower()
        tid = str(members.value(row, L.TEAM_ID)).strip()
        if tid and (on_team == ON_TEAM or on_team.startswith(WITHDRAWN_FROM)):
            who = _who(str(members.value(row, "Email")), str(members.value(row, "Member")))
            people.setdefault(tid, set()).add((str(members.value(row, "Role")).strip(), who))
    problems = book.tab(L.PROBLEMS)
    ticks = frozenset(str(problems.value(row, "Problem ID")).strip() for row in problems.data_rows()
                      if approved(problems, row)) if problems is not None else frozenset()
    return Guard(owner_role, {tid: frozenset(found) for tid, found in people.items()}, ticks)


def _who(email: str, name: str) -> str:
    return email.strip().lower() or name.strip().lower()


def people_of(submission: Submission, units: UnitRules) -> frozenset[Person]:
    """A response's people as the Members tab would hold them: each person once, in the
    first role naming them."""
    team = Team("", "", submission)
    return frozenset((role.key, _who(member.email or "", member.name)) for role, member in units.people(team))


def guard_teams(teams: Mapping[str, Team], units: UnitRules, guard: Guard) -> Guarded:
    """Each unit with the latest response that may be applied; every later one held."""
    kept: dict[str, Team] = {}
    problems: list[Problem] = []
    frozen: set[str] = set()
    held: dict[str, str] = {}
    for tid, team in teams.items():
        in_order = [*team.superseded, team.submission]
        applied, waiting = applicable(in_order, guard.people.get(tid), units, guard)
        problems += [problem for _sub, problem in waiting]
        held.update({sub.response_id: tid for sub, _problem in waiting})
        if applied is None:
            frozen.add(tid)
            continue
        kept[tid] = replace(team, submission=in_order[applied], superseded=tuple(in_order[:applied]),
                            held=tuple(sub for sub, _problem in waiting))
    return Guarded(kept, tuple(problems), frozenset(frozen), held)


def applicable(in_order: Sequence[Submission], known: frozenset[Person] | None, units: UnitRules,
               guard: Guard) -> tuple[int | None, list[tuple[Submission, Problem]]]:
    """The index of the latest response that may be applied (None: none may), and each
    later one with the Problems row holding it.

    The responses are taken oldest first, each judged against the people of the last one
    applied before it (the sheet's to begin with), so one run settles what a second run
    would: a response equal to a trusted one before it is applied with it."""
    applied: int | None = None
    waiting: list[tuple[Submission, Problem]] = []
    for index, submission in enumerate(in_order):
        problem = _check(submission, known, units, guard)
        if problem is None:
            applied, known, waiting = index, people_of(submission, units), []
        else:
            waiting.append((submission, problem))
    return applied, waiting


def _check(submission: Submission, known: frozenset[Person] | None, units: UnitRules, guard: Guard) -> Problem | None:
    """None when the response may be applied; otherwise the Problems row that holds it."""
    if known is None:
        return None                                  # a unit the sheet does not hold yet
    wanted = people_of(submission, units)
    if wanted == known:
        return None                                  # its people stay as they are
    owners = {who for role, who in known if role == guard.owner_role}
    if submission.respondent and submission.respondent.strip().lower() in owners:
        return None                                  # the unit's own owner, verified
    problem = held_problem(submission, known, wanted, units, guard.owner_role)
    return None if problem_id(problem) in guard.approved else problem


def held_problem(submission: Submission, known: frozenset[Person], wanted: frozenset[Person], units: UnitRules,
                 owner_role: str) -> Problem:
    """The Problems row of a response held back: what it would change, and why it waits."""
    change = describe_change(known, wanted)
    owners = sorted(who for role, who in known if role == owner_role)
    if submission.respondent:
        why = (f"only the {units.noun}'s {owner_role} ({', '.join(owners) or 'nobody yet'}) may change its people "
               f"and this response is from {submission.respondent}")
    else:
        why = f"a response without a verified email may not change an existing {units.noun}'s people"
    reason = f"not applied: it would {change}; {why}. Tick Approve to apply it"
    return Problem(submission.response_id, HELD_FIELD, submission.respondent or "not verified", reason)


def describe_change(known: frozenset[Person], wanted: frozenset[Person]) -> str:
    """"add x (member); remove y (member), z (member)", people sorted, so the same change
    always reads (and hashes) the same."""
    added = ", ".join(f"{who} ({role})" for role, who in sorted(wanted - known, key=lambda p: (p[1], p[0])))
    removed = ", ".join(f"{who} ({role})" for role, who in sorted(known - wanted, key=lambda p: (p[1], p[0])))
    parts = ([f"add {added}"] if added else []) + ([f"remove {removed}"] if removed else [])
    return "; ".join(parts)

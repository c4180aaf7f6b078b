"""Affinity groups from an interest survey: who meets with whom, on which topic, led by whom.

`propose()` is pure: respondents with ranked topic choices, the facilitators of each topic,
the groups a coordinator already approved, and the rules (group size, objective, spread).
Approved groups are fixed input: their members and facilitators are kept exactly and are
not placed anywhere else. Everyone else is assigned by a mixed-integer programme solved
to proven optimality by HiGHS (`sync.core.grouping_milp`), then dealt into groups
(`sync.core.grouping_split`). Someone left out is listed with the reason.

Objectives, both lexicographic over the counts of people at each choice rank:
- "ranked": as many people as possible in their 1st choice; among those results, as many
  as possible in their 2nd; then their 3rd.
- "fairness" (max-min): as few people as possible left out; then as few as possible in
  their 3rd choice; then in their 2nd. Nobody's result is made worse to improve a better
  one.

Group size counts members; the facilitator leads the group and is not counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

from .grouping_milp import Assignment, solve
from .grouping_split import deal
from .units import unit_id

Objective = Literal["ranked", "fairness"]
GROUP_PREFIX = "AG"


@dataclass(frozen=True)
class Respondent:
    """One person's latest survey answer: topics in order of preference (1st first); ""
    where a rank was left empty."""

    email: str
    school: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Facilitator:
    """Someone accepted to lead a group on any one of `topics`."""

    email: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    group_id: str
    topic: str
    facilitator: str
    members: tuple[str, ...]
    approved: bool = False


@dataclass(frozen=True)
class Rules:
    min_size: int
    max_size: int
    objective: Objective = "ranked"
    spread: bool = False            # deal each school's people across a topic's groups
    time_limit: float = 60.0        # seconds for each solver stage


@dataclass(frozen=True)
class Unassigned:
    email: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    """Approved groups first (as given), then the proposed ones by topic and facilitator."""

    groups: tuple[Group, ...]
    unassigned: tuple[Unassigned, ...]
    ranks: Mapping[str, int | None]       # member -> choice rank of their group's topic (1 = 1st)
    optimal: bool                         # proven optimal by the solver, not just feasible
    respondents: int = 0

    def share_at(self, rank: int) -> float:
        """The share of respondents placed in their choice of this rank."""
        return sum(1 for r in self.ranks.values() if r == rank) / self.respondents if self.respondents else 0.0


def group_id(topic: str, facilitator: str) -> str:
    """Stable across re-proposals: a facilitator leads at most one group, of one topic."""
    return unit_id(GROUP_PREFIX, f"{topic}\n{facilitator.lower()}")


def propose(respondents: Sequence[Respondent], facilitators: Sequence[Facilitator], approved: Sequence[Group],
            rules: Rules) -> Proposal:
    """The best groups for everyone not already in an approved group."""
    if rules.min_size > rules.max_size:
        raise ValueError(f"min_size {rules.min_size} is above max_size {rules.max_size}")
    taken = {email.lower() for g in approved for email in (g.facilitator, *g.members)}
    people = sorted((r for r in _latest(respondents) if r.email.lower() not in taken), key=lambda r: r.email)
    pool = sorted((f for f in _pooled(facilitators) if f.email.lower() not in taken), key=lambda f: f.email)
    assignment = solve(people, pool, rules)
    proposed = _groups(people, assignment, rules)
    choices = {r.email: r.choices for r in respondents}
    ranks = {m: _rank(choices.get(m, ()), g.topic) for g in (*approved, *proposed) for m in g.members}
    return Proposal(groups=(*approved, *proposed), unassigned=tuple(_unassigned(people, pool, assignment)),
                    ranks=ranks, optimal=assignment.optimal, respondents=len(_latest(respondents)))


def _latest(respondents: Sequence[Respondent]) -> list[Respondent]:
    """One answer per person (the last given), so a resubmission never counts twice."""
    return list({r.email.lower(): r for r in respondents}.values())


def _pooled(facilitators: Sequence[Facilitator]) -> list[Facilitator]:
    """One entry per facilitator with every topic they may lead, in first-given order."""
    topics: dict[str, dict[str, None]] = {}
    emails: dict[str, str] = {}
    for f in facilitators:
        emails.setdefault(f.email.lower(), f.email)
        topics.setdefault(f.email.lower(), {}).update(dict.fromkeys(f.topics))
    return [Facilitator(emails[k], tuple(v)) for k, v in topics.items()]


def _rank(choices: Sequence[str], topic: str) -> int | None:
    return choices.index(topic) + 1 if topic and topic in choices else None


def _groups(people: Sequence[Respondent], assignment: Assignment, rules: Rules) -> list[Group]:
    schools = {r.email: r.school for r in people}
    groups = []
    for topic in sorted(assignment.leaders):
        leaders = sorted(assignment.leaders[topic])
        members = sorted(assignment.members.get(topic, ()))
        for leader, chunk in zip(leaders, deal(members, schools, len(leaders), rules.spread)):
            groups.append(Group(group_id(topic, leader), topic, leader, tuple(chunk)))
    return groups


def _unassigned(people: Sequence[Respondent], pool: Sequence[Facilitator],
                assignment: Assignment) -> list[Unassigned]:
    placed = {m for members in assignment.members.values() for m in members}
    leading = {leader for leaders in assignment.leaders.values() for leader in leaders}
    led = {topic for f in pool for topic in f.topics}
    left = []
    for person in people:
        if person.email in placed or person.email in leading:
            continue
        left.append(Unassigned(person.email, _reason(person, led, assignment)))
    return left


def _reason(person: Respondent, led: set[str], assignment: Assignment) -> str:
    if not any(person.choices):
        return "chose no topic"
    listed = ", ".join(t for t in person.choices if t)
    if not any(topic in led for topic in person.choices):
        return f"no facilitator for any of their topics ({listed})"
    opened = [t for t in person.choices if t in assignment.leaders]
    if opened:
        return f"groups full: every group of their topics ({', '.join(opened)}) is at its size limit"
    return (f"groups full: no group of their topics ({listed}) could open (too few people chose them, "
            "or their facilitators lead other groups)")


@dataclass(frozen=True)
class Summary:
    first: float
    second: float
    third: float
    unassigned: int
    optimal: bool
    groups: int


def summary(proposal: Proposal) -> Summary:
    return Summary(proposal.share_at(1), proposal.share_at(2), proposal.share_at(3), len(proposal.unassigned),
                   proposal.optimal, len(proposal.groups))

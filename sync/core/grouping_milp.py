"""The assignment of survey respondents to topics as a mixed-integer programme (HiGHS,
through `scipy.optimize.milp`).

Why this formulation: people who ranked the same topics in the same order are
interchangeable for the objective, and so are the groups of one topic (the split into
groups is done afterwards, see `grouping_split`). So the variables are
- y[f, t] in {0, 1}: facilitator f leads a group of topic t (at most one per facilitator);
- x[p, r] >= 0, integer: how many people of choice pattern p go to their rank-r topic;
and each topic t with k = sum_f y[f, t] open groups takes between min_size * k and
max_size * k people. A survey of 5,000 people over 60 topics has a few thousand patterns,
not 5,000 x 80 person-group pairs. A facilitator who also answered the survey is a pattern
of their own, so they are never both leading and a member.

The lexicographic objective is one weighted sum (`rank_weights`): each stage's weight is
more than everything later stages can add, so it is exactly lexicographic; the weights are
integers far below 2^53, and the optimality gap is set to zero, so "optimal" means proven
optimal for the lexicographic order. (Solving stage by stage, holding each count, gave the
same answers three times slower.) Inputs are sorted before the model is built and HiGHS is
deterministic, so the same input gives the same groups.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

RANKS = 3
# Each objective as stages, most important first: the ranks whose people a stage maximises.
STAGES = {"ranked": ((1,), (2,), (3,)), "fairness": ((1, 2, 3), (1, 2), (1,))}


@dataclass(frozen=True)
class Assignment:
    leaders: Mapping[str, tuple[str, ...]]      # topic -> facilitators leading one of its groups
    members: Mapping[str, tuple[str, ...]]      # topic -> people placed in it
    optimal: bool


@dataclass
class _Model:
    """Column layout: the y columns first, then the x columns."""

    y: list[tuple[str, str]]                            # (facilitator, topic)
    x: list[tuple[int, int]]                            # (pattern index, rank)
    patterns: list[tuple[tuple[int, str], ...]]         # ((rank, topic), ...) of each pattern
    people: list[list[str]]                             # who chose each pattern, by email

    @property
    def sizes(self) -> list[int]:
        return [len(emails) for emails in self.people]

    def topic(self, pattern: int, rank: int) -> str:
        return dict(self.patterns[pattern])[rank]


def solve(people: Sequence, facilitators: Sequence, rules) -> Assignment:
    """Leaders and members per topic, lexicographically best for `rules.objective`."""
    model = _build(people, facilitators, rules.min_size)
    if not model.y or not model.x:
        return Assignment({}, {}, optimal=True)
    matrix, lower, upper = _constraints(model, rules)
    columns = len(model.y) + len(model.x)
    bounds = Bounds(np.zeros(columns), np.array([1.0] * len(model.y) + [model.sizes[p] for p, _r in model.x]))
    weights = rank_weights(STAGES[rules.objective], min(len(people), rules.max_size * len(facilitators)))
    cost = np.array([0.0] * len(model.y) + [-weights[r] for _p, r in model.x])
    # HiGHS's presolve costs more than it saves here: measured 16 s against 13 s at 5,000 people.
    result = milp(cost, integrality=np.ones(columns), bounds=bounds,
                  constraints=LinearConstraint(matrix, lower, upper),
                  options={"time_limit": rules.time_limit, "mip_rel_gap": 0.0, "presolve": False})
    if result.x is None:
        return Assignment({}, {}, optimal=False)
    return _read(model, np.rint(result.x), optimal=result.status == 0)


def rank_weights(stages: Sequence[tuple[int, ...]], most_placed: int) -> dict[int, float]:
    """One weight per rank making a single objective lexicographic over the stages: a
    stage's weight exceeds the most that all later stages together can add (at most
    `most_placed` people are placed), so no gain later can pay for a loss earlier."""
    base = float(most_placed + 1)
    weights = {rank: 0.0 for rank in range(1, RANKS + 1)}
    for index, ranks in enumerate(stages):
        for rank in ranks:
            weights[rank] += base ** (len(stages) - 1 - index)
    return weights


def _build(people: Sequence, facilitators: Sequence, min_size: int) -> _Model:
    """Patterns are what each person chose among the topics that could open a group,
    with the rank of each: people who differ only in topics that cannot open share one."""
    interest: dict[str, int] = defaultdict(int)
    for person in people:
        for topic in set(person.choices[:RANKS]):
            interest[topic] += 1
    y = [(f.email, t) for f in facilitators for t in sorted(set(f.topics)) if interest[t] >= min_size]
    open_topics = {t for _f, t in y}
    leaders = {f.email for f in facilitators}
    patterns: dict[tuple, list[str]] = defaultdict(list)
    for person in people:
        own = (person.email,) if person.email in leaders else ()
        patterns[(_ranked(person.choices, open_topics), own)].append(person.email)
    ordered = sorted((key, emails) for key, emails in patterns.items() if key[0] or key[1])
    x = [(index, rank) for index, ((ranked, _own), _e) in enumerate(ordered) for rank, _t in ranked]
    return _Model(y, x, [ranked for (ranked, _own), _e in ordered], [emails for _k, emails in ordered])


def _ranked(choices: Sequence[str], open_topics: set[str]) -> tuple[tuple[int, str], ...]:
    """(rank, topic) of each topic chosen that could open, a topic chosen twice counted at its best rank."""
    seen: set[str] = set()
    ranked = []
    for rank, topic in enumerate(choices[:RANKS], start=1):
        if topic in open_topics and topic not in seen:
            ranked.append((rank, topic))
        seen.add(topic)
    return tuple(ranked)


def _constraints(model: _Model, rules):
    rows = _Rows()
    offset = len(model.y)
    x_of_pattern: dict[int, list[int]] = defaultdict(list)
    x_of_topic: dict[str, list[int]] = defaultdict(list)
    for col, (p, rank) in enumerate(model.x, start=offset):
        x_of_pattern[p].append(col)
        x_of_topic[model.topic(p, rank)].append(col)
    y_of_topic: dict[str, list[int]] = defaultdict(list)
    y_of_leader: dict[str, list[int]] = defaultdict(list)
    for col, (leader, topic) in enumerate(model.y):
        y_of_topic[topic].append(col)
        y_of_leader[leader].append(col)
    own_pattern = {emails[0]: p for p, emails in enumerate(model.people) if len(emails) == 1}
    for leader, ys in y_of_leader.items():
        # Leads at most one group, and is a member nowhere while leading one.
        own = x_of_pattern.get(own_pattern.get(leader, -1), [])
        rows.add([(c, 1.0) for c in ys + own], -np.inf, 1.0)
    for p, xs in x_of_pattern.items():
        rows.add([(c, 1.0) for c in xs], -np.inf, float(model.sizes[p]))
    for topic, ys in y_of_topic.items():
        xs = [(c, 1.0) for c in x_of_topic[topic]]
        rows.add(xs + [(c, -float(rules.min_size)) for c in ys], 0.0, np.inf)
        rows.add(xs + [(c, -float(rules.max_size)) for c in ys], -np.inf, 0.0)
    return rows.matrix(offset + len(model.x))


class _Rows:
    """A sparse constraint matrix built row by row, with each row's lower and upper bound."""

    def __init__(self):
        self.rows, self.cols, self.values, self.lower, self.upper = [], [], [], [], []

    def add(self, entries, low: float, high: float) -> None:
        index = len(self.lower)
        for col, value in entries:
            self.rows.append(index)
            self.cols.append(col)
            self.values.append(value)
        self.lower.append(low)
        self.upper.append(high)

    def matrix(self, columns: int):
        shape = (len(self.lower), columns)
        return (coo_matrix((self.values, (self.rows, self.cols)), shape=shape).tocsr(), np.array(self.lower),
                np.array(self.upper))


def _read(model: _Model, solution: np.ndarray, optimal: bool) -> Assignment:
    leaders: dict[str, list[str]] = defaultdict(list)
    for (leader, topic), value in zip(model.y, solution):
        if value > 0.5:
            leaders[topic].append(leader)
    taken: dict[int, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    for (p, rank), value in zip(model.x, solution[len(model.y):]):
        count = int(value)
        members[model.topic(p, rank)].extend(model.people[p][taken[p]:taken[p] + count])
        taken[p] += count
    return Assignment({t: tuple(sorted(v)) for t, v in leaders.items()},
                      {t: tuple(sorted(v)) for t, v in members.items() if v}, optimal)

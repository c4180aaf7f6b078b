"""Dealing the people placed in one topic into that topic's groups.

The solver decides how many people each topic takes and how many groups it opens; any
split of m people into k groups of sizes floor(m/k) or ceil(m/k) respects the size limits,
because min_size * k <= m <= max_size * k. Which people share a group is decided here:
- spread: people are ordered by school and dealt round-robin, so each school's people are
  spread as evenly as possible (two groups never differ by more than one person of a school);
- otherwise: people are ordered by school and cut into consecutive runs, so colleagues from
  one school tend to meet in the same group.
"""
from __future__ import annotations

from typing import Mapping, Sequence


def deal(members: Sequence[str], schools: Mapping[str, str], groups: int, spread: bool) -> list[list[str]]:
    """`members` split into `groups` lists whose sizes differ by at most one."""
    ordered = sorted(members, key=lambda email: (schools.get(email, ""), email))
    if groups <= 0:
        return []
    if spread:
        return [ordered[i::groups] for i in range(groups)]
    base, extra = divmod(len(ordered), groups)
    runs, start = [], 0
    for index in range(groups):
        size = base + (1 if index < extra else 0)
        runs.append(ordered[start:start + size])
        start += size
    return runs

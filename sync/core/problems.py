"""The Problems tab in the plan: a row per problem while it lasts, resolved once it is gone.

Pure. A problem is known by a hash of its response, field and reason, so the same problem
found again by a later run is the same row. Problems of responses that a later submission
from the same facilitator replaced are not current any more.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Mapping, Sequence

from forms.model import Problem
from sheets import layout as L

from sync.core.milestones import ticked
from sync.core.staff import IMPORT_FIELD as STAFF_IMPORT_FIELD
from sync.core.survey import SURVEY_FIELD
from sync.core.units import UnitRules
from sync.core.model import Team, UpdateRow
from sync.core.tables import SheetPlanner

OPEN, RESOLVED, APPLIED = "open", "resolved", "applied"
HELD_FIELD = "people"        # the Field of the row of a response held back from changing a unit's people


def problem_id(problem: Problem) -> str:
    raw = f"{problem.response_id}\x1f{problem.field}\x1f{problem.reason}".encode("utf-8")
    return "P-" + hashlib.sha256(raw).hexdigest()[:10].upper()


def current_problems(problems: Sequence[Problem], senders: Mapping[str, tuple[str, datetime]],
                     teams: Mapping[str, Team], units: UnitRules) -> dict[str, Problem]:
    """Problems of responses that no later response from the same person replaced."""
    latest: dict[str, datetime] = {}
    for team in teams.values():
        who = units.sender_of(team.key)
        latest[who] = max(latest.get(who, team.submission.submitted_at), team.submission.submitted_at)
    current = {}
    for problem in problems:
        who = senders.get(problem.response_id)
        if who and who[0].strip().lower() in latest and latest[who[0].strip().lower()] > who[1]:
            continue
        current[problem_id(problem)] = problem
    return current


def drive_problems(failures: Sequence[tuple[str, str, str]], teams: Mapping[str, Team]) -> dict[str, Problem]:
    """A Drive change that failed is a problem of its team until a run succeeds."""
    out = {}
    for tid, what, reason in failures:
        team = teams.get(tid)
        problem = Problem(team.submission.response_id if team else "", "folder", what, reason)
        out[problem_id(problem)] = problem
    return out


def team_of_response(teams: Mapping[str, Team]) -> dict[str, str]:
    out = {}
    for tid, team in teams.items():
        out[team.submission.response_id] = tid
        out.update({other.response_id: tid for other in (*team.superseded, *team.held)})
    return out


def problem_values(p: SheetPlanner, pid: str, problem: Problem, team_of: Mapping[str, str],
                   stamp: str) -> dict[str, Any]:
    """The row a current problem should have: first seen now when new, reopened when it
    had been resolved."""
    values = {"Problem ID": pid, "Status": OPEN, "Severity": problem.severity, "Response ID": problem.response_id,
              "Team ID": team_of.get(problem.response_id, ""), "Field": problem.field, "Value": problem.value,
              "Reason": problem.reason}
    row = p.index(L.PROBLEMS).get((pid,))
    if row is None:
        values["First seen"] = stamp
    elif p.tab(L.PROBLEMS).value(row, "Status") != OPEN:
        values["Resolved"] = ""
    return values


def approved(tab, row: int) -> bool:
    """Whether a coordinator ticked Approve on a held response's row."""
    return str(tab.value(row, "Field")).strip() == HELD_FIELD and ticked(tab.value(row, L.APPROVE))


def _of_another_command(tab, row: int) -> bool:
    """A row a staff import or a groups proposal wrote: that command's to resolve."""
    return str(tab.value(row, "Field")).startswith((STAFF_IMPORT_FIELD, f"{SURVEY_FIELD} ("))


def plan_problems(p: SheetPlanner, current: Mapping[str, Problem], teams: Mapping[str, Team],
                  stamp: str, held: Mapping[str, str] = {}) -> tuple[int, int, int]:
    """Rows for the current problems, and open rows of problems gone resolved; returns
    (open, new, resolved). A held response's row a coordinator approved says `applied`
    once the response is (`held`: held response id -> its unit id)."""
    team_of = {**team_of_response(teams), **held}
    index = p.index(L.PROBLEMS)
    desired = {(pid,): problem_values(p, pid, problem, team_of, stamp) for pid, problem in current.items()}
    new = sum(1 for key in desired if key not in index)
    p.sync_table(L.PROBLEMS, desired)
    tab, resolved = p.tab(L.PROBLEMS), 0
    for key, row in index.items():
        # A staff import's or a proposal's rows are the next one's to resolve, not a run's.
        if key not in desired and tab.value(row, "Status") == OPEN and not _of_another_command(tab, row):
            gone = APPLIED if approved(tab, row) else RESOLVED
            p.actions.append(UpdateRow(L.PROBLEMS, key, (("Status", OPEN, gone),
                                                         ("Resolved", tab.value(row, "Resolved"), stamp))))
            resolved += 1
    return len(current), new, resolved

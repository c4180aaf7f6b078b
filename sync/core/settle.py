"""A plan as it stands once Drive has answered: what the sheet write and the emails carry out.

Pure. A folder made this run puts its address wherever the plan referred to it. A team
whose Drive change failed keeps the sheet as it was for what failed: no folder address
where none was made, "failed" in the Access cell of whoever could not be shared with, and
a Problems row naming the failure (reopened if an earlier run had it and it came back).
Every other team's plan is carried out as planned.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Mapping, Sequence

from sheets import layout as L
from sheets.book import Tab

from sync.core.cells import local_time, member_key
from sync.core.drive_plan import DriveResults
from sync.core.layout_plan import needs_link
from sync.core.model import Action, AddRow, LinkFolders, LinkOf, Plan, SendReminder, SetLastRun, UpdateRow
from sync.core.plan import Observed, Rules
from sync.core.problems import drive_problems, problem_values, team_of_response
from sync.core.tables import SheetPlanner


def settle(plan: Plan, observed: Observed, rules: Rules, now: datetime, done: DriveResults) -> Plan:
    """`plan` with the links of the folders made in, and the cells of failed changes corrected."""
    p = SheetPlanner(observed.book, rules.milestone_titles, rules.field_columns, checkbox_titles=rules.checkbox_titles,
                     file_titles=rules.file_titles, meetings=rules.meeting_columns)
    actions, emptied = _resolve_cells(plan.actions, done.links)
    actions = _correct_access(p, actions, done.failed_access)
    actions, opened, new, kept_open = _add_drive_problems(p, actions, done, observed, local_time(now, rules.time_zone))
    return replace(plan, actions=tuple(actions), layout=_resolve_layout(plan.layout, done.links, observed),
                   emails=tuple(_resolve_email(a, done.links) for a in plan.emails),
                   teams_updated=plan.teams_updated - emptied, teams_unchanged=plan.teams_unchanged + emptied,
                   problems_open=plan.problems_open + opened, problems_new=plan.problems_new + new,
                   problems_resolved=plan.problems_resolved - kept_open)


def _resolve_cells(actions: Sequence[Action], links: Mapping[str, str]) -> tuple[list[Action], int]:
    """Actions with each LinkOf made an address, or the cell left alone when no folder was
    made; returns them and how many roster updates had nothing else to change."""
    out: list[Action] = []
    emptied = 0
    for action in actions:
        if isinstance(action, AddRow):
            action = replace(action, values=tuple((h, _link(v, links)) for h, v in action.values
                                                  if not _lost(v, links)))
        elif isinstance(action, UpdateRow) and any(isinstance(new, LinkOf) for _h, _old, new in action.changes):
            changes = tuple((h, old, _link(new, links)) for h, old, new in action.changes if not _lost(new, links))
            if not changes:
                emptied += 1
                continue
            action = replace(action, changes=changes)
        out.append(action)
    return out, emptied


def _link(value: object, links: Mapping[str, str]) -> object:
    """The address a LinkOf stands for; any other value as it is."""
    return links.get(value.team_id) if isinstance(value, LinkOf) else value


def _lost(value: object, links: Mapping[str, str]) -> bool:
    """A LinkOf of a folder that could not be made."""
    return isinstance(value, LinkOf) and value.team_id not in links


def _correct_access(p: SheetPlanner, actions: list[Action],
                    failed: Mapping[tuple[str, str], tuple[str, str]]) -> list[Action]:
    """Access cells of the people a failed change did not share with."""
    at = {key: i for i, key in enumerate(map(_member_of, actions)) if key is not None}
    out: list[Action | None] = list(actions)
    extra = []
    for (tid, email), (state, detail) in failed.items():
        cells = {"Access": state, "Access detail": detail}
        key = member_key(tid, email, "")
        planned = out[at[key]] if key in at else None
        if isinstance(planned, AddRow):
            out[at[key]] = replace(planned, values=tuple((h, cells.get(h, v)) for h, v in planned.values))
            continue
        if key not in p.index(L.MEMBERS):
            continue
        correction = p.row_action(L.MEMBERS, key, cells, tid)
        changes = tuple(c for c in (planned.changes if planned else ()) if c[0] not in cells)
        changes += correction.changes if correction else ()
        update = UpdateRow(L.MEMBERS, key, changes, tid) if changes else None
        if key in at:
            out[at[key]] = update
        elif update is not None:
            extra.append(update)
    return _with(out, extra)


def _member_of(action: Action) -> tuple | None:
    """The Members key of a row action, None for any other action."""
    if isinstance(action, UpdateRow) and action.tab == L.MEMBERS:
        return action.key
    if isinstance(action, AddRow) and action.tab == L.MEMBERS:
        values = dict(action.values)
        return member_key(str(values.get(L.TEAM_ID, "")), str(values.get("Email", "")), str(values.get("Member", "")))
    return None


def _with(actions: Sequence[Action | None], extra: Sequence[Action]) -> list[Action]:
    """`actions` without the ones corrected away, and `extra` before the last-run time that
    closes the cells."""
    kept = [a for a in actions if a is not None]
    end = len(kept) - 1 if kept and isinstance(kept[-1], SetLastRun) else len(kept)
    return [*kept[:end], *extra, *kept[end:]]


def _add_drive_problems(p: SheetPlanner, actions: list[Action], done: DriveResults, observed: Observed,
                        stamp: str) -> tuple[list[Action], int, int, int]:
    """A Problems row for each failed change; returns the actions, and how many problems are
    open, new, and were planned resolved but came back."""
    team_of = team_of_response(observed.teams)
    resolving = {a.key: i for i, a in enumerate(actions) if isinstance(a, UpdateRow) and a.tab == L.PROBLEMS}
    out: list[Action | None] = list(actions)
    problems = drive_problems(done.failures, observed.teams)
    extra = []
    for pid, problem in problems.items():
        if (pid,) in resolving:
            out[resolving[(pid,)]] = None     # still failing: it stays open
        action = p.row_action(L.PROBLEMS, (pid,), problem_values(p, pid, problem, team_of, stamp))
        extra += [action] if action is not None else []
    index = p.index(L.PROBLEMS)
    new = sum(1 for pid in problems if (pid,) not in index)
    kept_open = sum(1 for pid in problems if (pid,) in resolving)
    return _with(out, extra), len(problems), new, kept_open


def _resolve_layout(layout: Sequence[Action], links: Mapping[str, str], observed: Observed) -> tuple[Action, ...]:
    """Folder cells to link, with each new folder's address; where no folder was made, the
    cell keeps its address as read, linked if it needs to be."""
    out = []
    roster = observed.book.tab(L.ROSTER)
    for action in layout:
        if isinstance(action, LinkFolders):
            cells = ((row, _as_read(roster, row, action.column) if _lost(uri, links) else _link(uri, links))
                     for row, uri in action.cells)
            action = replace(action, cells=tuple((row, uri) for row, uri in cells if uri is not None))
            if not action.cells:
                continue
        out.append(action)
    return tuple(out)


def _as_read(roster: Tab | None, row: int, col: int) -> str | None:
    """The Folder address a row held when read, if it still needs linking; else None."""
    if roster is None or row >= len(roster.rows) or not needs_link(roster, row, col):
        return None
    return str(roster.value(row, L.FOLDER))


def _resolve_email(action: Action, links: Mapping[str, str]) -> Action:
    if isinstance(action, SendReminder) and isinstance(action.reminder.folder_link, LinkOf):
        return replace(action, reminder=replace(action.reminder, folder_link=_link(action.reminder.folder_link, links)))
    return action

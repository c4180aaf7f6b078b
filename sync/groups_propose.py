"""`plt groups propose`: affinity groups from the interest survey onto the Groups tab.

Observe, plan, apply, like a sync: the survey form (`forms.get` and its responses) and the
master spreadsheet (one `spreadsheets.get`) are read; the proposal is worked out from them
alone (`sync.core.grouping`); one `batchUpdate` writes the Groups tab (made when missing,
with tick boxes under Approved) and a Problems row for each survey answer that needs a
look. Proposing again with nothing new finds every cell right and writes nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from forms.model import ERROR, Problem
from forms.reader import read_form
from sheets import format as F
from sheets.book import Edits, Tab, read_book, write_book

from sync.access import google_call, spreadsheet
from sync.core.cells import local_time
from sync.core.grouping import Proposal, Rules, propose
from sync.core.groups_tab import APPROVED, GROUPS, HEADERS, approved_groups, plan_rows, summary_rows
from sync.core.survey import read_survey, survey_field
from sync.errors import UsageError
from sync.staff_import import problem_edits


@dataclass(frozen=True)
class ProposeResult:
    proposal: Proposal
    problems: tuple[Problem, ...]
    problems_new: int
    problems_resolved: int
    rows_written: int
    calls: int

    def lines(self) -> list[str]:
        out = list(summary_rows(self.proposal))
        if self.problems:
            out.append(f"{len(self.problems)} survey answer problem(s) on the Problems tab ({self.problems_new} new)")
        if self.problems_resolved:
            out.append(f"{self.problems_resolved} earlier survey Problems row(s) resolved")
        out.append(f"Groups tab: {self.rows_written} row(s) written; {self.calls} API call(s)")
        return out

    def to_json(self) -> dict:
        p = self.proposal
        return {"groups": [{"group_id": g.group_id, "topic": g.topic, "facilitator": g.facilitator,
                            "members": list(g.members), "approved": g.approved} for g in p.groups],
                "unassigned": [{"email": u.email, "reason": u.reason} for u in p.unassigned],
                "respondents": p.respondents, "optimal": p.optimal,
                "shares": {"first": p.share_at(1), "second": p.share_at(2), "third": p.share_at(3)},
                "problems": [{"field": x.field, "value": x.value, "reason": x.reason, "severity": x.severity}
                             for x in self.problems],
                "problems_new": self.problems_new, "problems_resolved": self.problems_resolved,
                "rows_written": self.rows_written, "api_calls": self.calls}

    @property
    def unusable_answers(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def grouping_rules(grouping) -> Rules:
    return Rules(grouping.min_size, grouping.max_size, grouping.objective, grouping.spread,
                 float(grouping.time_limit))


def propose_groups(settings, workspace, now: datetime, sleep: Callable[[float], None] = time.sleep) -> ProposeResult:
    """Read the survey and the spreadsheet, propose, then write every change in one call."""
    grouping = settings.grouping
    if grouping is None:
        raise UsageError("the config has no [grouping] section: add one naming the interest survey")
    form = settings.form_by_key(grouping.survey)
    if not form.id or not settings.roster.spreadsheet_id:
        raise UsageError("the config names no survey form or master spreadsheet yet: run `plt init` first")
    snapshot = google_call(f"the survey form {form.id} ({form.key})", "share the form with the account PLT Sync uses",
                           lambda: read_form(workspace.forms, form.id), sleep)
    book = google_call(*spreadsheet(settings.roster.spreadsheet_id),
                       lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id), sleep)
    survey = read_survey(snapshot, form, grouping, allowed_domains=settings.drive.allowed_domains,
                         sites=settings.programme.sites)
    proposal = propose(survey.respondents, survey.volunteers, approved_groups(book.tab(GROUPS)),
                       grouping_rules(grouping))
    edits = Edits(book)
    rows = groups_edits(edits, proposal)
    stamp = local_time(now, settings.programme.time_zone)
    new, resolved = problem_edits(edits, survey.problems, survey_field(form.key, ""), stamp)
    calls = google_call(*spreadsheet(book.spreadsheet_id), lambda: write_book(workspace.gspread.http_client, edits),
                        sleep)
    return ProposeResult(proposal, survey.problems, new, resolved, rows, snapshot.calls + 1 + calls)


def groups_tab(edits: Edits) -> Tab:
    """The Groups tab, made (frozen header, tick boxes under Approved) when missing, and
    given any column it lacks; a coordinator's own columns stay where they are."""
    tab = edits.book.tab(GROUPS)
    if tab is None:
        tab = edits.add_tab(GROUPS, HEADERS)
        edits.requests += F.column_widths(tab.sheet_id, dict(enumerate(HEADERS)))
        return tab
    missing = [h for h in HEADERS if tab.column(h) is None]
    if missing:
        edits.add_headers(tab, missing)
    return tab


def groups_edits(edits: Edits, proposal: Proposal) -> int:
    """The proposal's cells; returns how many rows change. A tab already right is not touched."""
    current = edits.book.tab(GROUPS)
    if current is not None and all(current.column(h) is not None for h in HEADERS) \
            and not plan_rows(current, proposal):
        return 0
    tab = groups_tab(edits)
    writes = plan_rows(tab, proposal)
    for row, cells in writes:
        edits.set_row(tab, row, {tab.column(h): v for h, v in cells.items()})
    column = tab.column(APPROVED)
    if tab.checkboxes.get(column, 0) < max(tab.used_rows() - 1, 1):
        edits.requests.append(F.checkboxes(tab.sheet_id, column, tab.row_count))
    return len(writes)

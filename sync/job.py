"""One `plt sync`: read everything in a few large calls, plan, apply, report.

`run()` is the core's one entry point. It takes built clients, the settings and `now`;
it never reads the clock for decisions (only to stamp when the run started and ended).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import gspread
from googleapiclient.errors import HttpError

from forms.reader import read_form
from forms.submissions import cross_team_warnings, to_submissions
from sheets import layout as L
from sheets.book import Book, read_book, write_book

from .apply import build_edits, runs_row
from .errors import AccessError, SafetyStop
from .google_errors import reason_of, status_of, with_retries
from .metering import Meter
from .model import AddRow, SetLastRun
from .plan import Observed, Rules, choose_teams, plan, roster_team_count
from .report import Report
from .workspace import Workspace


@dataclass(frozen=True)
class RunOptions:
    dry_run: bool = False
    allow_shrink: bool = False


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_run_id(now: datetime) -> str:
    return now.strftime("r%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def run(settings, workspace: Workspace, meter: Meter, *, now: datetime, options: RunOptions = RunOptions(),
        clock: Callable[[], datetime] = _utcnow) -> Report:
    started = clock()
    report = Report(new_run_id(started), started.isoformat(timespec="seconds"), now.isoformat(timespec="seconds"),
                    options.dry_run)
    observed = read(settings, workspace)
    rules = Rules(settings.roster.team_key, tuple(m.title for m in settings.milestones),
                  settings.programme.time_zone, report.run_id)
    the_plan = plan(observed, rules, now)
    guard_shrink(observed, the_plan.teams_total, settings.roster.shrink_threshold, options.allow_shrink)
    _fill_counts(report, the_plan)
    if not options.dry_run:
        _apply_sheet(settings, workspace, observed.book, the_plan, report, meter, clock)
    report.finished_at = clock().isoformat(timespec="seconds")
    report.api_calls = meter.snapshot()
    return report


def read(settings, workspace: Workspace) -> Observed:
    """Everything a run needs, in as few calls as the data allows."""
    snapshot = _reading(f"the facilitator form {settings.form.id}", "share the form with the account PLT Sync uses",
                        lambda: read_form(workspace.forms, settings.form.id))
    book = _reading(f"the master spreadsheet {settings.roster.spreadsheet_id}",
                    "share the spreadsheet with the account PLT Sync uses (Editor)",
                    lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id))
    titles = settings.form.questions.model_dump()
    submissions, problems = to_submissions(snapshot, titles, allowed_domains=settings.drive.allowed_domains,
                                           staff=staff_directory(book), require_school_in=settings.form.schools)
    latest = [team.submission for team in choose_teams(submissions, settings.roster.team_key).values()]
    problems = [*problems, *cross_team_warnings(latest)]
    return Observed(submissions, problems, book, len(snapshot.responses),
                    response_facilitators(snapshot, titles["facilitator_email"]))


def _reading(resource: str, hint: str, call):
    try:
        return with_retries(call)
    except (HttpError, gspread.exceptions.APIError) as error:
        status = status_of(error)
        if status in (401, 403, 404):
            raise AccessError(resource, status, reason_of(error), hint) from error
        raise


def staff_directory(book: Book) -> dict[str, str]:
    """The optional Staff tab (Name, Email) resolves members typed as bare names."""
    tab = book.tab(L.STAFF)
    if tab is None or tab.column("Name") is None or tab.column("Email") is None:
        return {}
    return {str(tab.value(r, "Name")).strip(): str(tab.value(r, "Email")).strip()
            for r in tab.data_rows() if str(tab.value(r, "Name")).strip()}


def response_facilitators(snapshot, email_title: str) -> dict[str, tuple[str, datetime]]:
    """Response id -> (facilitator email as given, when submitted), for superseding problems."""
    wanted = email_title.strip().casefold()
    question = next((q.question_id for q in snapshot.questions if q.title.strip().casefold() == wanted), None)
    out = {}
    for response in snapshot.responses:
        email = response.respondent_email if snapshot.collects_verified_email else None
        if not email and question:
            email = next(iter(response.answers.get(question, ())), "")
        out[response.response_id] = ((email or "").strip().lower(), response.last_submitted_time)
    return out


def guard_shrink(observed: Observed, live_teams: int, threshold: float, allowed: bool) -> None:
    """Stop, writing nothing, when the form suddenly holds far fewer teams than the roster."""
    held = roster_team_count(observed.book)
    if allowed or held == 0:
        return
    if observed.response_count == 0:
        raise SafetyStop(f"the form returned no responses while the roster holds {held} teams", "--allow-shrink")
    if live_teams < threshold * held:
        raise SafetyStop(f"the form yields {live_teams} teams but the roster holds {held} "
                         f"(below {threshold:.0%})", "--allow-shrink")


def _fill_counts(report: Report, the_plan) -> None:
    report.teams.update(total=the_plan.teams_total, new=the_plan.teams_new, updated=the_plan.teams_updated,
                        unchanged=the_plan.teams_unchanged, withdrawn=the_plan.teams_withdrawn)
    report.problems.update(open=the_plan.problems_open, new=the_plan.problems_new,
                           resolved=the_plan.problems_resolved)
    report.actions = [dict(a.as_dict(), describe=a.describe()) for a in the_plan.actions]


def _apply_sheet(settings, workspace, book, the_plan, report: Report, meter: Meter, clock) -> None:
    actions = list(the_plan.actions)
    changed = any(not isinstance(a, SetLastRun) for a in actions)
    if changed or report.failures:
        # The Runs row counts this write too: it goes out in the same call.
        report.finished_at = clock().isoformat(timespec="seconds")
        report.api_calls = dict(meter.snapshot(), total=meter.total + 1)
        actions.append(AddRow(L.RUNS, runs_row(report)))
    edits = build_edits(book, actions, tuple(m.title for m in settings.milestones))
    with_retries(lambda: write_book(workspace.gspread.http_client, edits))

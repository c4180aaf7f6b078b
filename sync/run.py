"""One `plt sync`: observe, plan, apply, report.

`run()` is the core's one entry point. It takes built clients, the settings and `now`;
it never reads the clock for decisions (only to stamp when the run started and ended).
Everything is read first (`sync.observe`), the one pure `plan()` decides every change,
`apply()` carries the plan out unless it is a dry run, and the report is built from the
plan and what applying it came to.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from mail.render import render_reminder
from sheets import layout as L

from sync.apply import Applied, ApplyContext, apply
from sync.core.model import AddRow, LinkOf, SendReminder
from sync.core.plan import plan
from sync.google.metering import Meter
from sync.google.workspace import Workspace
from sync.observe import observe
from sync.options import SyncOptions
from sync.report import Report, RunInfo, build_report, runs_row
from sync.rules import letterhead, plan_rules, require_templates, templates

__all__ = ["SyncOptions", "new_run_id", "run"]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_run_id(now: datetime) -> str:
    return now.strftime("r%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def run(settings, workspace: Workspace, meter: Meter, *, now: datetime, options: SyncOptions = SyncOptions(),
        sender=None, clock: Callable[[], datetime] = _utcnow, sleep: Callable[[float], None] = time.sleep,
        phase: Callable[[str], None] = lambda _text: None) -> Report:
    """One sync. `sender` sends reminders (None: no reminder is sent, e.g. on a dry run);
    `sleep` waits between retries of transient failures; `phase` hears what the run is
    doing now (a progress line on a terminal)."""
    started = clock()
    info = RunInfo(new_run_id(started), _stamp(started), _stamp(now), options.dry_run)
    require_templates(settings)
    phase("reading the form, the roster and the team folders")
    observed = observe(settings, workspace, now, options, sleep)
    rules = plan_rules(settings, info.run_id)
    the_plan = plan(observed, rules, now)
    phase(f"team folders: {len(the_plan.drive)} Drive changes")
    if options.dry_run:
        skipped = sum(isinstance(a, SendReminder) for a in the_plan.emails)
        return build_report(info, Applied(the_plan, skipped=skipped), _stamp(clock()), meter.snapshot(),
                            subject_of(settings))

    def log_row(applied: Applied) -> AddRow:
        # The Runs row counts the write it goes out with.
        calls = dict(meter.snapshot(), total=meter.total + 1)
        return AddRow(L.RUNS, runs_row(build_report(info, applied, _stamp(clock()), calls)))

    context = ApplyContext(workspace, sender, letterhead(settings), templates(settings), log_row, sleep, phase)
    applied = apply(the_plan, observed, rules, now, context)
    return build_report(info, applied, _stamp(clock()), meter.snapshot())


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def subject_of(settings) -> Callable[[object], str]:
    """The subject line of a planned reminder, as a dry run shows it."""
    head, chosen = letterhead(settings), templates(settings)

    def subject(reminder) -> str:
        if isinstance(reminder.folder_link, LinkOf):
            reminder = replace(reminder, folder_link=None)
        return render_reminder(reminder, programme=head.programme, coordinator=head.coordinator,
                               templates_dir=head.templates_dir, template=chosen[reminder.milestone_key])[0]
    return subject

"""One `plt sync`: read everything in a few large calls, plan, apply, report.

`run()` is the core's one entry point. It takes built clients, the settings and `now`;
it never reads the clock for decisions (only to stamp when the run started and ended).
"""
from __future__ import annotations

import secrets
import time
from datetime import datetime, timezone
from typing import Callable

from drive.batch import apply_changes
from drive.evidence import evidence_clause, find_evidence, match_evidence, search_word
from drive.folders import list_team_folders_and_files
from drive.model import CreateFolder
from forms.reader import read_form
from forms.submissions import cross_team_warnings, to_submissions
from sheets import layout as L
from sheets.book import Book, read_book, write_book

from sync.apply import build_edits, runs_row
from sync.deliver import Letterhead, deliver
from sync.core.drive_plan import DriveRules, plan_drive, settle_drive
from sync.errors import AccessError, SafetyStop, UsageError
from sync.google.errors import AccessRefused, ConnectionLost, NotFound, classify, with_retries
from sync.core.layout_plan import LayoutInputs, add_layout, team_facts
from sync.google.metering import Meter
from sync.core.milestones import MailRules, MilestoneRule, plan_milestones
from sync.options import SyncOptions
from sync.core.model import AddRow, ResolveSending, SendReminder, SetLastRun
from sync.core.plan import Observed, Rules, choose_teams, form_errors, plan, roster_team_count
from sync.report import Report
from sync.core.schedule import ReminderPolicy
from sync.google.workspace import Workspace


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
    report = Report(new_run_id(started), started.isoformat(timespec="seconds"), now.isoformat(timespec="seconds"),
                    options.dry_run)
    phase("reading the form, the roster and the team folders")
    observed = read(settings, workspace, sleep)
    teams = choose_teams(observed.submissions, settings.roster.team_key)
    unreadable = form_errors(observed.problems)
    report.failures += [f"the facilitator form: {p.reason}; no response could be read, so the roster was "
                        "left as it is" for p in unreadable]
    if not unreadable:
        guard_shrink(observed, len(teams), settings.roster.shrink_threshold, options.allow_shrink)
    drive_plan = plan_drive(teams, observed.folders, drive_rules(settings))
    if any(isinstance(change, CreateFolder) for change in drive_plan.changes):
        check_parent_folder(workspace, settings.drive.parent_folder_id, sleep)
    phase(f"team folders: {len(drive_plan.changes)} Drive changes")
    results = None if options.dry_run else apply_changes(workspace.drive, drive_plan.changes, classify=classify,
                                                         sleep=sleep)[0]
    outcome = settle_drive(teams, observed.folders, drive_plan, results)
    rules = milestone_rules(settings)
    evidence = find_all_evidence(workspace, rules, observed, teams, sleep)
    milestones = plan_milestones(teams, observed.book, rules, evidence, outcome.links, mail_rules(settings), now)
    if confirm_missing_evidence(workspace, rules, observed.folders, milestones.reminders, evidence, sleep):
        milestones = plan_milestones(teams, observed.book, rules, evidence, outcome.links, mail_rules(settings), now)
    sheet_rules = Rules(settings.roster.team_key, tuple(m.title for m in settings.milestones),
                        settings.programme.time_zone, report.run_id, mail_domain(settings))
    the_plan = plan(observed, sheet_rules, now, outcome, milestones)
    phase(f"writing the roster; {len(milestones.reminders)} reminders due")
    _fill_counts(report, the_plan, drive_plan, outcome)
    if options.dry_run:
        _preview_reminders(report, the_plan, settings)
    else:
        layout = LayoutInputs(sheet_rules.milestone_titles,
                              team_facts(teams, milestones.roster, sheet_rules.milestone_titles), settings.targets)
        _apply(settings, workspace, observed.book, the_plan, report, meter, clock, sender, now, layout)
    report.finished_at = clock().isoformat(timespec="seconds")
    report.api_calls = meter.snapshot()
    return report


def read(settings, workspace: Workspace, sleep: Callable[[float], None] = time.sleep) -> Observed:
    """Everything a run needs, in as few calls as the data allows."""
    snapshot = _reading(f"the facilitator form {settings.form.id}", "share the form with the account PLT Sync uses",
                        lambda: read_form(workspace.forms, settings.form.id), sleep)
    book = _reading(f"the master spreadsheet {settings.roster.spreadsheet_id}",
                    "share the spreadsheet with the account PLT Sync uses (Editor)",
                    lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id), sleep)
    titles = settings.form.questions.model_dump()
    submissions, problems = to_submissions(snapshot, titles, allowed_domains=settings.drive.allowed_domains,
                                           staff=staff_directory(book), require_school_in=settings.form.schools)
    latest = [team.submission for team in choose_teams(submissions, settings.roster.team_key).values()]
    problems = [*problems, *cross_team_warnings(latest)]
    if not settings.drive.parent_folder_id:
        raise UsageError("the config names no Drive parent folder ([drive].parent_folder_id): run `plt init` first")
    patterns = [m.evidence_file_pattern for m in settings.milestones if m.evidence_file_pattern]
    folders, candidates = read_team_folders(workspace, settings.drive.parent_folder_id, evidence_clause(patterns),
                                            sleep)
    return Observed(submissions, problems, book, len(snapshot.responses),
                    response_facilitators(snapshot, titles["facilitator_email"]), folders, candidates)


def _parent_folder(parent_id: str) -> tuple[str, str]:
    return f"the parent folder {parent_id}", "share the folder with the account PLT Sync uses (Editor)"


def read_team_folders(workspace: Workspace, parent_id: str, clause: str = "",
                      sleep=time.sleep) -> tuple[dict, list[dict]]:
    """Team folders by team id (each found by its tag) and, in the same paged call, the
    files that may be milestone evidence."""
    folders, files, _calls = _reading(*_parent_folder(parent_id),
                                      lambda: list_team_folders_and_files(workspace.drive, parent_id, clause), sleep)
    return folders, files


def check_parent_folder(workspace: Workspace, parent_id: str, sleep=time.sleep) -> None:
    """Before creating team folders: Drive still lists the team folders of a parent folder
    that was unshared or deleted, so only asking for the parent itself tells. One call,
    made only on runs that create folders, so a lost parent is one clear AccessError
    instead of a failed folder for every new team."""
    _reading(*_parent_folder(parent_id), lambda: workspace.drive.files().get(
        fileId=parent_id, fields="id", supportsAllDrives=True).execute(), sleep)


def milestone_rules(settings) -> tuple[MilestoneRule, ...]:
    from zoneinfo import ZoneInfo
    from datetime import time as clock_time

    tz = ZoneInfo(settings.programme.time_zone)
    quiet = None
    if settings.mail.quiet_hours:
        start, end = (clock_time.fromisoformat(t.strip()) for t in settings.mail.quiet_hours.split("-"))
        quiet = (start, end)
    return tuple(MilestoneRule(m.key, m.title, m.due, m.evidence_checkbox, m.evidence_file_pattern, m.template,
                               ReminderPolicy(days_before=tuple(m.reminders.days_before),
                                              every_days_after=m.reminders.every_days_after,
                                              max_reminders=m.reminders.max_reminders, quiet_hours=quiet,
                                              skip_weekends=settings.mail.skip_weekends, tz=tz))
                 for m in settings.milestones)


def mail_rules(settings) -> MailRules:
    mail = settings.mail
    return MailRules(mail.cc_members, mail.cc_coordinator, mail.coordinator_email, tuple(settings.drive.allowed_domains))


def mail_domain(settings) -> str:
    from email.utils import parseaddr

    return parseaddr(settings.mail.from_address)[1].rsplit("@", 1)[-1] or "plt-sync.invalid"


def letterhead(settings) -> Letterhead:
    mail = settings.mail
    return Letterhead(settings.programme.name, mail.coordinator_email, mail.from_address, mail.reply_to,
                      mail_domain(settings), mail.templates_dir, settings.programme.time_zone)


def find_all_evidence(workspace: Workspace, rules, observed: Observed, teams,
                      sleep=time.sleep) -> dict[tuple[str, str], tuple[str, str]]:
    """Evidence files for every milestone with a pattern, over every live team's folder:
    matched among the files the folder listing already found, or (for a pattern with no
    word Drive can search for) looked up folder by folder in a bounded number of calls."""
    folders = observed.folders
    by_folder = {folders[tid].folder_id: tid for tid in teams if tid in folders and folders[tid].folder_id}
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for rule in rules:
        if not rule.pattern or not by_folder:
            continue
        if search_word(rule.pattern):
            files = match_evidence(list(observed.evidence_files), list(by_folder), rule.pattern)
        else:
            files, _calls = with_retries(lambda: find_evidence(workspace.drive, list(by_folder), rule.pattern),
                                         sleep=sleep)
        for folder_id, hit in files.items():
            found[(rule.key, by_folder[folder_id])] = hit
    return found


def confirm_missing_evidence(workspace: Workspace, rules, folders, reminders, evidence: dict, sleep) -> bool:
    """Before reminding a team that its evidence is missing, look in its folder file by file:
    Drive's name search sees words only from their start ("TeamCharter.pdf" escapes it).
    Adds what it finds to `evidence`; True when it found any."""
    by_rule: dict[str, dict[str, str]] = {}
    for reminder in reminders:
        folder = folders.get(reminder.team_id)
        if folder and folder.folder_id and (reminder.milestone_key, reminder.team_id) not in evidence:
            by_rule.setdefault(reminder.milestone_key, {})[folder.folder_id] = reminder.team_id
    patterns = {rule.key: rule.pattern for rule in rules if rule.pattern}
    added = False
    for key, by_folder in by_rule.items():
        if key not in patterns:
            continue
        files, _calls = with_retries(lambda: find_evidence(workspace.drive, list(by_folder), patterns[key]),
                                     sleep=sleep)
        for folder_id, hit in files.items():
            evidence[(key, by_folder[folder_id])] = hit
            added = True
    return added


def drive_rules(settings) -> DriveRules:
    drive = settings.drive
    return DriveRules(drive.parent_folder_id, drive.folder_name, drive.facilitator_role, drive.member_role,
                      tuple(drive.allowed_domains), drive.send_notification_emails, tuple(drive.template_file_ids))


def _reading(resource: str, hint: str, call, sleep: Callable[[float], None] = time.sleep):
    """`call` with retries; Google refusing access to `resource` becomes an AccessError."""
    try:
        return with_retries(call, sleep=sleep)
    except Exception as error:
        failure = classify(error)
        if isinstance(failure, (AccessRefused, NotFound)) and failure.status:  # Google answered "no"
            raise AccessError(resource, failure.status, failure.message, hint) from error
        if isinstance(failure, ConnectionLost):
            raise AccessError(resource, None, f"could not connect to Google ({failure.message})",
                              "check this machine's network, DNS and proxy settings; nothing was written") from error
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


def _preview_reminders(report: Report, the_plan, settings) -> None:
    """A dry run shows each email it would send: recipients and subject."""
    from mail.render import render_reminder

    head = letterhead(settings)
    sends = iter(a for a in the_plan.actions if isinstance(a, SendReminder))
    for entry in report.actions:
        if entry["action"] != "SendReminder":
            continue
        reminder = next(sends).reminder
        subject, _text, _html = render_reminder(reminder, programme=head.programme, coordinator=head.coordinator,
                                                templates_dir=head.templates_dir,
                                                template=settings.milestone(reminder.milestone_key).template)
        copy = f" (cc {', '.join(reminder.cc)})" if reminder.cc else ""
        entry.update(subject=subject, describe=f"email {', '.join(reminder.to)}{copy}: {subject}")
    report.reminders["skipped"] = sum(1 for a in report.actions if a["action"] == "SendReminder")


def _fill_counts(report: Report, the_plan, drive_plan, outcome) -> None:
    counts = outcome.counts
    report.folders.update(created=counts["created"], renamed=counts["renamed"], existing=counts["existing"])
    report.sharing.update(added=counts["added"], removed=counts["removed"], blocked=counts["blocked"])
    report.failures += [f"{tid}: {what}: {reason}" for tid, what, reason in outcome.failures]
    report.exit_code = 1 if report.failures else 0
    report.teams.update(total=the_plan.teams_total, new=the_plan.teams_new, updated=the_plan.teams_updated,
                        unchanged=the_plan.teams_unchanged, withdrawn=the_plan.teams_withdrawn)
    report.problems.update(open=the_plan.problems_open, new=the_plan.problems_new,
                           resolved=the_plan.problems_resolved)
    report.actions = [drive_action(c) for c in drive_plan.changes]
    report.actions += [dict(a.as_dict(), describe=a.describe()) for a in the_plan.actions]


def drive_action(change) -> dict:
    fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in change.__dict__.items()}
    name = type(change).__name__
    target = fields.get("email") or fields.get("name") or fields.get("template_id") or ""
    return {"action": name, **fields, "describe": f"{name} for team {change.team_id} {target}".rstrip()}


def _apply(settings, workspace, book, the_plan, report: Report, meter: Meter, clock, sender, now,
           layout: LayoutInputs) -> None:
    """One sheet write (layout repairs and Dashboard included); with reminders, a second
    after sending completes their ledger rows."""
    titles = tuple(m.title for m in settings.milestones)
    mail_actions = [a for a in the_plan.actions if isinstance(a, (SendReminder, ResolveSending))]
    sheet_actions = [a for a in the_plan.actions if not isinstance(a, (SendReminder, ResolveSending))]
    if mail_actions and sender is None:
        sheet_actions = [a for a in sheet_actions if getattr(a, "tab", "") != L.REMINDERS]
        report.reminders["skipped"] += sum(isinstance(a, SendReminder) for a in mail_actions)
        mail_actions = []
    changed = any(not isinstance(a, SetLastRun) for a in sheet_actions)
    if not mail_actions:
        _write(workspace, book, sheet_actions, titles, report, meter, clock, changed, layout)
        return
    _write(workspace, book, [a for a in sheet_actions if not isinstance(a, SetLastRun)], titles, report, meter,
           clock, False, layout)
    delivery = deliver(mail_actions, sender, letterhead(settings), now,
                       {m.key: m.template for m in settings.milestones})
    report.reminders.update(sent=delivery.sent, failed=delivery.failed, confirmed=delivery.confirmed,
                            unconfirmed=delivery.unconfirmed)
    report.failures += delivery.failures
    report.exit_code = 1 if report.failures else 0
    _write(workspace, book, [*delivery.updates, *[a for a in sheet_actions if isinstance(a, SetLastRun)]], titles,
           report, meter, clock, True)


def _write(workspace, book, actions, titles, report: Report, meter: Meter, clock, log_run: bool,
           layout: LayoutInputs | None = None) -> None:
    if log_run or report.failures:
        # The Runs row counts this write too: it goes out in the same call.
        report.finished_at = clock().isoformat(timespec="seconds")
        report.api_calls = dict(meter.snapshot(), total=meter.total + 1)
        actions = [*actions, AddRow(L.RUNS, runs_row(report))]
    edits = build_edits(book, actions, titles)
    if layout is not None:
        add_layout(edits, actions, layout)
    _reading(f"the master spreadsheet {book.spreadsheet_id}", "share the spreadsheet with the account PLT Sync "
             "uses (Editor)", lambda: write_book(workspace.gspread.http_client, edits))

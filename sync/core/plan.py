"""The pure heart of a run: what was read, the rules and `now` in; every change of the run out.

No I/O and no clock here. `plan()` compares the teams with the folders Drive holds and
with what the sheet holds (roster, members, problems, the reminder ledger, the layout and
the Dashboard), and returns only the changes, so a run with nothing new plans nothing but
the last-run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from calendars.model import CalendarEvent
from documents.model import DocumentCopy
from drive.model import Folder
from forms.model import ERROR, Problem, Submission
from sheets import layout as L
from sheets.book import Book

from sync.core.calendar_plan import CalendarPlan, CalendarRules, plan_events, session_meetings, unit_meetings
from sync.core.cells import local_time
from sync.core.evidence_forms import EvidenceForm
from sync.core.documents_plan import TemplateRule, plan_documents
from sync.core.drive_plan import DrivePlan, DriveRules, DriveView, expected_drive, plan_drive
from sync.core.digest_plan import DigestRules, digest_ledger, plan_digests
from sync.core.layout_plan import LayoutInputs, plan_layout, preview_after
from sync.core.ledger_plan import plan_ledger
from sync.core.milestones import MailRules, MilestonePlan, MilestoneRule, plan_milestones
from sync.core.meetings_plan import NEXT_MEETING, MeetingRules, UnitMeeting, next_meeting, plan_meetings
from sync.core.model import Plan, SetLastRun, Team
from sync.core.report_model import ModelRules, ProgrammeModel, TargetRule, build_model
from sync.core.problems import current_problems, plan_problems
from sync.core.roster_plan import WITHDRAWN, plan_members, plan_roster, unanswered_fields
from sync.core.tables import SheetPlanner
from sync.core.units import UnitRules, Words


@dataclass(frozen=True)
class Observed:
    """What a run read, and the teams chosen from it (once, by `choose_teams`)."""

    teams: Mapping[str, Team]
    problems: Sequence[Problem]
    book: Book
    # response id -> (who it is from: its unit key's first person, last submitted time):
    # lets a later response from the same person resolve an earlier response's problems.
    response_facilitators: Mapping[str, tuple[str, datetime]] = field(default_factory=dict)
    folders: Mapping[str, Folder] = field(default_factory=dict)      # team id -> its folder
    # (milestone key, team id) -> (file name, link) of the evidence found in team folders.
    evidence: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (milestone key, team id) -> the id of the evidence-form response that counts for it.
    answered: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # The evidence forms as read (their addresses, for pre-filled links), by form key.
    evidence_forms: Mapping[str, EvidenceForm] = field(default_factory=dict)
    # (team id, template key) -> the template copy in the team's folder.
    copies: Mapping[tuple[str, str], DocumentCopy] = field(default_factory=dict)
    # Each unit's meetings from its dates answers, by unit id (for the Meetings tab and Calendar).
    meetings: Mapping[str, tuple[UnitMeeting, ...]] = field(default_factory=dict)
    # The programme calendar's events by id, cancelled ones included (None: not read).
    events: Mapping[str, CalendarEvent] | None = None
    # Units none of whose responses may change their people yet (sync.core.guard): the
    # sheet and Drive keep them exactly as they are, never withdrawn.
    frozen: frozenset[str] = frozenset()
    held: Mapping[str, str] = field(default_factory=dict)    # held response id -> its unit id


@dataclass(frozen=True)
class Rules:
    """The parts of the config planning needs, as plain values."""

    units: UnitRules
    milestones: tuple[MilestoneRule, ...]
    time_zone: str
    run_id: str = ""
    mail_domain: str = "plt-sync.invalid"   # the Message-ID domain of reminders
    drive: DriveRules | None = None          # None: folders are not planned
    mail: MailRules | None = None            # None: reminders go to the "to" roles only, no copies
    targets: tuple[TargetRule, ...] = ()
    words: Words = Words()
    field_columns: tuple[str, ...] = L.FIELD_COLUMNS
    sites: tuple[str, ...] = ()              # the programme's schools, each on the Dashboard
    meetings: MeetingRules | None = None     # None: the units have no meeting dates (no Meetings tab)
    calendar: CalendarRules | None = None    # None: no programme calendar
    templates: tuple[TemplateRule, ...] = ()  # document templates copied into every unit folder
    digest: DigestRules | None = None        # None: no weekly digest

    @property
    def meeting_columns(self) -> tuple[str, ...] | None:
        """The Meetings tab's unit columns, or None when the programme has no such tab."""
        return self.meetings.unit_columns if self.meetings else None

    @property
    def milestone_titles(self) -> tuple[str, ...]:
        return tuple(rule.title for rule in self.milestones)

    @property
    def model(self) -> ModelRules:
        """What the programme model counts by: the milestones, sites, targets, the Roster's
        site column and the roles whose turn an overdue milestone is."""
        site_column = next((c.header for c in self.units.columns if c.field == self.units.site_field
                            and not c.count), self.words.site_noun)
        return ModelRules(self.milestone_titles, self.sites, site_column,
                          tuple(role.key for role in self.units.roles if role.remind == "to"), self.targets,
                          f"(no {self.words.site_noun.lower()})", self.words.site_noun)

    @property
    def checkbox_titles(self) -> tuple[str, ...]:
        """The milestones a coordinator ticks on the roster: only they get a checkbox column."""
        return tuple(rule.title for rule in self.milestones if rule.checkbox)

    @property
    def file_titles(self) -> tuple[str, ...]:
        """The milestones a file in the unit's folder can complete: only they get a file column."""
        return tuple(rule.title for rule in self.milestones if rule.pattern)


def with_forms_read(milestones: tuple[MilestoneRule, ...],
                    forms: Mapping[str, EvidenceForm]) -> tuple[MilestoneRule, ...]:
    """The milestones with their evidence forms as read, so reminders carry pre-filled links."""
    return tuple(replace(rule, form=forms.get(rule.form.key, rule.form)) if rule.form else rule
                 for rule in milestones)


def form_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of the form itself that make every response unreadable: a question every
    team needs was renamed or deleted, or none is configured."""
    return [p for p in problems if not p.response_id and p.severity == ERROR]


def choose_teams(submissions: Iterable[Submission], units: UnitRules) -> dict[str, Team]:
    """The latest submission per unit key wins; earlier ones are recorded as superseded."""
    by_key: dict[str, list[Submission]] = {}
    for sub in submissions:
        by_key.setdefault(units.key_of(sub), []).append(sub)
    teams = {}
    for key, subs in by_key.items():
        subs.sort(key=lambda s: (s.submitted_at, s.response_id))
        latest = subs[-1]
        tid = units.id_of(key)
        teams[tid] = Team(tid, key, latest, tuple(subs[:-1]), subs[0].submitted_at)
    return teams


def plan(observed: Observed, rules: Rules, now: datetime) -> Plan:
    """Every change of this run, given what was read, the rules and the time."""
    teams = observed.teams
    drive = (plan_drive(teams, observed.folders, rules.drive, withdrawn_units(observed)) if rules.drive
             else DrivePlan((), {}))
    view = expected_drive(teams, observed.folders, drive) if rules.drive else None
    mail = rules.mail or MailRules(False, "", (), rules.units)
    milestones = plan_milestones(teams, observed.book, with_forms_read(rules.milestones, observed.evidence_forms),
                                 observed.evidence, view.links if view else {}, mail, now, observed.answered)
    sheet = _plan_sheet(observed, rules, now, view, milestones)
    inputs = LayoutInputs(rules.milestone_titles, rules.model, now.astimezone(ZoneInfo(rules.time_zone)).date(),
                          rules.field_columns, rules.checkbox_titles, rules.file_titles, rules.meeting_columns)
    preview = preview_after(observed.book, sheet.actions, inputs)
    model = build_model(preview, rules.model)
    layout = plan_layout(observed.book, sheet.actions, inputs, preview, model)
    sheet = _with_digests(sheet, observed.book, model, rules, now)
    events = plan_calendar(observed, rules)
    copies, fills = (plan_documents(teams, observed.folders, observed.copies, rules.templates, rules.units)
                     if rules.drive else ([], []))
    return replace(sheet, drive=(*drive.changes, *copies), documents=tuple(fills), layout=tuple(layout),
                   folders_existing=sum(1 for tid in teams if tid in observed.folders),
                   sharing_blocked=sum(len(people) for people in drive.blocked.values()),
                   calendar=events.changes, events_unchanged=events.unchanged, invites_blocked=len(events.blocked))


def plan_calendar(observed: Observed, rules: Rules) -> CalendarPlan:
    """The programme calendar's changes. None while the form is unreadable: with no unit
    known, every invitation would look withdrawn."""
    if rules.calendar is None or observed.events is None or form_errors(observed.problems):
        return CalendarPlan()
    meetings = session_meetings(rules.calendar, observed.teams, rules.units)
    if rules.calendar.unit_meetings:
        meetings += unit_meetings(observed.meetings, observed.teams, rules.units)
    return plan_events(meetings, observed.events, rules.calendar)


def _plan_sheet(observed: Observed, rules: Rules, now: datetime, view: DriveView | None,
                milestones: MilestonePlan) -> Plan:
    """The sheet's cells and the emails: roster, members, problems, the reminder ledger."""
    teams = observed.teams
    p = SheetPlanner(observed.book, rules.milestone_titles, rules.field_columns, checkbox_titles=rules.checkbox_titles,
                     file_titles=rules.file_titles, meetings=rules.meeting_columns)
    p.repair_layout()
    roster = (0, 0, 0, 0)
    stamp = local_time(now, rules.time_zone)
    unreadable = form_errors(observed.problems)
    # Without a question every team needs, no response could be read: the roster and
    # members stay as they are (no team is withdrawn) until the form or config is fixed.
    if not unreadable:
        unanswered = unanswered_fields(observed.problems)
        roster = plan_roster(p, teams, rules.time_zone, rules.units, unanswered, view, milestones,
                             _next_meetings(observed, rules, now), keep=observed.frozen)
        plan_members(p, teams, rules.units, unanswered, view, today=stamp[:10], keep=observed.frozen)
        if rules.meetings is not None:
            plan_meetings(p, teams, observed.meetings, rules.units, rules.meetings, observed.frozen)
    current = current_problems(observed.problems, observed.response_facilitators, teams, rules.units)
    opened, new_problems, resolved = plan_problems(p, current, teams, stamp, observed.held)
    emails = plan_ledger(p, milestones, rules.mail_domain, stamp)
    p.actions.append(SetLastRun(_last_run_text(now, rules)))
    new, updated, unchanged, withdrawn = roster
    return Plan(tuple(p.actions), emails=tuple(emails), teams_total=len(teams), teams_new=new,
                teams_updated=updated, teams_unchanged=unchanged, teams_withdrawn=withdrawn, problems_open=opened,
                problems_new=new_problems, problems_resolved=resolved,
                form_errors=tuple(problem.reason for problem in unreadable))


def _next_meetings(observed: Observed, rules: Rules, now: datetime) -> dict[str, dict[str, str]]:
    """Each unit's next meeting on the roster, when its programme has meeting dates."""
    if rules.meetings is None:
        return {}
    local = now.astimezone(ZoneInfo(rules.time_zone)).replace(tzinfo=None)
    return {tid: {NEXT_MEETING: next_meeting(observed.meetings.get(tid, ()), local)} for tid in observed.teams}


def _with_digests(sheet: Plan, book: Book, model: ProgrammeModel, rules: Rules, now: datetime) -> Plan:
    """The weekly digests due now, with their ledger rows, counted by the model of the sheet as
    this run leaves it (the numbers of the Dashboard it writes)."""
    if rules.digest is None:
        return sheet
    due = plan_digests(model, book, rules.digest, now)
    rows, emails = digest_ledger(book, due, rules.mail_domain, local_time(now, rules.time_zone))
    return replace(sheet, actions=(*sheet.actions, *rows), emails=(*sheet.emails, *emails))


def _last_run_text(now: datetime, rules: Rules) -> str:
    stamp = now.astimezone(ZoneInfo(rules.time_zone)).isoformat(timespec="seconds")
    return f"{stamp} (run {rules.run_id})" if rules.run_id else stamp


def withdrawn_units(observed: Observed) -> frozenset[str]:
    """Units the roster holds that no response stands for any more: those it marks withdrawn.
    None while the form is unreadable, as the roster then withdraws none."""
    tab = observed.book.tab(L.ROSTER)
    if tab is None or form_errors(observed.problems):
        return frozenset()
    index, _ = tab.index_by((L.TEAM_ID,))
    return frozenset(key[0] for key in index) - observed.teams.keys() - observed.frozen


def roster_team_count(book: Book) -> int:
    """Active teams the roster holds now (the shrink guard's yardstick)."""
    tab = book.tab(L.ROSTER)
    if tab is None:
        return 0
    index, _ = tab.index_by((L.TEAM_ID,))
    return sum(1 for row in index.values() if tab.value(row, L.TEAM_STATUS) != WITHDRAWN)

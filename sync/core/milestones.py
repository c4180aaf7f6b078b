"""Milestones in the plan: each unit's status per milestone, and which reminders are due.

Pure. Evidence is a coordinator's tick in `<Milestone> received`, a file in the unit's
folder whose name matches the milestone's pattern, and/or a response to an evidence form
placed with the unit (see `evidence_forms`); any one of the ways given is enough. A
milestone is due on a date, a number of days after another milestone falls due, or a
number of days after the unit started (its first response).
The Reminders tab is the send ledger: a key already there is never planned again, and
its Time dates the milestone's last reminder to the unit (the next keeps the policy's
`min_gap_days`); a row left `sending` by a crash is handed back for resolution before
anything new goes out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Mapping

from mail.message import Reminder
from sheets import layout as L
from sheets.book import Book, Tab

from sync.core.evidence_forms import EvidenceForm
from sync.core.model import LinkOf, Team
from sync.core.units import UnitRules
from sync.core.schedule import ReminderPolicy, due_step, milestone_status

SENDING, SENT, FAILED, UNCONFIRMED = "sending", "sent", "failed", "unconfirmed"
_TICKS = {"true", "yes", "y", "x", "✓", "✔", "done", "received", "1"}


@dataclass(frozen=True)
class MilestoneRule:
    key: str
    title: str
    due: date | None
    checkbox: bool
    pattern: str | None
    template: str
    policy: ReminderPolicy
    after: tuple[str, int] | None = None        # (milestone key, days after it falls due)
    days_after_start: int | None = None
    form: EvidenceForm | None = None            # responses to this form count as evidence

    @property
    def needs_evidence(self) -> bool:
        """A milestone with no way of evidence is met by the enrol response itself."""
        return self.checkbox or bool(self.pattern) or self.form is not None

    def evidence_text(self, noun: str = "team") -> str:
        """What counts, in the words of a reminder: only the ways this milestone takes (the
        form's link goes in the reminder's own `form_link`)."""
        ways = []
        if self.form is not None:
            ways.append(f"an answer to the \"{self.form.title}\" form")
        if self.pattern:
            ways.append(f"a file named like \"{self.pattern}\" in your {noun} folder")
        if self.checkbox:
            ways.append(f"your coordinator ticking \"{L.received_header(self.title)}\" on the roster")
        return " or ".join(ways)


def due_dates(rules: tuple[MilestoneRule, ...], team: Team, tz) -> dict[str, date]:
    """Each milestone's due date for one unit: fixed, after another's, or from its start.
    The config refuses chains that loop or end nowhere, so every key resolves."""
    by_key = {rule.key: rule for rule in rules}
    out: dict[str, date] = {}

    def due(rule: MilestoneRule) -> date:
        if rule.key not in out:
            if rule.due is not None:
                out[rule.key] = rule.due
            elif rule.after is not None:
                out[rule.key] = due(by_key[rule.after[0]]) + timedelta(days=rule.after[1])
            else:
                out[rule.key] = team.started_at.astimezone(tz).date() + timedelta(days=rule.days_after_start or 0)
        return out[rule.key]

    for rule in rules:
        due(rule)
    return out


@dataclass(frozen=True)
class MailRules:
    cc_coordinator: bool
    coordinator_email: str
    allowed_domains: tuple[str, ...]
    units: UnitRules


@dataclass(frozen=True)
class LedgerEntry:
    key: str
    status: str
    message_id: str
    sent_on: date | None = None     # the local date of its Time, when that reads as one


@dataclass
class Reminded:
    """What the ledger holds for one unit's milestone: the steps planned or sent, and the
    local date of the latest (for the gap between two reminders)."""

    steps: set[str] = field(default_factory=set)
    last: date | None = None


@dataclass
class MilestonePlan:
    roster: dict[str, dict[str, object]] = field(default_factory=dict)   # team id -> roster cells
    reminders: list[Reminder] = field(default_factory=list)              # to send this run
    unresolved: list[LedgerEntry] = field(default_factory=list)         # `sending` rows left by a crash


def ticked(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TICKS


def read_ledger(book: Book) -> dict[str, LedgerEntry]:
    tab = book.tab(L.REMINDERS)
    if tab is None:
        return {}
    out = {}
    for row in tab.data_rows():
        key = str(tab.value(row, "Key")).strip()
        if key:
            out[key] = LedgerEntry(key, str(tab.value(row, "Status")).strip(), str(tab.value(row, "Message-ID")),
                                   _local_date(tab.value(row, "Time")))
    return out


def _local_date(stamp: object) -> date | None:
    """The date of a ledger Time, written in the programme's time zone ("2017-11-20T08:30:00-05:00
    (run 1a2b)"); None when a coordinator made it something else."""
    try:
        return datetime.fromisoformat(str(stamp).split(" ", 1)[0]).date()
    except ValueError:
        return None


def plan_milestones(teams: Mapping[str, Team], book: Book, rules: tuple[MilestoneRule, ...],
                    evidence: Mapping[tuple[str, str], tuple[str, str]], links: Mapping[str, str | LinkOf],
                    mail: MailRules, now: datetime,
                    answered: Mapping[tuple[str, str], str] = {}) -> MilestonePlan:
    """Statuses for every live team and milestone, and the reminders due now. `answered`
    holds, per (milestone key, team id), the evidence-form response that counts."""
    out = MilestonePlan()
    roster = book.tab(L.ROSTER)
    rows = roster.index_by((L.TEAM_ID,))[0] if roster else {}
    ledger = read_ledger(book)
    out.unresolved = [entry for entry in ledger.values() if entry.status == SENDING]
    planned = steps_planned(ledger)
    for tid, team in sorted(teams.items()):
        row = rows.get((tid,))
        cells = out.roster.setdefault(tid, {})
        dues = due_dates(rules, team, rules[0].policy.tz) if rules else {}
        for rule in rules:
            found = evidence.get((rule.key, tid))
            received = _received(rule, roster, row, found or answered.get((rule.key, tid)))
            cells[L.status_header(rule.title)] = milestone_status(dues[rule.key], received, now, rule.policy.tz)
            if rule.pattern:
                cells[L.file_header(rule.title)] = found[1] if found else ""
            if received:
                continue
            reminder = _reminder(team, rule, dues[rule.key], planned, links.get(tid), mail, now)
            if reminder is not None:
                out.reminders.append(reminder)
    return out


def reminders_due(teams: Mapping[str, Team], book: Book, rules: tuple[MilestoneRule, ...],
                  evidence: Mapping[tuple[str, str], tuple[str, str]], units: UnitRules,
                  now: datetime, answered: Mapping[tuple[str, str], str] = {}) -> list[tuple[str, str]]:
    """(milestone key, team id) of each reminder due now unless more evidence turns up: the
    folders worth a closer look before the plan is made."""
    due = plan_milestones(teams, book, rules, evidence, {}, MailRules(False, "", (), units), now,
                          answered).reminders
    return [(reminder.milestone_key, reminder.team_id) for reminder in due]


def _received(rule: MilestoneRule, roster: Tab | None, row: int | None, found) -> bool:
    if not rule.needs_evidence:
        return True
    ticked_box = rule.checkbox and roster is not None and row is not None and ticked(
        roster.value(row, L.received_header(rule.title)))
    return bool(ticked_box or found)


def steps_planned(ledger: Mapping[str, LedgerEntry]) -> dict[str, Reminded]:
    """For each ledger key prefix (team:milestone:), the steps already in the ledger and
    the date of the latest. A failed send may be tried again and counts for neither;
    anything else in the ledger is never planned twice and counts as sent on its date."""
    planned: dict[str, Reminded] = {}
    for key, entry in ledger.items():
        if entry.status != FAILED:
            prefix, _colon, step = key.rpartition(":")
            reminded = planned.setdefault(prefix + ":", Reminded())
            reminded.steps.add(step)
            if entry.sent_on is not None and (reminded.last is None or entry.sent_on > reminded.last):
                reminded.last = entry.sent_on
    return planned


def _reminder(team: Team, rule: MilestoneRule, due: date, planned: Mapping[str, Reminded],
              link: str | LinkOf | None, mail: MailRules, now: datetime) -> Reminder | None:
    prefix = f"{team.team_id}:{rule.key}:"
    to = _recipients(team, mail, "to")
    if not to:
        return None
    reminded = planned.get(prefix, Reminded())
    step = due_step(due, rule.policy, now, reminded.steps, reminded.last)
    if step is None:
        return None
    units = mail.units
    lead = units.lead(team)
    local_today = now.astimezone(rule.policy.tz).date()
    return Reminder(key=prefix + step, team_id=team.team_id, unit_name=units.name(team), site=units.site(team),
                    milestone_key=rule.key, milestone_title=rule.title, due=due, step=step,
                    to=to, cc=_cc(team, mail, to), recipient_name=lead.name if lead else "",
                    folder_link=link if rule.pattern else None, evidence=rule.evidence_text(units.noun),
                    overdue_days=max((local_today - due).days, 0),
                    form_link=(rule.form.link_for(team.team_id) or None) if rule.form is not None else None)


def _recipients(team: Team, mail: MailRules, remind: str) -> tuple[str, ...]:
    """The emails of the people in roles reminded as `remind` ("to" or "cc"); copies go
    only to the allowed domains."""
    domains = {d.lower() for d in mail.allowed_domains}
    found = [m.email for role, m in mail.units.people(team) if role.remind == remind and m.email]
    if remind == "cc":
        found = [e for e in found if e.rsplit("@", 1)[-1].lower() in domains]
    return tuple(dict.fromkeys(found))


def _cc(team: Team, mail: MailRules, to: tuple[str, ...]) -> tuple[str, ...]:
    cc = list(_recipients(team, mail, "cc"))
    if mail.cc_coordinator and mail.coordinator_email:
        cc.append(mail.coordinator_email)
    sent_to = {t.lower() for t in to}
    return tuple(dict.fromkeys(c for c in cc if c.lower() not in sent_to))

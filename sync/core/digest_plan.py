"""The weekly digest in the plan: who gets one this week, with which tables, and its ledger rows.

Pure. A digest week starts at the configured day and time (local); from then until the
next one, each recipient's digest is due once: the coordinator gets every site, each site
leader (from `[digest] site_leaders` and the Staff tab's people whose role is
`staff_role`) their own site. A digest goes through the Reminders ledger like a reminder:
its row is written `sending` before it leaves, a row a crash left `sending` is resolved
before anything new goes out, a failed one is tried again while its week lasts. Nothing is
sent in quiet hours; the next run after them sends it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from mail.message import message_id
from sheets import layout as L
from sheets.book import Book

from sync.core.milestones import FAILED, SENDING, read_ledger
from sync.core.model import Action, AddRow, UpdateRow
from sync.core.report_model import ALL_SITES, ProgrammeModel, as_of
from sync.core.report_tables import ReportTables, Words, report_tables
from sync.core.schedule import _in_quiet_hours

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIGEST = "Weekly digest"        # the Milestone cell of a digest's ledger row


@dataclass(frozen=True)
class DigestRules:
    day: int                                      # 0 = Monday
    at: time
    tz: ZoneInfo
    coordinator: str | None                       # None: the coordinator gets none
    site_leaders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    staff_role: str | None = "Site leader"
    quiet_hours: tuple[time, time] | None = None
    words: Words = Words()


@dataclass(frozen=True)
class Digest:
    """One recipient's digest of one week: every site (`site` None) or one."""

    key: str                  # "digest:<first day of the week>:<email>"
    week: date
    to: str
    site: str | None
    tables: ReportTables

    @property
    def scope(self) -> str:
        return self.site or ALL_SITES

    @property
    def empty(self) -> bool:
        """Nothing to report: no unit in its scope and nothing overdue."""
        return int(self.tables.participation.iloc[-1][self.tables.participation.columns[1]]) == 0 and \
            self.tables.overdue.empty


@dataclass(frozen=True)
class SendDigest(Action):
    """Send one weekly digest; its ledger row is written as `sending` first."""

    digest: Digest
    message_id: str
    retry: bool = False

    def describe(self) -> str:
        return f"email the weekly digest ({self.digest.scope}, week of {self.digest.week}) to {self.digest.to}"

    def as_dict(self) -> dict[str, Any]:
        d = self.digest
        return {"action": "SendDigest", "key": d.key, "to": d.to, "site": d.scope, "week": d.week.isoformat(),
                "message_id": self.message_id, "retry": self.retry}


def week_of(now: datetime, rules: DigestRules) -> date:
    """The first day of the digest week `now` falls in: the latest `day` whose `at` has come."""
    local = now.astimezone(rules.tz)
    start = local.date() - timedelta(days=(local.weekday() - rules.day) % 7)
    if start == local.date() and local.time() < rules.at:
        start -= timedelta(days=7)
    return start


def recipients(model: ProgrammeModel, rules: DigestRules) -> list[tuple[str, str | None]]:
    """(email, site or None for all) of everyone who gets a digest, each address once per scope."""
    out: list[tuple[str, str | None]] = [(rules.coordinator, None)] if rules.coordinator else []
    leaders = {site: list(emails) for site, emails in rules.site_leaders.items()}
    if rules.staff_role and model.staff is not None:
        staff = model.staff[model.staff["role"].str.casefold() == rules.staff_role.casefold()]
        for site, email in zip(staff["site"], staff["email"]):
            if email:
                leaders.setdefault(site, []).append(email)
    for site in model.sites:
        out += [(email, site) for email in leaders.get(site, [])]
    seen: set[tuple[str, str | None]] = set()
    return [(e, s) for e, s in out if (e.lower(), s) not in seen and not seen.add((e.lower(), s))]


def plan_digests(model: ProgrammeModel, book: Book, rules: DigestRules, now: datetime) -> list[Digest]:
    """The digests due now (none in quiet hours): one per recipient not yet in the ledger this week."""
    local = now.astimezone(rules.tz)
    if rules.quiet_hours is not None and _in_quiet_hours(local.time(), rules.quiet_hours):
        return []
    week = week_of(now, rules)
    ledger = read_ledger(book)
    due = []
    for email, site in recipients(model, rules):
        key = f"digest:{week.isoformat()}:{(site or ALL_SITES).lower()}:{email.lower()}"
        if key in ledger and ledger[key].status == FAILED or key not in ledger:
            due.append(Digest(key, week, email, site, report_tables(model, as_of(model), rules.words, site)))
    return due


def digest_ledger(book: Book, digests: list[Digest], mail_domain: str, stamp: str) -> tuple[list[Action],
                                                                                            list[Action]]:
    """The ledger rows (`sending`) and the sends of `digests`; a failed one's row is reused."""
    tab = book.tab(L.REMINDERS)
    rows = tab.index_by(("Key",))[0] if tab is not None else {}
    actions: list[Action] = []
    emails: list[Action] = []
    for digest in digests:
        mid = message_id(digest.key, mail_domain)
        values = (("Key", digest.key), ("Team ID", ""), ("Team name", digest.scope), ("Milestone", DIGEST),
                  ("Step", f"week of {digest.week.isoformat()}"), ("Recipients", digest.to), ("Message-ID", mid),
                  ("Status", SENDING), ("Time", stamp), ("Sent ID", ""), ("Detail", ""))
        row = rows.get((digest.key,))
        if row is not None:
            actions.append(UpdateRow(L.REMINDERS, (digest.key,), tuple((h, tab.value(row, h), v) for h, v in values)))
        else:
            actions.append(AddRow(L.REMINDERS, values))
        emails.append(SendDigest(digest, mid, row is not None))
    return actions, emails

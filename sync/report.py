"""The sync report: one object for `--json`, a short summary for people."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable


def _zero(*keys: str) -> dict[str, int]:
    return {k: 0 for k in keys}


@dataclass
class Report:
    run_id: str
    started_at: str
    now: str
    dry_run: bool
    finished_at: str = ""
    exit_code: int = 0
    teams: dict[str, int] = field(default_factory=lambda: _zero("total", "new", "updated", "unchanged", "withdrawn"))
    problems: dict[str, int] = field(default_factory=lambda: _zero("open", "new", "resolved"))
    folders: dict[str, int] = field(default_factory=lambda: _zero("created", "renamed", "existing"))
    sharing: dict[str, int] = field(default_factory=lambda: _zero("added", "removed", "blocked"))
    # Template copies made in unit folders, and fills made (of this run's copies or earlier ones).
    documents: dict[str, int] = field(default_factory=lambda: _zero("copied", "filled"))
    # confirmed: found in sent mail after an interrupted run; unconfirmed: left for a coordinator to ask about.
    reminders: dict[str, int] = field(default_factory=lambda: _zero("sent", "skipped", "failed", "confirmed",
                                                                    "unconfirmed"))
    # Programme calendar events: made, patched, cancelled, already as planned; invitees left out.
    events: dict[str, int] = field(default_factory=lambda: _zero("created", "updated", "cancelled", "unchanged",
                                                                 "blocked"))
    api_calls: dict[str, Any] = field(default_factory=lambda: {"read": 0, "write": 0, "total": 0, "by_method": {}})
    actions: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary_line(self) -> str:
        t, p = self.teams, self.problems
        parts = [f"{t['total']} teams ({t['new']} new, {t['updated']} updated, {t['withdrawn']} withdrawn)",
                 f"{p['open']} open problems ({p['new']} new, {p['resolved']} resolved)"]
        if any(self.folders.values()):
            parts.append(f"{self.folders['created']} folders created")
        if any(self.documents.values()):
            parts.append(f"{self.documents['copied']} documents copied, {self.documents['filled']} filled")
        if any(self.events[k] for k in ("created", "updated", "cancelled")):
            e = self.events
            parts.append(f"{e['created']} events created, {e['updated']} updated, {e['cancelled']} cancelled")
        if any(self.reminders.values()):
            parts.append(f"{self.reminders['sent']} reminders sent")
        if self.failures:
            parts.append(f"{len(self.failures)} failed")
        return "; ".join(parts)

    def human(self) -> str:
        mode = "dry run, nothing written" if self.dry_run else "done"
        lines = [f"plt sync {self.run_id} ({mode}) at {self.now}", f"  {self.summary_line()}",
                 f"  API calls: {self.api_calls['total']} ({self.api_calls['read']} read, "
                 f"{self.api_calls['write']} write)"]
        if self.dry_run:
            lines += [f"  would {a['describe']}" for a in self.actions]
        if self.reminders["unconfirmed"]:
            lines.append(f"  {self.reminders['unconfirmed']} reminder(s) an interrupted run may have sent: marked "
                         "`unconfirmed` on the Reminders tab for a coordinator, never sent again")
        lines += [f"  failed: {f}" for f in self.failures[:10]]
        return "\n".join(lines)


@dataclass(frozen=True)
class RunInfo:
    """What identifies a run in its report and on the Runs tab."""

    run_id: str
    started_at: str
    now: str
    dry_run: bool


def build_report(info: RunInfo, applied, finished_at: str, api_calls: dict[str, Any],
                 subject_of: Callable[[Any], str] | None = None) -> Report:
    """The report of a run from its plan and what applying it came to (`applied`, a
    sync.apply.Applied); `subject_of` gives a dry run's emails their subjects."""
    plan, drive, delivery = applied.plan, applied.drive, applied.delivery
    failures = applied.failures()
    done = drive.counts if drive else {}
    mail = {k: getattr(delivery, k) if delivery else 0 for k in ("sent", "failed", "confirmed", "unconfirmed")}
    return Report(
        info.run_id, info.started_at, info.now, info.dry_run, finished_at, 1 if failures else 0,
        teams={"total": plan.teams_total, "new": plan.teams_new, "updated": plan.teams_updated,
               "unchanged": plan.teams_unchanged, "withdrawn": plan.teams_withdrawn},
        problems={"open": plan.problems_open, "new": plan.problems_new, "resolved": plan.problems_resolved},
        folders={"created": done.get("created", 0), "renamed": done.get("renamed", 0),
                 "existing": plan.folders_existing},
        sharing={"added": done.get("added", 0), "removed": done.get("removed", 0), "blocked": plan.sharing_blocked},
        documents={"copied": done.get("copied", 0), "filled": done.get("filled", 0)},
        reminders={"sent": mail["sent"], "skipped": applied.skipped, "failed": mail["failed"],
                   "confirmed": mail["confirmed"], "unconfirmed": mail["unconfirmed"]},
        events={**applied.event_counts(), "unchanged": plan.events_unchanged, "blocked": plan.invites_blocked},
        api_calls=api_calls, actions=plan_entries(plan, subject_of), failures=failures)


def plan_entries(plan, subject_of: Callable[[Any], str] | None = None) -> list[dict[str, Any]]:
    """Every action of a plan as the report lists it: Drive, cells, layout, emails."""
    entries = [drive_entry(change) for change in plan.drive]
    entries += [fill_entry(fill) for fill in plan.documents]
    entries += [event_entry(change) for change in plan.calendar]
    for action in (*plan.actions, *plan.layout, *plan.emails):
        entry = dict(action.as_dict(), describe=action.describe())
        if subject_of is not None and entry["action"] == "SendReminder":
            entry.update(_preview(action.reminder, subject_of(action.reminder)))
        entries.append(entry)
    return entries


def _preview(reminder, subject: str) -> dict[str, str]:
    """A dry run shows each email it would send: recipients and subject."""
    copy = f" (cc {', '.join(reminder.cc)})" if reminder.cc else ""
    return {"subject": subject, "describe": f"email {', '.join(reminder.to)}{copy}: {subject}"}


def drive_entry(change) -> dict[str, Any]:
    fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in change.__dict__.items()}
    name = type(change).__name__
    target = fields.get("email") or fields.get("name") or fields.get("template_id") or ""
    return {"action": name, **fields, "describe": f"{name} for team {change.team_id} {target}".rstrip()}


def fill_entry(fill) -> dict[str, Any]:
    """A planned fill as a dry run shows it: which template, for which unit, with which values."""
    copy = fill.document_id or "the copy this run makes"
    return {"action": "FillDocument", "team_id": fill.unit_id, "template": fill.template_key, "document_id": copy,
            "values": dict(fill.values), "describe": f"fill {fill.template_key} for team {fill.unit_id} ({copy})"}


def event_entry(change) -> dict[str, Any]:
    people = [person["email"] for person in change.body.get("attendees", [])]
    invited = f" inviting {', '.join(people)}" if people else ""
    return {"action": f"Calendar{change.kind.capitalize()}", "event_id": change.event_id,
            "meeting": change.meeting_key, "send_updates": change.send_updates, "body": change.body,
            "describe": f"{change.kind} calendar event {change.summary!r}{invited}"}


def runs_row(report: Report) -> tuple[tuple[str, object], ...]:
    """The Runs tab row for a run that changed something or failed."""
    teams, problems = report.teams, report.problems
    values = {
        "Run ID": report.run_id, "Started": report.started_at, "Finished": report.finished_at,
        "Clock": report.now, "Exit code": report.exit_code, "Teams": teams["total"], "New": teams["new"],
        "Updated": teams["updated"], "Withdrawn": teams["withdrawn"], "Problems open": problems["open"],
        "Folders created": report.folders["created"], "Shared": report.sharing["added"],
        "Reminders sent": report.reminders["sent"], "API calls": report.api_calls.get("total", 0),
        "Summary": report.summary_line(),
    }
    return tuple(values.items())

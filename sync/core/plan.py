"""The pure heart of a run: what was read, the config and `now` in; frozen actions out.

No I/O and no clock here. `plan()` decides teams (the latest submission per team key
wins), compares the desired roster, members and problems with what the sheet holds, and
returns only the changes, so a run with nothing new plans nothing but the last-run time.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from forms.model import ERROR, Problem, Submission
from sheets import layout as L
from sheets.book import Book, Tab

from sync.core.drive_plan import NO_EMAIL, DriveOutcome
from sync.core.milestones import SENDING, MilestonePlan
from sync.core.model import (Action, AddHeaders, AddRow, AddTab, Plan, ResolveSending, SendReminder, SetLastRun, Team,
                    UpdateRow, team_id, team_key)

ACTIVE = "active"
WITHDRAWN = "withdrawn"

# Roster columns an optional question fills: while the form lacks that question (renamed
# or deleted), the column keeps what earlier runs wrote instead of being blanked.
OPTIONAL_COLUMNS = {"facilitator_name": "Facilitator", "topic": "Topic", "goal_type": "Goal type",
                    "meeting_time": "Meeting time", "training": "Training"}


@dataclass(frozen=True)
class Observed:
    """What a run read: usable submissions, problems, and the master spreadsheet."""

    submissions: Sequence[Submission]
    problems: Sequence[Problem]
    book: Book
    response_count: int
    # response id -> (facilitator email as typed, last submitted time): lets a later
    # submission from the same facilitator resolve an earlier response's problems.
    response_facilitators: Mapping[str, tuple[str, datetime]] = field(default_factory=dict)
    folders: Mapping[str, Any] = field(default_factory=dict)      # team id -> drive.model.Folder
    # Files that may be milestone evidence, found in the same call as the folders.
    evidence_files: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class Rules:
    """The parts of the config planning needs, as plain values."""

    team_key: str
    milestone_titles: tuple[str, ...]
    time_zone: str
    run_id: str = ""
    mail_domain: str = "plt-sync.invalid"   # the Message-ID domain of reminders


def form_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of the form itself that make every response unreadable: a question every
    team needs was renamed or deleted, or none is configured."""
    return [p for p in problems if not p.response_id and p.severity == ERROR]


def unanswered_columns(problems: Iterable[Problem]) -> frozenset[str]:
    """Roster columns whose optional question the form no longer has."""
    return frozenset(OPTIONAL_COLUMNS[p.field] for p in problems
                     if not p.response_id and p.field in OPTIONAL_COLUMNS)


def choose_teams(submissions: Iterable[Submission], scheme: str) -> dict[str, Team]:
    """The latest submission per team key wins; earlier ones are recorded as superseded."""
    by_key: dict[str, list[Submission]] = {}
    for sub in submissions:
        by_key.setdefault(team_key(sub, scheme), []).append(sub)
    teams = {}
    for key, subs in by_key.items():
        subs.sort(key=lambda s: (s.submitted_at, s.response_id))
        latest = subs[-1]
        tid = team_id(key)
        teams[tid] = Team(tid, key, latest, tuple(s.response_id for s in subs[:-1]))
    return teams


def local_time(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def roster_values(team: Team, tz: str) -> dict[str, Any]:
    sub = team.submission
    return {
        L.TEAM_ID: team.team_id, "Team name": sub.team_name, "School": sub.school, "Topic": sub.topic,
        "Goal type": sub.goal_type, "Facilitator": sub.facilitator_name,
        "Facilitator email": sub.facilitator_email, "Members": members_text(sub),
        "Member count": len(sub.members), "Meeting time": sub.meeting_time, "Training": sub.training,
        "Submitted": local_time(sub.submitted_at, tz), "Response ID": sub.response_id,
        L.TEAM_STATUS: ACTIVE,
    }


def members_text(sub: Submission) -> str:
    return "\n".join(f"{m.name} <{m.email}>" if m.email and m.name else (m.email or m.name)
                     for m in sub.members)


def same(old: Any, new: Any) -> bool:
    """Sheets hands numbers back as formatted text; compare as a coordinator sees them."""
    if type(old) is type(new) and old == new:
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return old == new
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        try:
            return float(str(old).replace(",", "")) == float(new)
        except ValueError:
            return False
    return str(old) == str(new)


def diff_row(tab: Tab, row: int, desired: Mapping[str, Any], owned: frozenset[str]) -> tuple[tuple[str, Any, Any], ...]:
    cells = tab.rows[row] if row < len(tab.rows) else []
    columns = tab.columns()
    changes = []
    for header, new in desired.items():
        if header not in owned:
            continue
        col = columns.get(header)
        old = cells[col] if col is not None and col < len(cells) else ""
        if not same(old, new):
            changes.append((header, old, new))
    return tuple(changes)


class _Planner:
    """Builds one plan; a class only to share the state of one call of `plan()`."""

    def __init__(self, observed: Observed, rules: Rules, now: datetime, drive: DriveOutcome | None,
                 milestones: MilestonePlan | None):
        self.observed = observed
        self.drive = drive
        self.milestones = milestones
        self.rules = rules
        self.now = now
        self.layouts = L.all_layouts(rules.milestone_titles)
        self.actions: list[Action] = []
        self.book = observed.book
        self._indexes: dict[str, dict[tuple, int]] = {}

    def tab(self, name: str) -> Tab:
        """The tab as it will be once layout repairs are applied (empty when created)."""
        return self.book.tab(name) or Tab(name, -1, [list(self.layouts[name].headers)], 0, 0)

    def repair_layout(self) -> None:
        for name, layout in self.layouts.items():
            existing = self.book.tab(name)
            if existing is None:
                self.actions.append(AddTab(name, layout.headers))
                continue
            missing = layout.missing(existing.header)
            if missing:
                self.actions.append(AddHeaders(name, tuple(missing)))

    def index(self, name: str) -> dict[tuple, int]:
        """Row of each key in tab `name` (planning never changes the book: built once)."""
        if name not in self._indexes:
            tab = self.tab(name)
            self._indexes[name] = members_index(tab) if name == L.MEMBERS else tab.index_by(self.layouts[name].key)[0]
        return self._indexes[name]

    def sync_table(self, name: str, desired: Mapping[tuple, Mapping[str, Any]],
                   team_of: Mapping[tuple, str] | None = None) -> tuple[int, int]:
        """Add missing rows and update changed ones; returns (added, updated)."""
        layout, tab = self.layouts[name], self.tab(name)
        index = self.index(name)
        added = updated = 0
        for key, values in desired.items():
            tid = (team_of or {}).get(key, "")
            row = index.get(key)
            if row is None:
                self.actions.append(AddRow(name, tuple(values.items()), tid))
                added += 1
                continue
            changes = diff_row(tab, row, values, layout.owned)
            if changes:
                self.actions.append(UpdateRow(name, key, changes, tid))
                updated += 1
        return added, updated


def member_key(team: str, email: str, name: str) -> tuple[str, str, str]:
    """A member is known by email; only someone listed without one is known by name."""
    email = email.strip().lower()
    return (team, email, "" if email else name.strip())


def members_index(tab: Tab) -> dict[tuple, int]:
    found: dict[tuple, int] = {}
    for row in tab.data_rows():
        key = member_key(str(tab.value(row, L.TEAM_ID)).strip(), str(tab.value(row, "Email")),
                         str(tab.value(row, "Member")))
        if key[0]:
            found.setdefault(key, row)
    return found


def plan(observed: Observed, rules: Rules, now: datetime, drive: DriveOutcome | None = None,
         milestones: MilestonePlan | None = None) -> Plan:
    """Every sheet change and reminder of this run, given what was read, the rules, the
    time, what the Drive changes came to and the milestones' state."""
    p = _Planner(observed, rules, now, drive, milestones)
    p.repair_layout()
    teams = choose_teams(observed.submissions, rules.team_key)
    new = updated = unchanged = withdrawn = 0
    # Without a question every team needs, no response could be read: the roster and
    # members stay as they are (no team is withdrawn) until the form or config is fixed.
    if not form_errors(observed.problems):
        new, updated, unchanged, withdrawn = _plan_roster(p, teams, unanswered_columns(observed.problems))
        _plan_members(p, teams, unanswered_columns(observed.problems))
    opened, new_problems, resolved = _plan_problems(p, teams)
    _plan_reminders(p)
    stamp = now.astimezone(ZoneInfo(rules.time_zone)).isoformat(timespec="seconds")
    p.actions.append(SetLastRun(f"{stamp} (run {rules.run_id})" if rules.run_id else stamp))
    return Plan(tuple(p.actions), teams_total=len(teams), teams_new=new, teams_updated=updated,
                teams_unchanged=unchanged, teams_withdrawn=withdrawn, problems_open=opened,
                problems_new=new_problems, problems_resolved=resolved)


def _plan_roster(p: _Planner, teams: Mapping[str, Team], unanswered: frozenset[str]) -> tuple[int, int, int, int]:
    desired = {(tid,): {h: v for h, v in roster_values(team, p.rules.time_zone).items() if h not in unanswered}
               for tid, team in teams.items()}
    for (tid,), values in desired.items():
        if p.drive is not None and tid in p.drive.links:
            values[L.FOLDER] = p.drive.links[tid]
        if p.milestones is not None:
            values.update(p.milestones.roster.get(tid, {}))
    added, updated = p.sync_table(L.ROSTER, desired, {(tid,): tid for tid in teams})
    tab, withdrawn = p.tab(L.ROSTER), 0
    for key, row in p.index(L.ROSTER).items():
        if key in desired or tab.value(row, L.TEAM_STATUS) == WITHDRAWN:
            continue
        # A team whose response is gone is marked, never deleted.
        p.actions.append(UpdateRow(L.ROSTER, key, ((L.TEAM_STATUS, tab.value(row, L.TEAM_STATUS), WITHDRAWN),),
                                   key[0]))
        withdrawn += 1
    return added, updated, len(teams) - added - updated, withdrawn


def _plan_members(p: _Planner, teams: Mapping[str, Team], unanswered: frozenset[str]) -> None:
    desired: dict[tuple, dict[str, Any]] = {}
    team_of: dict[tuple, str] = {}
    for tid, team in teams.items():
        sub = team.submission
        people = [(sub.facilitator_name, sub.facilitator_email, "facilitator")]
        people += [(m.name, m.email or "", "member") for m in sub.members]
        for name, email, role in people:
            key = member_key(tid, email, name)
            desired[key] = {L.TEAM_ID: tid, "Team name": sub.team_name, "Member": name, "Email": email,
                            "Role": role, "On team": "yes", **_access(p.drive, tid, email)}
            if role == "facilitator" and OPTIONAL_COLUMNS["facilitator_name"] in unanswered:
                del desired[key]["Member"]
            team_of[key] = tid
    p.sync_table(L.MEMBERS, desired, team_of)
    tab = p.tab(L.MEMBERS)
    for key, row in p.index(L.MEMBERS).items():
        if key not in desired and tab.value(row, "On team") != "no":
            # Someone who left a team keeps their row, marked, so the history stays.
            p.actions.append(UpdateRow(L.MEMBERS, key, (("On team", tab.value(row, "On team"), "no"),), key[0]))


def _access(drive: DriveOutcome | None, tid: str, email: str) -> dict[str, str]:
    if drive is None:
        return {}
    if not email:
        return {"Access": NO_EMAIL, "Access detail": "add their email to the Staff tab or the form"}
    state, detail = drive.access.get((tid, email.lower()), ("", ""))
    return {"Access": state, "Access detail": detail}


def _drive_problems(p: _Planner, teams: Mapping[str, Team]) -> list[Problem]:
    """A Drive change that failed is a problem row for its team until a run succeeds."""
    if p.drive is None:
        return []
    out = []
    for tid, what, reason in p.drive.failures:
        team = teams.get(tid)
        out.append(Problem(team.submission.response_id if team else "", "folder", what, reason))
    return out


def problem_id(problem: Problem) -> str:
    raw = f"{problem.response_id}\x1f{problem.field}\x1f{problem.reason}".encode("utf-8")
    return "P-" + hashlib.sha256(raw).hexdigest()[:10].upper()


def _current_problems(p: _Planner, teams: Mapping[str, Team]) -> dict[str, Problem]:
    """Problems of responses that no later submission from the same facilitator replaced."""
    latest: dict[str, datetime] = {}
    for team in teams.values():
        email = team.submission.facilitator_email.lower()
        latest[email] = max(latest.get(email, team.submission.submitted_at), team.submission.submitted_at)
    current = {problem_id(problem): problem for problem in _drive_problems(p, teams)}
    for problem in p.observed.problems:
        who = p.observed.response_facilitators.get(problem.response_id)
        if who and who[0].strip().lower() in latest and latest[who[0].strip().lower()] > who[1]:
            continue
        current[problem_id(problem)] = problem
    return current


def _team_of_response(teams: Mapping[str, Team]) -> dict[str, str]:
    out = {}
    for tid, team in teams.items():
        out[team.submission.response_id] = tid
        out.update({rid: tid for rid in team.superseded})
    return out


def _plan_problems(p: _Planner, teams: Mapping[str, Team]) -> tuple[int, int, int]:
    current = _current_problems(p, teams)
    team_of = _team_of_response(teams)
    stamp = local_time(p.now, p.rules.time_zone)
    tab = p.tab(L.PROBLEMS)
    index = p.index(L.PROBLEMS)
    desired, new = {}, 0
    for pid, problem in current.items():
        row = index.get((pid,))
        values = {"Problem ID": pid, "Status": "open", "Severity": problem.severity,
                  "Response ID": problem.response_id, "Team ID": team_of.get(problem.response_id, ""),
                  "Field": problem.field, "Value": problem.value, "Reason": problem.reason}
        if row is None:
            values["First seen"] = stamp
            new += 1
        elif tab.value(row, "Status") != "open":
            values["Resolved"] = ""
        desired[(pid,)] = values
    p.sync_table(L.PROBLEMS, desired)
    resolved = 0
    for key, row in index.items():
        if key not in desired and tab.value(row, "Status") == "open":
            p.actions.append(UpdateRow(L.PROBLEMS, key, (("Status", "open", "resolved"),
                                                         ("Resolved", tab.value(row, "Resolved"), stamp))))
            resolved += 1
    return len(current), new, resolved


def _plan_reminders(p: _Planner) -> None:
    """Ledger rows go in as `sending` with this run's sheet write, before any email leaves."""
    if p.milestones is None:
        return
    from mail.message import message_id

    for entry in p.milestones.unresolved:
        p.actions.append(ResolveSending(entry.key, entry.message_id))
    stamp = local_time(p.now, p.rules.time_zone)
    ledger = p.index(L.REMINDERS)
    for reminder in p.milestones.reminders:
        mid = message_id(reminder.key, p.rules.mail_domain)
        values = (("Key", reminder.key), ("Team ID", reminder.team_id), ("Team name", reminder.team_name),
                  ("Milestone", reminder.milestone_title), ("Step", reminder.step),
                  ("Recipients", ", ".join(reminder.to + reminder.cc)), ("Message-ID", mid), ("Status", SENDING),
                  ("Time", stamp), ("Sent ID", ""), ("Detail", ""))
        retry = (reminder.key,) in ledger   # a failed send, tried again
        if retry:
            tab = p.tab(L.REMINDERS)
            row = ledger[(reminder.key,)]
            p.actions.append(UpdateRow(L.REMINDERS, (reminder.key,),
                                       tuple((h, tab.value(row, h), v) for h, v in values), reminder.team_id))
        else:
            p.actions.append(AddRow(L.REMINDERS, values, reminder.team_id))
        p.actions.append(SendReminder(reminder, mid, retry))


def roster_team_count(book: Book) -> int:
    """Active teams the roster holds now (the shrink guard's yardstick)."""
    tab = book.tab(L.ROSTER)
    if tab is None:
        return 0
    index, _ = tab.index_by((L.TEAM_ID,))
    return sum(1 for row in index.values() if tab.value(row, L.TEAM_STATUS) != WITHDRAWN)

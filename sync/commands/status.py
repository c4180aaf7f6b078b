"""`plt status`: the Dashboard's picture in a terminal, for district IT and coordinators
who would rather not open the sheet.

The numbers come from the Roster tab's `<Milestone> status` columns, the very cells the
last `plt sync` wrote, so the terminal and the Dashboard never disagree; nothing is
recomputed from the form or the clock here. Reading is one `spreadsheets.get`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from sheets import layout as L
from sheets.book import Book, Tab, read_book

from sync.errors import AccessError, UsageError
from sync.google.errors import AccessRefused, NotFound, classify, with_retries
from sync.core.roster_plan import ACTIVE
from sync.core.schedule import DUE_SOON, MISSING, OVERDUE, RECEIVED

ALL_SCHOOLS = "All schools"
_ROSTER_HINT = ("Share the roster spreadsheet with the account PLT Sync signs in as (as an editor), "
                "or check [roster].spreadsheet_id; `plt doctor` checks every resource")


@dataclass
class MilestoneCount:
    """How the active teams of one school stand on one milestone."""

    title: str
    received: int = 0
    due_soon: int = 0
    missing: int = 0
    overdue: int = 0
    # No status written yet: a milestone added to the config since the last sync.
    not_checked: int = 0

    @property
    def teams(self) -> int:
        return self.received + self.due_soon + self.missing + self.overdue + self.not_checked

    def percent(self, count: int) -> int:
        return round(100 * count / self.teams) if self.teams else 0

    def count(self, status: str) -> None:
        word = status.strip().lower()
        attribute = {RECEIVED: "received", DUE_SOON: "due_soon", MISSING: "missing", OVERDUE: "overdue"}
        name = attribute.get(word, "not_checked")
        setattr(self, name, getattr(self, name) + 1)

    def to_json(self) -> dict:
        return {**asdict(self), "teams": self.teams, "received_percent": self.percent(self.received),
                "overdue_percent": self.percent(self.overdue)}


@dataclass
class SchoolStatus:
    school: str
    milestones: list[MilestoneCount]
    teams: int = 0
    members: int = 0

    def to_json(self) -> dict:
        return {"school": self.school, "teams": self.teams, "members": self.members,
                "milestones": [m.to_json() for m in self.milestones]}


@dataclass(frozen=True)
class OverdueTeam:
    school: str
    team: str
    facilitator: str
    facilitator_email: str
    milestones: tuple[str, ...]


@dataclass
class ProgrammeStatus:
    programme: str
    last_sync: str
    schools: list[SchoolStatus]
    overdue: list[OverdueTeam] = field(default_factory=list)

    @property
    def total(self) -> SchoolStatus:
        """The programme as a whole: every school's counts added up."""
        titles = [m.title for m in self.schools[0].milestones] if self.schools else []
        total = SchoolStatus(ALL_SCHOOLS, [MilestoneCount(t) for t in titles])
        for school in self.schools:
            total.teams += school.teams
            total.members += school.members
            for mine, theirs in zip(total.milestones, school.milestones):
                for name in ("received", "due_soon", "missing", "overdue", "not_checked"):
                    setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
        return total

    def to_json(self) -> dict:
        return {"programme": self.programme, "last_sync": self.last_sync,
                "schools": [s.to_json() for s in self.schools], "total": self.total.to_json(),
                "overdue_teams": [asdict(t) | {"milestones": list(t.milestones)} for t in self.overdue]}


def programme_status(book: Book, programme: str, schools: Sequence[str], milestone_titles: Sequence[str]) -> ProgrammeStatus:
    """Per school (the configured ones first, then any other the roster names): active
    teams, their members, and each milestone's received / due soon / missing / overdue."""
    roster = book.tab(L.ROSTER)
    by_school = {s: SchoolStatus(s, [MilestoneCount(t) for t in milestone_titles]) for s in schools}
    overdue: list[OverdueTeam] = []
    for row in _active_rows(roster):
        school = str(roster.value(row, "School")).strip() or "(no school)"
        entry = by_school.setdefault(school, SchoolStatus(school, [MilestoneCount(t) for t in milestone_titles]))
        entry.teams += 1
        entry.members += _number(roster.value(row, "Member count"))
        late = []
        for count in entry.milestones:
            status = str(roster.value(row, L.status_header(count.title)))
            count.count(status)
            if status.strip().lower() == OVERDUE:
                late.append(count.title)
        if late:
            overdue.append(_overdue_team(roster, row, school, late))
    overdue.sort(key=lambda t: (t.school, t.team.casefold()))
    return ProgrammeStatus(programme, _last_sync(book), list(by_school.values()), overdue)


def _active_rows(roster: Tab | None) -> Iterable[int]:
    """Roster rows of teams still in the programme (withdrawn teams are not counted)."""
    if roster is None:
        return []
    return [row for row in roster.data_rows()
            if str(roster.value(row, L.TEAM_ID)).strip()
            and str(roster.value(row, L.TEAM_STATUS)).strip().lower() in (ACTIVE, "")]


def _overdue_team(roster: Tab, row: int, school: str, milestones: list[str]) -> OverdueTeam:
    return OverdueTeam(school, str(roster.value(row, "Team name")), str(roster.value(row, "Facilitator")),
                       str(roster.value(row, "Facilitator email")), tuple(milestones))


def _number(value: object) -> int:
    try:
        return int(float(str(value).strip() or 0))
    except ValueError:
        return 0


def _last_sync(book: Book) -> str:
    """Dashboard B1: when the last `plt sync` ran (empty before the first one)."""
    dashboard = book.tab(L.DASHBOARD)
    if dashboard is None or not dashboard.rows or len(dashboard.rows[0]) < 2:
        return ""
    return str(dashboard.rows[0][1])


def read_status(settings, workspace) -> ProgrammeStatus:
    """The programme's status from its master roster: one read, no writes."""
    if not settings.roster.spreadsheet_id:
        raise UsageError(f"{settings.path or 'the config'} names no roster yet: run `plt init` and `plt sync` first")
    try:
        book = with_retries(lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id))
    except Exception as error:
        failure = classify(error)
        if isinstance(failure, (AccessRefused, NotFound)) and failure.status:  # Google answered "no"
            raise AccessError("the master roster", failure.status, failure.message, _ROSTER_HINT) from error
        raise
    return programme_status(book, settings.programme.name, settings.programme.sites,
                            [m.title for m in settings.milestones])

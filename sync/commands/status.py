"""`plt status`: the Dashboard's picture in a terminal, for district IT and coordinators
who would rather not open the sheet.

The numbers come from the programme model (`sync.core.report_model`), built from the
Roster's `<Milestone> status` columns the last `plt sync` wrote and the Members tab, the
very model the Dashboard is counted by, so the terminal and the Dashboard never disagree;
nothing is recomputed from the form or the clock here. Reading is one `spreadsheets.get`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from sheets.book import Book, read_book

from sync.errors import AccessError, UsageError
from sync.google.errors import AccessRefused, NotFound, classify, with_retries
from sync.core.report_tables import given
from sync.core.report_model import ALL_SITES, COUNTS, ProgrammeModel, as_of, build_model, percent
from sync.rules import model_rules

_ROSTER_HINT = ("Share the roster spreadsheet with the account PLT Sync signs in as (as an editor), "
                "or check [roster].spreadsheet_id; `plt doctor` checks every resource")


@dataclass(frozen=True)
class MilestoneCount:
    """How the active units of one site stand on one milestone."""

    title: str
    received: int = 0
    due_soon: int = 0
    missing: int = 0
    overdue: int = 0
    # No status written yet: a milestone added to the config since the last sync.
    not_checked: int = 0
    teams: int = 0
    received_percent: int = 0

    def to_json(self) -> dict:
        return {**asdict(self), "overdue_percent": percent(self.overdue, self.teams)}


@dataclass(frozen=True)
class Participation:
    """A site's participation against the target in force on the day of the last sync
    (None: not counted, without a Staff tab or a target)."""

    staff: int | None = None
    percent: int | None = None
    target_percent: int | None = None
    target_by: str | None = None
    on_track: bool | None = None


@dataclass(frozen=True)
class SchoolStatus:
    school: str
    milestones: list[MilestoneCount]
    teams: int = 0
    people: int = 0
    participation: Participation = Participation()

    def to_json(self) -> dict:
        return {"school": self.school, "teams": self.teams, "people": self.people,
                "participation": asdict(self.participation), "milestones": [m.to_json() for m in self.milestones]}


@dataclass(frozen=True)
class OverdueTeam:
    school: str
    team: str
    whose_turn: str
    milestones: tuple[str, ...]


@dataclass(frozen=True)
class ProgrammeStatus:
    programme: str
    last_sync: str
    schools: list[SchoolStatus]
    total: SchoolStatus
    overdue: list[OverdueTeam] = field(default_factory=list)

    @property
    def behind_target(self) -> list[str]:
        """The sites below the target in force."""
        return [s.school for s in self.schools if s.participation.on_track is False]

    @property
    def has_targets(self) -> bool:
        return any(s.participation.target_percent is not None for s in self.schools)

    def to_json(self) -> dict:
        return {"programme": self.programme, "last_sync": self.last_sync,
                "schools": [s.to_json() for s in self.schools], "total": self.total.to_json(),
                "behind_target": self.behind_target,
                "overdue_teams": [asdict(t) | {"milestones": list(t.milestones)} for t in self.overdue]}


def programme_status(model: ProgrammeModel, programme: str) -> ProgrammeStatus:
    """Per site (every one the model shows, sorted by name) and in total: active units, their
    people, participation against the target in force on the day of the last sync, and each
    milestone's received / due soon / missing / overdue."""
    part, progress = model.participation(as_of(model)), model.progress()

    def school(site: str) -> SchoolStatus:
        counts = [MilestoneCount(title, *(int(progress.loc[(site, title)][c]) for c in (*COUNTS, "units",
                                                                                          "percent_received")))
                  for title in model.titles]
        line = part.loc[site]
        return SchoolStatus(site, counts, int(line["units"]), int(line["people"]), Participation(
            _whole(line["staff"]), _whole(line["participation"]), _whole(line["target"]), given(line["target_by"]),
            given(line["on_track"])))

    late = model.overdue()
    overdue = [OverdueTeam(s, u, w, tuple(m.split(", ")))
               for s, u, w, m in zip(late["site"], late["unit"], late["whose_turn"], late["overdue"])]
    return ProgrammeStatus(programme, model.last_sync, [school(s) for s in model.sites], school(ALL_SITES), overdue)


def _whole(value) -> int | None:
    return None if pd.isna(value) else int(value)


def read_status(settings, workspace) -> ProgrammeStatus:
    """The programme's status from its master roster: one read, no writes."""
    return programme_status(build_model(read_roster(settings, workspace), model_rules(settings)),
                            settings.programme.name)


def read_roster(settings, workspace) -> Book:
    """The master spreadsheet, every tab in one `spreadsheets.get`; a clear error when it is
    not there or not shared with PLT Sync."""
    if not settings.roster.spreadsheet_id:
        raise UsageError(f"{settings.path or 'the config'} names no roster yet: run `plt init` and `plt sync` first")
    try:
        return with_retries(lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id))
    except Exception as error:
        failure = classify(error)
        if isinstance(failure, (AccessRefused, NotFound)) and failure.status:  # Google answered "no"
            raise AccessError("the master roster", failure.status, failure.message, _ROSTER_HINT) from error
        raise

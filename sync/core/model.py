"""What the planner reasons about (units, called teams here after the first programme)
and what it returns (frozen actions).

A unit's key is made of the fields the config names (`[unit] key`); its ID is a hash of
that key (see `sync.core.units`), so re-runs and crashes never renumber units.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from forms.model import Submission


@dataclass(frozen=True)
class Team:
    """One unit of the programme, as its latest response describes it."""

    team_id: str
    key: str
    submission: Submission
    superseded: tuple[Submission, ...] = ()   # earlier responses for this unit, oldest first
    started_at: datetime | None = None  # when its first response came: `days_after_start` counts from here
    # later responses held back from changing its people until a coordinator approves (sync.core.guard)
    held: tuple[Submission, ...] = ()


# Actions: the plan is a list of these; `--dry-run` prints them, `apply` carries them out.
@dataclass(frozen=True)
class Action:
    def describe(self) -> str:
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        data = {"action": type(self).__name__}
        data.update({k: _plain(v) for k, v in self.__dict__.items()})
        return data


@dataclass(frozen=True)
class LinkOf:
    """The address of the folder this run creates for a team, in a cell or an email planned
    before Drive has made the folder: apply puts the address in once it has it."""

    team_id: str


def _plain(value: Any) -> Any:
    if isinstance(value, LinkOf):
        return {"link_of": value.team_id}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Action):
        return value.as_dict()
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in value.__dict__.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class UpdateRow(Action):
    """Change sync-owned cells of an existing row, found by its key."""

    tab: str
    key: tuple[str, ...]
    changes: tuple[tuple[str, Any, Any], ...]   # (header, old, new)
    team_id: str = ""

    def describe(self) -> str:
        cols = ", ".join(h for h, _, _ in self.changes)
        return f"update {self.tab} row {'/'.join(self.key)}: {cols}"


@dataclass(frozen=True)
class AddRow(Action):
    tab: str
    values: tuple[tuple[str, Any], ...]        # (header, value)
    team_id: str = ""

    def describe(self) -> str:
        first = dict(self.values)
        label = next((str(first[h]) for h in ("Team ID", "Problem ID", "Key", "Run ID") if h in first), "")
        return f"add {self.tab} row {label}".rstrip()


@dataclass(frozen=True)
class AddHeaders(Action):
    tab: str
    headers: tuple[str, ...]

    def describe(self) -> str:
        return f"add {self.tab} columns: {', '.join(self.headers)}"


@dataclass(frozen=True)
class AddTab(Action):
    tab: str
    headers: tuple[str, ...]
    sheet_id: int          # chosen by the plan, so its layout repairs can name the new tab

    def describe(self) -> str:
        return f"create tab {self.tab}"


@dataclass(frozen=True)
class SetLastRun(Action):
    text: str

    def describe(self) -> str:
        return f"record last run: {self.text}"


# What each kind of layout request does, in a coordinator's words.
_REPAIRS = {"updateSheetProperties": "frozen header", "updateDimensionProperties": "column width",
            "setDataValidation": "tick boxes", "addConditionalFormatRule": "status colour",
            "addProtectedRange": "edit warning", "deleteProtectedRange": "stale edit warning removed",
            "repeatCell": "bold header", "addChart": "chart", "updateChartSpec": "chart ranges"}


def _repairs(requests: tuple[dict, ...]) -> str:
    """What layout requests do, counted: "2 column width, 1 edit warning"."""
    counts: dict[str, int] = {}
    for request in requests:
        what = _REPAIRS.get(next(iter(request), ""), "other change")
        counts[what] = counts.get(what, 0) + 1
    return ", ".join(f"{n} {what}" for what, n in counts.items())


@dataclass(frozen=True)
class RepairLayout(Action):
    """Put back what a tab's layout lacks: a frozen header, widths of the columns sync
    creates, tick boxes, status colours, warnings over sync-owned columns."""

    tab: str
    requests: tuple[dict, ...]     # batchUpdate requests, as they are sent

    def describe(self) -> str:
        return f"repair the layout of {self.tab}: {_repairs(self.requests)}"


@dataclass(frozen=True)
class LinkFolders(Action):
    """Make Folder cells clickable: each address becomes the cell's link."""

    tab: str
    column: int
    cells: tuple[tuple[int, Any], ...]     # (row, address or LinkOf)

    def describe(self) -> str:
        return f"link {len(self.cells)} Folder cell(s) on {self.tab}"


@dataclass(frozen=True)
class UpdateDashboard(Action):
    """The Dashboard table's changed cells (None clears one), then its bold header and its
    chart where they are missing or out of date."""

    cells: tuple[tuple[int, tuple[tuple[int, Any], ...]], ...]    # (row, ((column, value), ...))
    requests: tuple[dict, ...] = ()

    def describe(self) -> str:
        count = sum(len(row) for _, row in self.cells)
        extra = f"; {_repairs(self.requests)}" if self.requests else ""
        return f"update {count} Dashboard cell(s){extra}"


@dataclass(frozen=True)
class SendReminder(Action):
    """Send one reminder; its ledger row is written as `sending` first."""

    reminder: Any          # mail.message.Reminder
    message_id: str
    retry: bool = False    # an earlier send of this key failed: it may have gone out after all

    def describe(self) -> str:
        r = self.reminder
        return f"email {', '.join(r.to)} about {r.milestone_title} ({r.step}) for {r.unit_name}"


@dataclass(frozen=True)
class ResolveSending(Action):
    """A reminder a crashed run left `sending`: find out whether it went before anything else."""

    key: str
    message_id: str

    def describe(self) -> str:
        return f"check whether reminder {self.key} went out before the last run stopped"


@dataclass(frozen=True)
class Plan:
    """Everything one run will do, in the order apply does it, and the figures the report needs."""

    actions: tuple[Action, ...]            # the sheet's cells: tabs, headers, rows, the last-run time
    drive: tuple[Any, ...] = ()            # drive.model changes, made first
    documents: tuple[Any, ...] = ()        # documents.model fills of template copies, right after Drive
    layout: tuple[Action, ...] = ()        # layout and Dashboard repairs, in the same write as the cells
    emails: tuple[Action, ...] = ()        # reminders to check or send once their ledger rows are written
    teams_total: int = 0
    teams_new: int = 0
    teams_updated: int = 0
    teams_unchanged: int = 0
    teams_withdrawn: int = 0
    problems_open: int = 0
    problems_new: int = 0
    problems_resolved: int = 0
    folders_existing: int = 0
    sharing_blocked: int = 0               # people not shared with: outside the allowed domains
    calendar: tuple[Any, ...] = ()         # calendars.model event changes, made after Drive
    events_unchanged: int = 0              # calendar events already as planned
    invites_blocked: int = 0               # people not invited: outside the allowed domains
    form_errors: tuple[str, ...] = ()      # why no response could be read, when none could

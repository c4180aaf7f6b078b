"""The master spreadsheet's tabs and columns, and which of them PLT Sync owns.

Columns are found by their header text, never by position: coordinators may reorder,
insert and add columns. Sync writes only the columns it owns; `received` checkboxes and
`Notes` belong to coordinators.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

ROSTER = "Roster"
MEMBERS = "Members"
PROBLEMS = "Problems"
REMINDERS = "Reminders"
RUNS = "Runs"
DASHBOARD = "Dashboard"
MEETINGS = "Meetings"   # only in a programme whose units have meeting dates
STAFF = "Staff"  # optional, coordinator-made: name -> email for members typed as bare names

TAB_ORDER = (DASHBOARD, ROSTER, MEMBERS, PROBLEMS, REMINDERS, RUNS)
# Where a tab a programme may add goes, among those above.
_PLACE = {MEETINGS: (DASHBOARD, ROSTER, MEMBERS)}


def tabs_before(name: str) -> tuple[str, ...] | None:
    """The tabs a tab of this name follows, or None for a tab of no fixed place."""
    if name in TAB_ORDER:
        return TAB_ORDER[: TAB_ORDER.index(name)]
    return _PLACE.get(name)

TEAM_ID = "Team ID"
TEAM_STATUS = "Team status"
FOLDER = "Folder"
LAST_REMINDER = "Last reminder"
EARLIER_RESPONSES = "Earlier responses"
NOTES = "Notes"

# The field columns of the first programme's roster (a programme's own come from its config).
FIELD_COLUMNS = ("Team name", "School", "Topic", "Goal type", "Facilitator", "Facilitator email", "Members",
                 "Member count", "Meeting time", "Training")


def roster_fields(field_columns: Sequence[str] = FIELD_COLUMNS) -> tuple[str, ...]:
    """The Roster's sync-owned columns before the milestones: the unit's id, the columns its
    fields fill, when and from which response it is, the responses that one replaced, in
    which state it is, and its folder."""
    return (TEAM_ID, *field_columns, "Submitted", "Response ID", EARLIER_RESPONSES, TEAM_STATUS, FOLDER)


ROSTER_FIELDS = roster_fields()


@dataclass(frozen=True)
class TabLayout:
    name: str
    key: tuple[str, ...]          # the headers whose values identify a row
    headers: tuple[str, ...]      # every header, in the order init creates them
    owned: frozenset[str]         # the headers sync writes

    def missing(self, present: Sequence[str]) -> list[str]:
        """Headers of this layout the tab lacks (a damaged or new sheet): sync adds them back."""
        have = set(present)
        return [h for h in self.headers if h not in have]


def status_header(milestone_title: str) -> str:
    return f"{milestone_title} status"


def received_header(milestone_title: str) -> str:
    return f"{milestone_title} received"


def file_header(milestone_title: str) -> str:
    return f"{milestone_title} file"


def roster_layout(milestone_titles: Sequence[str], field_columns: Sequence[str] = FIELD_COLUMNS, *,
                  checkbox_titles: Sequence[str], file_titles: Sequence[str]) -> TabLayout:
    """The Roster: a status column for every milestone, a coordinator's `received` checkbox
    only for the milestones whose evidence is that checkbox (`checkbox_titles`), and a `file`
    column only for those whose evidence is a file in the unit's folder (`file_titles`).

    A roster made before a milestone lost its checkbox or file keeps the column: it is no
    longer sync's, and may hold ticks or notes worth keeping, so sync neither deletes it nor
    repairs it; a coordinator may delete it when they wish."""
    fields = roster_fields(field_columns)
    milestone_cols: list[str] = []
    owned = set(fields) | {LAST_REMINDER}
    for title in milestone_titles:
        received = [received_header(title)] if title in checkbox_titles else []
        file = [file_header(title)] if title in file_titles else []
        milestone_cols += [status_header(title), *received, *file]
        owned |= {status_header(title), *file}
    headers = (*fields, *milestone_cols, LAST_REMINDER, NOTES)
    return TabLayout(ROSTER, (TEAM_ID,), headers, frozenset(owned))


MEMBERS_LAYOUT = TabLayout(
    MEMBERS, (TEAM_ID, "Email", "Member"),
    (TEAM_ID, "Team name", "Member", "Email", "Role", "On team", "Access", "Access detail"),
    frozenset({TEAM_ID, "Team name", "Member", "Email", "Role", "On team", "Access", "Access detail"}),
)

# A coordinator's tick on a Problems row of a response held back from changing a unit's
# people: the next run applies the response (see sync.core.guard).
APPROVE = "Approve"

PROBLEMS_LAYOUT = TabLayout(
    PROBLEMS, ("Problem ID",),
    ("Problem ID", "Status", "Severity", "Response ID", "Team ID", "Field", "Value", "Reason", APPROVE,
     "First seen", "Resolved", "Coordinator notes"),
    frozenset({"Problem ID", "Status", "Severity", "Response ID", "Team ID", "Field", "Value", "Reason",
               "First seen", "Resolved"}),
)

REMINDERS_LAYOUT = TabLayout(
    REMINDERS, ("Key",),
    ("Key", "Team ID", "Team name", "Milestone", "Step", "Recipients", "Message-ID", "Sent ID", "Status",
     "Time", "Detail"),
    frozenset({"Key", "Team ID", "Team name", "Milestone", "Step", "Recipients", "Message-ID", "Sent ID",
               "Status", "Time", "Detail"}),
)

RUNS_LAYOUT = TabLayout(
    RUNS, ("Run ID",),
    ("Run ID", "Started", "Finished", "Clock", "Exit code", "Teams", "New", "Updated", "Withdrawn",
     "Problems open", "Folders created", "Shared", "Reminders sent", "API calls", "Summary"),
    frozenset({"Run ID", "Started", "Finished", "Clock", "Exit code", "Teams", "New", "Updated", "Withdrawn",
               "Problems open", "Folders created", "Shared", "Reminders sent", "API calls", "Summary"}),
)

# Dashboard A1:B1 holds the time of the last run: the one write a quiet run makes.
DASHBOARD_LAYOUT = TabLayout(DASHBOARD, (), ("Last sync",), frozenset({"Last sync"}))

UNIT_ID = "Unit ID"
MEETING = "Meeting"
MEETING_STATUS = "Status"


def meetings_layout(unit_columns: Sequence[str]) -> TabLayout:
    """The Meetings tab (a programme with a `dates` field): one row per meeting or series
    of a unit, found by the unit and the meeting's key; `unit_columns` are roster columns
    that say which unit it is (its school, its CWG number)."""
    headers = (UNIT_ID, MEETING, "Unit", *unit_columns, "Start", "End", "Repeats", "Line", MEETING_STATUS)
    return TabLayout(MEETINGS, (UNIT_ID, MEETING), (*headers, NOTES), frozenset(headers))
LAST_SYNC_LABEL = "Last sync"


def all_layouts(milestone_titles: Sequence[str], field_columns: Sequence[str] = FIELD_COLUMNS, *,
                checkbox_titles: Sequence[str], file_titles: Sequence[str],
                meetings: Sequence[str] | None = None) -> dict[str, TabLayout]:
    """Every tab's layout; `meetings` (the Meetings tab's unit columns) adds that tab."""
    layouts = [DASHBOARD_LAYOUT, roster_layout(milestone_titles, field_columns, checkbox_titles=checkbox_titles,
                                               file_titles=file_titles),
               MEMBERS_LAYOUT, PROBLEMS_LAYOUT, REMINDERS_LAYOUT, RUNS_LAYOUT]
    if meetings is not None:
        layouts.append(meetings_layout(meetings))
    return {layout.name: layout for layout in layouts}

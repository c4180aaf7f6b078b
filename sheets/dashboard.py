"""The Dashboard tab's numbers: per school, teams, people, and each milestone's progress.

Pure: teams and their milestone statuses in, table cells out. The table starts on the
third row (row 1 holds the last-run time), one row per school and a total row, so the
chart of milestone completion by school can point at a fixed block of cells.

Participation is the people in active teams (facilitators and members, each counted once
per school) against the school's staff, when the coordinator's Staff tab has a `School`
column to count staff by; without it the Dashboard shows the count only. A target is the
fraction of staff a programme aims to reach (Tulsa's plan: 25% the first fall, 100% the
next), shown as a percentage next to the actual.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from . import layout as L

TABLE_ROW = 2                  # zero-based: the header of the table is the sheet's third row
ALL_SCHOOLS = "All schools"
CHART_TITLE = "Milestone completion by school"
RECEIVED, OVERDUE = "received", "overdue"
BASE_HEADERS = ("School", "Teams", "People in PLTs", "Staff", "Participation %", "Target %")

Cell = str | int | None


@dataclass(frozen=True)
class TeamFacts:
    """One active team as the Dashboard counts it."""

    school: str
    people: frozenset[str]              # facilitator and members, by email (or name without one)
    statuses: Mapping[str, str]         # milestone title -> received / missing / due soon / overdue


@dataclass(frozen=True)
class SchoolLine:
    school: str
    teams: int
    people: int
    staff: int | None
    target: float | None
    progress: Mapping[str, tuple[int, int, int]]     # milestone title -> (received, missing, overdue)

    def percent_received(self, title: str) -> int:
        received, missing, overdue = self.progress.get(title, (0, 0, 0))
        total = received + missing + overdue
        return round(100 * received / total) if total else 0

    def participation(self) -> int | None:
        return round(100 * self.people / self.staff) if self.staff else None


def headers(titles: Sequence[str]) -> list[str]:
    out = list(BASE_HEADERS)
    for title in titles:
        out += [L.received_header(title), f"{title} missing", f"{title} overdue", f"{title} % received"]
    return out


def school_lines(teams: Iterable[TeamFacts], titles: Sequence[str], staff: Mapping[str, int] | None,
                 targets: Mapping[str, float], schools: Iterable[str] = ()) -> list[SchoolLine]:
    """One line per school of the programme, and per other school with a team or a target,
    sorted by name, then the total line. Every school shows from the first day, at zero until
    it has a team, so a coordinator sees at once which schools have not joined yet."""
    by_school: dict[str, list[TeamFacts]] = {school: [] for school in (*schools, *targets)}
    for team in teams:
        by_school.setdefault(team.school, []).append(team)
    lines = [_line(school, members, titles, staff, targets.get(school))
             for school, members in sorted(by_school.items())]
    return lines + [_total(lines, by_school, titles, staff)]


def _line(school: str, teams: list[TeamFacts], titles: Sequence[str], staff: Mapping[str, int] | None,
          target: float | None) -> SchoolLine:
    people = frozenset().union(*(t.people for t in teams)) if teams else frozenset()
    return SchoolLine(school, len(teams), len(people), None if staff is None else staff.get(school, 0), target,
                      {title: _progress(t.statuses.get(title, "") for t in teams) for title in titles})


def _progress(statuses: Iterable[str]) -> tuple[int, int, int]:
    """Received, missing (not yet due, or due soon) and overdue."""
    words = list(statuses)
    received, overdue = words.count(RECEIVED), words.count(OVERDUE)
    return received, len(words) - received - overdue, overdue


def _total(lines: list[SchoolLine], by_school: Mapping[str, list[TeamFacts]], titles: Sequence[str],
           staff: Mapping[str, int] | None) -> SchoolLine:
    everyone = [t for teams in by_school.values() for t in teams]
    total = _line(ALL_SCHOOLS, everyone, titles, staff, None)
    # People in teams at two schools count once per school, as the school lines show them.
    return SchoolLine(ALL_SCHOOLS, total.teams, sum(line.people for line in lines),
                      None if staff is None else sum(staff.values()), None, total.progress)


def table(lines: Sequence[SchoolLine], titles: Sequence[str]) -> list[list[Cell]]:
    """The Dashboard table: a header row, then one row per line."""
    rows: list[list[Cell]] = [headers(titles)]
    for line in lines:
        row: list[Cell] = [line.school, line.teams, line.people, line.staff, line.participation(),
                           None if line.target is None else round(100 * line.target)]
        for title in titles:
            row += [*line.progress[title], line.percent_received(title)]
        rows.append(row)
    return rows


def chart_sources(sheet_id: int, schools: int, titles: Sequence[str]) -> dict:
    """Domain (school names) and series (% received per milestone): the header row and the
    school rows, never the total row."""
    def source(col: int) -> dict:
        return {"sourceRange": {"sources": [{"sheetId": sheet_id, "startRowIndex": TABLE_ROW,
                                             "endRowIndex": TABLE_ROW + 1 + schools,
                                             "startColumnIndex": col, "endColumnIndex": col + 1}]}}

    percent_cols = [len(BASE_HEADERS) + 4 * i + 3 for i in range(len(titles))]
    return {"domains": [{"domain": source(0)}],
            "series": [{"series": source(col), "targetAxis": "LEFT_AXIS"} for col in percent_cols]}


def chart_spec(sheet_id: int, schools: int, titles: Sequence[str]) -> dict:
    return {"title": CHART_TITLE,
            "basicChart": {"chartType": "COLUMN", "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
                           "axis": [{"position": "BOTTOM_AXIS", "title": "School"},
                                    {"position": "LEFT_AXIS", "title": "% of teams with the milestone received"}],
                           **chart_sources(sheet_id, schools, titles)}}

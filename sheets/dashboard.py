"""The Dashboard tab's shape: its headers, where its table sits, and its chart.

The table starts on the third row (row 1 holds the last-run time, row 2 the schools behind
their target), one row per school and a total row, so the chart of milestone completion by school can point at a fixed block of
cells. Its numbers come from the programme model (`sync.core.report_model`), the one place
every count is made: teams, people, staff, participation % against the target % in force,
its date and whether the school is on track, and per milestone received, missing (neither received nor overdue), overdue and % received.
"""
from __future__ import annotations

from typing import Sequence

from . import layout as L

TABLE_ROW = 2                  # zero-based: the header of the table is the sheet's third row
ALL_SCHOOLS = "All schools"
CHART_TITLE = "Milestone completion by school"
BASE_HEADERS = ("School", "Teams", "People in PLTs", "Staff", "Participation %", "Target %", "Target by",
                "On track")
BEHIND_ROW, BEHIND_LABEL = 1, "Behind target"
ON_TRACK, BEHIND = "yes", "no"


def on_track_word(value: bool | None) -> str | None:
    return None if value is None else (ON_TRACK if value else BEHIND)


def behind_row(schools: Sequence[str] | None) -> list[str | None]:
    """The Dashboard's second row: the schools behind their target, when any can be checked."""
    if schools is None:
        return [None, None]
    return [BEHIND_LABEL, ", ".join(schools) or "none"]


def headers(titles: Sequence[str]) -> list[str]:
    out = list(BASE_HEADERS)
    for title in titles:
        out += [L.received_header(title), f"{title} missing", f"{title} overdue", f"{title} % received"]
    return out


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

"""The tables people read, cut from the one programme model: the Dashboard's cells, and the
report's and digest's tables (per site and milestone; participation against the target in
force; overdue units with whose turn it is). Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from sheets import dashboard as D

from sync.core.report_model import ALL_SITES, ProgrammeModel, site_order

Cell = str | int | None


def _cell(value) -> Cell:
    return None if pd.isna(value) else int(value)


def given(value):
    """A value of an object column, None where pandas holds a missing one."""
    return None if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)) else value


def dashboard_rows(model: ProgrammeModel, today: date | None) -> list[list[Cell]]:
    """The Dashboard table: a header row, one row per site, then the total row."""
    part, progress = model.participation(today), model.progress()
    rows: list[list[Cell]] = [D.headers(model.titles)]
    for site in site_order(model):
        line = part.loc[site]
        row: list[Cell] = [site, int(line["units"]), int(line["people"]), _cell(line["staff"]),
                           _cell(line["participation"]), _cell(line["target"]), given(line["target_by"]),
                           D.on_track_word(given(line["on_track"]))]
        for title in model.titles:
            counts = progress.loc[(site, title)]
            row += [int(counts["received"]), int(counts["open"]), int(counts["overdue"]),
                    int(counts["percent_received"])]
        rows.append(row)
    return rows


def dashboard_behind(model: ProgrammeModel, today: date | None) -> list[str | None]:
    """The Dashboard's "Behind target" row: blank while no school's target can be checked."""
    part = model.participation(today)
    checked = [track for site, track in zip(part.index, part["on_track"]) if site != ALL_SITES and given(track) is not None]
    return D.behind_row(model.behind_target(today) if checked else None)


@dataclass(frozen=True)
class Words:
    """How a report names units and sites ("Teams", "School")."""

    units: str = "Teams"
    unit: str = "Team"
    site: str = "School"


@dataclass(frozen=True)
class ReportTables:
    """The report's tables, each ready to print, save or send, with the day they stand on."""

    milestones: pd.DataFrame
    participation: pd.DataFrame
    overdue: pd.DataFrame
    over_time: pd.DataFrame       # people per site by date (for the chart), may be empty
    targets: pd.Series            # target % in force per site, for the chart (may be all missing)
    as_of: date | None

    def named(self) -> dict[str, pd.DataFrame]:
        """The tables by the name a CSV file, an XLSX sheet or a heading gives them."""
        return {"Milestones": self.milestones, "Participation": self.participation, "Overdue": self.overdue}

    @property
    def has_staff(self) -> bool:
        return self.participation["Staff"].notna().any()

    @property
    def has_targets(self) -> bool:
        return self.participation["Target %"].notna().any()


def report_tables(model: ProgrammeModel, today: date | None, words: Words = Words(),
                  site: str | None = None) -> ReportTables:
    """The report of the whole programme, or of one site (`site`: its lines, no total)."""
    progress = model.progress().reset_index()
    milestones = pd.DataFrame({
        words.site: progress["site"], "Milestone": progress["milestone"], words.units: progress["units"],
        "Received": progress["received"], "Missing": progress["open"], "Overdue": progress["overdue"],
        "% received": progress["percent_received"]})
    part = model.participation(today).reset_index()
    participation = pd.DataFrame({
        words.site: part["site"], words.units: part["units"], "People": part["people"], "Staff": part["staff"],
        "Participation %": part["participation"], "Target %": part["target"]})
    late = model.overdue()
    overdue = pd.DataFrame({words.site: late["site"], f"{words.unit} ID": late["unit_id"], words.unit: late["unit"],
                            "Overdue milestones": late["overdue"], "Whose turn": late["whose_turn"]})
    over_time = model.participation_over_time()
    targets = part.set_index("site")["target"]
    if site is not None:
        milestones = milestones[milestones[words.site] == site]
        participation = participation[participation[words.site] == site]
        overdue = overdue[overdue[words.site] == site]
        over_time = over_time[[site]] if site in over_time.columns else pd.DataFrame()
        targets = targets[targets.index == site]
    else:
        targets = targets[targets.index != ALL_SITES]
    return ReportTables(milestones.reset_index(drop=True), participation.reset_index(drop=True),
                        overdue.reset_index(drop=True), over_time, targets, today)

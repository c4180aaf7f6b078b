"""The programme's numbers, computed once: a pandas model of the roster, the people on each
unit, each milestone's status, the staff and the targets, read from the master spreadsheet.

Pure. The Dashboard (from the sheet as this run will leave it), `plt status`, `plt report`
and the weekly digest (from the sheet as read) all take their tables from here, so the
four never disagree. Statuses are the Roster's `<Milestone> status` cells, the very cells
the last `plt sync` wrote: nothing is recomputed from the forms or the clock.

Counting rules, stated once:
- a unit counts while its Roster row is active (a withdrawn unit is history, not counted);
- people are the Members rows still on an active unit, each person (by email, or by name
  without one) once per site; the total adds the sites up, as the site lines show them;
- milestone progress: received, due soon, missing, overdue, and not checked yet (no
  status written: a milestone added since the last sync); "missing" in the Dashboard and
  the report is everything neither received nor overdue;
- the target in force on a day is, per site, the earliest one whose date has not passed,
  else the latest one whose date has passed, else one without a date; a target naming a
  role counts the people of that unit role (Tulsa's teachers) against the staff whose
  Staff-tab Role is the same; a site is on track when its share reaches the target.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

import pandas as pd

from sheets import layout as L
from sheets.book import Book, Tab
from sheets.dashboard import ALL_SCHOOLS as ALL_SITES

RECEIVED, DUE_SOON, MISSING, OVERDUE, NOT_CHECKED = "received", "due soon", "missing", "overdue", "not checked"
STATUS_WORDS = (RECEIVED, DUE_SOON, MISSING, OVERDUE)
COUNTS = ("received", "due_soon", "missing", "overdue", "not_checked")
_ACTIVE, _ON_UNIT = ("active", ""), ("yes", "")


@dataclass(frozen=True)
class TargetRule:
    """A participation target: `share` of the staff of `sites` (every site when empty), by `by`."""

    share: float
    sites: tuple[str, ...] = ()
    by: date | None = None
    role: str | None = None      # counted against the staff of this role only (Staff tab's Role)


@dataclass(frozen=True)
class ModelRules:
    """What the model needs of the config, as plain values."""

    titles: tuple[str, ...]                   # the milestones, in config order
    sites: tuple[str, ...] = ()               # the programme's sites: each shows, even at zero
    site_column: str = "School"               # the Roster column holding a unit's site
    turn_roles: tuple[str, ...] = ()          # the roles reminders go to: whose turn an overdue milestone is
    targets: tuple[TargetRule, ...] = ()
    no_site: str = "(no school)"              # a unit whose site is blank is counted here
    site_noun: str = "School"                 # the Staff tab's site column (`plt staff import` names it so)


def percent(part: float, whole: float) -> int:
    """A whole percentage, rounded as Python rounds (half to even); 0 of nothing is 0."""
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class ProgrammeModel:
    """The frames every report is built from.

    units: unit_id, unit, site, started (date or None), one row per active unit.
    people: unit_id, site, person (the key a person is counted by), name, email, role.
    statuses: unit_id, site, milestone, status (one of STATUS_WORDS or NOT_CHECKED).
    """

    rules: ModelRules
    units: pd.DataFrame
    people: pd.DataFrame
    statuses: pd.DataFrame
    staff: pd.DataFrame | None                # site, role, email: a row per person of the Staff tab, when it has sites
    last_sync: str = ""

    @property
    def titles(self) -> tuple[str, ...]:
        return self.rules.titles

    @property
    def sites(self) -> list[str]:
        """Every site to show, sorted by name: the programme's, any with a target, any a unit names."""
        named = {s for t in self.rules.targets for s in t.sites}
        return sorted({*self.rules.sites, *named, *self.units["site"]})

    def progress(self) -> pd.DataFrame:
        """Per site (and the total) and milestone: units and how many of them stand where."""
        statuses = self.statuses.assign(n=1)
        counts = (statuses.pivot_table(index=["site", "milestone"], columns="status", values="n", aggfunc="sum",
                                       fill_value=0) if len(statuses) else pd.DataFrame())
        counts = counts.reindex(columns=[*STATUS_WORDS, NOT_CHECKED], fill_value=0)
        counts.columns = list(COUNTS)
        names = ["site", "milestone"]
        per_site = counts.reindex(pd.MultiIndex.from_product([self.sites, list(self.titles)], names=names),
                                  fill_value=0).astype(int)
        total = per_site.groupby(level="milestone", sort=False).sum()
        total = total.reindex(list(self.titles), fill_value=0)
        total.index = pd.MultiIndex.from_product([[ALL_SITES], list(self.titles)], names=names)
        out = pd.concat([per_site, total.astype(int)])
        out["units"] = out[list(COUNTS)].sum(axis=1)
        out["open"] = out["units"] - out["received"] - out["overdue"]
        out["percent_received"] = [percent(r, u) for r, u in zip(out["received"], out["units"])]
        return out

    def participation(self, today: date | None = None) -> pd.DataFrame:
        """Per site (and the total): units, people, staff, participation % and the target in
        force (%, its date), and whether the site is on track (its share reaches the target)."""
        sites = self.sites
        in_force = [target_rule(self.rules.targets, s, today) for s in sites]
        units = self.units.groupby("site").size().reindex(sites, fill_value=0)
        people = [self.people_counted(site, rule) for site, rule in zip(sites, in_force)]
        frame = pd.DataFrame({"units": units.astype(int), "people": people}, index=pd.Index(sites, name="site"))
        frame.loc[ALL_SITES] = [int(frame["units"].sum()), int(frame["people"].sum())]
        staff = None if self.staff is None else self.staff_counts(sites, in_force)
        frame["staff"] = pd.array(staff if staff is not None else [None] * len(frame), dtype="Int64")
        frame["participation"] = pd.array([round(100 * p / s) if s else None for p, s in zip(frame["people"], staff)]
                                          if staff is not None else [None] * len(frame), dtype="Int64")
        frame["target"] = pd.array([None if t is None else round(100 * t.share) for t in in_force] + [None],
                                   dtype="Int64")
        frame["target_by"] = pd.array([t.by.isoformat() if t is not None and t.by else None for t in in_force]
                                      + [None], dtype=object)
        frame["on_track"] = pd.array([on_track(int(p), s, t) for p, s, t in zip(
            frame["people"], staff or [None] * len(frame), [*in_force, None])], dtype=object)
        return frame

    def people_counted(self, site: str, rule: TargetRule | None) -> int:
        """The people of a site's active units a target counts: each once, only those in the
        unit role the target names when it names one (Tulsa's teachers, not their evaluators)."""
        people = self.people[self.people["site"] == site]
        if rule is not None and rule.role:
            people = people[people["role"].str.casefold() == rule.role.casefold()]
        return int(people["person"].nunique())

    def behind_target(self, today: date | None = None) -> list[str]:
        """The sites below the target in force, by name."""
        part = self.participation(today)
        return [site for site, track in zip(part.index, part["on_track"]) if track is False]

    def staff_counts(self, sites: Sequence[str], in_force: Sequence[TargetRule | None]) -> list[int]:
        """Staff per site, of the role its target in force names (all staff otherwise), then the total."""
        counts = [int(((self.staff["site"] == site) & (self.staff["role"].str.casefold() == t.role.casefold())).sum())
                  if t is not None and t.role else int((self.staff["site"] == site).sum())
                  for site, t in zip(sites, in_force)]
        return [*counts, sum(counts) + int((~self.staff["site"].isin(sites)).sum())]

    def overdue(self) -> pd.DataFrame:
        """One row per active unit with an overdue milestone: its site, name, the milestones and
        whose turn it is (the people reminders go to), sorted by site then name."""
        late = self.statuses[self.statuses["status"] == OVERDUE]
        order = {title: i for i, title in enumerate(self.titles)}
        late = late.assign(rank=late["milestone"].map(order)).sort_values(["unit_id", "rank"])
        milestones = late.groupby("unit_id", sort=False)["milestone"].agg(", ".join)
        turn = self.people[self.people["role"].isin(self.rules.turn_roles)]
        whose = turn.assign(who=[who(n, e) for n, e in zip(turn["name"], turn["email"])]).groupby(
            "unit_id", sort=False)["who"].agg("; ".join)
        units = self.units.set_index("unit_id").loc[milestones.index] if len(milestones) else self.units.iloc[:0]
        frame = pd.DataFrame({"site": units["site"].values, "unit_id": list(milestones.index),
                              "unit": units["unit"].values, "overdue": milestones.values,
                              "whose_turn": [whose.get(u, "") for u in milestones.index]})
        frame = frame.assign(key=frame["unit"].str.casefold())
        return frame.sort_values(["site", "key", "unit_id"]).drop(columns="key").reset_index(drop=True)

    def participation_over_time(self) -> pd.DataFrame:
        """People in units per site, cumulated by the date each unit started: one column per
        site that has anyone, one row per date a unit started."""
        first = self.units[["unit_id", "started"]].dropna()
        joined = self.people.merge(first, on="unit_id").drop_duplicates(["site", "person"])
        if joined.empty:
            return pd.DataFrame()
        joined = joined.sort_values("started").drop_duplicates(["site", "person"], keep="first")
        daily = joined.groupby(["started", "site"]).size().unstack("site", fill_value=0)
        return daily.sort_index().cumsum()


def on_track(people: int, staff: int | None, rule: TargetRule | None) -> bool | None:
    """Whether `people` of `staff` reach the target; None without a target or staff to count."""
    if rule is None or not staff:
        return None
    return bool(people >= rule.share * staff - 1e-9)


def who(name: str, email: str) -> str:
    return f"{name} <{email}>" if name and email else (name or email)


def target_in_force(targets: Iterable[TargetRule], site: str, today: date | None) -> float | None:
    """The share a site aims at on `today` (see the module's counting rules)."""
    rule = target_rule(targets, site, today)
    return None if rule is None else rule.share


def target_rule(targets: Iterable[TargetRule], site: str, today: date | None) -> TargetRule | None:
    mine = [t for t in targets if not t.sites or site in t.sites]
    dated = sorted((t for t in mine if t.by is not None), key=lambda t: t.by)
    if dated and today is not None:
        ahead = [t for t in dated if t.by >= today]
        return ahead[0] if ahead else dated[-1]
    if dated:
        return dated[0]
    return mine[-1] if mine else None


def build_model(book: Book, rules: ModelRules) -> ProgrammeModel:
    """The model of the spreadsheet `book` (as read, or as a run's writes will leave it)."""
    roster = _active(columns_of(book.tab(L.ROSTER), (L.TEAM_ID, L.TEAM_STATUS, "Team name", rules.site_column,
                                                     L.EARLIER_RESPONSES, "Submitted",
                                                     *(L.status_header(t) for t in rules.titles))))
    members = columns_of(book.tab(L.MEMBERS), (L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"))
    units = _units(roster, rules, members)
    return ProgrammeModel(rules, units, _people(members, units), _statuses(roster, rules, units),
                          staff_by_site(book.tab(L.STAFF), rules), last_sync(book))


def columns_of(tab: Tab | None, headers: Sequence[str]) -> pd.DataFrame:
    """The data rows of `tab` as text (stripped), one column per header; a header the tab
    lacks gives a column of blanks. Read a column at a time: 10,000 units are 500,000 cells."""
    rows = tab.rows[1:tab.used_rows()] if tab is not None else []
    out = {}
    for header in dict.fromkeys(headers):
        col = tab.column(header) if tab is not None else None
        out[header] = ["" if col is None or col >= len(row) or row[col] is None else str(row[col]).strip()
                       for row in rows]
    return pd.DataFrame(out, columns=list(dict.fromkeys(headers)), dtype=object)


def _active(roster: pd.DataFrame) -> pd.DataFrame:
    """Roster rows of units still in the programme, the first row of each id."""
    keep = (roster[L.TEAM_ID] != "") & roster[L.TEAM_STATUS].str.lower().isin(_ACTIVE)
    return roster[keep].drop_duplicates(L.TEAM_ID)


def _units(roster: pd.DataFrame, rules: ModelRules, members: pd.DataFrame) -> pd.DataFrame:
    """unit_id, unit (its name: the Roster's Team name, else the Members tab's, else its id),
    site, started."""
    names = members[members[L.TEAM_ID] != ""].drop_duplicates(L.TEAM_ID).set_index(L.TEAM_ID)["Team name"]
    ids = roster[L.TEAM_ID]
    unit = roster["Team name"].where(roster["Team name"] != "", ids.map(names).fillna(""))
    return pd.DataFrame({"unit_id": ids.values, "unit": unit.where(unit != "", ids).values,
                         "site": roster[rules.site_column].where(roster[rules.site_column] != "", rules.no_site).values,
                         "started": [started_on(e, s) for e, s in zip(roster[L.EARLIER_RESPONSES], roster["Submitted"])]},
                        columns=["unit_id", "unit", "site", "started"])


def started_on(earlier: str, submitted: str) -> date | None:
    """When a unit started: its oldest response the Roster lists, else its latest."""
    for stamp in [*earlier.splitlines(), submitted]:
        try:
            return date.fromisoformat(stamp[:10])
        except ValueError:
            continue
    return None


def _people(members: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Everyone still on an active unit, once per unit, by email (or name without one)."""
    site_of = units.set_index("unit_id")["site"]
    on = members[members[L.TEAM_ID].isin(site_of.index) & members["On team"].str.lower().isin(_ON_UNIT)]
    person = on["Email"].where(on["Email"] != "", on["Member"]).str.lower()
    frame = pd.DataFrame({"unit_id": on[L.TEAM_ID].values, "site": on[L.TEAM_ID].map(site_of).values,
                          "person": person.values, "name": on["Member"].values, "email": on["Email"].values,
                          "role": on["Role"].values}, columns=["unit_id", "site", "person", "name", "email", "role"])
    return frame[frame["person"] != ""].drop_duplicates(["unit_id", "person"])


def _statuses(roster: pd.DataFrame, rules: ModelRules, units: pd.DataFrame) -> pd.DataFrame:
    """One row per active unit and milestone; a status that is none of the words is "not checked"."""
    headers = {L.status_header(t): t for t in rules.titles}
    long = roster[[L.TEAM_ID, *headers]].melt(id_vars=L.TEAM_ID, var_name="milestone", value_name="status")
    long["milestone"] = long["milestone"].map(headers)
    status = long["status"].str.lower()
    long["status"] = status.where(status.isin(STATUS_WORDS), NOT_CHECKED)
    long["site"] = long[L.TEAM_ID].map(units.set_index("unit_id")["site"])
    return long.rename(columns={L.TEAM_ID: "unit_id"})[["unit_id", "site", "milestone", "status"]]


def staff_by_site(tab: Tab | None, rules: ModelRules) -> pd.DataFrame | None:
    """The Staff tab's people (site, role, email), when it has a site column; a row with
    neither a name nor an email is no one."""
    column = next((c for c in (rules.site_noun, rules.site_column, "School", "Site")
                   if tab is not None and tab.column(c) is not None), None)
    if column is None:
        return None
    staff = columns_of(tab, (column, "Role", "Email", "Name"))
    staff = staff[(staff[column] != "") & ((staff["Name"] != "") | (staff["Email"] != ""))]
    return pd.DataFrame({"site": staff[column].values, "role": staff["Role"].values, "email": staff["Email"].values},
                        dtype=str)


def last_sync(book: Book) -> str:
    """Dashboard B1: when the last `plt sync` ran (empty before the first one)."""
    dashboard = book.tab(L.DASHBOARD)
    if dashboard is None or not dashboard.rows or len(dashboard.rows[0]) < 2:
        return ""
    return str(dashboard.rows[0][1] or "")


def as_of(model: ProgrammeModel) -> date | None:
    """The day the model stands on: the last sync's date (its statuses were written then)."""
    try:
        return date.fromisoformat(model.last_sync[:10])
    except ValueError:
        return None


def site_order(model: ProgrammeModel) -> Sequence[str]:
    return [*model.sites, ALL_SITES]

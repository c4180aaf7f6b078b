"""Which layout repairs and Dashboard updates a run adds to its one sheet write.

Decided from the spreadsheet as read (rules, protections, charts, checkboxes and links
come back in the same `spreadsheets.get` as the values) and from the tabs and columns the
run itself creates. A piece is added only when it is missing, so a quiet re-run adds
nothing; widths are set only for columns sync creates, never for a coordinator's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from sheets import dashboard as D
from sheets import format as F
from sheets import layout as L
from sheets.book import Edits, Tab

from sync.core.model import AddHeaders, AddTab, Team
from sync.core.plan import same


@dataclass(frozen=True)
class LayoutInputs:
    """What the Dashboard counts, besides the spreadsheet: this run's teams and targets."""

    titles: tuple[str, ...]
    teams: tuple[D.TeamFacts, ...]
    targets: Mapping[str, float]


def team_facts(teams: Mapping[str, Team], statuses: Mapping[str, Mapping[str, object]],
               titles: Sequence[str]) -> tuple[D.TeamFacts, ...]:
    """Active teams as the Dashboard counts them: school, people, each milestone's status."""
    out = []
    for tid, team in sorted(teams.items()):
        sub = team.submission
        people = {sub.facilitator_email.strip().lower()}
        people |= {(m.email or m.name).strip().lower() for m in sub.members if (m.email or m.name).strip()}
        cells = statuses.get(tid, {})
        out.append(D.TeamFacts(sub.school, frozenset(people),
                               {t: str(cells.get(L.status_header(t), "")) for t in titles}))
    return tuple(out)


def staff_by_school(tab: Tab | None) -> dict[str, int] | None:
    """Staff per school from the coordinator's Staff tab, when it has a School column."""
    if tab is None or tab.column("School") is None:
        return None
    counts: dict[str, int] = {}
    for row in tab.data_rows():
        school = str(tab.value(row, "School")).strip()
        if school and (str(tab.value(row, "Name")).strip() or str(tab.value(row, "Email")).strip()):
            counts[school] = counts.get(school, 0) + 1
    return counts


def add_layout(edits: Edits, actions: Iterable[object], inputs: LayoutInputs) -> None:
    """Add to `edits` every layout piece that is missing and the Dashboard cells that changed."""
    created = created_columns(edits, actions)
    layouts = L.all_layouts(inputs.titles)
    for name, layout in layouts.items():
        tab = edits.book.tab(name)
        if tab is not None:
            edits.requests += tab_repairs(tab, layout, created.get(name, {}), inputs.titles)
    roster = edits.book.tab(L.ROSTER)
    if roster is not None:
        edits.requests += folder_links(roster)
    dashboard = edits.book.tab(L.DASHBOARD)
    if dashboard is not None:
        update_dashboard(edits, dashboard, inputs)


def created_columns(edits: Edits, actions: Iterable[object]) -> dict[str, dict[int, str]]:
    """Tab -> {column: header} for the tabs and columns this run creates."""
    out: dict[str, dict[int, str]] = {}
    for action in actions:
        if isinstance(action, (AddTab, AddHeaders)):
            tab = edits.book.tabs[action.tab]
            out.setdefault(action.tab, {}).update({tab.column(h): h for h in action.headers
                                                   if tab.column(h) is not None})
    return out


def tab_repairs(tab: Tab, layout: L.TabLayout, created: Mapping[int, str], titles: Sequence[str]) -> list[dict]:
    requests: list[dict] = []
    if tab.frozen_rows == 0:
        requests.append(F.freeze_header(tab.sheet_id))
    requests += F.column_widths(tab.sheet_id, created)
    if layout.name == L.ROSTER:
        requests += _checkbox_repairs(tab, titles) + _status_rule_repairs(tab, titles)
    requests += _protection_repairs(tab, _owned_runs(tab, layout, titles))
    return requests


def _checkbox_repairs(tab: Tab, titles: Sequence[str]) -> list[dict]:
    """A received column whose tick boxes stop short of the last team row gets them again."""
    needed = max(tab.used_rows() - 1, 1)
    out = []
    for title in titles:
        col = tab.column(L.received_header(title))
        if col is not None and tab.checkboxes.get(col, 0) < needed:
            out.append(F.checkboxes(tab.sheet_id, col, tab.row_count))
    return out


def _status_rule_repairs(tab: Tab, titles: Sequence[str]) -> list[dict]:
    out = []
    for title in titles:
        col = tab.column(L.status_header(title))
        if col is None:
            continue
        out += [F.status_rule(tab.sheet_id, col, word) for word in F.STATUS_COLOURS
                if not F.has_status_rule(tab.rules, col, word)]
    return out


def _owned_runs(tab: Tab, layout: L.TabLayout, titles: Sequence[str]) -> list[tuple[int, int]]:
    if layout.name == L.DASHBOARD:
        return [(0, len(D.headers(titles)))]
    return F.column_runs(col for col, header in enumerate(tab.header) if header in layout.owned)


def _protection_repairs(tab: Tab, runs: Sequence[tuple[int, int]]) -> list[dict]:
    """Our warnings follow the owned columns: stale ones (columns moved) go, missing ones come."""
    ours = F.our_protections(tab.protected)
    out = [F.unprotect(pid) for span, pid in sorted(ours.items()) if span not in runs]
    return out + [F.protect(tab.sheet_id, start, end) for start, end in runs if (start, end) not in ours]


def folder_links(roster: Tab) -> list[dict]:
    """Folder cells whose address is not yet a clickable link, one request per block of rows."""
    col = roster.column(L.FOLDER)
    if col is None:
        return []
    stale = [row for row in roster.data_rows() if _needs_link(roster, row, col)]
    out = []
    for start, end in F.column_runs(stale):
        uris = [str(roster.value(row, L.FOLDER)) for row in range(start, end)]
        out.append(F.links(roster.sheet_id, col, start, uris))
    return out


def _needs_link(roster: Tab, row: int, col: int) -> bool:
    value = str(roster.value(row, L.FOLDER)).strip()
    return value.startswith("https://") and roster.links.get((row, col)) != value


def update_dashboard(edits: Edits, tab: Tab, inputs: LayoutInputs) -> None:
    staff = staff_by_school(edits.book.tab(L.STAFF))
    lines = D.school_lines(inputs.teams, inputs.titles, staff, inputs.targets)
    wanted = D.table(lines, inputs.titles)
    if not _cell_text(tab, D.TABLE_ROW, 0):
        edits.requests.append(F.bold_row(tab.sheet_id, D.TABLE_ROW, 0, len(wanted[0])))
    width = len(wanted[0])
    for offset in range(max(len(wanted), tab.used_rows() - D.TABLE_ROW)):
        row = D.TABLE_ROW + offset
        cells = wanted[offset] if offset < len(wanted) else [None] * width
        changed = {c: v for c, v in enumerate(cells) if not same(_cell(tab, row, c), "" if v is None else v)}
        edits.set_row(tab, row, changed)
    if inputs.titles and len(lines) > 1:
        edits.requests += _chart_repairs(tab, len(lines) - 1, inputs.titles, len(wanted))


def _cell(tab: Tab, row: int, col: int) -> object:
    if row >= len(tab.rows) or col >= len(tab.rows[row]):
        return ""
    return tab.rows[row][col]


def _cell_text(tab: Tab, row: int, col: int) -> str:
    return str(_cell(tab, row, col)).strip()


def _chart_repairs(tab: Tab, schools: int, titles: Sequence[str], table_rows: int) -> list[dict]:
    """The completion chart: added once, its ranges updated only when the school list changed."""
    spec = D.chart_spec(tab.sheet_id, schools, titles)
    chart = next((c for c in tab.charts if (c.get("spec") or {}).get("title") == D.CHART_TITLE), None)
    if chart is None:
        anchor = {"sheetId": tab.sheet_id, "rowIndex": D.TABLE_ROW + table_rows + 1, "columnIndex": 0}
        return [{"addChart": {"chart": {"spec": spec, "position": {"overlayPosition": {
            "anchorCell": anchor, "widthPixels": 720, "heightPixels": 360}}}}}]
    if _sources(chart["spec"].get("basicChart") or {}) == _sources(spec["basicChart"]):
        return []
    return [{"updateChartSpec": {"chartId": chart["chartId"], "spec": spec}}]


def _sources(basic: Mapping) -> list:
    parts = [d.get("domain") for d in basic.get("domains", [])] + [s.get("series") for s in basic.get("series", [])]
    return [[{k: v for k, v in src.items() if v} for src in ((p or {}).get("sourceRange") or {}).get("sources", [])]
            for p in parts]


def new_tab_layout(titles: Sequence[str]):
    """For `create_spreadsheet`: a new tab's formatting as Sheet fields of the one create call,
    the same pieces a run would add to a tab it found without them."""
    layouts = L.all_layouts(titles)

    def fields(name: str, sheet_id: int, headers: Sequence[str], rows: int) -> dict[str, list]:
        tab = Tab(name, sheet_id, [list(headers)], rows, max(26, len(headers)), frozen_rows=1)
        return sheet_fields(tab_repairs(tab, layouts[name], dict(enumerate(headers)), titles), rows)
    return fields


def sheet_fields(requests: Iterable[dict], rows: int) -> dict[str, list]:
    """batchUpdate requests for a new tab, restated as the Sheet resource's own fields."""
    out: dict[str, list] = {"data": [], "conditionalFormats": [], "protectedRanges": []}
    for request in requests:
        kind, body = next(iter(request.items()))
        if kind == "updateDimensionProperties":
            out["data"].append({"startColumn": body["range"]["startIndex"],
                                "columnMetadata": [{"pixelSize": body["properties"]["pixelSize"]}]})
        elif kind == "setDataValidation":
            out["data"].append({"startRow": 1, "startColumn": body["range"]["startColumnIndex"],
                                "rowData": [{"values": [{"dataValidation": body["rule"]}]}] * (rows - 1)})
        elif kind == "addConditionalFormatRule":
            out["conditionalFormats"].append(body["rule"])
        elif kind == "addProtectedRange":
            out["protectedRanges"].append(body["protectedRange"])
    return {key: value for key, value in out.items() if value}

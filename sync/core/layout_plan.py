"""Which layout repairs and Dashboard updates a run plans besides its cells.

Decided from the spreadsheet as read (rules, protections, charts, checkboxes and links
come back in the same `spreadsheets.get` as the values) and as the run's own cells will
leave it: the plan plays them into a `Preview` to see the tabs, columns and rows they
make. A piece is planned only when it is missing, so a quiet re-run plans nothing; widths
are set only for columns sync creates, never for a coordinator's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from sheets import dashboard as D
from sheets import format as F
from sheets import layout as L
from sheets.book import Book, Preview, Tab

from sync.core.cells import same
from sync.core.model import Action, AddHeaders, AddTab, LinkFolders, LinkOf, RepairLayout, UpdateDashboard
from sync.core.report_model import ModelRules, ProgrammeModel, build_model
from sync.core.report_tables import dashboard_behind, dashboard_rows
from sync.core.sheet_writes import write_actions


@dataclass(frozen=True)
class LayoutInputs:
    """What the Dashboard needs besides the spreadsheet: the programme model's rules and the
    day whose target is in force."""

    titles: tuple[str, ...]
    model: ModelRules
    today: date | None = None
    field_columns: tuple[str, ...] = L.FIELD_COLUMNS
    checkbox_titles: tuple[str, ...] = ()      # the milestones with a `received` checkbox
    file_titles: tuple[str, ...] = ()          # the milestones with a `file` column
    meetings: tuple[str, ...] | None = None    # the Meetings tab's unit columns (None: no such tab)


def preview_after(book: Book, actions: Sequence[Action], inputs: LayoutInputs) -> Book:
    """The spreadsheet as `actions` will leave it."""
    return write_actions(Preview(book), actions, inputs.titles, inputs.field_columns,
                         checkbox_titles=inputs.checkbox_titles,
                         file_titles=inputs.file_titles, meetings=inputs.meetings).book


def plan_layout(book: Book, actions: Sequence[Action], inputs: LayoutInputs, preview: Book | None = None,
                model: ProgrammeModel | None = None) -> list[Action]:
    """Every layout piece missing once `actions` are written, and the Dashboard cells that
    change; `preview` and `model` are the sheet after `actions` and its programme model,
    when the caller has them already."""
    preview = preview if preview is not None else preview_after(book, actions, inputs)
    created = created_columns(preview, actions)
    out: list[Action] = []
    for name, layout in L.all_layouts(inputs.titles, inputs.field_columns,
                                      checkbox_titles=inputs.checkbox_titles,
                                      file_titles=inputs.file_titles, meetings=inputs.meetings).items():
        requests = tab_repairs(preview.tabs[name], layout, created.get(name, {}), inputs.titles)
        if requests:
            out.append(RepairLayout(name, tuple(requests)))
    roster = preview.tabs[L.ROSTER]
    stale = stale_folder_links(roster)
    if stale:
        out.append(LinkFolders(L.ROSTER, roster.column(L.FOLDER), stale))
    dashboard = dashboard_update(preview, inputs, model)
    return out + ([dashboard] if dashboard is not None else [])


def created_columns(preview: Book, actions: Iterable[Action]) -> dict[str, dict[int, str]]:
    """Tab -> {column: header} for the tabs and columns this run creates."""
    out: dict[str, dict[int, str]] = {}
    for action in actions:
        if isinstance(action, (AddTab, AddHeaders)):
            tab = preview.tabs[action.tab]
            out.setdefault(action.tab, {}).update({tab.column(h): h for h in action.headers
                                                   if tab.column(h) is not None})
    return out


def tab_repairs(tab: Tab, layout: L.TabLayout, created: Mapping[int, str], titles: Sequence[str]) -> list[dict]:
    requests: list[dict] = []
    if tab.frozen_rows == 0:
        requests.append(F.freeze_header(tab.sheet_id))
    requests += F.column_widths(tab.sheet_id, created)
    if layout.name == L.ROSTER:
        requests += _checkbox_repairs(tab, layout, titles) + _status_rule_repairs(tab, titles)
    if layout.name == L.PROBLEMS:
        requests += _tick_boxes(tab, [L.APPROVE])
    requests += _protection_repairs(tab, _owned_runs(tab, layout, titles))
    return requests


def _checkbox_repairs(tab: Tab, layout: L.TabLayout, titles: Sequence[str]) -> list[dict]:
    """A received column whose tick boxes stop short of the last team row gets them again;
    only the layout's own: one left from a milestone that no longer has a checkbox is the
    coordinator's to keep or delete (see `roster_layout`)."""
    headers = [L.received_header(title) for title in titles]
    return _tick_boxes(tab, [header for header in headers if header in layout.headers])


def _tick_boxes(tab: Tab, headers: Sequence[str]) -> list[dict]:
    """Tick boxes down each of these columns, where they stop short of the last row."""
    needed = max(tab.used_rows() - 1, 1)
    out = []
    for header in headers:
        col = tab.column(header)
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


def stale_folder_links(roster: Tab) -> tuple[tuple[int, object], ...]:
    """(row, address) of each Folder cell whose address is not yet a clickable link; a folder
    this run creates is linked by reference, its address known once Drive made it."""
    col = roster.column(L.FOLDER)
    if col is None:
        return ()
    return tuple((row, _address(roster.value(row, L.FOLDER))) for row in roster.data_rows()
                 if needs_link(roster, row, col))


def needs_link(roster: Tab, row: int, col: int) -> bool:
    value = roster.value(row, L.FOLDER)
    if isinstance(value, LinkOf):
        return True
    value = str(value).strip()
    return value.startswith("https://") and roster.links.get((row, col)) != value


def _address(value: object) -> object:
    return value if isinstance(value, LinkOf) else str(value)


def dashboard_update(preview: Book, inputs: LayoutInputs, model: ProgrammeModel | None = None
                     ) -> UpdateDashboard | None:
    """The Dashboard cells that change, counted by the programme model from the sheet as this
    run's writes will leave it."""
    tab = preview.tabs[L.DASHBOARD]
    model = model if model is not None else build_model(preview, inputs.model)
    wanted = dashboard_rows(model, inputs.today)
    width = len(wanted[0])
    behind = tuple((c, v) for c, v in enumerate(dashboard_behind(model, inputs.today))
                   if not same(_cell(tab, D.BEHIND_ROW, c), "" if v is None else v))
    cells = [(D.BEHIND_ROW, behind)] if behind else []
    for offset in range(max(len(wanted), tab.used_rows() - D.TABLE_ROW)):
        row = D.TABLE_ROW + offset
        row_cells = wanted[offset] if offset < len(wanted) else [None] * width
        changed = tuple((c, v) for c, v in enumerate(row_cells) if not same(_cell(tab, row, c), "" if v is None else v))
        if changed:
            cells.append((row, changed))
    requests = []
    if not _cell_text(tab, D.TABLE_ROW, 0):
        requests.append(F.bold_row(tab.sheet_id, D.TABLE_ROW, 0, width))
    if inputs.titles and len(wanted) > 2:
        requests += _chart_repairs(tab, len(wanted) - 2, inputs.titles, len(wanted))
    return UpdateDashboard(tuple(cells), tuple(requests)) if cells or requests else None


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


def new_tab_layout(titles: Sequence[str], field_columns: Sequence[str] = L.FIELD_COLUMNS, *,
                   checkbox_titles: Sequence[str], file_titles: Sequence[str]):
    """For `create_spreadsheet`: a new tab's formatting as Sheet fields of the one create call,
    the same pieces a run would add to a tab it found without them."""
    layouts = L.all_layouts(titles, field_columns, checkbox_titles=checkbox_titles, file_titles=file_titles)

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

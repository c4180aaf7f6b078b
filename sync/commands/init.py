"""`plt init`: create what the config does not name yet, and write the new ids back.

Each resource is created only when its id is empty, so running init again is harmless.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from calendars.events import create_calendar
from config.writeback import write_ids
from forms.create import create_form
from forms.repeat import expand
from sheets import format as F
from sheets import layout as L
from sheets.book import create_spreadsheet

from sync.core.layout_plan import new_tab_layout, sheet_fields
from sync.core.staff import ASSIGNED, staff_headers
from sync.core.units import unit_rules
from sync.google.workspace import Workspace

FOLDER_MIME = "application/vnd.google-apps.folder"


@dataclass
class InitResult:
    created: dict[str, str] = field(default_factory=dict)    # dotted config key -> new id
    kept: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"created {key} = {value}" for key, value in self.created.items()]
        out += [f"kept {key} = {value}" for key, value in self.kept.items()]
        return out


def initialise(settings, workspace: Workspace, config_path) -> InitResult:
    result = InitResult()
    for form in settings.forms:
        # A first-format file has one [form] table; the programme model an array of them.
        key = "form.id" if settings.upgraded_from == 1 else f"form[{form.key}].id"
        _ensure(result, key, form.id, lambda form=form: _create_form(settings, workspace, form))
    _ensure(result, "roster.spreadsheet_id", settings.roster.spreadsheet_id,
            lambda: _create_sheet(settings, workspace))
    _ensure(result, "drive.parent_folder_id", settings.drive.parent_folder_id,
            lambda: _create_parent(settings, workspace))
    if settings.calendar is not None:
        _ensure(result, "calendar.id", settings.calendar.id, lambda: create_calendar(
            workspace.calendar, settings.calendar.title, settings.programme.time_zone))
    if result.created:
        write_ids(config_path, result.created)
    return result


def _ensure(result: InitResult, key: str, current: str, create) -> None:
    if current:
        result.kept[key] = current
    else:
        result.created[key] = create()


def _create_form(settings, workspace: Workspace, form) -> str:
    form_id, _calls = create_form(workspace.forms, title=form.title, description=form.description or "",
                                  fields=expand(form.fields, form.repeat.count) if form.repeat else form.fields,
                                  sites=settings.programme.sites,
                                  collect_verified_email=form.collect_verified_email)
    return form_id


def _create_sheet(settings, workspace: Workspace) -> str:
    """The master spreadsheet with its tabs, headers and layout, in one create call."""
    titles = tuple(m.title for m in settings.milestones)
    checkboxes = tuple(m.title for m in settings.milestones if m.evidence.checkbox)
    files = tuple(m.title for m in settings.milestones if m.evidence.file)
    columns = tuple(column.header for column in unit_rules(settings).columns)
    layouts = L.all_layouts(titles, columns, checkbox_titles=checkboxes, file_titles=files)
    tabs = [(name, layouts[name].headers) for name in L.TAB_ORDER]
    new_tab = new_tab_layout(titles, columns, checkbox_titles=checkboxes, file_titles=files)
    if settings.staff is not None:
        tabs.append((L.STAFF, staff_headers(settings.programme.site_noun)))

    def layout(name, sheet_id, headers, rows):
        return staff_tab_fields(sheet_id, headers, rows) if name == L.STAFF else new_tab(name, sheet_id, headers, rows)
    return create_spreadsheet(workspace.gspread.http_client, settings.roster.title, tabs,
                              settings.programme.time_zone, layout)


def staff_tab_fields(sheet_id: int, headers, rows: int) -> dict:
    """The new Staff tab's widths and the tick boxes under Assigned."""
    requests = F.column_widths(sheet_id, dict(enumerate(headers)))
    requests.append(F.checkboxes(sheet_id, list(headers).index(ASSIGNED), rows))
    return sheet_fields(requests, rows)


def _create_parent(settings, workspace: Workspace) -> str:
    body = {"name": settings.drive.parent_folder_name, "mimeType": FOLDER_MIME}
    return workspace.drive.files().create(body=body, fields="id").execute()["id"]

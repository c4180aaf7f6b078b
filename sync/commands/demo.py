"""`plt demo`: the main job end to end on the embedded emulator.

Creates the form, the master spreadsheet and the parent folder, submits sample
facilitator responses (a few malformed), runs sync, then runs it again to show that a
quiet run changes nothing.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

import requests

from config.load import load_settings
from emulator.server import EmulatorServer

from sync.commands import demo_data as D
from sync.commands import demo_south_dakota as SD
from sync.commands.init import initialise
from sync.errors import UsageError
from sync.run import SyncOptions, run
from sync.google.errors import classify
from sync.google.metering import Meter
from sync.report import Report
from sync.google.workspace import SCOPES, connect
from mail.gmail import GmailSender
from sheets import layout as L
from sheets.book import Edits, read_book, write_book

TZ = ZoneInfo("America/New_York")
# The demo's clock, across the Belmont calendar: the first sync after the October 6
# submission deadline, a quiet re-run, a week before the November 17 charter deadline,
# the Monday after it, and that Monday again (nothing is sent twice).
TIMELINE = (
    ("first sync after submissions closed", datetime(2017, 10, 10, 6, 0, tzinfo=TZ)),
    ("quiet re-run: nothing new", datetime(2017, 10, 10, 6, 15, tzinfo=TZ)),
    ("a week before the charter is due", datetime(2017, 11, 10, 8, 30, tzinfo=TZ)),
    ("after the charter deadline", datetime(2017, 11, 20, 8, 30, tzinfo=TZ)),
    ("the same morning again", datetime(2017, 11, 20, 8, 45, tzinfo=TZ)),
)
SMART_GOAL, CHARTER = "smart_goal", "signed_charter"


@dataclass
class DemoResult:
    workdir: Path
    endpoint: str
    reports: list[Report]
    spreadsheet_id: str
    kept: bool
    labels: list[str]
    mail: list[dict]
    title: str = "the Belmont PLT programme"

    def to_json(self) -> dict:
        return {"runs": [r.to_json() for r in self.reports]}


def prepare_workdir(workdir: Path | None) -> tuple[Path, bool]:
    """A fresh demo folder: the given one (cleared of an earlier demo) or a temporary one."""
    if workdir is None:
        return Path(tempfile.mkdtemp(prefix="plt-demo-")), False
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("plt.toml", "emulator.sqlite", "emulator.sqlite-wal", "emulator.sqlite-shm"):
        (workdir / name).unlink(missing_ok=True)
    return workdir, True


@dataclass(frozen=True)
class Season:
    """A programme's year as `plt demo` plays it: its sample responses, the clock of its
    runs, and what people do between runs (before the run of that index)."""

    title: str
    timeline: tuple[tuple[str, datetime], ...]
    submit: Callable[[str, object], int]
    between: Mapping[int, Callable[[object, object], None]]


# The programmes whose season `plt demo` can run: each has its sample data here.
SEASONS: dict[str, Season] = {}


def shipped_programmes() -> list[str]:
    """The programme files shipped in config/programmes, by name."""
    folder = resources.files("config").joinpath("programmes")
    return sorted(entry.name[:-len(".toml")] for entry in folder.iterdir() if entry.name.endswith(".toml"))


def write_config(workdir: Path, programme: str = "belmont") -> Path:
    """The shipped programme's config, copied into the demo's folder (`plt init` fills in its ids)."""
    if programme not in shipped_programmes() or programme not in SEASONS:
        runnable = [name for name in shipped_programmes() if name in SEASONS]
        raise UsageError(f"no demo season for the programme {programme!r}; choose one of: {', '.join(runnable)}")
    path = workdir / "plt.toml"
    source = resources.files("config").joinpath("programmes", f"{programme}.toml")
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def submit(endpoint: str, form_id: str, titles: dict[str, str], answer: dict) -> str:
    fields = {titles[k]: v for k, v in answer.items() if k in titles and v != ""}
    body = {"answers": fields, "respondentEmail": answer["facilitator_email"], "submittedAt": answer["submitted"]}
    response = requests.post(f"{endpoint}/_emulator/forms/{form_id}/responses", json=body, timeout=30)
    response.raise_for_status()
    return response.json()["responseId"]


def edit(endpoint: str, form_id: str, response_id: str, titles: dict[str, str], answer: dict) -> None:
    fields = {titles[k]: v for k, v in answer.items() if k in titles and v != ""}
    body = {"answers": fields, "respondentEmail": answer["facilitator_email"], "submittedAt": answer["submitted"]}
    requests.put(f"{endpoint}/_emulator/forms/{form_id}/responses/{response_id}", json=body,
                 timeout=30).raise_for_status()


def submit_samples(endpoint: str, settings) -> int:
    titles = settings.form.titles
    if settings.form.collect_verified_email:
        titles.pop("facilitator_email")  # Google records the verified address instead
    ids = [submit(endpoint, settings.form.id, titles, a) for a in D.SUBMISSIONS + D.MALFORMED + [D.DUPLICATE]]
    edit(endpoint, settings.form.id, ids[D.EDIT_OF], titles, D.EDITED)
    return len(ids)


def run_demo(workdir: Path | None = None, programme: str = "belmont") -> DemoResult:
    folder, kept = prepare_workdir(workdir)
    try:
        config_path = write_config(folder, programme)
    except UsageError:
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    data = str(folder / "emulator.sqlite") if kept else ":memory:"
    with EmulatorServer(data=data, scopes=SCOPES) as server:
        environ = {"PLT_GOOGLE_ENDPOINT": server.url}
        settings = load_settings(config_path, environ)
        initialise(settings, connect(None, server.url), config_path)
        settings = upload_templates(load_settings(config_path, environ), connect(None, server.url), folder)
        season = SEASONS[programme]
        season.submit(server.url, settings)
        reports = []
        for index, (_label, now) in enumerate(season.timeline):
            if index in season.between:
                season.between[index](settings, connect(None, server.url))
            reports.append(_sync(settings, server.url, now))
        mail = requests.get(f"{server.url}/_emulator/mail", timeout=30).json()["messages"]
    if not kept:
        shutil.rmtree(folder, ignore_errors=True)
    return DemoResult(folder, server.url, reports, settings.roster.spreadsheet_id, kept,
                      [label for label, _ in season.timeline], mail, season.title)


def upload_templates(settings, workspace, folder: Path):
    """The coordinator's `plt templates add` of each template not uploaded yet (the charter,
    written as a .docx now); the settings with their ids."""
    from sync.commands.demo_charter import write_charter
    from sync.templates import add_template

    for template in settings.templates:
        if not template.id:
            add_template(settings, workspace, write_charter(folder), template.key)
    return load_settings(settings.path, {"PLT_GOOGLE_ENDPOINT": workspace.endpoint})


def coordinators_and_teams_at_work(settings, workspace) -> None:
    """Between October and November: the coordinator ticks the SMART goals received, and
    some facilitators put their signed charter in their team folder through Drive itself
    (a person's file, which PLT Sync sees through drive.metadata.readonly)."""
    book = read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id)
    roster = book.tab(L.ROSTER)
    smart = L.received_header(settings.milestone(SMART_GOAL).title)
    col = roster.column(smart)
    edits = Edits(book)
    for row in roster.data_rows():
        if roster.value(row, "Facilitator") not in D.LATE_SMART_GOALS:
            edits.set_row(roster, row, {col: True})
    write_book(workspace.gspread.http_client, edits)
    for row in roster.data_rows():
        if roster.value(row, "Facilitator") in D.CHARTER_IN_FOLDER:
            folder_id = str(roster.value(row, L.FOLDER)).rstrip("/").rsplit("/", 1)[-1]
            body = {"name": f"{roster.value(row, 'Team name')} - signed team charter.pdf", "parents": [folder_id],
                    "mimeType": "application/pdf", "owner": roster.value(row, "Facilitator email")}
            requests.post(f"{workspace.endpoint}/_emulator/drive/files", json=body, timeout=30).raise_for_status()


SEASONS["belmont"] = Season("the Belmont PLT programme", TIMELINE, submit_samples,
                             {2: coordinators_and_teams_at_work})
SEASONS["south-dakota"] = Season(
    "South Dakota's BLT work groups", SD.TIMELINE, SD.submit_plans,
    {SD.RESUBMITTED_BEFORE: lambda settings, workspace: SD.resubmit_jefferson(workspace.endpoint, settings)})


def _sync(settings, endpoint: str, now: datetime) -> Report:
    meter = Meter()
    workspace = connect(None, endpoint, meter)
    sender = GmailSender(workspace.gmail, classify=classify)
    return run(settings, workspace, meter, now=now, options=SyncOptions(), sender=sender)


def summary(result: DemoResult) -> str:
    """What `plt demo` prints: each run, the reminders that went out, and where to look."""
    lines = [f"PLT Sync demo: {result.title} on the built-in Google Workspace emulator", ""]
    for label, report in zip(result.labels, result.reports):
        calls = report.api_calls
        lines.append(f"{report.now[:16].replace('T', ' ')}  {label}")
        lines.append(f"    {report.summary_line()}")
        lines.append(f"    API calls: {calls['total']} ({calls['read']} read, {calls['write']} write)")
    lines += ["", f"Reminders sent: {len(result.mail)} (each once)"]
    lines += [f"    {', '.join(m['to'])}: {m['subject']}" for m in result.mail[:12]]
    if len(result.mail) > 12:
        lines.append(f"    ... and {len(result.mail) - 12} more")
    lines.append("")
    if result.kept:
        lines += [f"The demo's data is kept in {result.workdir}. To look around:",
                  f"    plt emulator serve --data {result.workdir / 'emulator.sqlite'}",
                  "    then open http://127.0.0.1:8765/ for the roster, folders and sent mail, or",
                  f"    PLT_GOOGLE_ENDPOINT=http://127.0.0.1:8765 plt status --config {result.workdir / 'plt.toml'}"]
    else:
        lines.append("Run `plt demo --workdir DIR` to keep the sheet, folders and mail and browse them.")
    return "\n".join(lines)

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
from zoneinfo import ZoneInfo

import requests

from config.load import load_settings
from emulator.server import EmulatorServer

from . import demo_data as D
from .init import initialise
from .job import RunOptions, run
from .metering import Meter
from .report import Report
from .workspace import connect

TZ = ZoneInfo("America/New_York")
# The demo's clock: the programme's first sync after the October 6 submission deadline.
FIRST_SYNC = datetime(2017, 10, 10, 6, 0, tzinfo=TZ)
QUIET_SYNC = datetime(2017, 10, 10, 6, 15, tzinfo=TZ)


@dataclass
class DemoResult:
    workdir: Path
    endpoint: str
    reports: list[Report]
    spreadsheet_id: str
    kept: bool

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


def write_config(workdir: Path) -> Path:
    path = workdir / "plt.toml"
    path.write_text(resources.files("config").joinpath("example.toml").read_text(encoding="utf-8"), encoding="utf-8")
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
    titles = settings.form.questions.model_dump()
    if settings.form.collect_verified_email:
        titles.pop("facilitator_email")  # Google records the verified address instead
    ids = [submit(endpoint, settings.form.id, titles, a) for a in D.SUBMISSIONS + D.MALFORMED + [D.DUPLICATE]]
    edit(endpoint, settings.form.id, ids[D.EDIT_OF], titles, D.EDITED)
    return len(ids)


def run_demo(workdir: Path | None = None) -> DemoResult:
    folder, kept = prepare_workdir(workdir)
    config_path = write_config(folder)
    data = str(folder / "emulator.sqlite") if kept else ":memory:"
    with EmulatorServer(data=data) as server:
        environ = {"PLT_GOOGLE_ENDPOINT": server.url}
        settings = load_settings(config_path, environ)
        initialise(settings, connect(None, server.url), config_path)
        settings = load_settings(config_path, environ)
        submit_samples(server.url, settings)
        reports = [_sync(settings, server.url, now) for now in (FIRST_SYNC, QUIET_SYNC)]
    if not kept:
        shutil.rmtree(folder, ignore_errors=True)
    return DemoResult(folder, server.url, reports, settings.roster.spreadsheet_id, kept)


def _sync(settings, endpoint: str, now: datetime) -> Report:
    meter = Meter()
    return run(settings, connect(None, endpoint, meter), meter, now=now, options=RunOptions())

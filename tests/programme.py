"""A whole PLT programme on a live emulator, for end-to-end tests: the Belmont example
config pointed at the emulator, `plt init` done, and helpers to act as facilitators and
coordinators do (through the emulator's admin API and the real Google clients)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from config.load import load_settings
from sheets.book import read_book
from sync.commands.init import initialise
from sync.run import SyncOptions, run
from sync.google.metering import Meter
from sync.senders import sender_from_settings
from sync.google.workspace import connect

DOMAIN = "belmont.example.org"
TZ = ZoneInfo("America/New_York")


CHECKPOINT = "Mid-year checkpoint"


def checkpoint_form(due: str) -> str:
    """Config text adding to Belmont's programme a checkpoint that each team answers on an
    evidence form by `due`, reminded a week before: the form asks for the Unit ID (which
    the reminder's link pre-fills) and what the team has learned."""
    return f'''
[[form]]
key = "checkpoint"
purpose = "evidence"
title = "{CHECKPOINT}"
description = "Tell us where your team's inquiry stands."

[[form.field]]
key = "unit_id"
title = "Unit ID"
type = "text"
required = false
help = "Filled in for you when you follow the link in the reminder."

[[form.field]]
key = "progress"
title = "What has your team learned so far?"
type = "paragraph"
required = true

[[milestone]]
key = "checkpoint"
title = "{CHECKPOINT}"
due = {due}
[milestone.evidence]
form = "checkpoint"
[milestone.reminders]
days_before = [7]
every_days_after = 3
max_reminders = 2
'''


def without_templates(text: str) -> str:
    """The config text without its [[template]] tables."""
    return re.sub(r"^\[\[template\]\]\n(?:.+\n)*", "", text, flags=re.M)


def typed_facilitator_email(text: str) -> str:
    """Belmont's config with the facilitator's email a question anyone may answer, the
    form still collecting each respondent's verified email: who a response says it is
    from, and who sent it, may differ."""
    title = 'title = "Facilitator email"\n'
    return text.replace(f'{title}type = "respondent"', f'{title}type = "email"', 1)


def at(text: str) -> datetime:
    """A local programme time, e.g. at("2017-10-10 06:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@dataclass
class Programme:
    endpoint: str
    config_path: Path
    response_ids: dict[str, str] = field(default_factory=dict)   # facilitator email -> response id

    @classmethod
    def create(cls, endpoint: str, folder: Path, edit=None, config: str = "example.toml",
               templates: bool = False) -> "Programme":
        """`config`: a file shipped in the config package (example.toml, programmes/belmont.toml).
        Its document templates ([[template]], which need an upload first) are left out unless
        `templates`."""
        text = resources.files("config").joinpath(config).read_text(encoding="utf-8")
        if not templates:
            text = without_templates(text)
        if edit:
            text = edit(text)
        path = folder / "plt.toml"
        path.write_text(text, encoding="utf-8")
        programme = cls(endpoint, path)
        initialise(programme.settings(), connect(None, endpoint), path)
        return programme

    def settings(self):
        return load_settings(self.config_path, {"PLT_GOOGLE_ENDPOINT": self.endpoint})

    def workspace(self, meter: Meter | None = None):
        return connect(None, self.endpoint, meter)

    # Facilitators.
    def submit(self, first: str, last: str, *, team: str = "", school: str = "Chenery Middle School",
               members: str = "", topic: str = "Close reading", submitted: str = "2017-10-02T14:00:00Z",
               **extra: str) -> str:
        email = f"{first.lower()}.{last.lower()}@{DOMAIN}"
        q = self.settings().form.titles
        answers = {q["facilitator_name"]: f"{first} {last}", q["team_name"]: team or f"{last} PLT", q["school"]: school,
                   q["topic"]: topic, q["goal_type"]: "Student Learning", q["meeting_time"]: "Tuesdays 3:00",
                   q["training"]: "Enrolled in the facilitator training course",
                   q["members"]: members or f"Sam Lee <sam.lee@{DOMAIN}>"}
        answers.update({q[k]: v for k, v in extra.items()})
        body = {"answers": {k: v for k, v in answers.items() if v != ""}, "respondentEmail": email,
                "submittedAt": submitted}
        form_id = self.settings().form.id
        if email in self.response_ids:
            rid = self.response_ids[email]
            requests.put(f"{self.endpoint}/_emulator/forms/{form_id}/responses/{rid}", json=body,
                         timeout=30).raise_for_status()
            return rid
        response = requests.post(f"{self.endpoint}/_emulator/forms/{form_id}/responses", json=body, timeout=30)
        response.raise_for_status()
        self.response_ids[email] = response.json()["responseId"]
        return self.response_ids[email]

    def answer(self, form_key: str, email: str, answers: dict[str, str], submitted: str) -> str:
        """`email` answers the programme's form `form_key` (answers by field key): the response id."""
        form = self.settings().form_by_key(form_key)
        body = {"answers": {form.titles[k]: v for k, v in answers.items()}, "respondentEmail": email,
                "submittedAt": submitted}
        response = requests.post(f"{self.endpoint}/_emulator/forms/{form.id}/responses", json=body, timeout=30)
        response.raise_for_status()
        return response.json()["responseId"]

    def put_in_folder(self, email: str, folder_id: str, name: str) -> str:
        """A person puts a file in a folder through Drive itself (not PLT Sync's app): the id."""
        body = {"name": name, "parents": [folder_id], "owner": email, "mimeType": "application/pdf"}
        response = requests.post(f"{self.endpoint}/_emulator/drive/files", json=body, timeout=30)
        response.raise_for_status()
        return response.json()["id"]

    def delete_response(self, email: str) -> None:
        rid = self.response_ids.pop(email)
        requests.delete(f"{self.endpoint}/_emulator/forms/{self.settings().form.id}/responses/{rid}",
                        timeout=30).raise_for_status()

    # The job.
    def sync(self, now: datetime, *, dry_run: bool = False, allow_shrink: bool = False, send: bool = True):
        settings = self.settings()
        meter = Meter()
        workspace = self.workspace(meter)
        sender = sender_from_settings(settings, workspace, {}) if send else None
        return run(settings, workspace, meter, now=now, options=SyncOptions(dry_run=dry_run, allow_shrink=allow_shrink), sender=sender,
                   sleep=lambda _seconds: None)

    # What coordinators see.
    def book(self):
        return read_book(self.workspace().gspread.http_client, self.settings().roster.spreadsheet_id)

    def records(self, tab: str) -> list[dict]:
        sheet = self.book().tab(tab)
        return [sheet.record(r) for r in sheet.data_rows()]

    def stats(self) -> dict:
        return requests.get(f"{self.endpoint}/_emulator/stats", timeout=30).json()

    def reset_stats(self) -> None:
        requests.delete(f"{self.endpoint}/_emulator/stats", timeout=30)

    def mail(self) -> list[dict]:
        return requests.get(f"{self.endpoint}/_emulator/mail", timeout=30).json()["messages"]

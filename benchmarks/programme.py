"""A synthetic district for the benchmark: N teams of five members, one charter milestone.

The Belmont example config, with one milestone (the signed team charter, found as a file
named "*charter*" in the team folder or ticked by a coordinator), pointed at the emulator
and set up with `plt init`. Facilitators' responses arrive through the emulator's admin
API, many at a time.
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from config.load import load_settings
from sync.commands.init import initialise
from sync.google.workspace import connect

DOMAIN = "belmont.example.org"
TZ = ZoneInfo("America/New_York")
MEMBERS = 5
CHARTER = '''[[milestone]]
key = "signed_charter"
title = "Signed team charter"
due = 2017-11-17
evidence_checkbox = true
evidence_file_pattern = "*charter*"
template = "reminder"

[milestone.reminders]
days_before = [7, 1]
every_days_after = 3
max_reminders = 4

'''
# The programme's calendar: responses are in by the first sync; the charter was due on the 17th.
FIRST_SYNC = datetime(2017, 10, 10, 6, 0, tzinfo=TZ)
QUIET_SYNC = datetime(2017, 10, 10, 6, 15, tzinfo=TZ)
CHANGED_SYNC = datetime(2017, 10, 10, 6, 30, tzinfo=TZ)
REMINDER_DAY = datetime(2017, 11, 20, 8, 30, tzinfo=TZ)


def write_config(folder: Path) -> Path:
    """The example config with the charter as its only milestone."""
    text = resources.files("config").joinpath("example.toml").read_text(encoding="utf-8")
    start, end = text.index("\n[[milestone]]") + 1, text.index("\n[mail]") + 1
    path = folder / "plt.toml"
    path.write_text(text[:start] + CHARTER + text[end:], encoding="utf-8")
    return path


def answers(settings, team: int, version: int = 0) -> dict:
    """The form answers of facilitator `team`; a later `version` moves the meeting and
    replaces the last member, so the roster and the folder's sharing both change."""
    q = settings.form.titles
    schools = settings.programme.sites
    members = [f"Member {team}-{m} <m{team}.{m}@{DOMAIN}>" for m in range(MEMBERS - 1)]
    members.append(f"Member {team}-v{version} <m{team}.v{version}@{DOMAIN}>")
    return {q["facilitator_name"]: f"Facilitator {team}", q["team_name"]: f"Team {team}", q["school"]: schools[team % len(schools)],
            q["topic"]: "Close reading", q["goal_type"]: "Student Learning",
            q["meeting_time"]: f"Tuesdays {3 + version}:00", q["training"]: "Enrolled in the facilitator training course",
            q["members"]: "\n".join(members)}


def facilitator(team: int) -> str:
    return f"facilitator{team}@{DOMAIN}"


class Programme:
    """One district on one emulator: its config and the response id of each team."""

    def __init__(self, endpoint: str, folder: Path):
        self.endpoint = endpoint
        self.config_path = write_config(folder)
        initialise(self.settings(), connect(None, endpoint), self.config_path)
        self._settings = load_settings(self.config_path, {"PLT_GOOGLE_ENDPOINT": endpoint})
        self.response_ids: dict[int, str] = {}
        self._local = threading.local()

    def settings(self):
        return load_settings(self.config_path, {"PLT_GOOGLE_ENDPOINT": self.endpoint})

    def submit_all(self, teams: int, *, workers: int = 8) -> None:
        """Every facilitator submits once (several at a time, as a busy form receives them)."""
        with ThreadPoolExecutor(workers) as pool:
            for team, rid in zip(range(teams), pool.map(self._submit, range(teams))):
                self.response_ids[team] = rid

    def edit(self, teams: list[int], version: int = 1, *, workers: int = 8) -> None:
        """These facilitators edit their response (a new meeting time and one new member)."""
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda team: self._edit(team, version), teams))

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
            self._local.session.trust_env = False
        return self._local.session

    def _body(self, team: int, version: int) -> dict:
        return {"answers": answers(self._settings, team, version), "respondentEmail": facilitator(team),
                "submittedAt": f"2017-10-0{2 + version}T14:00:00Z"}

    def _submit(self, team: int) -> str:
        url = f"{self.endpoint}/_emulator/forms/{self._settings.form.id}/responses"
        response = self._session().post(url, json=self._body(team, 0), timeout=60)
        response.raise_for_status()
        return response.json()["responseId"]

    def _edit(self, team: int, version: int) -> None:
        url = f"{self.endpoint}/_emulator/forms/{self._settings.form.id}/responses/{self.response_ids[team]}"
        self._session().put(url, json=self._body(team, version), timeout=60).raise_for_status()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

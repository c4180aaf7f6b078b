"""A Drive client on the emulator that records what it sends, for the drive/ adapter tests."""
from __future__ import annotations

import json
import re
import urllib.request

import httplib2
from googleapiclient import discovery

from drive.batch import apply_changes
from drive.folders import list_team_folders
from drive.model import FOLDER_MIME, Folder
from sync.google.errors import classify
from sync.google.workspace import discovery_document


class RecordingHttp(httplib2.Http):
    """Keeps every request the Drive client sends (a batch is one) and each body."""

    def __init__(self):
        super().__init__(timeout=30)
        self.sent: list[tuple[str, str]] = []
        self.bodies: list[str] = []

    def request(self, uri, method="GET", body=None, *args, **kwargs):
        self.sent.append((method, uri))
        self.bodies.append(body.decode() if isinstance(body, bytes) else body or "")
        return super().request(uri, method, body, *args, **kwargs)

    def permission_bodies(self) -> list[dict]:
        """The JSON body of every permissions.create ever sent, inside batches or not."""
        found = []
        for text in self.bodies:
            for match in re.finditer(r"POST \S+/permissions\S* HTTP/1.1\r?\n(?:.+\r?\n)*\r?\n(\{.*\})", text):
                found.append(json.loads(match.group(1)))
        return found


def recording_drive(endpoint: str) -> tuple[object, RecordingHttp]:
    http = RecordingHttp()
    return discovery.build_from_document(discovery_document("drive", endpoint), http=http), http


class DriveEnv:
    """A parent folder on a fresh emulator, the recording client, and the admin API."""

    def __init__(self, endpoint: str, parent_name: str = "Belmont PLTs 2025-26"):
        self.endpoint = endpoint
        self.drive, self.http = recording_drive(endpoint)
        self.parent = self.new_folder(parent_name)
        self.sleeps: list[float] = []

    def new_folder(self, name: str, parent: str | None = None, app_properties: dict | None = None) -> str:
        body = {"name": name, "mimeType": FOLDER_MIME, "parents": [parent] if parent else [],
                "appProperties": app_properties or {}}
        return self.drive.files().create(body=body, fields="id").execute()["id"]

    def admin(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read() or b"{}")

    def fault(self, **rule) -> None:
        self.admin("POST", "/_emulator/faults", rule)

    def stats(self) -> dict:
        return self.admin("GET", "/_emulator/stats")["by_method"]

    def start_counting(self) -> None:
        self.admin("DELETE", "/_emulator/stats")
        self.http.sent.clear()

    def apply(self, changes, **kwargs):
        return apply_changes(self.drive, changes, classify=classify, sleep=self.sleeps.append, **kwargs)

    def folders(self) -> dict[str, Folder]:
        return list_team_folders(self.drive, self.parent)[0]

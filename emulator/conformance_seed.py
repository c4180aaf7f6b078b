"""Recreating, before a recorded run, the files the recorded account already held.

A recording made in an account that already held files lists them in `files.list`, and some
runs work on a spreadsheet their test made (or a person built by hand) before recording
began. Before each run the harness recreates those files through the emulator's own API:
name and type, the folder each was listed in, a modified time that keeps Google's listing
order (newest first), and for a spreadsheet the run read, the properties, tabs, merges,
protected ranges and filter of the first answer it recorded. Files an earlier run seeded but
this one does not use are removed.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from .conformance_compare import IdMap

_SHEETS_PATH = re.compile(r"^/v4/spreadsheets/([A-Za-z0-9_-]{25,})")
_UNTITLED = "Untitled spreadsheet"
_SPREADSHEET = "application/vnd.google-apps.spreadsheet"
_FOLDER = "application/vnd.google-apps.folder"
_CREATE_PATHS = ("/drive/v3/files", "/upload/drive/v3/files", "/drive/v2/files", "/v4/spreadsheets")
# Seeded files were modified before any run began, a minute apart in the order Google listed them.
_SEEDED_BEFORE = datetime(2020, 1, 1, tzinfo=timezone.utc)

Send = Callable[..., tuple[int, bytes]]


@dataclass
class Found:
    """A file a run uses but never makes: what the recording shows of it."""

    name: str
    mime: str
    parents: list[str]
    answer: dict | None = None  # the first Sheets answer recorded for it


def creates(interaction: dict) -> bool:
    request = interaction["request"]
    return request["method"] == "POST" and urllib.parse.urlsplit(request["uri"]).path in _CREATE_PATHS


class Seeder:
    """Keeps the emulator's files in step with what each run of one recording expects to find."""

    def __init__(self, send: Send, ids: IdMap):
        self.send, self.ids = send, ids
        self.seeded: dict[str, str] = {}  # recorded id -> emulator id

    def seed(self, run: list[dict]) -> None:
        wanted = found_files(run)
        for recorded_id in [i for i in self.seeded if i not in wanted]:
            self.send("DELETE", f"/drive/v3/files/{self.seeded.pop(recorded_id)}")
        self._bind_root(run)
        for position, recorded_id in enumerate(wanted):
            self._make(recorded_id, wanted)
            self._date(recorded_id, position)

    def _bind_root(self, run: list[dict]) -> None:
        recorded = [_answer(i).get("id") for i in run if _path(i) == "/drive/v3/files/root"]
        if any(recorded):
            _, body = self.send("GET", "/drive/v3/files/root?fields=id")
            for root in filter(None, recorded):
                self.ids.bind(root, json.loads(body)["id"])

    def _make(self, recorded_id: str, wanted: dict[str, Found]) -> None:
        if recorded_id in self.seeded:
            return
        found = wanted[recorded_id]
        parents = [self._parent(p, wanted) for p in found.parents]
        metadata = {"name": found.name, "mimeType": found.mime}
        metadata.update({"parents": [p for p in parents if p][:1]} if any(parents) else {})
        _, body = self.send("POST", "/drive/v3/files", json.dumps(metadata).encode(), "application/json")
        self.seeded[recorded_id] = json.loads(body)["id"]
        self.ids.bind(recorded_id, self.seeded[recorded_id])
        if found.answer:
            self._shape(self.seeded[recorded_id], found.answer)

    def _date(self, recorded_id: str, position: int) -> None:
        """Google lists the most recently modified first: the n-th file this run meets is dated
        n minutes before the first, and before anything the run makes (and after its shaping)."""
        modified = (_SEEDED_BEFORE - timedelta(minutes=position)).isoformat()
        self.send("PATCH", f"/drive/v3/files/{self.seeded[recorded_id]}",
                  json.dumps({"modifiedTime": modified}).encode(), "application/json")

    def _parent(self, recorded_id: str, wanted: dict[str, Found]) -> str | None:
        if recorded_id in wanted:
            self._make(recorded_id, wanted)
        return self.seeded.get(recorded_id) or self.ids.strings.get(recorded_id)

    def _shape(self, spreadsheet_id: str, answer: dict) -> None:
        _, body = self.send("GET", f"/v4/spreadsheets/{spreadsheet_id}?fields=sheets.properties.sheetId")
        present = {s["properties"].get("sheetId", 0) for s in json.loads(body).get("sheets", [])}
        requests = shaping_requests(answer, present)
        if requests:
            self.send("POST", f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate",
                      json.dumps({"requests": requests}).encode(), "application/json")


def shaping_requests(answer: dict, present: set[int]) -> list[dict]:
    """batchUpdate requests that make a blank spreadsheet look like a recorded answer."""
    requests = []
    properties = {k: v for k, v in (answer.get("properties") or {}).items() if k != "title"}
    if properties:
        # A full answer without a theme comes from a spreadsheet older than themes: clear it.
        fields = set(properties) | ({"spreadsheetTheme"} if "defaultFormat" in properties else set())
        requests.append({"updateSpreadsheetProperties": {"properties": properties, "fields": ",".join(sorted(fields))}})
    sheets = answer.get("sheets") or []
    if not sheets or not all("sheetId" in (s.get("properties") or {}) for s in sheets):
        return requests
    for sheet in sheets:
        properties = sheet["properties"]
        if properties["sheetId"] in present:
            fields = ",".join(sorted(k for k in properties if k != "sheetId"))
            requests.append({"updateSheetProperties": {"properties": properties, "fields": fields}})
        else:
            requests.append({"addSheet": {"properties": properties}})
    recorded = {s["properties"]["sheetId"] for s in sheets}
    requests += [{"deleteSheet": {"sheetId": sheet_id}} for sheet_id in sorted(present - recorded)]
    return requests + [r for sheet in sheets for r in _sheet_objects(sheet)]


def _sheet_objects(sheet: dict) -> list[dict]:
    sheet_id = sheet["properties"]["sheetId"]
    requests = [{"mergeCells": {"range": {**merge, "sheetId": sheet_id}, "mergeType": "MERGE_ALL"}}
                for merge in sheet.get("merges", [])]
    for protected in sheet.get("protectedRanges", []):
        scoped = {**protected.get("range", {}), "sheetId": sheet_id}
        requests.append({"addProtectedRange": {"protectedRange": {**protected, "range": scoped}}})
    if "basicFilter" in sheet:
        requests.append({"setBasicFilter": {"filter": sheet["basicFilter"]}})
    return requests


def found_files(run: list[dict]) -> dict[str, Found]:
    """The files a run lists or reads but never makes, in the order it first meets them."""
    created = {_answer(i).get("id") or _answer(i).get("spreadsheetId") for i in run if creates(i)}
    wanted: dict[str, Found] = {}
    for interaction in run:
        for file_id, found in _listed(interaction) + _made_before(interaction):
            if file_id in created:
                continue
            known = wanted.setdefault(file_id, found)
            if known.name == _UNTITLED:
                known.name = found.name
            known.answer = known.answer or found.answer
    return wanted


def _path(interaction: dict) -> str:
    return urllib.parse.urlsplit(interaction["request"]["uri"]).path


def _answer(interaction: dict) -> dict:
    try:
        answer = json.loads(interaction["response"]["body"]["string"])
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _listed(interaction: dict) -> list[tuple[str, Found]]:
    if interaction["request"]["method"] != "GET" or _path(interaction) != "/drive/v3/files":
        return []
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(interaction["request"]["uri"]).query).get("q", [""])[0]
    default = next((mime for mime in (_SPREADSHEET, _FOLDER) if mime in query), "application/octet-stream")
    return [(f["id"], Found(f.get("name", "Untitled"), f.get("mimeType", default), list(f.get("parents", []))))
            for f in _answer(interaction).get("files", []) if "id" in f]


def _made_before(interaction: dict) -> list[tuple[str, Found]]:
    """A spreadsheet the call found (its answer is not an error) though no call made it here;
    its title and shape come from the answer when the answer has them."""
    found = _SHEETS_PATH.match(_path(interaction))
    if not found or interaction["response"]["status"]["code"] >= 400:
        return []
    answer = _answer(interaction)
    properties = answer.get("properties")
    title = properties.get("title", _UNTITLED) if isinstance(properties, dict) else _UNTITLED
    return [(found.group(1), Found(title, _SPREADSHEET, [], answer or None))]

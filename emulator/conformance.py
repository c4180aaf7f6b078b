"""Replays recorded real Google traffic against the emulator and reports how much matches.

Each recording (vcrpy JSON: several runs of one client test, appended) is replayed in order
against a fresh in-memory emulator over loopback HTTP. Ids the emulator hands out replace
the recorded ones in later requests (see conformance_compare). Status codes and JSON
answers are compared; the summary line is `conformance: N/M interactions match` with
`, K deliberately skipped` when some interactions are set aside on purpose (SKIPS says why;
they never count as matches).

A recording made in an account that already held files lists them in `files.list`, and an
older recording works on a spreadsheet its test class made before recording began; before
each run the harness recreates those files (name and type, through Drive's files.create),
so the listing can be compared and the spreadsheet found, and removes the ones that run
does not use.

    python -m emulator.conformance [DIR] [--verbose]     (DIR or $PLT_CASSETTES_DIR)
"""
from __future__ import annotations

import http.client
import json
import os
import re
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .conformance_compare import IdMap, compare, rewrite_body
from .core import Emulator
from .server import EmulatorServer
from .store import Store

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "gspread-cassettes"
_GOOGLE = re.compile(r"^https://[a-z]+\.googleapis\.com")
_FILE_ID = re.compile(r"/(?:files|spreadsheets)/([A-Za-z0-9_-]{25,})")
_SHEETS_PATH = re.compile(r"^/v4/spreadsheets/([A-Za-z0-9_-]{25,})")
_UNTITLED = "Untitled spreadsheet"
_SPREADSHEET = "application/vnd.google-apps.spreadsheet"


@dataclass(frozen=True)
class Skip:
    """An interaction the emulator deliberately answers differently, and why."""

    reason: str
    applies: Callable[[dict, IdMap], bool]


def _is_export(interaction: dict, ids: IdMap) -> bool:
    return urllib.parse.urlsplit(interaction["request"]["uri"]).path.endswith("/export")


def _foreign_file(interaction: dict, ids: IdMap) -> bool:
    """A file the recording neither made nor listed, which the recorded account could not read."""
    found = _FILE_ID.search(urllib.parse.urlsplit(interaction["request"]["uri"]).path)
    refused = interaction["response"]["status"]["code"] in (403, 404)
    return bool(found) and refused and found.group(1) not in ids.strings and not _creates(interaction)


SKIPS = (
    Skip("files.export renders a spreadsheet as CSV/PDF/XLSX; PLT Sync reads values through the Sheets "
         "API and the emulator answers export with a 400 saying it does not render files", _is_export),
    Skip("the file belongs to another Google account, which refused access (403); the emulator "
         "serves a single account, so an id it never issued is 404", _foreign_file),
)


@dataclass
class Result:
    name: str
    total: int = 0
    matched: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)  # (method and URL, the Skip's reason)


def _creates(interaction: dict) -> bool:
    request = interaction["request"]
    path = urllib.parse.urlsplit(request["uri"]).path
    return request["method"] == "POST" and path in ("/drive/v3/files", "/upload/drive/v3/files",
                                                    "/v4/spreadsheets")


def split_runs(interactions: list[dict]) -> list[list[dict]]:
    """Runs start with a files.create that follows a files.delete (or the start of the file)."""
    runs: list[list[dict]] = []
    for interaction in interactions:
        starts = _creates(interaction) and (not runs or runs[-1][-1]["request"]["method"] == "DELETE")
        if starts or not runs:
            runs.append([])
        runs[-1].append(interaction)
    return runs


class Replayer:
    """One recording against one fresh emulator."""

    def __init__(self, server: EmulatorServer):
        self.server = server
        self.ids = IdMap()
        self.seeded: dict[str, str] = {}
        netloc = urllib.parse.urlsplit(server.url).netloc
        self.connection = http.client.HTTPConnection(netloc, timeout=60)

    def send(self, method: str, uri: str, body: bytes = b"", content_type: str | None = None) -> tuple[int, bytes]:
        target = _GOOGLE.sub("", uri)
        target = urllib.parse.quote(target, safe="/?&=%:+,;!'()*$@~")
        headers = {"Content-Type": content_type} if content_type else {}
        self.connection.request(method, target, body=body or None, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def replay(self, interaction: dict) -> list[str]:
        request, recorded = interaction["request"], interaction["response"]
        content_type = (request.get("headers", {}).get("Content-Type") or [None])[0]
        status, body = self.send(request["method"], self.ids.text(request["uri"]),
                                 rewrite_body(request.get("body"), self.ids), content_type)
        problems = [] if status == recorded["status"]["code"] else [
            f"status: expected {recorded['status']['code']}, got {status} {body[:160]!r}"]
        return problems + self._compare_bodies(recorded["body"]["string"], body)

    def _compare_bodies(self, recorded_text: str, actual: bytes) -> list[str]:
        try:
            recorded = json.loads(recorded_text) if recorded_text else None
        except ValueError:
            recorded = None
        if recorded is None:
            text = actual.decode("utf-8", "replace")
            return [] if self.ids.text(recorded_text or "") == text else [f"body: expected {recorded_text[:80]!r}"]
        try:
            answer = json.loads(actual)
        except ValueError:
            return [f"body: expected JSON, got {actual[:80]!r}"]
        return compare(recorded, answer, self.ids)

    def seed(self, run: list[dict]) -> None:
        """Recreate the files a run lists but never creates; drop earlier seeds it does not list."""
        created = {_created_id(i) for i in run if _creates(i)}
        wanted: dict[str, tuple[str, str]] = {}
        for interaction in run:
            for file_id, name, mime in _listed(interaction) + _made_before(interaction):
                if file_id not in created and wanted.get(file_id, (_UNTITLED,))[0] == _UNTITLED:
                    wanted[file_id] = (name, mime)
        for recorded_id in [i for i in self.seeded if i not in wanted]:
            self.send("DELETE", f"/drive/v3/files/{self.seeded.pop(recorded_id)}")
        for recorded_id, (name, mime) in reversed(list(wanted.items())):
            if recorded_id in self.seeded:
                continue
            _, body = self.send("POST", "/drive/v3/files", json.dumps({"name": name, "mimeType": mime}).encode(),
                                "application/json")
            self.seeded[recorded_id] = json.loads(body)["id"]
            self.ids.bind(recorded_id, self.seeded[recorded_id])


def _created_id(interaction: dict) -> str | None:
    try:
        answer = json.loads(interaction["response"]["body"]["string"])
    except ValueError:
        return None
    return answer.get("id") or answer.get("spreadsheetId")


def _listed(interaction: dict) -> list[tuple[str, str, str]]:
    uri = interaction["request"]["uri"]
    if interaction["request"]["method"] != "GET" or urllib.parse.urlsplit(uri).path != "/drive/v3/files":
        return []
    try:
        files = json.loads(interaction["response"]["body"]["string"]).get("files", [])
    except ValueError:
        return []
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query).get("q", [""])[0]
    default = _SPREADSHEET if _SPREADSHEET in query else "application/octet-stream"
    return [(f["id"], f.get("name", "Untitled"), f.get("mimeType", default)) for f in files if "id" in f]


def _made_before(interaction: dict) -> list[tuple[str, str, str]]:
    """A spreadsheet the call found (its answer is not an error) though no call made it here;
    its title comes from the answer when the answer has one."""
    found = _SHEETS_PATH.match(urllib.parse.urlsplit(interaction["request"]["uri"]).path)
    if not found or interaction["response"]["status"]["code"] >= 400:
        return []
    try:
        answer = json.loads(interaction["response"]["body"]["string"])
    except ValueError:
        answer = None
    properties = answer.get("properties") if isinstance(answer, dict) else None
    title = properties.get("title", _UNTITLED) if isinstance(properties, dict) else _UNTITLED
    return [(found.group(1), title, _SPREADSHEET)]


def replay_recording(path: Path) -> Result:
    result = Result(path.stem)
    interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
    with EmulatorServer(Emulator(Store(), validate_responses=True)) as server:
        replayer = Replayer(server)
        for run in split_runs(interactions):
            replayer.seed(run)
            for interaction in run:
                result.total += 1
                skip = next((s for s in SKIPS if s.applies(interaction, replayer.ids)), None)
                if skip:
                    result.skipped += 1
                    result.skips.append((_request_line(interaction), skip.reason))
                    continue
                problems = replayer.replay(interaction)
                if problems:
                    result.failures.append(f"{_request_line(interaction)[:120]}: {'; '.join(problems[:3])}")
                else:
                    result.matched += 1
    return result


def _request_line(interaction: dict) -> str:
    return f"{interaction['request']['method']} {interaction['request']['uri']}"


def replay_folder(folder: Path, out=None, verbose: bool = False) -> list[Result]:
    """Replay every recording in `folder` (each on its own emulator, several at a time)."""
    out = out or sys.stdout
    paths = [p for p in sorted(folder.glob("*.json"))
             if "interactions" in json.loads(p.read_text(encoding="utf-8"))]
    results = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for result in pool.map(replay_recording, paths):
            results.append(result)
            extra = f", {result.skipped} skipped" if result.skipped else ""
            print(f"{result.name}: {result.matched}/{result.total} match{extra}", file=out)
            for failure in result.failures if verbose else result.failures[:1]:
                print(f"    {failure}", file=out)
    print(summary(results), file=out)
    return results


def summary(results: list[Result]) -> str:
    matched, total, skipped = (sum(r.matched for r in results), sum(r.total for r in results),
                               sum(r.skipped for r in results))
    line = f"conformance: {matched}/{total} interactions match"
    return line + (f", {skipped} deliberately skipped" if skipped else "")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args or "-v" in args
    folders = [a for a in args if not a.startswith("-")]
    folder = Path(folders[0] if folders else os.environ.get("PLT_CASSETTES_DIR") or DEFAULT_DIR)
    if not folder.is_dir():
        print(f"conformance: no recordings folder at {folder}", file=sys.stderr)
        return 2
    results = replay_folder(folder, verbose=verbose)
    return 0 if all(r.matched + r.skipped == r.total for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

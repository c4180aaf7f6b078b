"""Replays recorded real Google traffic against the emulator and reports how much matches.

Each recording (vcrpy JSON, or betamax JSON read by conformance_betamax: several runs of one
client test, appended) is replayed in order against a fresh in-memory emulator over loopback
HTTP. Ids the emulator hands out replace the recorded ones in later requests (see
conformance_compare). Status codes and JSON answers are compared; the summary line is
`conformance: N/M interactions match` with `, K deliberately skipped` when some interactions
are set aside on purpose (SKIPS says why; they never count as matches, though they are still
sent, so that the calls after them find what they made).

Before each run the harness recreates the files the recorded account already held
(conformance_seed), so listings can be compared and spreadsheets found.

    python -m emulator.conformance [DIR] [--verbose]     (DIR or $PLT_CASSETTES_DIR)
"""
from __future__ import annotations

import http.client
import io
import json
import os
import re
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .conformance_betamax import from_betamax
from .conformance_compare import IdMap, compare, rewrite_body
from .conformance_seed import Seeder, creates
from .core import Emulator
from .server import EmulatorServer
from .store import Store

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "gspread-cassettes"
_GOOGLE = re.compile(r"^https://[a-z]+\.googleapis\.com")
_FUNCTION_CALL = re.compile(r'"=[A-Za-z]+\(')
_FILE_ID = re.compile(r"/(?:files|spreadsheets)/([A-Za-z0-9_-]{25,})")


@dataclass(frozen=True)
class Skip:
    """An interaction the emulator deliberately answers differently, and why."""

    reason: str
    applies: Callable[[dict, IdMap, list[dict]], bool]  # (interaction, ids, the run's calls before it)


def _is_export(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    return urllib.parse.urlsplit(interaction["request"]["uri"]).path.endswith("/export")


def _foreign_file(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    """A file the recording neither made nor listed, which the recorded account could not read."""
    found = _FILE_ID.search(urllib.parse.urlsplit(interaction["request"]["uri"]).path)
    refused = interaction["response"]["status"]["code"] in (403, 404)
    return bool(found) and refused and found.group(1) not in ids.strings and not creates(interaction)


def _v2_file(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    path = urllib.parse.urlsplit(interaction["request"]["uri"]).path
    v2_files = path.startswith(("/drive/v2/files", "/upload/drive/v2/files"))
    return v2_files and '"drive#file"' in _answer_text(interaction)


def _others_protection(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    """A protected range the recording account could not edit: Google leaves out its editors
    and `requestingUserCanEdit` (false)."""
    try:
        answer = json.loads(_answer_text(interaction) or "null")
    except ValueError:
        return False
    sheets = answer.get("sheets", []) if isinstance(answer, dict) else []
    return any("requestingUserCanEdit" not in protected
               for sheet in sheets if isinstance(sheet, dict) for protected in sheet.get("protectedRanges", []))


def _userinfo(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    return urllib.parse.urlsplit(interaction["request"]["uri"]).path in ("/userinfo/v2/me", "/oauth2/v2/userinfo")


def _formula_result(interaction: dict, ids: IdMap, earlier: list[dict]) -> bool:
    """A values read of a tab the recording wrote a formula into (USER_ENTERED `=sum(...)`)."""
    request = interaction["request"]
    tab = _tab(request["uri"])
    return request["method"] == "GET" and tab is not None and any(
        _tab(e["request"]["uri"]) == tab and "valueInputOption=USER_ENTERED" in e["request"]["uri"]
        and _FUNCTION_CALL.search(e["request"].get("body") or "") for e in earlier)


def _tab(uri: str) -> str | None:
    found = re.search(r"/values/([^?:]+)", urllib.parse.urlsplit(uri).path)
    if not found:
        return None
    return urllib.parse.unquote(found.group(1)).split("!")[0].strip("'")


def _answer_text(interaction: dict) -> str:
    return interaction["response"]["body"].get("string") or ""


SKIPS = (
    Skip("files.export renders a spreadsheet as CSV/PDF/XLSX; PLT Sync reads values through the Sheets "
         "API and the emulator answers export with a 400 saying it does not render files", _is_export),
    Skip("the file belongs to another Google account, which refused access (403); the emulator "
         "serves a single account, so an id it never issued is 404", _foreign_file),
    Skip("a protected range another account (the spreadsheet's owner) set, which the recording account "
         "could not edit, so Google hid its editors; the emulator serves a single account, which owns "
         "the spreadsheet and can edit every range", _others_protection),
    Skip("a Drive v2 file resource: the emulator answers a subset of v2's fields (docs/emulator-gaps.md) "
         "and Google's v2 answer has changed since it was recorded; PLT Sync uses Drive v3", _v2_file),
    Skip("a formula's result: Google computed `=sum(...)` written with USER_ENTERED, and the emulator "
         "evaluates constant arithmetic only (docs/emulator-gaps.md)", _formula_result),
    Skip("the OAuth2 userinfo API (who the token belongs to) is not served: PLT Sync knows its account "
         "from its configuration, and the emulator answers the URL with Google's JSON 404", _userinfo),
)


@dataclass
class Result:
    name: str
    total: int = 0
    matched: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)  # (method and URL, the Skip's reason)


def split_runs(interactions: list[dict]) -> list[list[dict]]:
    """Runs start with a files.create that follows a files.delete (or the start of the file)."""
    runs: list[list[dict]] = []
    for interaction in interactions:
        starts = creates(interaction) and (not runs or runs[-1][-1]["request"]["method"] == "DELETE")
        if starts or not runs:
            runs.append([])
        runs[-1].append(interaction)
    return runs


class Replayer:
    """One recording against one fresh emulator."""

    def __init__(self, server: EmulatorServer):
        self.server = server
        self.ids = IdMap()
        netloc = urllib.parse.urlsplit(server.url).netloc
        self.connection = http.client.HTTPConnection(netloc, timeout=60)
        self.seeder = Seeder(self.send, self.ids)

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


def replay_recording(path: Path) -> Result:
    result = Result(path.stem)
    interactions = load_recording(path)
    with EmulatorServer(Emulator(Store(), validate_responses=True)) as server:
        replayer = Replayer(server)
        for run in split_runs(interactions):
            replayer.seeder.seed(run)
            for index, interaction in enumerate(run):
                result.total += 1
                skip = next((s for s in SKIPS if s.applies(interaction, replayer.ids, run[:index])), None)
                problems = replayer.replay(interaction)  # a skipped call too: later calls need its effect
                if skip:
                    result.skipped += 1
                    result.skips.append((_request_line(interaction), skip.reason))
                elif problems:
                    result.failures.append(f"{_request_line(interaction)[:120]}: {'; '.join(problems[:3])}")
                else:
                    result.matched += 1
    return result


def load_recording(path: Path) -> list[dict]:
    """A recording's interactions, whether vcrpy (`interactions`) or betamax (`http_interactions`)."""
    recording = json.loads(path.read_text(encoding="utf-8"))
    return recording["interactions"] if "interactions" in recording else from_betamax(recording)


def _is_recording(path: Path) -> bool:
    return bool({"interactions", "http_interactions"} & set(json.loads(path.read_text(encoding="utf-8"))))


def _request_line(interaction: dict) -> str:
    return f"{interaction['request']['method']} {interaction['request']['uri']}"


def replay_report(folder: Path) -> tuple[list[Result], str]:
    """Replay `folder` quietly: the results and the report `replay_folder` prints."""
    out = io.StringIO()
    return replay_folder(folder, out=out), out.getvalue()


def differences(report: str) -> list[str]:
    """The lines of a replay report that name a call whose answer differed from Google's
    (none when every call matched or was set aside with its reason)."""
    return [line for line in report.splitlines() if line.startswith("    ")]


def replay_folder(folder: Path, out=None, verbose: bool = False) -> list[Result]:
    """Replay every recording in `folder` (each on its own emulator, several at a time)."""
    out = out or sys.stdout
    paths = [p for p in sorted(folder.glob("*.json")) if _is_recording(p)]
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

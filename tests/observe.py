"""What coordinators see after a run, read straight from Google's APIs (the real clients
against the emulator, never the sync code's own readers), and the invariants every run
that met no fault must leave true, judged against the oracle (tests/oracle.py)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import gspread

from oracle import TIME_ZONE, TRAINING_DAYS, Oracle, reminders_too_close
from programme import CHECKPOINT

TABS = ("Dashboard", "Roster", "Members", "Problems", "Reminders", "Runs")
FOLDER_MIME = "application/vnd.google-apps.folder"
TEAM_TAG = "plt_team_id"


def records(values: list[list]) -> list[tuple[int, dict]]:
    """(row number, {header: value}) for every data row with a first-key cell."""
    if not values:
        return []
    header = [str(h) for h in values[0]]
    out = []
    for number, row in enumerate(values[1:], start=2):
        record = dict(zip(header, list(row) + [""] * (len(header) - len(row))))
        if any(str(v).strip() for v in record.values()):
            out.append((number, record))
    return out


def read_roster(sheet) -> tuple[list[str], list[tuple[int, dict]]]:
    values = sheet.get(value_render_option=gspread.utils.ValueRenderOption.unformatted)
    rows = [(n, r) for n, r in records(values) if str(r.get("Team ID", "")).strip()]
    return ([str(h) for h in values[0]] if values else []), rows


class Window:
    """A coordinator's view of one programme: clients built once, settings read once."""

    def __init__(self, programme):
        self.programme = programme
        self.workspace = programme.workspace()
        self.settings = programme.settings()

    def roster_sheet(self):
        return self.workspace.gspread.open_by_key(self.settings.roster.spreadsheet_id).worksheet("Roster")


def read_tabs(window: Window) -> dict[str, list[list]]:
    """Every tab's cells, unformatted, in one values.batchGet."""
    book = window.workspace.gspread.open_by_key(window.settings.roster.spreadsheet_id)
    answer = book.values_batch_get(list(TABS), params={"valueRenderOption": "UNFORMATTED_VALUE"})
    return {tab: ranges.get("values", []) for tab, ranges in zip(TABS, answer["valueRanges"])}


def team_folders(window: Window) -> dict[str, list[dict]]:
    """Team id -> every folder tagged for it under the parent folder, oldest first."""
    parent = window.settings.drive.parent_folder_id
    listed = window.workspace.drive.files().list(
        q=f"'{parent}' in parents and trashed = false and mimeType = '{FOLDER_MIME}'", pageSize=1000,
        fields="files(id,name,createdTime,appProperties,permissions(emailAddress,role,type))").execute()
    out: dict[str, list[dict]] = {}
    for file in sorted(listed.get("files", []), key=lambda f: f.get("createdTime", "")):
        out.setdefault((file.get("appProperties") or {}).get(TEAM_TAG, ""), []).append(file)
    return out


@dataclass
class Seen:
    """Keys of everything seen after the last good run: none may vanish (sync deletes
    nothing), except roster rows a coordinator deleted by hand."""

    keys: dict[str, set] = field(default_factory=dict)

    def row_deleted(self, tid: str) -> None:
        self.keys.get("roster", set()).discard(tid)

    def snapshot(self, window: Window) -> tuple:
        folders = team_folders(window)
        return (read_tabs(window), sorted((t, [f["id"] for f in fs]) for t, fs in folders.items()),
                sorted(m["id"] for m in window.programme.mail()))

    def check_and_update(self, now: dict[str, set]) -> None:
        for name, before in self.keys.items():
            lost = before - now[name]
            assert not lost, f"{name}: {sorted(map(str, lost))} disappeared"
        self.keys = {name: set(keys) for name, keys in now.items()}


def present_keys(tabs: dict[str, list[list]], folders: dict[str, list[dict]], mail: list[dict]) -> dict[str, set]:
    def column(tab, *headers):
        return {tuple(str(r.get(h, "")) for h in headers) for _n, r in records(tabs[tab])}
    return {"roster": {k[0] for k in column("Roster", "Team ID") if k[0]},
            "members": column("Members", "Team ID", "Email", "Member"), "problems": column("Problems", "Problem ID"),
            "reminders": column("Reminders", "Key"), "runs": column("Runs", "Run ID"),
            "folders": {f["id"] for fs in folders.values() for f in fs}, "mail": {m["id"] for m in mail}}


def read_baseline(window: Window) -> dict[str, frozenset[tuple[str, str]]]:
    """Team id -> (role, email) of everyone the Members tab holds on the team, or held
    on it when it was withdrawn: the people a later response is judged against."""
    out: dict[str, set[tuple[str, str]]] = {}
    for _n, row in records(read_tabs(window)["Members"]):
        on_team = str(row.get("On team", "")).strip().lower()
        if on_team == "yes" or on_team.startswith("team withdrawn"):
            who = str(row["Email"]).strip().lower() or str(row["Member"]).strip().lower()
            out.setdefault(str(row["Team ID"]), set()).add((str(row["Role"]), who))
    return {tid: frozenset(people) for tid, people in out.items()}


def check_no_unnamed_access(folders: dict[str, list[dict]], oracle: Oracle) -> None:
    """Whatever happened (faults, crashes, spoofed responses), nobody has access to a team
    folder that no entitled person, approving coordinator or hand share named."""
    for tid, found in folders.items():
        for folder in found:
            emails = {p["emailAddress"].lower() for p in folder.get("permissions", []) if p["role"] != "owner"}
            unnamed = oracle.unnamed_access(tid, emails)
            assert not unnamed, f"folder of {tid} shared with {sorted(unnamed)}, whom nobody entitled named"


def check_clean_sync(window: Window, oracle: Oracle, seen: Seen) -> None:
    """Every invariant a run without faults must leave true."""
    tabs, folders, mail = read_tabs(window), team_folders(window), window.programme.mail()
    check_roster(records(tabs["Roster"]), oracle)
    check_rows_hold_their_own_teams(records(tabs["Roster"]), oracle)
    check_folders(folders, oracle)
    check_no_unnamed_access(folders, oracle)
    check_reminders(records(tabs["Reminders"]), mail)
    check_problems(records(tabs["Problems"]), oracle)
    check_checkpoints(records(tabs["Roster"]), records(tabs["Problems"]), oracle)
    check_calendar(window, oracle)
    seen.check_and_update(present_keys(tabs, folders, mail))


def check_rows_hold_their_own_teams(rows: list[tuple[int, dict]], oracle: Oracle) -> None:
    foreign = oracle.foreign_cells(r for _n, r in rows)
    assert not foreign, f"a team's cells were written into another team's row: {foreign}"

def check_calendar(window: Window, oracle: Oracle) -> None:
    """The programme calendar holds exactly the configured sessions, each once (no event
    ever made twice, none cancelled), inviting exactly the enrolled facilitators of the
    live teams."""
    events = window.workspace.calendar.events()
    listed = events.list(calendarId=window.settings.calendar.id, showDeleted=True, maxResults=2500).execute()
    items = listed.get("items", [])
    days = sorted(e["start"]["dateTime"][:10] for e in items)
    assert days == sorted(TRAINING_DAYS), f"the calendar holds {days}, not each training session once"
    assert all(e["status"] == "confirmed" for e in items), [e["status"] for e in items]
    enrolled = {r.email for r in oracle.teams().values() if r.answers.enrolled}
    for event in items:
        invited = {a["email"] for a in event.get("attendees", [])}
        assert invited == enrolled, f"{event['summary']} invites {invited}, not {enrolled}"


def check_roster(rows: list[tuple[int, dict]], oracle: Oracle) -> None:
    ids = Counter(str(r["Team ID"]) for _n, r in rows if str(r.get("Team ID", "")))
    assert not [t for t, n in ids.items() if n > 1], f"teams listed twice on the roster: {ids}"
    by_id = {str(r["Team ID"]): r for _n, r in rows}
    teams = oracle.teams()
    for tid, response in teams.items():
        row = by_id.get(tid)
        assert row is not None, f"live team {tid} ({response.email}) is missing from the roster"
        given = response.answers
        assert (row["Team status"], row["Team name"], row["Topic"], row["Facilitator email"],
                row["Response ID"]) == ("active", given.team_name, given.topic, response.email,
                                        response.response_id), f"{tid} shows {row}, not {response}"
        assert set(re.findall(r"<([^>]+)>", str(row["Members"]))) == {e for _n, e in given.members}, row
        assert float(row["Member count"]) == len(given.members), row
    frozen = oracle.frozen()
    for tid, row in by_id.items():
        assert tid in teams or tid in frozen or (tid in oracle.ever_usable() and row["Team status"] == "withdrawn"), \
            f"roster row {tid} is neither a live team nor a withdrawn one: {row}"
    for (tid, header), value in oracle.notes.items():
        assert tid in by_id and by_id[tid].get(header) == value, \
            f"coordinator's {header!r} of {tid} was {value!r}, now {by_id.get(tid, {}).get(header)!r}"


def check_folders(folders: dict[str, list[dict]], oracle: Oracle) -> None:
    assert "" not in folders, "a folder under the parent carries no team tag"
    for tid, found in folders.items():
        assert len(found) == 1, f"team {tid} has {len(found)} folders"
        assert tid in oracle.ever_usable(), f"a folder for {tid}, which no usable response names"
    for tid in oracle.teams():
        assert tid in folders, f"live team {tid} has no folder"
        access = {p["emailAddress"].lower(): p["role"] for p in folders[tid][0].get("permissions", [])
                  if p["role"] != "owner"}
        assert access == oracle.folder_access(tid), f"folder of {tid}: {access} != {oracle.folder_access(tid)}"


def check_reminders(ledger: list[tuple[int, dict]], mail: list[dict]) -> None:
    keys = Counter(str(r["Key"]) for _n, r in ledger)
    assert all(n == 1 for n in keys.values()), f"a reminder key is on the ledger twice: {keys}"
    sent = Counter(m["messageId"].strip("<>") for m in mail)
    assert all(n == 1 for n in sent.values()), f"a reminder went out twice: {sent}"
    recorded = {str(r["Message-ID"]).strip("<>"): r for _n, r in ledger}
    assert set(sent) <= set(recorded), f"mail sent without a ledger row: {set(sent) - set(recorded)}"
    for mid, row in recorded.items():
        assert row["Status"] != "sending", f"ledger row {row['Key']} left as sending after a clean run"
        assert (row["Status"] == "sent") == (mid in sent), f"ledger says {row['Status']} for {row['Key']}"
    # When each went out: the Date of the message as sent, on the programme's calendar.
    dated = [(str(recorded[m["messageId"].strip("<>")]["Team ID"]),
              str(recorded[m["messageId"].strip("<>")]["Milestone"]),
              parsedate_to_datetime(m["date"]).astimezone(TIME_ZONE).date()) for m in mail]
    too_close = reminders_too_close(dated)
    assert not too_close, f"reminders of one milestone sent too close together: {too_close}"


def check_problems(rows: list[tuple[int, dict]], oracle: Oracle) -> None:
    ids = Counter(str(r["Problem ID"]) for _n, r in rows)
    assert all(n == 1 for n in ids.values()), f"a problem is listed twice: {ids}"
    open_for = {str(r["Response ID"]) for _n, r in rows if r["Status"] == "open"}
    missing = oracle.problem_responses() - open_for
    assert not missing, f"unusable responses with no open Problems row: {missing}"


def check_checkpoints(roster: list[tuple[int, dict]], problems: list[tuple[int, dict]], oracle: Oracle) -> None:
    """The checkpoint evidence form: a live team shows it received exactly when an answer
    counts for it, and exactly the answers that count for no team have an open Problems row."""
    status = {str(r["Team ID"]): r.get(f"{CHECKPOINT} status") for _n, r in roster}
    received = oracle.checkpoint_received()
    for tid in oracle.teams():
        assert (status[tid] == "received") == (tid in received), \
            f"{tid}: checkpoint {status[tid]!r}, but answers count for {sorted(received)}"
    answers = {a.response_id for a in oracle.checkpoints}
    open_for = {str(r["Response ID"]) for _n, r in problems if r["Status"] == "open"} & answers
    assert open_for == oracle.checkpoint_problems(), \
        f"open checkpoint problems {sorted(open_for)}, expected {sorted(oracle.checkpoint_problems())}"

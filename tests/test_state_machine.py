"""A stateful property test of the whole programme (as vdirsyncer tests its sync): facilitators
submit, edit and delete responses, someone else submits in a facilitator's name,
coordinators work in the roster, approve held responses and share folders by hand, the
calendar moves across milestone dates, Google fails (429, 5xx, dropped connections,
"commit, then fail"), runs crash at a random call and two runs start at once. After every
sync that ran without faults, what coordinators see is checked against an oracle worked
out from the same actions (tests/oracle.py): nothing lost, nothing duplicated, and on the
programme calendar each training session exactly once, inviting exactly the facilitators
enrolled in the course; after every sync, faulty or not, nobody has access that no
entitled person or approving coordinator gave.

The form collects verified emails and asks the facilitator's email as a question, so a
response's sender and the facilitator it names may differ.

`Figures` counts what a session did; `make soak` runs the same machine at length.
"""
from __future__ import annotations

import io
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import gspread
import httplib2
import pytest
import requests
from googleapiclient.errors import HttpError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, precondition, rule,
                                 run_state_machine_as_test)

from emulator.core import Emulator
from emulator.server import EmulatorServer
from oracle import DOMAIN, Answers, Checkpoint, Oracle, Response, team_id
from observe import (Seen, Window, check_clean_sync, check_no_unnamed_access, check_rows_hold_their_own_teams,
                     read_baseline, read_roster, read_tabs, records, team_folders)
from programme import Programme, at, checkpoint_form, typed_facilitator_email
from sync.commands.cli import run as plt
from sync.environment import Environment
from sync.errors import PltError, SafetyStop
from sync.google.workspace import SCOPES

FACILITATORS = (("Ana", "Lopez"), ("Ben", "Okafor"), ("Cy", "Young"), ("Dee", "Marsh"))
PEOPLE = tuple((f"{n} Staff", f"{n.lower()}.staff@{DOMAIN}") for n in ("Sam", "Kim", "Jo", "Lu", "Max"))
HAND_SHARED = (f"principal@{DOMAIN}", f"coach@{DOMAIN}")
MALLORY = ("Mallory Mole", f"mallory.mole@{DOMAIN}")
# Who submits in a facilitator's name: an outsider to every team, or a member of some.
SPOOFERS = (MALLORY[1], PEOPLE[0][1])
TEAM_NAMES = ("Close Reading 7", "Number Talks", "Science Notebooks", "Écrire Ensemble")
TOPICS = ("Close reading", "Fluency, grades 3-5", "=SUM(1,2)", "Line one\nline two")
CHECKBOXES = ("SMART goal submitted to evaluator received", "Signed team charter received")
FAULT_KINDS = (429, 500, 503, "reset", "commit_then_fail")
METHODS = ("forms.forms.get", "forms.forms.responses.list", "sheets.spreadsheets.get",
           "sheets.spreadsheets.batchUpdate", "drive.files.list", "drive.files.create", "drive.files.update",
           "drive.permissions.create", "drive.permissions.delete", "drive.permissions.update",
           "gmail.users.messages.send", "gmail.users.messages.list", "calendar.events.list",
           "calendar.events.insert", "calendar.events.patch", "calendar.events.delete")
# What a failed or crashed run may raise: Google's refusals, dropped connections, or one
# of PLT Sync's own failures that the CLI reports in a line; anything else is a defect.
GOOGLE_FAILURES = (HttpError, gspread.exceptions.APIError, OSError, httplib2.HttpLib2Error,
                   requests.RequestException, PltError)
START = at("2017-10-25 09:00")   # a Wednesday, the day of the first SMART-goal reminder
SUBMITTED_FROM = datetime(2017, 9, 20, 12, 0, tzinfo=timezone.utc)


def _email(who: tuple[str, str]) -> str:
    return f"{who[0].lower()}.{who[1].lower()}@{DOMAIN}"


CHECKPOINT_DUE = "2017-12-08"    # an evidence form, reminded a week before, within the machine's weeks
# The Unit ID a checkpoint answer gives: a facilitator's team's id (as the pre-filled link
# has it, or typed in lower case), none at all, or one no team has.
UNIT_IDS = st.one_of(st.sampled_from(FACILITATORS).map(lambda who: team_id(_email(who))),
                     st.sampled_from(FACILITATORS).map(lambda who: f" {team_id(_email(who)).lower()} "),
                     st.just(""), st.just("PLT-NOSUCH00"))
SENDERS = st.one_of(st.sampled_from(FACILITATORS).map(_email), st.sampled_from(PEOPLE).map(lambda p: p[1]))

answers = st.builds(Answers, st.sampled_from(TEAM_NAMES), st.sampled_from(TOPICS),
                    st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True).map(tuple), st.booleans())
TRAINING = {True: "Enrolled in the facilitator training course", False: "Requesting an exemption"}
# A spoofer's answers: usually their own people as the members, sometimes a real team's.
spoofed_answers = st.builds(Answers, st.sampled_from(TEAM_NAMES), st.sampled_from(TOPICS),
                            st.lists(st.sampled_from((*PEOPLE, MALLORY)), max_size=3, unique=True).map(tuple),
                            st.booleans())


@dataclass
class Figures:
    examples: int = 0
    syncs: int = 0
    faults: int = 0
    crashes: int = 0
    concurrent: int = 0
    reminders: int = 0
    checkpoint_answers: int = 0
    row_races: int = 0
    spoofed: int = 0
    approved: int = 0
    violations: int = 0

    def line(self) -> str:
        return (f"examples={self.examples} syncs={self.syncs} faults injected={self.faults} crashes={self.crashes} "
                f"concurrent runs={self.concurrent} reminders sent={self.reminders} "
                f"checkpoint answers={self.checkpoint_answers} spoofed responses={self.spoofed} "
                f"approvals={self.approved} row races={self.row_races} violations found={self.violations}")


class ProgrammeMachine(RuleBasedStateMachine):
    """One programme on a fresh emulator per example; the oracle follows every action."""

    endpoint = ""
    figures = Figures()

    def __init__(self):
        super().__init__()
        requests.post(f"{self.endpoint}/_emulator/reset", timeout=30).raise_for_status()
        self.programme = Programme.create(self.endpoint, Path(tempfile.mkdtemp(prefix="plt-machine-")),
                                          edit=lambda text: typed_facilitator_email(text)
                                          + checkpoint_form(CHECKPOINT_DUE),
                                          config="programmes/belmont.toml")
        self.window = Window(self.programme)
        self.oracle = Oracle()
        self.seen = Seen()
        self.now = START
        self.submissions = 0
        self.settled = False      # no response or run since a run without faults
        self.figures.examples += 1

    def teardown(self):
        self.figures.reminders += len(self.programme.mail())

    # Facilitators.
    def _next_submitted(self) -> str:
        self.submissions += 1
        return (SUBMITTED_FROM + timedelta(minutes=self.submissions)).isoformat().replace("+00:00", "Z")

    def _body(self, email: str, name: str, given: Answers, submitted: str, sender: str = "") -> dict:
        q = self.window.settings.form.titles
        members = "\n".join(f"{n} <{e}>" for n, e in given.members) or " "
        return {"respondentEmail": sender or email, "submittedAt": submitted,
                "answers": {q["facilitator_name"]: name, q["facilitator_email"]: email,
                            q["team_name"]: given.team_name, q["school"]: "Chenery Middle School",
                            q["topic"]: given.topic, q["goal_type"]: "Student Learning", q["meeting_time"]: "Tuesdays 3:00",
                            q["training"]: TRAINING[given.enrolled], q["members"]: members}}

    def _form_url(self) -> str:
        return f"{self.endpoint}/_emulator/forms/{self.window.settings.form.id}/responses"

    @initialize(who=st.lists(st.sampled_from(FACILITATORS), min_size=1, max_size=3, unique=True),
                given=st.lists(answers, min_size=3, max_size=3))
    def facilitators_submit_before_the_first_run(self, who, given):
        for person, their_answers in zip(who, given):
            self.submit_response(person, their_answers)

    @rule(who=st.sampled_from(FACILITATORS), given=answers)
    def submit_response(self, who, given):
        email, name, submitted = _email(who), f"{who[0]} {who[1]}", self._next_submitted()
        reply = requests.post(self._form_url(), json=self._body(email, name, given, submitted), timeout=30)
        reply.raise_for_status()
        self.oracle.submitted(Response(reply.json()["responseId"], email, name, given, submitted))
        self.settled = False

    @rule(victim=st.sampled_from(FACILITATORS), sender=st.sampled_from(SPOOFERS), given=spoofed_answers)
    def spoofed_response(self, victim, sender, given):
        """Someone else submits the enrol form typing a facilitator's name and email."""
        email, name, submitted = _email(victim), f"{victim[0]} {victim[1]}", self._next_submitted()
        creates = team_id(email) not in read_baseline(self.window)
        reply = requests.post(self._form_url(), json=self._body(email, name, given, submitted, sender), timeout=30)
        reply.raise_for_status()
        self.oracle.submitted(Response(reply.json()["responseId"], email, name, given, submitted, sender=sender),
                              creates)
        self.figures.spoofed += 1
        self.settled = False

    @initialize(given=st.lists(st.tuples(st.sampled_from(FACILITATORS), st.sampled_from(SPOOFERS), spoofed_answers),
                               max_size=2))
    def spoofed_before_the_first_run(self, given):
        for victim, sender, their_answers in given:
            self.spoofed_response(victim, sender, their_answers)

    @precondition(lambda self: self.oracle.live())
    @rule(pick=st.integers(0, 20), given=answers)
    def edit_response(self, pick, given):
        response = self.oracle.live()[pick % len(self.oracle.live())]
        submitted = self._next_submitted()
        creates = not response.from_facilitator and team_id(response.email) not in read_baseline(self.window)
        body = self._body(response.email, response.name, given, submitted, response.sender)
        requests.put(f"{self._form_url()}/{response.response_id}", json=body, timeout=30).raise_for_status()
        self.oracle.edited(response.response_id, given, submitted, creates)
        self.settled = False

    @precondition(lambda self: self.oracle.live())
    @rule(pick=st.integers(0, 20))
    def delete_response(self, pick):
        response = self.oracle.live()[pick % len(self.oracle.live())]
        requests.delete(f"{self._form_url()}/{response.response_id}", timeout=30).raise_for_status()
        self.oracle.deleted(response.response_id)
        self.settled = False

    @initialize(given=st.lists(st.tuples(SENDERS, UNIT_IDS), max_size=3))
    def checkpoint_answers_before_the_first_run(self, given):
        for sender, unit_id in given:
            self.answer_checkpoint(sender, unit_id)

    @rule(sender=SENDERS, unit_id=UNIT_IDS)
    def answer_checkpoint(self, sender, unit_id):
        """A facilitator or a member answers the checkpoint evidence form, through the
        reminder's link (the id pre-filled), by hand (typed, or left blank) or wrongly."""
        submitted = self._next_submitted()
        rid = self.programme.answer("checkpoint", sender, {"unit_id": unit_id, "progress": "Annotation helps."},
                                    submitted)
        self.oracle.answered_checkpoint(Checkpoint(rid, sender, unit_id, submitted))
        self.figures.checkpoint_answers += 1

    # The calendar: across the submission (Oct 6), SMART goal (Nov 1) and charter (Nov 17) dates.
    @rule(hours=st.sampled_from([1, 24, 48, 72, 24 * 7]))
    def advance_clock(self, hours):
        self.now = min(self.now + timedelta(hours=hours), at("2017-12-20 09:00"))

    # Coordinators, in the Roster tab.
    def _roster(self):
        return self.window.roster_sheet()

    def _rewrite(self, transform) -> None:
        """Read the whole roster and write it back changed, as sorting or dragging a column does."""
        sheet = self._roster()
        rows = sheet.get(value_render_option=gspread.utils.ValueRenderOption.unformatted)
        width = max((len(r) for r in rows), default=0)
        if width == 0:
            return
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
        sheet.update(transform(rows), "A1", raw=True)

    def _sort(self, column: int, reverse: bool) -> dict | None:
        """Sheets' own sort of the roster's rows below the header (Data > Sort range)."""
        roster = self.programme.book().tab("Roster")
        if roster is None or not roster.header:
            return None
        return {"sortRange": {"range": {"sheetId": roster.sheet_id, "startRowIndex": 1},
                              "sortSpecs": [{"dimensionIndex": column % len(roster.header),
                                             "sortOrder": "DESCENDING" if reverse else "ASCENDING"}]}}

    @rule(column=st.integers(0, 30), reverse=st.booleans())
    def sort_rows(self, column, reverse):
        request = self._sort(column, reverse)
        if request is not None:
            self.window.workspace.sheets.spreadsheets().batchUpdate(
                spreadsheetId=self.window.settings.roster.spreadsheet_id, body={"requests": [request]}).execute()

    @rule(source=st.integers(0, 30), to=st.integers(0, 30))
    def move_column(self, source, to):
        def moved(rows):
            width = len(rows[0])
            out = []
            for r in rows:
                r = list(r)
                r.insert(to % width, r.pop(source % width))
                out.append(r)
            return out
        self._rewrite(moved)

    def _team_row(self, pick: int):
        """(sheet, header, row number, team id) of one team's roster row, or None."""
        sheet = self._roster()
        header, rows = read_roster(sheet)
        if not rows:
            return None
        number, record = rows[pick % len(rows)]
        return sheet, header, number, record["Team ID"]

    @rule(pick=st.integers(0, 20), column=st.integers(0, 30), text=st.sampled_from(["follow up", "=1+1", "ok"]))
    def insert_coordinator_column(self, pick, column, text):
        found = self._team_row(pick)
        if found is None:
            return
        sheet, header, number, tid = found
        title = f"Coordinator column {len(header)}"
        values = [title] + ["" for _ in range(number - 1)]
        values[number - 1] = text
        sheet.insert_cols([values], col=column % len(header) + 1)
        self.oracle.typed(tid, title, text)

    @rule(pick=st.integers(0, 20), text=st.sampled_from(["Met on 10/12", "+44 call back", "-", "@coach"]))
    def type_note(self, pick, text):
        self._type(pick, "Notes", text)

    @rule(pick=st.integers(0, 20), box=st.sampled_from(CHECKBOXES), ticked=st.booleans())
    def tick_received(self, pick, box, ticked):
        self._type(pick, box, ticked)

    def _type(self, pick: int, header_text: str, value) -> None:
        found = self._team_row(pick)
        if found is None:
            return
        sheet, header, number, tid = found
        sheet.update([[value]], gspread.utils.rowcol_to_a1(number, header.index(header_text) + 1), raw=True)
        self.oracle.typed(tid, header_text, value)

    @rule(pick=st.integers(0, 20))
    def delete_roster_row(self, pick):
        found = self._team_row(pick)
        if found is None:
            return
        sheet, _header, number, tid = found
        sheet.delete_rows(number)
        self.oracle.row_deleted(tid)
        self.seen.row_deleted(tid)

    @rule(edit=st.sampled_from(("sort", "insert", "delete")), pick=st.integers(0, 30), reverse=st.booleans())
    def coordinator_edits_between_read_and_write(self, edit, pick, reverse):
        """A coordinator sorts, inserts or deletes roster rows while a run is between its
        read and its write (armed in the emulator to land just before the run's first
        write): no cell of one team may land in another team's row."""
        roster = self.programme.book().tab("Roster")
        used = roster.used_rows() if roster is not None else 0
        if used < 2:
            return
        row = 1 + pick % (used - 1)
        deleted = str(roster.value(row, "Team ID"))
        request = {"sort": lambda: self._sort(pick, reverse),
                   "insert": lambda: {"insertDimension": {"range": {"sheetId": roster.sheet_id, "dimension": "ROWS",
                                                                    "startIndex": row, "endIndex": row + 1}}},
                   "delete": lambda: {"deleteDimension": {"range": {"sheetId": roster.sheet_id, "dimension": "ROWS",
                                                                    "startIndex": row, "endIndex": row + 1}}}}[edit]()
        edits = f"{self.endpoint}/_emulator/sheets/{self.window.settings.roster.spreadsheet_id}/edits"
        requests.post(edits, json={"requests": [request]}, timeout=30).raise_for_status()
        self._before_run()
        try:
            self.programme.sync(self.now, allow_shrink=True)
        except SafetyStop:
            pass
        finally:
            fired = not requests.get(edits, timeout=30).json()["armed"]
            requests.delete(edits, timeout=30).raise_for_status()
        if fired and edit == "delete" and deleted:
            self.oracle.row_deleted(deleted)
            self.seen.row_deleted(deleted)
        self.figures.syncs += 1
        self.figures.row_races += 1
        check_rows_hold_their_own_teams(records(read_tabs(self.window)["Roster"]), self.oracle)

    @precondition(lambda self: self.settled)
    @rule(pick=st.integers(0, 20))
    def coordinator_approves(self, pick):
        """A coordinator ticks Approve on the row of a response held back from changing a
        team's people, as the last run left it."""
        book = self.window.workspace.gspread.open_by_key(self.window.settings.roster.spreadsheet_id)
        sheet = book.worksheet("Problems")
        values = sheet.get(value_render_option=gspread.utils.ValueRenderOption.unformatted)
        held = [(n, r) for n, r in records(values) if r["Field"] == "people" and r["Status"] == "open"
                and r.get("Approve") is not True]
        if not held:
            return
        number, row = held[pick % len(held)]
        sheet.update([[True]], gspread.utils.rowcol_to_a1(number, [str(h) for h in values[0]].index("Approve") + 1),
                     raw=True)
        self.oracle.baseline = read_baseline(self.window)
        self.oracle.approved(str(row["Response ID"]))
        self.figures.approved += 1

    @rule(pick=st.integers(0, 20))
    def approve_between_runs(self, pick):
        """A run, a coordinator's Approve on what it held back, and the run that applies it."""
        self.sync()
        self.coordinator_approves(pick)
        self.sync()

    @rule(pick=st.integers(0, 20), person=st.sampled_from(HAND_SHARED))
    def share_folder_by_hand(self, pick, person):
        folders = team_folders(self.window)
        if not folders:
            return
        tid = sorted(folders)[pick % len(folders)]
        self.window.workspace.drive.permissions().create(
            fileId=folders[tid][0]["id"], sendNotificationEmail=False,
            body={"type": "user", "role": "reader", "emailAddress": person}).execute()
        self.oracle.shared_by_hand(tid, person)

    # Runs.
    def _expects_stop(self) -> bool:
        _header, rows = read_roster(self._roster())
        active = {r["Team ID"] for _n, r in rows if r.get("Team status") != "withdrawn" and r.get("Team ID")}
        return self.oracle.expects_safety_stop(len(active))

    def _before_run(self) -> None:
        """What the run about to start will judge responses against."""
        self.oracle.baseline = read_baseline(self.window)
        self.settled = False

    @rule()
    def sync(self):
        """A run with Google behaving: afterwards everything must be exactly right."""
        self._before_run()
        if self._expects_stop():
            before = self.seen.snapshot(self.window)
            with pytest.raises(SafetyStop):
                self.programme.sync(self.now)
            assert self.seen.snapshot(self.window) == before, "a safety stop wrote something"
        report = self.programme.sync(self.now, allow_shrink=True)
        self.figures.syncs += 1
        assert report.exit_code == 0, report.failures
        check_clean_sync(self.window, self.oracle, self.seen)
        again = self.programme.sync(self.now, allow_shrink=True)
        self.figures.syncs += 1
        written = {m: n for m, n in again.api_calls["by_method"].items() if not m.endswith((".get", ".list"))}
        assert written == {"sheets.spreadsheets.batchUpdate": 1}, f"a second sync wrote more than its time: {written}"
        assert again.reminders["sent"] == 0 and again.teams["new"] == again.teams["updated"] == 0
        self.settled = True

    @rule(kind=st.sampled_from(FAULT_KINDS), method=st.sampled_from(METHODS), after=st.integers(0, 3),
          count=st.integers(1, 3))
    def sync_with_faults(self, kind, method, after, count):
        self.figures.faults += self._faulty(
            {"kinds": [kind], "methods": [method], "after": after, "count": count})

    @rule(calls=st.integers(0, 40))
    def crash_mid_run(self, calls):
        """Every call after the first `calls` is refused, as if the process died there."""
        if self._faulty({"kinds": ["reset"], "after": calls, "count": 1_000_000}):
            self.figures.crashes += 1

    def _faulty(self, spec: dict) -> int:
        self._before_run()
        base = f"{self.endpoint}/_emulator/faults"
        requests.post(base, json=spec, timeout=30).raise_for_status()
        try:
            self.programme.sync(self.now, allow_shrink=True)
        except GOOGLE_FAILURES:
            pass
        finally:
            injected = sum(r["injected"] for r in requests.get(base, timeout=30).json()["rules"])
            requests.delete(base, timeout=30).raise_for_status()
        self.figures.syncs += 1
        check_no_unnamed_access(team_folders(self.window), self.oracle)
        return injected

    @rule()
    def two_runs_at_once(self):
        """Two `plt sync` on the same config started together: one runs, the other exits 3."""
        self._before_run()
        stop = self._expects_stop()
        requests.post(f"{self.endpoint}/_emulator/latency", json={"latency_ms": 15}, timeout=30)
        barrier, codes = threading.Barrier(2), []
        args = ["sync", "--config", str(self.programme.config_path), "--now", self.now.isoformat()]

        def one_run():
            env = Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                              environ={"PLT_GOOGLE_ENDPOINT": self.endpoint}, sleep=lambda _s: None)
            barrier.wait()
            codes.append(plt(args, env))
        threads = [threading.Thread(target=one_run) for _ in range(2)]
        # Each run points sys.stdout at its own stream and back; interleaved, the last to
        # finish may restore the other's, so the test's own streams are put back here.
        streams = sys.stdout, sys.stderr
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.stdout, sys.stderr = streams
            requests.post(f"{self.endpoint}/_emulator/latency", json={"latency_ms": 0}, timeout=30)
        self.figures.concurrent += 1
        self.figures.syncs += 1
        assert sorted(codes) == sorted([3, 5 if stop else 0]), codes
        if not stop:
            check_clean_sync(self.window, self.oracle, self.seen)


def run_machine(figures: Figures, hypothesis_settings: settings) -> None:
    """Runs the machine on one emulator served for the whole session."""
    with EmulatorServer(Emulator(scopes=SCOPES)) as server:
        ProgrammeMachine.endpoint, ProgrammeMachine.figures = server.url, figures
        try:
            run_state_machine_as_test(ProgrammeMachine, settings=hypothesis_settings)
        except BaseException:
            figures.violations += 1
            raise


CI = settings(max_examples=10, stateful_step_count=10, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)


def test_programme_loses_nothing_and_duplicates_nothing_through_faults_crashes_and_races():
    figures = Figures()
    run_machine(figures, CI)
    assert figures.examples >= CI.max_examples and figures.violations == 0 and figures.spoofed > 0


def test_the_machine_approves_a_held_spoofed_response_and_the_oracle_follows():
    """The spoofed-response and approval rules in one fixed sequence, so every run of the
    suite goes through an approval (random draws reach one only now and then)."""
    with EmulatorServer(Emulator(scopes=SCOPES)) as server:
        ProgrammeMachine.endpoint, ProgrammeMachine.figures = server.url, Figures()
        machine = ProgrammeMachine()
        machine.submit_response(FACILITATORS[0], Answers("Number Talks", "Close reading", (PEOPLE[0],), True))
        machine.sync()
        spoofed = Answers("Number Talks", "Close reading", (MALLORY,), True)
        machine.spoofed_response(FACILITATORS[0], MALLORY[1], spoofed)
        machine.sync()
        machine.approve_between_runs(0)
        assert (machine.figures.spoofed, machine.figures.approved) == (1, 1)
        (folder,) = team_folders(machine.window)[team_id(_email(FACILITATORS[0]))]
        access = {p["emailAddress"] for p in folder["permissions"]}
        assert MALLORY[1] in access and PEOPLE[0][1] not in access

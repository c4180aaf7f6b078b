"""A stateful property test of building plans and their work groups on the emulator:
schools send and resend plans (groups filled, emptied, members moved, meetings changed,
a group without its leader, a meeting line no calendar could hold), Google fails (429,
5xx, dropped connections, "commit, then fail") and runs crash at a random call. After
every sync that ran without faults, the roster, the folders and the Meetings tab are
checked against an oracle worked out from the plans sent: each filled group once, each
meeting once, nothing deleted.
"""
from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from emulator.core import Emulator
from emulator.server import EmulatorServer
from observe import Window, team_folders
from programme import Programme
from sheets import layout as L
from sync.core.meetings import Year, meeting_keys, parse_meetings
from sync.core.units import normalise_name, unit_id
from sync.google.workspace import SCOPES
from test_state_machine import GOOGLE_FAILURES
from work_groups import CONFIG, at, group, person, send_plan

SCHOOLS = ("Lincoln Elementary School", "Jefferson Middle School")
PRINCIPALS = {SCHOOLS[0]: ("Dana", "Olson"), SCHOOLS[1]: ("Rosa", "Diaz")}
COUNT = 3
PEOPLE = ("Ann Lee", "Bo King", "Cy Moe", "Di Ray")
MEETING_LINES = ("every other Tuesday 3:30-4:15 pm from 2017-09-12 to 2018-05-15", "Sept 14 2017 3:30-4:30 pm",
                 "Sept 14 2017 4:00-5:00 pm", "first Wednesday of each month 7:30-8:00 am", "whenever we can")
YEAR = Year(datetime(2017, 8, 21).date(), datetime(2018, 5, 25).date())
FAULT_KINDS = (429, 500, 503, "reset", "commit_then_fail")
METHODS = ("forms.forms.responses.list", "sheets.spreadsheets.get", "sheets.spreadsheets.batchUpdate",
           "drive.files.list", "drive.files.create", "drive.permissions.create", "drive.permissions.delete")
NOW = at("2017-09-06 06:00")
SENT_FROM = datetime(2017, 9, 1, 12, 0, tzinfo=timezone.utc)

a_group = st.one_of(
    st.just(None),                                                                 # left empty
    st.tuples(st.sampled_from(PEOPLE + ("",)), st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True),
              st.lists(st.sampled_from(MEETING_LINES), max_size=2, unique=True)))  # "" leader: refused
a_plan = st.tuples(*[a_group] * COUNT)


def as_answers(plan) -> dict[int, dict[str, str]]:
    return {n: group("Other", person(*g[0].split()) if g[0] else "", tuple(person(*m.split()) for m in g[1]),
                     "\n".join(g[2]))
            for n, g in enumerate(plan, start=1) if g is not None}


class Oracle:
    """The plans as sent, and what the sheet must show for them."""

    def __init__(self):
        self.sent: dict[str, list] = {school: [] for school in SCHOOLS}
        self.ever: set[str] = set()

    def current(self) -> dict[str, tuple]:
        """Unit id -> its group as the school's latest plan that gives it a leader says."""
        out = {}
        for school, plans in self.sent.items():
            for n in range(COUNT):
                usable = [plan[n] for plan in plans if plan[n] is None or plan[n][0]]
                if usable and usable[-1] is not None:
                    out[unit_id("CWG", f"{normalise_name(school)}|{n + 1}")] = usable[-1]
        self.ever |= set(out)
        return out

    def meetings(self) -> set[tuple[str, str]]:
        out = set()
        for tid, (_leader, _members, lines) in self.current().items():
            found, _bad = parse_meetings("\n".join(lines), YEAR)
            out |= {(tid, key) for key in meeting_keys(found)}
        return out


class WorkGroupMachine(RuleBasedStateMachine):
    endpoint = ""

    def __init__(self):
        super().__init__()
        requests.post(f"{self.endpoint}/_emulator/reset", timeout=30).raise_for_status()
        self.programme = Programme.create(self.endpoint, Path(tempfile.mkdtemp(prefix="plt-cwg-")), config=CONFIG)
        self.window = Window(self.programme)
        self.oracle = Oracle()
        self.response_ids: dict[str, str] = {}
        self.sent = 0

    @initialize(school=st.sampled_from(SCHOOLS), plan=a_plan)
    def a_school_sends_its_first_plan(self, school, plan):
        self.send(school, plan, False)

    @rule(school=st.sampled_from(SCHOOLS), plan=a_plan, edit=st.booleans())
    def send(self, school, plan, edit):
        """A principal sends a new plan, or edits the one sent before."""
        self.sent += 1
        submitted = (SENT_FROM + timedelta(minutes=self.sent)).isoformat().replace("+00:00", "Z")
        rid = self.response_ids.get(school, "") if edit else ""
        self.response_ids[school] = send_plan(self.programme, school, PRINCIPALS[school], as_answers(plan),
                                              submitted, rid)
        if rid:
            self.oracle.sent[school][-1] = plan
        else:
            self.oracle.sent[school].append(plan)

    @rule()
    def sync(self):
        report = self.programme.sync(NOW, allow_shrink=True)
        assert report.exit_code == 0, report.failures
        self.check()
        again = self.programme.sync(NOW, allow_shrink=True)
        written = {m: n for m, n in again.api_calls["by_method"].items() if not m.endswith((".get", ".list"))}
        assert written == {"sheets.spreadsheets.batchUpdate": 1}, written

    @rule(kind=st.sampled_from(FAULT_KINDS), method=st.sampled_from(METHODS), after=st.integers(0, 3))
    def sync_with_faults(self, kind, method, after):
        self._faulty({"kinds": [kind], "methods": [method], "after": after, "count": 2})

    @rule(calls=st.integers(0, 12))
    def crash_mid_run(self, calls):
        self._faulty({"kinds": ["reset"], "after": calls, "count": 1_000_000})

    def _faulty(self, spec: dict) -> None:
        base = f"{self.endpoint}/_emulator/faults"
        requests.post(base, json=spec, timeout=30).raise_for_status()
        try:
            self.programme.sync(NOW, allow_shrink=True)
        except GOOGLE_FAILURES:
            pass
        finally:
            requests.delete(base, timeout=30).raise_for_status()

    def check(self) -> None:
        current = self.oracle.current()
        roster = self.programme.records(L.ROSTER)
        ids = [r["Team ID"] for r in roster]
        assert len(ids) == len(set(ids)), "a work group has two roster rows"
        assert {r["Team ID"] for r in roster if r["Team status"] != "withdrawn"} == set(current)
        assert set(ids) == self.oracle.ever, "a work group's row was lost"
        for row in roster:
            if row["Team ID"] in current:
                assert row["Leader"] == person(*current[row["Team ID"]][0].split())
        folders = team_folders(self.window)
        assert all(len(folders.get(tid, [])) == 1 for tid in self.oracle.ever), "a work group has no or two folders"
        meetings = self.programme.records(L.MEETINGS)
        keys = [(m["Unit ID"], m["Meeting"]) for m in meetings]
        assert len(keys) == len(set(keys)), "a meeting is listed twice"
        assert {k for k, m in zip(keys, meetings) if m["Status"] == "scheduled"} == self.oracle.meetings()


CI = settings(max_examples=5, stateful_step_count=8, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)


@pytest.mark.slow
def test_work_groups_lose_nothing_and_duplicate_nothing_through_resubmissions_faults_and_crashes():
    with EmulatorServer(Emulator(scopes=SCOPES)) as server:
        WorkGroupMachine.endpoint = server.url
        run_state_machine_as_test(WorkGroupMachine, settings=CI)

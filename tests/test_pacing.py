"""The pacer keeps a run inside Google's per-minute quotas instead of meeting 429s."""
from __future__ import annotations

import requests

from sync.google.metering import Meter
from sync.google.pacing import Pacer, batch_parts, charge_of
from sync.google.workspace import connect


class FakeClock:
    """Time that passes only when the pacer sleeps."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_requests_are_charged_to_googles_buckets():
    assert charge_of("GET", "https://sheets.googleapis.com/v4/spreadsheets/abc") == ("sheets.read", 1)
    assert charge_of("POST", "https://sheets.googleapis.com/v4/spreadsheets/abc:batchUpdate") == ("sheets.write", 1)
    assert charge_of("GET", "https://forms.googleapis.com/v1/forms/f/responses") == ("forms.responses.list", 1)
    assert charge_of("POST", "https://gmail.googleapis.com/gmail/v1/users/me/messages/send") == ("gmail.units", 100)
    assert charge_of("GET", "https://example.org/elsewhere") == (None, 0)


def test_a_drive_batch_is_charged_one_query_per_part():
    body = b"--b\r\nContent-Type: application/http\r\n\r\nPOST /x\r\n" * 7
    assert batch_parts(body) == 7
    assert charge_of("POST", "https://www.googleapis.com/batch/drive/v3", body) == ("drive.queries", 7)


def test_the_sixty_first_sheet_write_in_a_minute_waits_for_the_oldest_to_age():
    clock = FakeClock()
    pacer = Pacer({"sheets.write": 60}, headroom=1.0, clock=clock, sleep=clock.sleep)
    for _ in range(60):
        clock.now += 0.5
        assert pacer.acquire("sheets.write", 1) == 0.0
    waited = pacer.acquire("sheets.write", 1)
    assert clock.slept and abs(waited - 30.5) < 1e-9   # 60 writes by 30 s; the first, at 0.5 s, ages at 60.5 s
    assert clock.now == 60.5


def test_a_scaled_clock_shortens_the_minute():
    clock = FakeClock()
    pacer = Pacer({"gmail.units": 300}, time_scale=60, headroom=1.0, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        pacer.acquire("gmail.units", 100)
    assert abs(clock.now - 1.0) < 1e-9                 # the fourth send waited one (emulated minute) second


def test_a_429_closes_the_bucket_for_its_retry_after():
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    pacer.refused("POST", "https://sheets.googleapis.com/v4/spreadsheets/abc:batchUpdate", "7")
    assert pacer.rate_limited == 1
    assert pacer.acquire("sheets.write", 1) == 7.0
    assert pacer.acquire("sheets.read", 1) == 0.0      # other buckets stay open


def test_a_paced_workspace_stays_under_an_enforced_quota(endpoint):
    """Eight spreadsheet reads against a quota of three a (scaled) minute: none refused,
    the pacer keeping its margin under the limit."""
    requests.post(f"{endpoint}/_emulator/quotas", json={"enabled": True, "time_scale": 30,
                                                        "limits": {"sheets.read": 3}}, timeout=10).raise_for_status()
    requests.delete(f"{endpoint}/_emulator/stats", timeout=10)
    meter = Meter()
    pacer = Pacer({"sheets.read": 3, "sheets.write": 60}, time_scale=30)
    workspace = connect(None, endpoint, meter, pacer)
    spreadsheet = workspace.sheets.spreadsheets().create(body={"properties": {"title": "Roster"}}).execute()
    for _ in range(4):
        workspace.sheets.spreadsheets().get(spreadsheetId=spreadsheet["spreadsheetId"]).execute()
        workspace.gspread.open_by_key(spreadsheet["spreadsheetId"])
    stats = requests.get(f"{endpoint}/_emulator/stats", timeout=10).json()
    requests.post(f"{endpoint}/_emulator/quotas", json={"enabled": False}, timeout=10)
    assert stats["rate_limited"] == 0
    assert meter.by_method["sheets.spreadsheets.get"] == 8
    assert pacer.waited_s > 0

"""`python -m benchmarks.report [--units N]`: the time and memory of `plt report` (HTML with
its charts, a CSV per table, the XLSX workbook) for a district of N units (10,000 by
default), and of the programme model alone.

The master spreadsheet is synthetic but shaped like a real one, held by an emulator in a
process of its own: N units over 40 schools (Belmont's six and 34 more), 5 people each,
three milestones with a mix of statuses, a Staff tab of 60 people per school. The report
runs in a child process, as a coordinator runs it, and its peak resident memory is read
from the child's own high-water mark. Target: under 5 s.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import tomlkit

from sheets import layout as L
from sheets.book import read_book
from sync.commands.report import programme_tables
from sync.core.report_model import build_model
from sync.reporting.charts import charts
from sync.reporting.files import FORMATS, write_report
from sync.google.workspace import connect
from sync.rules import model_rules
from config.load import load_settings

from .__main__ import high_water_kb
from .emulator_process import EmulatorProcess
from .measure import measured

TITLES = ("Facilitator submission", "SMART goal submitted to evaluator", "Signed team charter")
STATUSES = ("received", "received", "received", "due soon", "missing", "overdue")
TARGET_S = 5.0


def synthetic_tabs(units: int, sites: list[str], seed: int = 2026) -> dict[str, list[list[str]]]:
    rnd = random.Random(seed)
    roster = [[L.TEAM_ID, "Team name", "School", "Submitted", L.TEAM_STATUS, *(L.status_header(t) for t in TITLES)]]
    members = [[L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"]]
    for n in range(units):
        tid, site = f"PLT-{n:06d}", sites[n % len(sites)]
        day = f"2017-09-{1 + rnd.randrange(30):02d} 10:00"
        roster.append([tid, f"Team {n}", site, day, "withdrawn" if n % 50 == 49 else "active",
                       *(rnd.choice(STATUSES) for _ in TITLES)])
        for p in range(5):
            members.append([tid, f"Team {n}", f"Person {n}-{p}", f"p{n}.{p}@belmont.example.org",
                            "facilitator" if p == 0 else "member", "yes"])
    staff = [["Name", "Email", "School", "Role"]] + [[f"Staff {s}-{i}", f"s{s}.{i}@belmont.example.org", site,
                                                      "Teacher"] for s, site in enumerate(sites) for i in range(60)]
    return {L.DASHBOARD: [["Last sync", "2017-11-20T08:00:00-05:00"]], L.ROSTER: roster, L.MEMBERS: members,
            L.STAFF: staff}


def make_sheet(url: str, tabs: dict[str, list[list[str]]]) -> str:
    sheets = connect(None, url).sheets.spreadsheets()
    created = sheets.create(body={"properties": {"title": "PLT master roster"}, "sheets": [
        {"properties": {"title": name, "gridProperties": {"rowCount": len(rows) + 10,
                                                          "columnCount": len(rows[0]) + 2}}}
        for name, rows in tabs.items()]}).execute()
    for name, rows in tabs.items():
        for start in range(0, len(rows), 5000):    # small writes: a busy machine still answers each in time
            sheets.values().update(spreadsheetId=created["spreadsheetId"], range=f"{name}!A{start + 1}",
                                   valueInputOption="RAW", body={"values": rows[start:start + 5000]}).execute()
    return created["spreadsheetId"]


def write_config(folder: Path, spreadsheet_id: str, sites: list[str]) -> Path:
    document = tomlkit.parse(resources.files("config").joinpath("programmes/belmont.toml").read_text("utf-8"))
    document["roster"]["spreadsheet_id"] = spreadsheet_id
    document["programme"]["sites"] = sites
    document["form"][0]["id"] = "synthetic"
    del document["target"]
    path = folder / "plt.toml"
    path.write_text(tomlkit.dumps(document) + "\n[[target]]\nshare = 0.25\nby = 2017-10-31\n"
                    "\n[[target]]\nshare = 0.5\nby = 2018-05-11\n", encoding="utf-8")
    return path


def report_process(config: Path, url: str, out: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of `plt report --format html,csv,xlsx` in a process of its own."""
    command = [sys.executable, "-m", "sync.commands.cli", "report", "--config", str(config), "--format",
               "html,csv,xlsx", "--out", str(out)]
    peak_kb, started = 0, time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env={**os.environ, "PLT_GOOGLE_ENDPOINT": url},
                                   stdout=subprocess.DEVNULL, stderr=errors)
        while process.poll() is None:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            time.sleep(0.01)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"the report failed: {errors.read().decode(errors='replace')[-500:]}")
    return time.perf_counter() - started, peak_kb / 1024


def bench_report(units: int) -> None:
    sites = [f"School {i + 1:02d}" for i in range(40)]
    tabs = synthetic_tabs(units, sites)
    with EmulatorProcess(0.0) as emulator, tempfile.TemporaryDirectory() as folder:
        config = write_config(Path(folder), make_sheet(emulator.url, tabs), sites)
        settings = load_settings(config, {"PLT_GOOGLE_ENDPOINT": emulator.url})
        with measured() as reading:
            book = read_book(connect(None, emulator.url).gspread.http_client, settings.roster.spreadsheet_id)
        with measured() as computing:
            model = build_model(book, model_rules(settings))
            tables = programme_tables(settings, model, None)
            write_report(tables, charts(tables), settings.programme.name, Path(folder) / "in", FORMATS)
        emulator.admin("DELETE", "/_emulator/stats")
        wall, peak = report_process(config, emulator.url, Path(folder) / "out")
        calls = emulator.admin("GET", "/_emulator/stats")["by_method"]
    print(f"\n=== plt report for {units:,} units over {len(sites)} schools (5 people each, a Staff tab of "
          f"{len(tabs[L.STAFF]) - 1:,}) ===")
    print(f"  reading the sheet (one spreadsheets.get from the emulator): {reading.wall_s:.2f} s wall")
    print(f"  the report from the sheet read (model, tables, 2 charts, HTML + 3 CSV + XLSX): {computing.wall_s:.2f} s "
          f"wall, {computing.cpu_s:.2f} s CPU, {computing.peak_mb:.0f} MB resident at its peak")
    print(f"  `plt report --format html,csv,xlsx` as a process of its own: {wall:.2f} s wall (start, read, "
          f"report); peak {peak:.0f} MB")
    print(f"  API calls: {sum(calls.values())} ({', '.join(f'{m} {n}' for m, n in sorted(calls.items()))}); "
          "lower bound 1")
    print(f"  target: the report under {TARGET_S:g} s CPU: {'met' if computing.cpu_s < TARGET_S else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report")
    parser.add_argument("--units", type=int, default=10_000)
    args = parser.parse_args(argv)
    bench_report(args.units)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

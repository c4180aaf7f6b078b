"""`python -m benchmarks.work_groups [--schools N]`: South Dakota's programme at state scale on
the emulator: N schools each send a building plan with six CWGs (a leader, three members,
two meeting lines each), then a tenth of them send it again (a member moves to another
group, a group is given up). Prints each sync's API calls against the lower bound
(`benchmarks.bounds`: one response a school, one folder and four shares a group), its
time and the process's peak memory, and how fast meeting lines are read. The bound counts
the programme calendar too: one `events.list` page, changes in batches of 1,000.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from benchmarks.bounds import Work, lower_bound
from config.load import load_settings
from emulator.core import Emulator
from emulator.server import EmulatorServer
from sync.commands.init import initialise
from sync.core.meetings import Year, parse_meetings
from sync.google.metering import Meter
from sync.google.workspace import SCOPES, connect
from sync.run import SyncOptions, run

DOMAIN = "sioux-valley.example.org"
TZ = ZoneInfo("America/Chicago")
GROUPS = 6
MEMBERS = 3
MEETINGS = ("every other Tuesday 3:30-4:15 pm from 2017-09-12 to 2018-05-15", "Sept 14 2017 3:30-4:30 pm")
FIRST, QUIET, CHANGED = (datetime(2017, 9, 6, 6, 0, tzinfo=TZ), datetime(2017, 9, 6, 6, 15, tzinfo=TZ),
                         datetime(2017, 9, 6, 6, 30, tzinfo=TZ))


def school(n: int) -> str:
    return f"School {n:04d}"


def write_config(folder: Path, schools: int) -> Path:
    """South Dakota's programme file with N schools as its sites."""
    text = resources.files("config").joinpath("programmes", "south-dakota.toml").read_text(encoding="utf-8")
    start = text.index("sites = [")
    end = text.index("]", start) + 1
    sites = "sites = [" + ", ".join(f'"{school(n)}"' for n in range(schools)) + "]"
    path = folder / "plt.toml"
    path.write_text(text[:start] + sites + text[end:], encoding="utf-8")
    return path


def plan_body(settings, n: int, version: int) -> dict:
    """School n's plan; version 1 moves a member of CWG #1 to CWG #2 and gives up CWG #6."""
    titles = settings.form.titles
    answers = {titles["school"]: school(n), titles["principal_name"]: f"Principal {n}"}
    for g in range(1, GROUPS + 1 - version):
        members = [f"Member {n}-{g}-{m} <m{n}.{g}.{m}@{DOMAIN}>" for m in range(MEMBERS)]
        if version and g == 1:
            members.pop()
        if version and g == 2:
            members.append(f"Member {n}-1-{MEMBERS - 1} <m{n}.1.{MEMBERS - 1}@{DOMAIN}>")
        group = {"structure": "Other", "leader": f"Leader {n}-{g} <l{n}.{g}@{DOMAIN}>", "members": "\n".join(members),
                 "meetings": "\n".join(MEETINGS)}
        answers.update({titles[key].replace("{n}", str(g)): value for key, value in group.items()})
    return {"answers": answers, "respondentEmail": f"principal{n}@{DOMAIN}",
            "submittedAt": f"2017-09-0{1 + version}T14:00:00Z"}


def send_plans(endpoint: str, settings, schools: range, version: int) -> None:
    url = f"{endpoint}/_emulator/forms/{settings.form.id}/responses"

    def send(n: int) -> None:
        requests.post(url, json=plan_body(settings, n, version), timeout=60).raise_for_status()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, schools))


def sync(settings, endpoint: str, now: datetime) -> tuple[dict, float]:
    meter = Meter()
    started = time.perf_counter()
    report = run(settings, connect(None, endpoint, meter), meter, now=now, options=SyncOptions(allow_shrink=True))
    assert report.exit_code == 0, report.failures
    return report.api_calls, time.perf_counter() - started


def line(label: str, calls: dict, bound: dict, seconds: float) -> str:
    return (f"  {label:<34} {calls['total']:>4} calls (lower bound {bound['total']:>4}, "
            f"{calls['write']} writes), {seconds:6.2f} s")


def parse_rate(lines: int = 2_000) -> float:
    """Meeting lines read per second, each line different (none remembered from another)."""
    text = "\n".join(f"every other Tuesday 3:{n % 60:02d}-4:15 pm from 2017-09-{1 + n % 28:02d} to 2018-05-15"
                     if n % 2 else f"2017-{9 + n % 4}-{1 + n % 28} {n % 11 + 6}:{n % 60:02d}-{n % 11 + 7}:00"
                     for n in range(lines))
    started = time.perf_counter()
    parse_meetings(text, Year(datetime(2017, 8, 21).date(), datetime(2018, 5, 25).date()))
    return lines / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.work_groups")
    parser.add_argument("--schools", type=int, default=100)
    args = parser.parse_args(argv)
    groups, changed = args.schools * GROUPS, max(1, args.schools // 10)
    people = 2 + MEMBERS     # leader, members, principal: one share each
    with tempfile.TemporaryDirectory() as folder, EmulatorServer(Emulator(scopes=SCOPES)) as server:
        path = write_config(Path(folder), args.schools)
        initialise(load_settings(path, {"PLT_GOOGLE_ENDPOINT": server.url}), connect(None, server.url), path)
        settings = load_settings(path, {"PLT_GOOGLE_ENDPOINT": server.url})
        send_plans(server.url, settings, range(args.schools), 0)
        first, first_s = sync(settings, server.url, FIRST)
        quiet, quiet_s = sync(settings, server.url, QUIET)
        send_plans(server.url, settings, range(changed), 1)
        again, again_s = sync(settings, server.url, CHANGED)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.schools:,} schools, {groups:,} work groups ({people} people each), {changed} plans sent again:")
    events = groups * len(MEETINGS)
    print(line("first sync", first, lower_bound(Work(args.schools, 0, groups, groups * people, calendar_events=0,
                                                     event_changes=events)), first_s))
    print(line("quiet re-run", quiet, lower_bound(Work(args.schools, groups, calendar_events=events)), quiet_s))
    # Each plan sent again: CWG #1 loses a member and CWG #2 gains one (their folders' sharing
    # and their meetings' attendees change), CWG #6 is given up (its meetings are cancelled).
    print(line("a tenth of the plans sent again", again,
               lower_bound(Work(args.schools + changed, groups, 0, 2 * changed, calendar_events=events,
                                event_changes=changed * 3 * len(MEETINGS))), again_s))
    print(f"  process peak {peak_mb:.0f} MB; meeting lines read: {parse_rate():,.0f} a second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

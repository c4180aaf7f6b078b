"""`python -m benchmarks [--quick] [--sizes N ...] [--latency-ms MS]`: see benchmarks/__init__.py."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sync.observe import observe
from sync.run import SyncOptions, run
from sync.google.metering import Meter
from sync.google.workspace import connect

from .baselines import RowByRow, WholeSheet
from .coordinator import Coordinator
from .emulator_process import EmulatorProcess
from .measure import measured
from .programme import CHANGED_SYNC, Programme
from .scenarios import NOTES, Outcome, run_all
from .table import bound_lines, outcome_lines, short, verdict

BASELINE_MAX = 1000   # row by row is too slow to run beyond this: it is what the figures show


def time_scale_for(teams: int) -> float:
    """Quotas on a clock compressed enough that the largest runs take minutes, not hours."""
    return 120.0 * max(1.0, teams / 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="only N = 100 and 1,000")
    parser.add_argument("--sizes", type=int, nargs="+", help="team counts (default 100 1000 10000)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="per-request latency (default 50)")
    parser.add_argument("--large-latency-ms", type=float, default=5.0,
                        help="latency above 1,000 teams, so 10,000 reminders take minutes (default 5)")
    parser.add_argument("--report-units", type=int, default=10_000, help="units of the report benchmark "
                                                                          "(default 10,000)")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([100, 1000] if args.quick else [100, 1000, 10000])
    for teams in sizes:
        latency = args.latency_ms if teams <= 1000 else args.large_latency_ms
        bench_size(teams, latency, time_scale_for(teams))
    from .report import bench_report

    bench_report(args.report_units)
    return 0


def bench_size(teams: int, latency_ms: float, time_scale: float) -> None:
    print(f"\n=== {teams:,} teams of 5 members; latency {latency_ms:g} ms; Google's per-minute quotas "
          f"enforced, a minute lasting {60 / time_scale:.2f} s ===")
    with EmulatorProcess(latency_ms) as emulator, tempfile.TemporaryDirectory() as folder:
        emulator.enforce_quotas(time_scale)
        programme = Programme(emulator.url, Path(folder))
        with measured() as cost:
            programme.submit_all(teams)
        print(f"({teams:,} responses submitted in {cost.wall_s:.1f} s)")
        coordinator = Coordinator(emulator.url, lambda p: p.settings().roster.spreadsheet_id)
        outcomes = run_all(emulator, programme, teams, time_scale, coordinator)
        print("\n".join(["", "PLT Sync:", *outcome_lines(outcomes), "", *bound_lines(outcomes)]))
        planning = measure_planning(programme)
        print_targets(teams, outcomes, planning)
        if teams <= BASELINE_MAX:
            emulator.set_latency(0)
            compare(emulator, programme, teams, outcomes)


def measure_planning(programme: Programme) -> dict:
    """CPU of reading and of planning every team, apart, and the memory a dry run needs.

    Planning is the pure step of DESIGN.md's data flow: its CPU is a dry run's less the
    read alone. Memory is the resident peak of `plt sync --dry-run` run as cron runs it,
    in a process of its own: interpreter, libraries and data, what a container must allow."""
    settings = programme.settings()
    workspace = connect(None, programme.endpoint, Meter())
    with measured() as reading:
        observe(settings, workspace, CHANGED_SYNC, SyncOptions(dry_run=True))
    with measured() as dry:
        run(settings, workspace, Meter(), now=CHANGED_SYNC, options=SyncOptions(dry_run=True))
    return {"dry_cpu": dry.cpu_s, "read_cpu": reading.cpu_s, "plan_cpu": max(0.0, dry.cpu_s - reading.cpu_s),
            "process_mb": dry_run_process_mb(programme)}


def dry_run_process_mb(programme: Programme) -> float:
    """Peak resident memory of `python -m sync.commands.cli sync --dry-run` on this programme.

    Read as the child's own high-water mark (VmHWM in /proc), sampled while it runs: the
    kernel's ru_maxrss would also count the moment between fork and exec, when the child
    is still a copy of this benchmark process."""
    command = [sys.executable, "-m", "sync.commands.cli", "sync", "--config", str(programme.config_path), "--dry-run",
               "--now", CHANGED_SYNC.isoformat()]
    environ = {**os.environ, "PLT_GOOGLE_ENDPOINT": programme.endpoint}
    peak_kb = 0
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=errors)
        while process.poll() is None:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            time.sleep(0.01)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"the dry run failed: {errors.read().decode(errors='replace')[-500:]}")
    return peak_kb / 1024


def high_water_kb(pid: int) -> int:
    """The process's peak resident memory so far, in kB (0 once it has exited)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def print_targets(teams: int, outcomes: list[Outcome], planning: dict) -> None:
    first, quiet = outcomes[0], outcomes[1]
    print(f"\nA dry run of {teams:,} teams: reading {planning['read_cpu']:.2f} s CPU, planning "
          f"{planning['plan_cpu']:.2f} s CPU ({planning['dry_cpu']:.2f} s in all); "
          f"`plt sync --dry-run` process peak {planning['process_mb']:.0f} MB")
    print("Targets:")
    if teams == 1000:
        ratio = first.calls / first.bound["total"]
        print(verdict("first sync of 1,000 teams within 1.15 x L", ratio <= 1.15, f"{ratio:.3f} x L"))
    quiet_writes = sum(quiet.writes.values())
    detail = f"{quiet.calls} calls, {quiet_writes} write(s)"
    if quiet.bound["total"] > 5:
        detail += f"; L is {quiet.bound['total']} at this size (see the parts of L above)"
    print(verdict("quiet re-sync at most 5 calls, one write", quiet.calls <= 5 and quiet_writes == 1, detail))
    if teams >= 10000:
        print(verdict("planning 10,000 teams under 2 s CPU and 400 MB", planning["plan_cpu"] < 2
                      and planning["process_mb"] < 400,
                      f"{planning['plan_cpu']:.2f} s CPU planning; {planning['process_mb']:.0f} MB for the "
                      "whole dry-run process"))
    met = sum(o.rate_limited for o in outcomes)
    print(verdict("zero 429s with quotas enforced", met == 0, f"{met} met"))


def compare(emulator, programme: Programme, teams: int, outcomes: list[Outcome]) -> None:
    """Both baselines on the same form, then their calls beside PLT Sync's."""
    settings = programme.settings()
    row_by_row, whole = RowByRow(emulator.url, settings), WholeSheet(emulator.url, settings)
    figures = {}
    for label, baseline, work in (("first sync", row_by_row, row_by_row.first_sync),
                                  ("first sync", whole, whole.sync)):
        figures[(label, type(baseline).__name__)] = (*baseline.measure(work), rate_limited(emulator))
    notes = Coordinator(emulator.url, lambda _p: whole.spreadsheet_id)
    written = notes.write_notes(programme, NOTES)
    programme.edit(list(range(0, teams, 10)), version=2)
    for label, baseline, work in (("re-sync, 10% changed", row_by_row, row_by_row.changed_sync),
                                  ("re-sync, 10% changed", whole, whole.sync),
                                  ("reminder day", row_by_row, row_by_row.reminder_day)):
        figures[(label, type(baseline).__name__)] = (*baseline.measure(work), rate_limited(emulator))
    kept = f"{notes.notes_kept(programme, written)}/{len(written)}"
    print_comparison(teams, outcomes, figures, kept)


def rate_limited(emulator) -> int:
    met = emulator.admin("GET", "/_emulator/stats")["rate_limited"]
    emulator.admin("DELETE", "/_emulator/stats")
    return met


def print_comparison(teams: int, outcomes: list[Outcome], figures: dict, kept: str) -> None:
    ours = {o.scenario: o for o in outcomes}
    print(f"\nBaselines for {teams:,} teams (run without latency, quotas enforced; wall time is what the "
          "quotas alone cost):")
    for (label, name), (by_method, cost, met) in figures.items():
        mine = ours[label]
        calls = sum(by_method.values())
        if name == "WholeSheet":
            sheets = sum(n for m, n in mine.by_method.items() if m.startswith("sheets") or m.startswith("forms"))
            line = (f"  (b) whole-sheet rewrite, {label:<22} {calls:>6} calls (PLT Sync's form+sheet calls: "
                    f"{sheets}); 429s {met}; wall {cost.wall_s:.1f} s")
            if label != "first sync":
                line += f"; coordinator notes kept: {kept} (PLT Sync: {mine.notes.get('coordinator notes kept')})"
        else:
            line = (f"  (a) row by row, {label:<22} {calls:>6} calls, {calls / mine.calls:>6.1f} x PLT Sync's "
                    f"{mine.calls}; 429s {met}; wall {cost.wall_s:.1f} s")
        print(line)
        print("        " + ", ".join(f"{short(m)} {n}" for m, n in sorted(by_method.items())))
    first = figures[("first sync", "RowByRow")]
    if teams == 1000:
        ratio = sum(first[0].values()) / ours["first sync"].calls
        print(verdict("at least 50x fewer calls than row by row (first sync, 1,000 teams)", ratio >= 50,
                      f"{ratio:.0f}x"))


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench` on a tiny district: the harness runs end to end and its lower bounds add up."""
from __future__ import annotations

import re

from benchmarks import bounds
from benchmarks.__main__ import main


def test_lower_bound_of_a_first_sync_of_a_thousand_teams_counts_every_batch():
    parts = bounds.lower_bound(bounds.first_sync(1000, 6))
    assert parts["folder batches"] == 10 and parts["sharing batches"] == 60
    assert parts["total"] == 1 + 1 + 1 + 1 + 10 + 60 + 1


def test_lower_bound_of_a_quiet_re_sync_of_ten_thousand_teams_pages_responses_and_folders():
    parts = bounds.lower_bound(bounds.quiet_sync(10_000))
    assert parts["responses.list"] == 2 and parts["files.list"] == 10
    assert parts["total"] == 15


def test_lower_bound_counts_one_docs_fill_per_template_copy_and_lists_copies_with_folders():
    first = bounds.lower_bound(bounds.first_sync(20, 3, templates=1))
    assert (first["document fills"], first["sharing batches"], first["total"]) == (20, 1, 27)
    assert bounds.lower_bound(bounds.quiet_sync(600, templates=1))["files.list"] == 2


def test_lower_bound_of_a_reminder_day_is_one_send_per_email():
    assert bounds.lower_bound(bounds.reminder_day(250))["emails"] == 250


def test_a_tiny_benchmark_prints_every_scenario_beside_its_bound_and_both_baselines(capsys):
    assert main(["--sizes", "12", "--latency-ms", "0", "--report-units", "30"]) == 0
    out = capsys.readouterr().out
    for scenario in ("first sync", "re-sync, nothing new", "re-sync, 10% changed", "reminder day"):
        assert f"    12  {scenario}" in out
    assert "(a) row by row, first sync" in out and "(b) whole-sheet rewrite" in out
    assert "coordinator notes kept: 0/10 (PLT Sync: 10/10)" in out
    assert "zero 429s with quotas enforced: 0 met" in out
    peak = re.search(r"`plt sync --dry-run` process peak (\d+) MB", out)
    assert peak and 20 < int(peak.group(1)) < 400
    assert "=== plt report for 30 units over 40 schools" in out
    assert "API calls: 1 (sheets.spreadsheets.get 1); lower bound 1" in out


def test_grouping_benchmark_prints_its_time_and_whether_the_proposal_is_proven_optimal(capsys):
    from benchmarks.grouping import main as grouping_main
    assert grouping_main(["--people", "200", "--topics", "12", "--facilitators", "10"]) == 0
    out = capsys.readouterr().out
    assert "200 people, 12 topics, 10 facilitators" in out and "proven optimal" in out
    assert re.search(r"1st choice \d+\.\d%, 2nd \d+\.\d%, 3rd \d+\.\d%, unassigned \d+", out)


def test_work_groups_benchmark_prints_each_sync_against_its_lower_bound(capsys):
    from benchmarks.work_groups import main as work_groups_main
    assert work_groups_main(["--schools", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 schools, 12 work groups" in out
    assert "quiet re-run                          6 calls (lower bound    6, 1 writes)" in out


def test_lower_bound_of_a_programme_calendar_pages_events_and_batches_a_thousand_changes():
    parts = bounds.lower_bound(bounds.Work(100, 100, calendar_events=6, event_changes=6))
    assert (parts["events.list"], parts["calendar batches"]) == (1, 1)
    parts = bounds.lower_bound(bounds.Work(100, 100, calendar_events=5001, event_changes=1001))
    assert (parts["events.list"], parts["calendar batches"]) == (3, 2)
    assert "events.list" not in bounds.lower_bound(bounds.quiet_sync(100))

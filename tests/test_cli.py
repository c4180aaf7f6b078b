"""The `plt` command line: options, config validation before any command, and the exit
status and one line each kind of failure ends with."""
from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import types
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from sync.commands.cli import plt, run
from sync.environment import Environment
from sync.errors import AccessError, ExitStatus, LockHeld, NotYetAvailable, PartialFailure, SafetyStop

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"
BAD_CONFIG = """
[programme]
name = "Belmont PLTs"
[form]
schools = []
[drive]
allowed_domains = ["belmont.example.org"]
[[milestone]]
key = "signed_charter"
title = "Signed team charter"
due = "Nov 17"
[mail]
from_address = "plt-office@belmont.example.org"
coordinator_email = "pd-coordinator@belmont.example.org"
[mail.smtp]
host = "smtp.belmont.example.org"
password = "hunter2-in-plain-sight"
"""


class FakeCommands:
    """Command functions that record their arguments and then do what the test asks."""

    def __init__(self, outcome=None):
        self.outcome = outcome
        self.calls: list[tuple[str, tuple]] = []

    def _do(self, name, *args):
        self.calls.append((name, args))
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        if callable(self.outcome):
            return self.outcome()
        return self.outcome

    def __getattr__(self, name):
        if name.endswith("_command"):
            return lambda *args: self._do(name, *args)
        raise AttributeError(name)


def environment(commands=None, **environ) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ, commands=commands)


def plt_run(*argv, commands=None, **environ) -> tuple[int, str, str, Environment]:
    env = environment(commands, **environ)
    status = run(list(argv), env)
    return status, env.stdout.getvalue(), env.stderr.getvalue(), env


def test_version_prints_the_installed_version_and_exits_0():
    status, out, _err, _env = plt_run("--version")
    assert status == ExitStatus.OK
    assert out.strip() == f"plt {version('plt-sync')}"


def test_help_lists_every_command_of_the_design():
    result = CliRunner().invoke(plt, ["--help"], obj=environment())
    assert result.exit_code == 0
    for command in ("demo", "init", "sync", "status", "doctor", "templates", "emulator", "auth"):
        assert f"  {command} " in result.output
    assert "--verbose" in result.output and "--log-format" in result.output


@pytest.mark.parametrize("argv", [["sync", "--help"], ["emulator", "serve", "--help"], ["auth", "login", "--help"],
                                  ["templates", "add", "--help"]])
def test_each_subcommand_has_help(argv):
    result = CliRunner().invoke(plt, argv, obj=environment())
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: plt {' '.join(argv[:-1])}")


def test_command_that_succeeds_exits_0_with_the_parsed_options():
    commands = FakeCommands()
    status, _out, err, _env = plt_run("sync", "--config", str(EXAMPLE), "--dry-run", "--json",
                                      "--now", "2017-11-18T09:00:00+00:00", "--allow-shrink", commands=commands)
    assert (status, err) == (ExitStatus.OK, "")
    name, (settings, options, _env) = commands.calls[0]
    assert name == "sync_command" and settings.path == EXAMPLE
    assert (options.dry_run, options.json, options.allow_shrink) == (True, True, True)
    assert options.now == datetime(2017, 11, 18, 9, tzinfo=timezone.utc)


def test_now_without_offset_is_read_in_the_programme_time_zone():
    commands = FakeCommands()
    plt_run("sync", "--config", str(EXAMPLE), "--now", "2017-11-18T09:00", commands=commands)
    now = commands.calls[0][1][1].now
    assert now.utcoffset().total_seconds() == -5 * 3600
    assert str(now.tzinfo) == "America/New_York"


def test_config_path_can_come_from_the_environment():
    commands = FakeCommands()
    status, *_ = plt_run("status", commands=commands, PLT_CONFIG=str(EXAMPLE))
    assert status == ExitStatus.OK
    assert commands.calls[0][1][0].path == EXAMPLE


def test_config_command_without_a_config_exits_2_saying_how_to_name_one():
    status, _out, err, _env = plt_run("doctor", commands=FakeCommands())
    assert status == ExitStatus.CONFIG
    assert err.strip() == "name the config file with --config plt.toml (or set PLT_CONFIG)"


@pytest.mark.parametrize("command", ["init", "sync", "status", "doctor"])
def test_bad_config_exits_2_listing_every_problem_before_the_command_runs(tmp_path, command):
    path = tmp_path / "plt.toml"
    path.write_text(BAD_CONFIG)
    commands = FakeCommands()
    status, _out, err, _env = plt_run(command, "--config", str(path), commands=commands)
    assert status == ExitStatus.CONFIG
    assert commands.calls == []
    assert "3 problems in the configuration" in err
    assert "milestone[0].due: expected a date like 2017-11-17, got \"Nov 17\"" in err
    assert "mail.smtp.password: put secrets in the environment" in err
    assert "hunter2" not in err


@pytest.mark.parametrize("error, expected", [
    (PartialFailure(failed=2, total=9, examples=["Chenery Middle School – Readers: share refused"]),
     ExitStatus.PARTIAL),
    (NotYetAvailable("status", "arrives in a later release"), ExitStatus.CONFIG),
    (LockHeld("plt.toml.lock"), ExitStatus.LOCKED),
    (AccessError("the master roster", 403, "The caller does not have permission", "share it with the account"),
     ExitStatus.ACCESS),
    (SafetyStop("the form yields 3 teams but the roster holds 40", "--allow-shrink"), ExitStatus.SAFETY),
])
def test_each_known_failure_ends_with_its_exit_status_and_one_line(error, expected):
    status, _out, err, _env = plt_run("status", "--config", str(EXAMPLE), commands=FakeCommands(error))
    assert status == expected
    assert err.splitlines() == [error.describe()]
    assert "Traceback" not in err


def test_unexpected_failure_exits_1_and_suggests_verbose():
    status, _out, err, _env = plt_run("init", "--config", str(EXAMPLE), commands=FakeCommands(KeyError("Roster")))
    assert status == ExitStatus.PARTIAL
    assert err.splitlines() == ["unexpected error: KeyError: 'Roster' (run with -v for details)"]


def test_verbose_shows_the_traceback_of_a_failure():
    status, _out, err, env = plt_run("-v", "init", "--config", str(EXAMPLE), commands=FakeCommands(KeyError("Roster")))
    assert status == ExitStatus.PARTIAL and env.verbose
    assert err.startswith("Traceback (most recent call last):")
    assert err.splitlines()[-1].startswith("unexpected error: KeyError")


def test_usage_errors_exit_2():
    assert plt_run("synk")[0] == ExitStatus.CONFIG
    status, _out, err, _env = plt_run("sync", "--config", str(EXAMPLE), "--now", "next tuesday",
                                      commands=FakeCommands())
    assert status == ExitStatus.CONFIG
    assert "expected a date-time like 2017-11-18T09:00-05:00" in err


def test_command_may_return_its_exit_status():
    status, *_ = plt_run("demo", commands=FakeCommands(lambda: ExitStatus.PARTIAL))
    assert status == ExitStatus.PARTIAL


def test_json_log_format_writes_one_json_object_per_line():
    def warn():
        logging.getLogger("sync.run").warning("reminder for %s held back by quiet hours", "team 7f3a")

    status, _out, err, _env = plt_run("--log-format", "json", "demo", commands=FakeCommands(warn))
    assert status == ExitStatus.OK
    entry = json.loads(err.splitlines()[0])
    assert entry["severity"] == "WARNING" and entry["logger"] == "sync.run"
    assert entry["message"] == "reminder for team 7f3a held back by quiet hours"


def test_emulator_serve_passes_its_options_to_the_emulator(monkeypatch):
    received = {}
    fake = types.ModuleType("emulator.serve")
    fake.serve = lambda **options: received.update(options)
    monkeypatch.setitem(sys.modules, "emulator.serve", fake)
    status, *_ = plt_run("emulator", "serve", "--port", "0", "--data", "state.sqlite", "--latency-ms", "25",
                         "--fault-rate", "0.1", "--seed", "7", "--scopes", "drive.file,spreadsheets")
    assert status == ExitStatus.OK
    assert received == {"port": 0, "data": "state.sqlite", "latency_ms": 25.0, "fault_rate": 0.1, "seed": 7,
                        "scopes": "drive.file,spreadsheets"}


def test_emulator_serve_refuses_a_fault_rate_above_one():
    assert plt_run("emulator", "serve", "--fault-rate", "1.5")[0] == ExitStatus.CONFIG


def test_emulator_serve_refuses_an_unknown_scope():
    status, _out, err, _env = plt_run("emulator", "serve", "--scopes", "drive.file,drive.everything")
    assert status == ExitStatus.CONFIG and "unknown OAuth scope 'drive.everything'" in err


def test_python_module_entry_exits_2_on_a_bad_config(tmp_path):
    path = tmp_path / "plt.toml"
    path.write_text(BAD_CONFIG)
    done = subprocess.run([sys.executable, "-m", "sync.commands.cli", "sync", "--config", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "milestone[0].due" in done.stderr and "hunter2" not in done.stderr
    assert done.stdout == ""


def test_installed_plt_script_reports_its_version():
    script = Path(sys.executable).with_name("plt")
    if not script.exists():
        pytest.skip("the plt console script is not installed next to this Python")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"plt {version('plt-sync')}"

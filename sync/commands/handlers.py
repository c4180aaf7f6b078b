"""The functions that carry out each `plt` command; the CLI parses options, loads and
validates the config, and calls exactly one of these.

A command whose capability is not part of this release raises `NotYetAvailable`, so it
exits 2 with one clear line instead of pretending to work.

Signatures: `(settings, options, env)` for commands that take a config, `(options, env)`
otherwise; each returns an `ExitStatus` (None means OK) or raises a `PltError`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from sync.environment import Environment
from sync.errors import ExitStatus
from sync.commands.options import DemoOptions, StatusOptions, SyncOptions, TemplateOptions


def demo_command(options: DemoOptions, env: Environment) -> ExitStatus | None:
    from sync.commands.demo import run_demo, summary

    result = run_demo(options.workdir, options.programme)
    print(json.dumps(result.to_json(), indent=2) if options.json else summary(result), file=env.stdout)
    return ExitStatus.OK


def init_command(settings: Settings, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.commands.init import initialise

    result = initialise(settings, workspace_from_settings(settings, env.environ), settings.path)
    for line in result.lines():
        print(line, file=env.stdout)
    if result.created:
        print(f"wrote the new ids into {settings.path}", file=env.stdout)
    return ExitStatus.OK


def sync_command(settings: Settings, options: SyncOptions, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.run import run
    from sync.lock import run_lock
    from sync.google.metering import Meter
    from sync.google.pacing import Pacer
    from sync.progress import progress
    from sync.senders import sender_from_settings

    with run_lock(settings.path):
        meter = Meter()
        # A large run slows down to Google's per-minute quotas instead of collecting 429s.
        workspace = workspace_from_settings(settings, env.environ, meter, Pacer(sleep=env.sleep))
        sender = None if options.dry_run else sender_from_settings(settings, workspace, env.environ)
        with progress(env.stderr, "plt sync", None, env.environ) as shown:
            report = run(settings, workspace, meter, now=options.now or env.clock(), sender=sender, clock=env.clock,
                         sleep=env.sleep, phase=shown.describe,
                         options=options)
    print(json.dumps(report.to_json(), indent=2) if options.json else report.human(), file=env.stdout)
    if report.exit_code:
        count = len(report.failures)
        print(f"{count} failure{'s' if count != 1 else ''} this run (first: {report.failures[0]}); "
              "see the Problems and Runs tabs", file=env.stderr)
    return ExitStatus(report.exit_code)


def status_command(settings: Settings, options: StatusOptions, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.commands.status import read_status
    from sync.commands.status_view import show

    status = read_status(settings, workspace_from_settings(settings, env.environ))
    show(status, env.stdout, as_json=options.json)
    return ExitStatus.OK


def report_command(settings: Settings, options, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.commands.report import make_report

    for path in make_report(settings, workspace_from_settings(settings, env.environ), options):
        print(f"wrote {path}", file=env.stdout)
    return ExitStatus.OK


def templates_add_command(settings: Settings, options: TemplateOptions, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.templates import add_template

    template, key, added = add_template(settings, workspace_from_settings(settings, env.environ), options.file,
                                        options.key, options.name)
    where = "added [[template]]" if added else "set the id of [[template]]"
    print(f"uploaded \"{options.file.name}\" into the parent folder as the Google Doc \"{template.name}\" "
          f"({template.id}); {where} key = \"{key}\" in {settings.path}", file=env.stdout)
    return ExitStatus.OK


def doctor_command(settings: Settings, env: Environment) -> ExitStatus | None:
    from sync.commands.doctor import Context, exit_status, run_checks, summary
    from sync.commands.doctor_checks import CHECKS
    from sync.progress import progress

    with progress(env.stdout, "checking", len(CHECKS), env.environ) as shown:
        def report(result):
            for line in result.lines():
                shown.say(line)
            shown.advance()

        results = run_checks(Context.create(settings, env.environ), CHECKS, report, shown.describe)
    status = exit_status(results)
    print(summary(results), file=env.stderr if status else env.stdout)
    return status


def auth_login_command(options, env: Environment, make_flow=None) -> ExitStatus | None:
    from sync.commands.auth import installed_app_flow, login

    path = login(options, make_flow or installed_app_flow)
    print(f"signed in; the token is in {path} (readable by you only). Set credentials = \"oauth\" and "
          f"credentials_file = \"{path}\" in [google], then run `plt doctor`", file=env.stdout)
    return ExitStatus.OK


@dataclass(frozen=True)
class StaffImportOptions:
    # The CSV or XLSX export to read.
    file: Path
    json: bool = False


def staff_import_command(settings: Settings, options: StaffImportOptions, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.staff_import import import_staff

    result = import_staff(settings, workspace_from_settings(settings, env.environ), options.file, env.clock(),
                          env.sleep)
    if options.json:
        print(json.dumps(result.to_json(), indent=2), file=env.stdout)
    else:
        for line in result.lines():
            print(line, file=env.stdout)
    return ExitStatus.PARTIAL if result.problems else ExitStatus.OK


@dataclass(frozen=True)
class ConfigUpgradeOptions:
    path: Path
    # Print the upgraded file instead of writing it.
    dry_run: bool = False


def config_upgrade_command(options: ConfigUpgradeOptions, env: Environment) -> ExitStatus | None:
    from config.rewrite import upgraded_text, write_upgraded

    if options.dry_run:
        text = upgraded_text(options.path, env.environ)
        if text is not None:
            print(text, end="", file=env.stdout)
            return ExitStatus.OK
    elif write_upgraded(options.path, env.environ):
        print(f"rewrote {options.path} in the programme model; its comments are kept and it reads to the same "
              "settings", file=env.stdout)
        return ExitStatus.OK
    print(f"{options.path} is already in the programme model: nothing to upgrade", file=env.stdout)
    return ExitStatus.OK


@dataclass(frozen=True)
class GroupsOptions:
    json: bool = False


def groups_propose_command(settings: Settings, options: GroupsOptions, env: Environment) -> ExitStatus | None:
    from sync.google.session import workspace_from_settings
    from sync.groups_propose import propose_groups

    result = propose_groups(settings, workspace_from_settings(settings, env.environ), env.clock(), env.sleep)
    if options.json:
        print(json.dumps(result.to_json(), indent=2), file=env.stdout)
    else:
        for line in result.lines():
            print(line, file=env.stdout)
    return ExitStatus.PARTIAL if result.unusable_answers else ExitStatus.OK

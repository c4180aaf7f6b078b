"""The functions that carry out each `plt` command; the CLI parses options, loads and
validates the config, and calls exactly one of these.

A command whose capability is not part of this release raises `NotYetAvailable`, so it
exits 2 with one clear line instead of pretending to work.

Signatures: `(settings, options, env)` for commands that take a config, `(options, env)`
otherwise; each returns an `ExitStatus` (None means OK) or raises a `PltError`.
"""
from __future__ import annotations

import json

from config import Settings
from sync.environment import Environment
from sync.errors import ExitStatus, NotYetAvailable
from sync.options import DemoOptions, StatusOptions, SyncOptions


def demo_command(options: DemoOptions, env: Environment) -> ExitStatus | None:
    from sync.demo import run_demo, summary

    result = run_demo(options.workdir)
    print(json.dumps(result.to_json(), indent=2) if options.json else summary(result), file=env.stdout)
    return ExitStatus.OK


def init_command(settings: Settings, env: Environment) -> ExitStatus | None:
    from sync.google_session import workspace_from_settings
    from sync.init import initialise

    result = initialise(settings, workspace_from_settings(settings, env.environ), settings.path)
    for line in result.lines():
        print(line, file=env.stdout)
    if result.created:
        print(f"wrote the new ids into {settings.path}", file=env.stdout)
    return ExitStatus.OK


def sync_command(settings: Settings, options: SyncOptions, env: Environment) -> ExitStatus | None:
    from sync.google_session import workspace_from_settings
    from sync.job import RunOptions, run
    from sync.lock import run_lock
    from sync.metering import Meter
    from sync.senders import sender_from_settings

    with run_lock(settings.path):
        meter = Meter()
        workspace = workspace_from_settings(settings, env.environ, meter)
        sender = None if options.dry_run else sender_from_settings(settings, workspace, env.environ)
        report = run(settings, workspace, meter, now=options.now or env.clock(), sender=sender, clock=env.clock, sleep=env.sleep,
                     options=RunOptions(dry_run=options.dry_run, allow_shrink=options.allow_shrink))
    print(json.dumps(report.to_json(), indent=2) if options.json else report.human(), file=env.stdout)
    if report.exit_code:
        print(f"{len(report.failures)} action(s) failed and will be retried next run; "
              "see the Problems and Runs tabs", file=env.stderr)
    return ExitStatus(report.exit_code)


def status_command(settings: Settings, options: StatusOptions, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("status", "the per-school team and milestone summary arrives in a later release")


def doctor_command(settings: Settings, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("doctor", "checking credentials, scopes and access arrives in a later release "
                                    "(the config itself was checked and is valid)")


def auth_login_command(env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("auth login", "signing in with a browser arrives in a later release; use a "
                                        "service account or application-default credentials meanwhile")

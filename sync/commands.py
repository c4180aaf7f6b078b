"""The functions that carry out each `plt` command; the CLI parses options, loads and
validates the config, and calls exactly one of these.

A command whose capability is not part of this release raises `NotYetAvailable`, so it
exits 2 with one clear line instead of pretending to work.

Signatures: `(settings, options, env)` for commands that take a config, `(options, env)`
otherwise; each returns an `ExitStatus` (None means OK) or raises a `PltError`.
"""
from __future__ import annotations

from config import Settings
from sync.environment import Environment
from sync.errors import ExitStatus, NotYetAvailable
from sync.options import DemoOptions, StatusOptions, SyncOptions


def demo_command(options: DemoOptions, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("demo", "the end-to-end demonstration on the built-in emulator arrives with the sync job")


def init_command(settings: Settings, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("init", "creating the form, master roster and parent folder arrives in a later release")


def sync_command(settings: Settings, options: SyncOptions, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("sync", "the roster, folder and reminder job arrives in a later release")


def status_command(settings: Settings, options: StatusOptions, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("status", "the per-school team and milestone summary arrives in a later release")


def doctor_command(settings: Settings, env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("doctor", "checking credentials, scopes and access arrives in a later release "
                                    "(the config itself was checked and is valid)")


def auth_login_command(env: Environment) -> ExitStatus | None:
    raise NotYetAvailable("auth login", "signing in with a browser arrives in a later release; use a "
                                        "service account or application-default credentials meanwhile")

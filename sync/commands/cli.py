"""The `plt` command line: parses options, loads and validates the config, calls the one
function that carries out the command, and turns any failure into one line and an exit
status (DESIGN.md, "CLI"). Nothing here knows how a command works."""
from __future__ import annotations

import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

import click

from config import Settings, load_settings
from sync.environment import Environment
from sync.errors import ExitStatus, NotYetAvailable, UsageError, credentials_refused, describe
from sync.logs import configure_logging, logging_scope
from sync.commands.options import DemoOptions, StatusOptions, SyncOptions, TemplateOptions

CONFIG_VARIABLE = "PLT_CONFIG"


def _version() -> str:
    try:
        return version("plt-sync")
    except PackageNotFoundError:
        return "unknown (not installed)"


class IsoMoment(click.ParamType):
    """An ISO 8601 date-time such as 2017-11-18T09:00 (a date alone means its midnight)."""

    name = "ISO8601"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"expected a date-time like 2017-11-18T09:00-05:00, got {value!r}", param, ctx)


def config_option(command):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help=f"The programme's TOML config file (default: ${CONFIG_VARIABLE}).")(command)


def settings_for(env: Environment, config_path: Path | None) -> Settings:
    """Load and validate the config before anything else, so a bad one exits 2 listing
    every problem whatever the command."""
    path = config_path or env.environ.get(CONFIG_VARIABLE)
    if not path:
        raise UsageError(f"name the config file with --config plt.toml (or set {CONFIG_VARIABLE})")
    return load_settings(path, env.environ)


def in_programme_zone(moment: datetime | None, settings: Settings) -> datetime | None:
    """A --now without a UTC offset is read in the programme's time zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(settings.programme.time_zone))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="plt", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", is_flag=True, help="Show debug logs and the full traceback of a failure.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How log lines on stderr look; json suits a scheduler's log collector.")
@click.pass_obj
def plt(env: Environment, verbose: bool, log_format: str) -> None:
    """PLT Sync: runs a district's Professional Learning Team programme on Google Workspace.

    Exit codes: 0 ok, 1 partial (see the Problems and Runs tabs), 2 config or usage error,
    3 another run holds the lock, 4 auth or access error, 5 safety stop (nothing written).
    """
    env.verbose = verbose
    configure_logging(env.stderr, verbose, log_format)


@plt.command()
@click.option("--programme", default="belmont", show_default=True,
              help="Which shipped programme's season to run (a file in config/programmes).")
@click.option("--json", "as_json", is_flag=True, help='Print {"runs": [sync reports]} as JSON.')
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep plt.toml and emulator.sqlite in this folder.")
@click.pass_obj
def demo(env: Environment, programme: str, as_json: bool, workdir: Path | None):
    """Run a programme's season on the built-in emulator with sample data from its district."""
    return env.command("demo_command")(DemoOptions(json=as_json, workdir=workdir, programme=programme), env)


@plt.command()
@config_option
@click.pass_obj
def init(env: Environment, config_path: Path | None):
    """Create the form, master roster and parent folder the config does not name yet, and
    write their ids into the config file (its comments are kept)."""
    return env.command("init_command")(settings_for(env, config_path), env)


@plt.command()
@config_option
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.option("--now", type=IsoMoment(), help="Act as of this moment (default: now); without an offset, "
                                              "in the programme's time zone.")
@click.option("--allow-shrink", is_flag=True, help="Go ahead although the form yields far fewer teams "
                                                   "than the roster holds.")
@click.pass_obj
def sync(env: Environment, config_path: Path | None, dry_run: bool, as_json: bool, now: datetime | None,
         allow_shrink: bool):
    """Read the form, update the roster and team folders, and send due reminders (the cron job)."""
    settings = settings_for(env, config_path)
    options = SyncOptions(dry_run=dry_run, json=as_json, now=in_programme_zone(now, settings),
                          allow_shrink=allow_shrink)
    return env.command("sync_command")(settings, options, env)


@plt.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(env: Environment, config_path: Path | None, as_json: bool):
    """Show teams and milestone status per school."""
    return env.command("status_command")(settings_for(env, config_path), StatusOptions(json=as_json), env)


@plt.command()
@config_option
@click.option("--format", "formats", default="html", show_default=True, metavar="FORMATS",
              help="html, csv and/or xlsx, separated by commas.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("plt-report"),
              show_default=True, help="The folder the files go in (made when missing).")
@click.option("--site", default=None, help="Only this site's lines (default: every site and the total).")
@click.pass_obj
def report(env: Environment, config_path: Path | None, formats: str, out: Path, site: str | None):
    """Write per-site tables and charts as HTML, CSV or XLSX files (reads, never writes)."""
    from sync.commands.report import ReportOptions, parse_formats

    options = ReportOptions(parse_formats(formats), out, site)
    return env.command("report_command")(settings_for(env, config_path), options, env)


@plt.command()
@config_option
@click.pass_obj
def doctor(env: Environment, config_path: Path | None):
    """Check the config, credentials, scopes and access to the form, roster and folder."""
    return env.command("doctor_command")(settings_for(env, config_path), env)


@plt.group()
def templates() -> None:
    """Document templates copied into each new team folder."""


@templates.command("add")
@config_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="The [[template]] it is for (default: from the file name).")
@click.option("--name", help="Its name in Drive and its title (default: the configured title or the file name).")
@click.pass_obj
def add_template(env: Environment, config_path: Path | None, file: Path, key: str | None, name: str | None):
    """Upload FILE (.docx or .txt) through PLT Sync into the programme's parent folder as a
    Google Doc and record its id in the config's [[template]]. A template made in the Drive
    web UI cannot be copied under the drive.file scope PLT Sync asks for; one uploaded this
    way can, and each unit folder then gets a copy filled with the unit's answers."""
    options = TemplateOptions(file=file, key=key, name=name)
    return env.command("templates_add_command")(settings_for(env, config_path), options, env)


@plt.group()
def staff() -> None:
    """The Staff tab: the district's directory of people."""


@staff.command("import")
@config_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what the import did as JSON.")
@click.pass_obj
def staff_import(env: Environment, config_path: Path | None, file: Path, as_json: bool):
    """Add and update the Staff tab from FILE, a CSV or XLSX export of the district's HR or
    SIS system. People are found by email; nobody is removed; a row that cannot be used is
    left out and becomes a Problems row. Exit 1 when a row was left out."""
    from sync.commands.handlers import StaffImportOptions

    options = StaffImportOptions(file=file, json=as_json)
    return env.command("staff_import_command")(settings_for(env, config_path), options, env)


@plt.group()
def groups() -> None:
    """Affinity groups formed from the interest survey."""


@groups.command("propose")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
@click.pass_obj
def groups_propose(env: Environment, config_path: Path | None, as_json: bool):
    """Propose affinity groups from the interest survey onto the Groups tab, and print the
    share of people who got their 1st, 2nd and 3rd choice. Approved groups are kept exactly;
    a survey answer that needs a look is a Problems row. Exit 1 when an answer could not be used."""
    from sync.commands.handlers import GroupsOptions

    return env.command("groups_propose_command")(settings_for(env, config_path), GroupsOptions(json=as_json), env)


@plt.group()
def auth() -> None:
    """Sign in to Google."""


@auth.command()
@click.option("--client-secrets", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The OAuth client (Desktop app) JSON downloaded from the Google Cloud console.")
@click.option("--token", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to keep the token: the file [google].credentials_file will name.")
@click.option("--no-browser", is_flag=True, help="Print the sign-in address instead of opening a browser.")
@click.pass_obj
def login(env: Environment, client_secrets: Path, token: Path, no_browser: bool):
    """Sign in as a user in a browser and keep the token (readable by you only) for [google]."""
    from sync.commands.auth import LoginOptions

    options = LoginOptions(client_secrets=client_secrets, token=token, open_browser=not no_browser)
    return env.command("auth_login_command")(options, env)


@plt.group("config")
def config_group() -> None:
    """The programme's config file."""


@config_group.command("upgrade")
@click.argument("path", metavar="F", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the upgraded file instead of writing it.")
@click.pass_obj
def config_upgrade(env: Environment, path: Path, dry_run: bool):
    """Rewrite config file F, of the first format, in the programme model; its comments are
    kept, and it reads to exactly the same settings."""
    from sync.commands.handlers import ConfigUpgradeOptions

    return env.command("config_upgrade_command")(ConfigUpgradeOptions(path=path, dry_run=dry_run), env)


@plt.group()
def emulator() -> None:
    """The local Google Workspace emulator."""


@emulator.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--data", default=None, help="SQLite file keeping the emulator's state between runs "
                                           "(default: in memory, gone when it stops).")
@click.option("--latency-ms", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Delay added to every request.")
@click.option("--fault-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fraction of requests answered with a transient error.")
@click.option("--seed", type=int, default=None, help="Seed of the fault injection, for repeatable runs.")
@click.option("--scopes", default=None, metavar="SCOPES",
              help="OAuth scopes a request without an emulator token is granted, separated by commas or "
                   "spaces (e.g. drive.file,spreadsheets; default: every scope).")
def serve(port: int, data: str | None, latency_ms: float, fault_rate: float, seed: int | None,
          scopes: str | None):
    """Serve the emulator on 127.0.0.1 until interrupted."""
    try:
        from emulator.serve import serve as serve_emulator
    except ModuleNotFoundError as error:
        if error.name != "emulator.serve":
            raise
        raise NotYetAvailable("emulator serve", "the standalone emulator server is not installed") from None
    _check_scopes(scopes)
    return serve_emulator(port=port, data=data, latency_ms=latency_ms, fault_rate=fault_rate, seed=seed,
                          scopes=scopes)


def _check_scopes(scopes: str | None) -> None:
    """A misspelt scope is a usage error, not a server that refuses every call."""
    from emulator.scopes import parse_scopes

    try:
        parse_scopes(scopes)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--scopes") from None


def run(argv: Sequence[str], env: Environment) -> int:
    """Run `plt` with `argv` and return its exit status; every failure is reported on
    env.stderr as one line (with its traceback under -v)."""
    try:
        with redirect_stdout(env.stdout), redirect_stderr(env.stderr), logging_scope():
            result = plt.main(args=list(argv), prog_name="plt", standalone_mode=False, obj=env)
    except click.UsageError as error:
        error.show(file=env.stderr)
        return ExitStatus.CONFIG
    except click.ClickException as error:
        error.show(file=env.stderr)
        return error.exit_code
    except click.Abort:
        print("interrupted", file=env.stderr)
        return ExitStatus.PARTIAL
    except Exception as error:
        return report_failure(error, env)
    return int(result) if isinstance(result, int) else ExitStatus.OK


def report_failure(error: Exception, env: Environment) -> ExitStatus:
    message, status = describe(error)
    # A refused credential's traceback would print the token endpoint's answer.
    if env.verbose and not credentials_refused(error):
        traceback.print_exception(error, file=env.stderr)
    print(message, file=env.stderr)
    return status


def main() -> None:
    """The `plt` console script."""
    sys.exit(run(sys.argv[1:], Environment.from_process()))


if __name__ == "__main__":
    main()

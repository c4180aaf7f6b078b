"""`plt report`: the programme's tables and charts as files a principal can open or forward
(HTML, CSV, XLSX), for the whole programme or one site.

It only reads, once: the master spreadsheet in one `spreadsheets.get` (the Roster's
statuses the last `plt sync` wrote, the Members and Staff tabs), counted by the same
programme model as the Dashboard and `plt status`, so the numbers agree."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sync.core.report_model import ProgrammeModel, as_of, build_model
from sync.core.report_tables import ReportTables, report_tables
from sync.errors import UsageError
from sync.commands.status import read_roster
from sync.reporting.charts import charts
from sync.reporting.files import FORMATS, write_report
from sync.rules import model_rules, report_words


@dataclass(frozen=True)
class ReportOptions:
    formats: tuple[str, ...] = ("html",)
    out: Path = Path("plt-report")
    site: str | None = None


def parse_formats(text: str) -> tuple[str, ...]:
    """"html,csv" -> ("html", "csv"); an unknown format is a usage error naming the known ones."""
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(f"--format takes {', '.join(FORMATS)} (comma-separated), not {text!r}")
    return wanted


def programme_tables(settings, model: ProgrammeModel, site: str | None) -> ReportTables:
    if site is not None and site not in model.sites:
        raise UsageError(f"--site {site!r} is not a site of {settings.programme.name}; "
                         f"the sites are: {', '.join(model.sites)}")
    return report_tables(model, as_of(model), report_words(settings), site)


def report_title(settings, site: str | None) -> str:
    return f"{settings.programme.name}: {site}" if site else settings.programme.name


def make_report(settings, workspace, options: ReportOptions) -> list[Path]:
    """Read the sheet, count, and write the report files; returns their paths."""
    model = build_model(read_roster(settings, workspace), model_rules(settings))
    tables = programme_tables(settings, model, options.site)
    drawn = charts(tables, settings.programme.site_noun) if "html" in options.formats else []
    return write_report(tables, drawn, report_title(settings, options.site), options.out, options.formats)

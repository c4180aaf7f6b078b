"""Every shipped programme's demo: the Dashboard the last sync wrote, `plt status --json`,
`plt report`'s CSV tables and the weekly digest show the same numbers, because all four
are cut from the one programme model."""
from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from emulator.server import EmulatorServer
from sheets import dashboard as D
from sheets import layout as L
from sheets.book import read_book
from sync.commands.cli import run
from sync.core.digest_plan import Digest
from sync.core.report_model import build_model
from sync.environment import Environment
from sync.google.workspace import SCOPES, connect
from sync.reporting.digest_mail import build_digest
from sync.reporting.html import table_html
from sync.commands.report import programme_tables
from config.load import load_settings
from sync.rules import model_rules

PROGRAMMES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "config" / "programmes").glob("*.toml"))


@pytest.fixture(scope="module", params=PROGRAMMES)
def demo(request, tmp_path_factory):
    from sync.commands.demo import run_demo

    workdir = tmp_path_factory.mktemp(request.param)
    run_demo(workdir, request.param)
    with EmulatorServer(data=str(workdir / "emulator.sqlite"), scopes=SCOPES) as server:
        yield workdir / "plt.toml", server.url, workdir


def plt(args, endpoint):
    out, err = io.StringIO(), io.StringIO()
    status = run(args, Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": endpoint}))
    assert status == 0, err.getvalue()
    return out.getvalue()


def test_dashboard_status_report_and_digest_agree(demo):
    config, endpoint, workdir = demo
    settings = load_settings(config, {"PLT_GOOGLE_ENDPOINT": endpoint})
    book = read_book(connect(None, endpoint).gspread.http_client, settings.roster.spreadsheet_id)
    tab = book.tab(L.DASHBOARD)
    header = [str(h) for h in tab.rows[D.TABLE_ROW]]
    board = {str(r[0]): dict(zip(header, map(str, r))) for r in tab.rows[D.TABLE_ROW + 1:tab.used_rows()]}
    status = json.loads(plt(["status", "--config", str(config), "--json"], endpoint))
    plt(["report", "--config", str(config), "--format", "csv", "--out", str(workdir / "report")], endpoint)
    site = settings.programme.site_noun
    units = settings.unit.plural_noun[:1].upper() + settings.unit.plural_noun[1:]
    milestones = pd.read_csv(workdir / "report" / "report-milestones.csv")
    participation = pd.read_csv(workdir / "report" / "report-participation.csv")

    schools = {s["school"]: s for s in [*status["schools"], status["total"]]}
    assert list(participation[site]) == list(board) == list(schools)
    assert participation[units].sum() > 0
    for line in participation.to_dict("records"):
        row, mine = board[line[site]], schools[line[site]]
        assert (str(line[units]), str(line["People"])) == (row["Teams"], row["People in PLTs"])
        assert (line[units], line["People"]) == (mine["teams"], mine["people"])
    for line in milestones.to_dict("records"):
        row = board[line[site]]
        mine = next(m for m in schools[line[site]]["milestones"] if m["title"] == line["Milestone"])
        assert [str(line[k]) for k in ("Received", "Missing", "Overdue", "% received")] == [
            row[f"{line['Milestone']} {w}"] for w in ("received", "missing", "overdue", "% received")]
        assert (line["Received"], line["Overdue"], line[units]) == (mine["received"], mine["overdue"], mine["teams"])

    # The coordinator's digest carries the same tables.
    tables = programme_tables(settings, build_model(book, model_rules(settings)), None)
    digest = Digest("digest:test", datetime(2017, 11, 20).date(), settings.mail.coordinator_email, None, tables)
    message = build_digest(digest, programme=settings.programme.name, from_address=settings.mail.from_address,
                           reply_to=None, domain="example.org", date=datetime.fromisoformat("2017-11-20T08:00:00-05:00"))
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    for name, frame in tables.named().items():
        assert str(table_html(name, frame)) in html
    assert pd.read_csv(workdir / "report" / "report-milestones.csv").equals(milestones)

"""`plt report` on the demo programme: the files a principal opens (HTML with charts, a
CSV per table, an XLSX workbook), made from one read of the master spreadsheet, with the
same numbers as the Dashboard and `plt status`."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
import requests
from openpyxl import load_workbook

from sheets import dashboard as D
from sheets import layout as L
from sheets.book import read_book
from sync.commands.cli import run
from sync.environment import Environment
from sync.google.workspace import connect


def plt(args, endpoint):
    out, err = io.StringIO(), io.StringIO()
    status = run(args, Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": endpoint}))
    return status, out.getvalue(), err.getvalue()


def sheet_id(config):
    return next(line.split('"')[1] for line in config.read_text().splitlines() if line.startswith("spreadsheet_id"))


def dashboard(config, endpoint) -> dict[str, dict[str, str]]:
    """The Dashboard table as the sheet holds it, by school."""
    tab = read_book(connect(None, endpoint).gspread.http_client, sheet_id(config)).tab(L.DASHBOARD)
    header = [str(h) for h in tab.rows[D.TABLE_ROW]]
    return {str(row[0]): dict(zip(header, map(str, row))) for row in tab.rows[D.TABLE_ROW + 1:tab.used_rows()]}


@pytest.fixture
def report(served_demo, tmp_path):
    """The demo's report in every format, and the calls it made."""
    config, endpoint = served_demo
    requests.delete(f"{endpoint}/_emulator/stats", timeout=30)
    status, out, err = plt(["report", "--config", str(config), "--format", "html,csv,xlsx",
                            "--out", str(tmp_path / "out")], endpoint)
    assert status == 0, err
    calls = requests.get(f"{endpoint}/_emulator/stats", timeout=30).json()["by_method"]
    return config, endpoint, tmp_path / "out", out, calls


def test_the_report_reads_the_sheet_once_and_writes_nothing(report):
    _config, _endpoint, out, printed, calls = report
    assert calls == {"sheets.spreadsheets.get": 1}
    assert sorted(p.name for p in out.iterdir()) == ["report-milestones.csv", "report-overdue.csv",
                                                      "report-participation.csv", "report.html", "report.xlsx"]
    assert printed.count("wrote ") == 5


def test_the_csv_tables_round_trip_and_agree_with_the_dashboard_and_status(report):
    config, endpoint, out, _printed, _calls = report
    milestones = pd.read_csv(out / "report-milestones.csv")
    participation = pd.read_csv(out / "report-participation.csv")
    overdue = pd.read_csv(out / "report-overdue.csv", keep_default_na=False)
    board = dashboard(config, endpoint)
    _status, text, _err = plt(["status", "--config", str(config), "--json"], endpoint)
    status = json.loads(text)
    schools = {s["school"]: s for s in [*status["schools"], status["total"]]}
    assert list(participation["School"]) == list(board) == list(schools)
    for line in participation.itertuples(index=False):
        row = board[line.School]
        assert (str(line.Teams), str(line.People)) == (row["Teams"], row["People in PLTs"])
        assert (line.Teams, line.People) == (schools[line.School]["teams"], schools[line.School]["people"])
        assert (str(int(line._5)) if not pd.isna(line._5) else "") == row["Target %"]
    for line in milestones.itertuples(index=False):
        row = board[line.School]
        assert [str(v) for v in (line.Received, line.Missing, line.Overdue, line._6)] == [
            row[f"{line.Milestone} {w}"] for w in ("received", "missing", "overdue", "% received")]
        counts = next(m for m in schools[line.School]["milestones"] if m["title"] == line.Milestone)
        assert (line.Received, line.Overdue, line.Teams) == (counts["received"], counts["overdue"], counts["teams"])
    assert len(overdue) == len(status["overdue_teams"]) > 0
    assert list(overdue["Team"]) == [t["team"] for t in status["overdue_teams"]]
    assert all("@" in who for who in overdue["Whose turn"])
    # What pandas wrote, pandas reads back as the same table.
    again = out / "again.csv"
    milestones.to_csv(again, index=False)
    assert again.read_text(encoding="utf-8") == (out / "report-milestones.csv").read_text(encoding="utf-8")


def test_the_workbook_has_a_sheet_per_table_with_frozen_headers_and_widths(report):
    _config, _endpoint, out, _printed, _calls = report
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["Milestones", "Participation", "Overdue"]
    csv = pd.read_csv(out / "report-participation.csv")
    sheet = book["Participation"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert [c.value for c in sheet[1]] == list(csv.columns)
    assert [c.value for c in sheet[2]][:3] == [csv.iloc[0, 0], int(csv.iloc[0, 1]), int(csv.iloc[0, 2])]
    assert sheet.max_row == len(csv) + 1
    assert sheet.column_dimensions["A"].width >= max(len(s) for s in csv["School"])


def test_the_html_report_is_one_self_contained_page_with_its_charts(report):
    _config, _endpoint, out, _printed, _calls = report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="chart-completion"' in page and page.count('src="data:image/png;base64,') >= 1
    assert not re.search(r'(src|href)="https?:', page)
    assert 'id="table-milestones"' in page and 'id="table-participation"' in page


def test_one_site_only_and_an_unknown_site_or_format_is_refused(served_demo, tmp_path):
    config, endpoint = served_demo
    status, _out, err = plt(["report", "--config", str(config), "--format", "csv", "--site", "Belmont High School",
                             "--out", str(tmp_path)], endpoint)
    assert status == 0, err
    assert set(pd.read_csv(tmp_path / "report-milestones.csv")["School"]) == {"Belmont High School"}
    status, _out, err = plt(["report", "--config", str(config), "--site", "Nowhere", "--out", str(tmp_path)],
                            endpoint)
    assert status == 2 and "Nowhere" in err and "Belmont High School" in err
    status, _out, err = plt(["report", "--config", str(config), "--format", "pdf"], endpoint)
    assert status == 2 and "html, csv, xlsx" in err


def test_hostile_unit_names_stay_text_in_the_html_and_the_workbook(tmp_path):
    from sheets.book import Book, Tab
    from sync.core.report_model import ModelRules, build_model
    from sync.core.report_tables import report_tables
    from sync.reporting.charts import charts
    from sync.reporting.files import write_report

    names = ["<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://evil.example\",\"click\")"]
    roster = [[L.TEAM_ID, "Team name", "School", L.TEAM_STATUS, "Charter status"]]
    roster += [[f"t{i}", name, "Hale", "active", "overdue"] for i, name in enumerate(names)]
    members = [[L.TEAM_ID, "Team name", "Member", "Email", "Role", "On team"],
               ["t0", names[0], "</td><script>x()</script>", "a@b.org", "facilitator", "yes"]]
    book = Book("s", "r", {L.ROSTER: Tab(L.ROSTER, 1, roster, 10, 5), L.MEMBERS: Tab(L.MEMBERS, 2, members, 10, 6)})
    tables = report_tables(build_model(book, ModelRules(("Charter",), ("Hale",), "School", ("facilitator",))), None)
    write_report(tables, charts(tables), "<b>Title</b>", tmp_path, ("html", "xlsx"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>x()" not in page and "<b>Title</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    cells = [c for row in load_workbook(tmp_path / "report.xlsx")["Overdue"].iter_rows(min_row=2) for c in row]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"

"""Participation targets by a date (Tulsa: 25% of each site's teachers by Oct 31 2017, all
of them by Oct 31 2018): the target in force, the share counted from the Staff tab, and
the sites behind, on the Dashboard and in `plt status`, through the command line."""
import io
import json
import pytest

from programme import DOMAIN, Programme, at
from sheets import dashboard as D
from sheets import layout as L
from sync.commands.cli import run
from sync.environment import Environment

HIGH, CHENERY = "Belmont High School", "Chenery Middle School"
TARGETS = f'''
[staff]

[[target]]
by = 2017-10-31
share = 0.25
role = "teacher"

[[target]]
by = 2018-10-31
share = 1.0
role = "teacher"
'''


def dated_targets(text: str) -> str:
    """Belmont's members called teachers, with Tulsa's targets for teachers."""
    text = text.replace('key = "member"\nfield = "members"', 'key = "teacher"\nfield = "members"')
    return text[:text.index("# Participation targets")] + TARGETS


def plt(args, programme, clock="2017-09-05 09:00"):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint},
                      sleep=lambda _s: None, clock=lambda: at(clock))
    status = run([*args, "--config", str(programme.config_path)], env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def programme(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, edit=dated_targets, config="programmes/belmont.toml")
    teachers = [(f"ana.lopez", HIGH), ("ben.okafor", HIGH), ("cara.diaz", CHENERY)]
    teachers += [(f"t{i}", HIGH) for i in range(6)] + [(f"c{i}", CHENERY) for i in range(7)]
    lines = [f"{who.replace('.', ' ').title()},{who}@{DOMAIN},{site},Teacher" for who, site in teachers]
    lines += [f"Rosa Diaz,rosa.diaz@{DOMAIN},{HIGH},Principal"]
    export = tmp_path / "staff.csv"
    export.write_text("Name,Email,School,Role\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert plt(["staff", "import", str(export)], programme)[0] == 0
    programme.submit("Ana", "Lopez", school=HIGH, members=f"Rosa Diaz <rosa.diaz@{DOMAIN}>")
    programme.submit("Ben", "Okafor", school=HIGH, members=f"T0 <t0@{DOMAIN}>")
    programme.submit("Cara", "Diaz", school=CHENERY, members=f"Ana Lopez <ana.lopez@{DOMAIN}>")
    return programme


def dashboard(programme):
    tab = programme.book().tab(L.DASHBOARD)
    rows = tab.rows[D.TABLE_ROW:tab.used_rows()]
    return tab, {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_targets_as_dates_on_the_dashboard_and_in_status(programme):
    status, _out, err = plt(["sync", "--now", "2017-10-10T06:00"], programme)
    assert status == 0, err
    tab, rows = dashboard(programme)
    high, chenery = rows[HIGH], rows[CHENERY]
    # High: 8 teachers on the Staff tab (the principal is not counted); two people on its
    # teams as teachers (facilitators are not).
    assert (high["Staff"], high["Participation %"], high["Target %"], high["Target by"], high["On track"]) == (
        "8", "25", "25", "2017-10-31", "yes")
    # Chenery: 8 teachers, one teacher on its one team.
    assert (chenery["Staff"], chenery["Participation %"], chenery["On track"]) == ("8", "12", "no")
    assert rows["Butler Elementary School"]["On track"] == ""
    assert tab.rows[D.BEHIND_ROW][:2] == [D.BEHIND_LABEL, CHENERY]

    status, out, err = plt(["status", "--json"], programme)
    report = json.loads(out)
    assert report["behind_target"] == [CHENERY]
    by_school = {s["school"]: s["participation"] for s in report["schools"]}
    assert by_school[HIGH] == {"staff": 8, "percent": 25, "target_percent": 25, "target_by": "2017-10-31",
                               "on_track": True}
    status, out, err = plt(["status"], programme)
    assert f"{CHENERY}         12% of 8 staff, target 25% by 2017-10-31: behind" in out
    assert f"Behind target: {CHENERY}" in out

    status, _out, err = plt(["sync", "--now", "2017-11-15T06:00"], programme)
    assert status == 0, err
    tab, rows = dashboard(programme)
    assert (rows[HIGH]["Target %"], rows[HIGH]["Target by"], rows[HIGH]["On track"]) == ("100", "2018-10-31", "no")
    assert tab.rows[D.BEHIND_ROW][1] == f"{HIGH}, {CHENERY}"


def test_a_quiet_rerun_with_targets_is_still_one_write(programme):
    plt(["sync", "--now", "2017-10-10T06:00"], programme)
    programme.reset_stats()
    status, out, err = plt(["sync", "--now", "2017-10-10T06:30", "--json"], programme)
    assert status == 0, err
    calls = programme.stats()["by_method"]
    assert calls.get("sheets.spreadsheets.batchUpdate") == 1

"""The cron job through the real `plt` command line against the emulator."""
import io
import json
from importlib import resources

import pytest
import requests
import tomlkit

from sync.commands.cli import run
from sync.environment import Environment
from sync.google.workspace import connect
from sync.lock import run_lock
from programme import DOMAIN


def plt(args, endpoint):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": endpoint}, sleep=lambda _s: None)
    status = run(args, env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def config(tmp_path, endpoint):
    path = tmp_path / "plt.toml"
    path.write_text(resources.files("config").joinpath("example.toml").read_text(encoding="utf-8"))
    status, out, err = plt(["init", "--config", str(path)], endpoint)
    assert status == 0, err
    assert "created form.id" in out
    return path


def submit(endpoint, config, first, last):
    document = tomlkit.parse(config.read_text())
    q = document["form"]["questions"]
    body = {"answers": {q["facilitator_name"]: f"{first} {last}", q["team_name"]: f"{last} PLT",
                        q["school"]: "Belmont High School", q["members"]: f"Sam Lee <sam.lee@{DOMAIN}>"},
            "respondentEmail": f"{first.lower()}.{last.lower()}@{DOMAIN}", "submittedAt": "2017-10-02T12:00:00Z"}
    url = f"{endpoint}/_emulator/forms/{document['form']['id']}/responses"
    return requests.post(url, json=body, timeout=10).json()["responseId"]


def test_init_writes_ids_back_keeping_comments_and_a_second_init_creates_nothing(config, endpoint):
    text = config.read_text()
    document = tomlkit.parse(text)
    assert document["form"]["id"] and document["roster"]["spreadsheet_id"] and document["drive"]["parent_folder_id"]
    assert "# The facilitators' Google Form." in text
    status, out, _ = plt(["init", "--config", str(config)], endpoint)
    assert status == 0 and "created" not in out


def test_sync_json_report_then_quiet_rerun(config, endpoint):
    submit(endpoint, config, "Ana", "Lopez")
    status, out, err = plt(["sync", "--config", str(config), "--json", "--now", "2017-10-10T06:00"], endpoint)
    assert status == 0, err
    report = json.loads(out)
    for key in ("run_id", "started_at", "finished_at", "now", "dry_run", "exit_code", "teams", "problems",
                "folders", "sharing", "reminders", "api_calls", "actions"):
        assert key in report
    assert report["teams"]["new"] == 1 and report["folders"]["created"] == 1 and report["sharing"]["added"] == 2
    assert report["now"].startswith("2017-10-10T06:00:00-04:00")
    status, out, _ = plt(["sync", "--config", str(config), "--json", "--now", "2017-10-10T06:15"], endpoint)
    quiet = json.loads(out)
    assert status == 0 and quiet["teams"]["unchanged"] == 1
    assert quiet["api_calls"]["write"] == 1 and quiet["api_calls"]["total"] <= 6


def test_dry_run_prints_the_plan_and_exits_0(config, endpoint):
    submit(endpoint, config, "Ana", "Lopez")
    status, out, _ = plt(["sync", "--config", str(config), "--dry-run", "--now", "2017-10-10T06:00"], endpoint)
    assert status == 0
    assert "dry run, nothing written" in out and "would CreateFolder" in out


def test_second_sync_while_one_runs_exits_3(config, endpoint):
    with run_lock(config):
        status, _, err = plt(["sync", "--config", str(config)], endpoint)
    assert status == 3 and "another `plt sync` is running" in err


def test_form_emptied_exits_5_and_allow_shrink_goes_ahead(config, endpoint):
    ids = [submit(endpoint, config, "Ana", "Lopez"), submit(endpoint, config, "Ben", "Okafor")]
    plt(["sync", "--config", str(config), "--now", "2017-10-10T06:00"], endpoint)
    form_id = tomlkit.parse(config.read_text())["form"]["id"]
    for rid in ids:
        requests.delete(f"{endpoint}/_emulator/forms/{form_id}/responses/{rid}", timeout=10)
    status, _, err = plt(["sync", "--config", str(config), "--now", "2017-10-11T06:00"], endpoint)
    assert status == 5 and "--allow-shrink" in err
    status, _, _ = plt(["sync", "--config", str(config), "--now", "2017-10-11T06:00", "--allow-shrink"], endpoint)
    assert status == 0


def test_a_spreadsheet_that_is_gone_is_an_access_error_exit_4(config, endpoint):
    document = tomlkit.parse(config.read_text())
    document["roster"]["spreadsheet_id"] = "no-such-spreadsheet"
    config.write_text(tomlkit.dumps(document))
    status, _, err = plt(["sync", "--config", str(config)], endpoint)
    assert status == 4 and "cannot access the master spreadsheet" in err


def test_failed_sharing_exits_1_and_the_next_run_recovers(config, endpoint):
    submit(endpoint, config, "Ana", "Lopez")
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": [500], "methods": ["drive.permissions.create"],
                                                       "count": 50}, timeout=10).raise_for_status()
    status, out, err = plt(["sync", "--config", str(config), "--json", "--now", "2017-10-10T06:00"], endpoint)
    assert status == 1 and "see the Problems and Runs tabs" in err
    assert json.loads(out)["folders"]["created"] == 1
    requests.delete(f"{endpoint}/_emulator/faults", timeout=10)
    status, out, _ = plt(["sync", "--config", str(config), "--json", "--now", "2017-10-10T07:00"], endpoint)
    report = json.loads(out)
    assert status == 0 and report["sharing"]["added"] == 2 and report["problems"]["resolved"] >= 1


def test_google_out_of_reach_is_one_clear_line_and_exit_4(config, tmp_path):
    """Nothing listens on the endpoint: the run explains the network problem, writes nothing."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    status, _, err = plt(["sync", "--config", str(config)], dead)
    assert status == 4
    assert "could not connect to Google" in err and "unexpected" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_failed_run_names_its_first_failure_on_stderr(config, endpoint):
    submit(endpoint, config, "Ana", "Lopez")
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": [500], "methods": ["drive.permissions.create"],
                                                       "count": 50}, timeout=10).raise_for_status()
    status, _, err = plt(["sync", "--config", str(config), "--now", "2017-10-10T06:00"], endpoint)
    assert status == 1 and "first:" in err and "share with" in err


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_nothing_under_cron(config, endpoint):
    submit(endpoint, config, "Ana", "Lopez")
    args = ["sync", "--config", str(config), "--now", "2017-10-10T06:00"]
    terminal = Terminal()
    env = Environment(stdout=io.StringIO(), stderr=terminal, sleep=lambda _s: None,
                      environ={"PLT_GOOGLE_ENDPOINT": endpoint, "TERM": "xterm"})
    assert run(args, env) == 0
    assert "reading the form, the roster and the team folders" in terminal.getvalue()
    status, _, err = plt(args[:-1] + ["2017-10-10T07:00"], endpoint)   # cron: stderr is not a terminal
    assert status == 0 and err == ""


def delete_tab(endpoint, config, title):
    """A coordinator deletes a tab of the master spreadsheet."""
    sheets = connect(None, endpoint).sheets.spreadsheets()
    spreadsheet_id = tomlkit.parse(config.read_text())["roster"]["spreadsheet_id"]
    tabs = sheets.get(spreadsheetId=spreadsheet_id, fields="sheets.properties").execute()["sheets"]
    sheet_id = next(t["properties"]["sheetId"] for t in tabs if t["properties"]["title"] == title)
    sheets.batchUpdate(spreadsheetId=spreadsheet_id,
                       body={"requests": [{"deleteSheet": {"sheetId": sheet_id}}]}).execute()


def test_first_day_dry_run_lists_the_layout_and_dashboard_repairs_it_would_make(config, endpoint):
    """The coordinator deleted the Members tab before the first run: the dry run shows the
    tab it would make and that tab's layout, the new folder's roster cell made a link (to
    a folder that does not exist yet), and the Dashboard's table and chart."""
    submit(endpoint, config, "Ana", "Lopez")
    delete_tab(endpoint, config, "Members")
    status, out, _ = plt(["sync", "--config", str(config), "--dry-run", "--json", "--now", "2017-10-10T06:00"],
                         endpoint)
    actions = json.loads(out)["actions"]
    assert status == 0
    by_kind = {}
    for action in actions:
        by_kind.setdefault(action["action"], []).append(action)
    assert [a["tab"] for a in by_kind["AddTab"]] == ["Members"]
    (members,) = [a for a in by_kind["RepairLayout"] if a["tab"] == "Members"]
    kinds = {next(iter(request)) for request in members["requests"]}
    assert {"updateDimensionProperties", "addProtectedRange"} <= kinds
    new_tab = f'"sheetId": {by_kind["AddTab"][0]["sheet_id"]}'
    assert all(new_tab in json.dumps(request) for request in members["requests"])
    (links,) = by_kind["LinkFolders"]
    (team,) = [a["team_id"] for a in by_kind["CreateFolder"]]
    assert links["cells"] == [[1, {"link_of": team}]]
    (dashboard,) = by_kind["UpdateDashboard"]
    cells = {row: dict(values) for row, values in dashboard["cells"]}
    assert cells[2][0] == "School" and cells[3][0] == "Belmont High School" and cells[3][1] == 1
    assert "addChart" in {next(iter(request)) for request in dashboard["requests"]}
    assert "would repair the layout of Members" not in out   # --json: the actions, not the lines


def as_done(value, links: dict, run_id: str):
    """A dry run's action as the real run does it: each new folder's reference made the
    address Drive gave it, the run's id set aside, and the email preview's lines left out."""
    if isinstance(value, dict) and set(value) == {"link_of"}:
        return links[value["link_of"]]
    if isinstance(value, dict):
        preview = value.get("action") == "SendReminder"
        return {k: as_done(v, links, run_id) for k, v in value.items()
                if not (preview and k in ("subject", "describe"))}
    if isinstance(value, list):
        return [as_done(v, links, run_id) for v in value]
    return value.replace(run_id, "<run>") if isinstance(value, str) else value


def test_the_dry_run_lists_exactly_what_the_real_run_then_does(config, endpoint):
    """Reminders are due the day the team first syncs (the charter 7 days before November 17,
    asking for it in the team folder made in the same run; the SMART goal overdue): its
    folder, roster rows, layout, Dashboard and emails, planned once and done as planned."""
    submit(endpoint, config, "Ana", "Lopez")
    submit(endpoint, config, "Ben", "Okafor")
    args = ["sync", "--config", str(config), "--json", "--now", "2017-11-10T09:00"]
    status, out, _ = plt([*args, "--dry-run"], endpoint)
    dry = json.loads(out)
    status, out, err = plt(args, endpoint)
    done = json.loads(out)
    assert status == 0, err
    created = [a["team_id"] for a in dry["actions"] if a["action"] == "CreateFolder"]
    roster = {a["team_id"]: dict(a["values"])["Folder"] for a in done["actions"]
              if a["action"] == "AddRow" and a["tab"] == "Roster"}
    (linked,) = [a["cells"] for a in done["actions"] if a["action"] == "LinkFolders"]
    assert sorted(roster) == sorted(created) and len(created) == 2
    assert sorted(uri for _row, uri in linked) == sorted(roster.values())
    assert all(uri.startswith("https://drive.google.com/") for uri in roster.values())
    kinds = {a["action"] for a in dry["actions"]}
    assert {"CreateFolder", "AddRow", "LinkFolders", "UpdateDashboard", "SendReminder", "SetLastRun"} <= kinds
    expected = [as_done(a, roster, dry["run_id"]) for a in dry["actions"]]
    assert [as_done(a, roster, done["run_id"]) for a in done["actions"]] == [
        {k: v for k, v in a.items() if not (a["action"] == "SendReminder" and k == "describe")} for a in expected]
    assert done["reminders"]["sent"] == dry["reminders"]["skipped"] == 4
    assert "link_of" not in json.dumps(done["actions"])
    mail = requests.get(f"{endpoint}/_emulator/mail", timeout=10).json()["messages"]
    assert sorted(uri for m in mail for uri in roster.values() if uri in m["text"]) == sorted(roster.values())

"""`plt doctor` through the real command line against the emulator: all checks pass on
the demo programme, and each way a district's setup breaks ends with a cross, the fix
an IT lead can act on, and the exit status the design names."""
from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import pytest
import tomlkit
from aiosmtpd.controller import Controller

from sync.commands.cli import run
from sync.commands.doctor_checks import CHECKS
from sync.commands.doctor_google import missing_scopes
from sync.environment import Environment
from sync.lock import run_lock
from sync.google.workspace import SCOPES, connect

OTHER_OWNER = "it-admin@belmont.example.org"


@pytest.fixture
def programme(served_demo):
    """A private copy of the demo programme served by an emulator: (config path, endpoint)."""
    return served_demo


def doctor(config, endpoint):
    out, err = io.StringIO(), io.StringIO()
    status = run(["doctor", "--config", str(config)], Environment(stdout=out, stderr=err,
                                                                 environ={"PLT_GOOGLE_ENDPOINT": endpoint}))
    return status, out.getvalue(), err.getvalue()


def config_value(config, section, key):
    return tomlkit.parse(config.read_text())[section][key]


def line_of(out: str, check: str) -> str:
    return next(line for line in out.splitlines() if line[2:].startswith(check + ":"))


def fix_after(out: str, check: str) -> str:
    lines = out.splitlines()
    following = lines[lines.index(line_of(out, check)) + 1]
    assert following.startswith("    fix: ")
    return following


def test_every_check_passes_on_the_demo_programme(programme):
    config, endpoint = programme
    status, out, err = doctor(config, endpoint)
    assert status == 0, out + err
    assert sum(line.startswith("✓ ") for line in out.splitlines()) == len(CHECKS) - 1
    assert line_of(out, "scopes granted") == "- scopes granted: not checked: local endpoint"
    assert f"all {len(CHECKS)} checks passed" in out and err == ""


def test_a_deleted_roster_is_an_access_failure_with_the_fix(programme):
    config, endpoint = programme
    connect(None, endpoint).drive.files().delete(fileId=config_value(config, "roster", "spreadsheet_id")).execute()
    status, out, err = doctor(config, endpoint)
    assert status == 4
    assert line_of(out, "roster readable and writable").startswith("✗ ") and "HTTP 404" in out
    assert "open the roster, Share, and add" in fix_after(out, "roster readable and writable")
    assert line_of(out, "form readable").startswith("✓ ")
    assert err.strip().splitlines() == [f"1 of {len(CHECKS)} checks failed (roster readable and writable); "
                                        "see each fix above"]


def _give_folder_away(endpoint, folder_id, keep_role=None):
    """The parent folder now belongs to someone else, who kept us on as `keep_role` or removed us."""
    drive = connect(None, endpoint).drive
    drive.permissions().create(fileId=folder_id, transferOwnership=True,
                               body={"type": "user", "role": "owner", "emailAddress": OTHER_OWNER}).execute()
    mine = next(p for p in drive.permissions().list(fileId=folder_id, fields="permissions(id,role,emailAddress)")
                .execute()["permissions"] if p["emailAddress"] != OTHER_OWNER)
    if keep_role:
        drive.permissions().update(fileId=folder_id, permissionId=mine["id"], body={"role": keep_role}).execute()
    else:
        drive.permissions().delete(fileId=folder_id, permissionId=mine["id"]).execute()


def test_a_parent_folder_no_longer_shared_is_an_access_failure(programme):
    config, endpoint = programme
    _give_folder_away(endpoint, config_value(config, "drive", "parent_folder_id"))
    status, out, _err = doctor(config, endpoint)
    assert status == 4
    assert line_of(out, "parent folder listable and writable").startswith("✗ ")
    assert "share the folder with" in fix_after(out, "parent folder listable and writable")


def test_a_parent_folder_shared_read_only_cannot_take_team_folders(programme):
    config, endpoint = programme
    _give_folder_away(endpoint, config_value(config, "drive", "parent_folder_id"), keep_role="reader")
    status, out, _err = doctor(config, endpoint)
    assert status == 4
    assert "read-only" in line_of(out, "parent folder listable and writable")


def test_a_held_lock_exits_3_naming_the_lock(programme):
    config, endpoint = programme
    with run_lock(config):
        status, out, _err = doctor(config, endpoint)
    assert status == 3
    assert line_of(out, "lock free").startswith("✗ ") and "plt.toml.lock" in out


def test_a_config_not_initialised_exits_2_saying_to_run_init(programme):
    config, endpoint = programme
    document = tomlkit.parse(config.read_text())
    document["form"][0]["id"] = ""
    config.write_text(tomlkit.dumps(document))
    status, out, _err = doctor(config, endpoint)
    assert status == 2
    assert "form[enrol].id not set yet" in line_of(out, "config valid") and "plt init" in fix_after(out, "config valid")


def test_an_invalid_config_exits_2_before_any_check(programme):
    config, endpoint = programme
    config.write_text(config.read_text().replace("due = 2017-11-17", 'due = "Nov 17"'))
    status, out, err = doctor(config, endpoint)
    assert status == 2 and out == ""
    assert 'expected a date like 2017-11-17, got "Nov 17"' in err


def _name_key_file(config, mode):
    key = config.parent / "plt-service-account.json"
    key.write_text("{}")
    os.chmod(key, mode)
    document = tomlkit.parse(config.read_text())
    document["google"]["credentials"] = "service_account"
    document["google"]["credentials_file"] = key.name
    config.write_text(tomlkit.dumps(document))


def test_a_credentials_file_others_can_read_is_a_warning_with_chmod_fix(programme):
    config, endpoint = programme
    _name_key_file(config, 0o644)
    status, out, _err = doctor(config, endpoint)
    assert status == 0
    assert line_of(out, "credentials file private").startswith("! ")
    assert "chmod 600" in fix_after(out, "credentials file private") and "1 warning" in out


def test_allowed_unverified_responses_are_a_warning_on_every_run_that_does_not_fail_doctor(programme):
    config, endpoint = programme
    document = tomlkit.parse(config.read_text())
    document["form"][0]["collect_verified_email"] = False
    document["form"][0]["allow_unverified_responses"] = True
    config.write_text(tomlkit.dumps(document))
    for _run in range(2):
        status, out, _err = doctor(config, endpoint)
        assert status == 0
        assert line_of(out, "responses verified").startswith("! responses verified: form enrol does not collect")
        assert "take over the team and its folder" in line_of(out, "responses verified")
        assert "collect_verified_email = true" in fix_after(out, "responses verified") and "1 warning" in out


def test_an_owner_only_credentials_file_passes(programme):
    config, endpoint = programme
    _name_key_file(config, 0o600)
    _status, out, _err = doctor(config, endpoint)
    assert line_of(out, "credentials file private").startswith("✓ ")


def test_missing_scopes_are_listed_in_the_order_plt_sync_asks_for_them():
    granted = set(SCOPES) - {SCOPES[1], SCOPES[5]}
    assert missing_scopes(granted) == [SCOPES[1], SCOPES[5]]
    assert missing_scopes(set(SCOPES)) == []


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _use_smtp(config, port):
    document = tomlkit.parse(config.read_text())
    document["mail"]["backend"] = "smtp"
    document["mail"]["smtp"] = {"host": "127.0.0.1", "port": port, "security": "none"}
    config.write_text(tomlkit.dumps(document))


def test_an_smtp_relay_is_reached_without_sending_anything(programme):
    config, endpoint = programme
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        _use_smtp(config, controller.port)
        status, out, err = doctor(config, endpoint)
    finally:
        controller.stop()
    assert status == 0, out + err
    assert "(nothing sent)" in line_of(out, "mail can be sent") and inbox.messages == []


def test_an_smtp_relay_that_cannot_be_reached_is_an_access_failure(programme):
    config, endpoint = programme
    _use_smtp(config, free_port())
    status, out, _err = doctor(config, endpoint)
    assert status == 4
    assert line_of(out, "mail can be sent").startswith("✗ ")
    assert "[mail.smtp]" in fix_after(out, "mail can be sent")


def test_the_readme_lists_exactly_the_scopes_plt_sync_asks_for():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = [line.split("`")[1] for line in readme.splitlines() if line.startswith("| `https://www.googleapis")]
    assert table == list(SCOPES)
    assert ",".join(SCOPES) in readme

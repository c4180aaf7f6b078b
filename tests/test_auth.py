"""`plt auth login`: the browser sign-in's token is kept readable by its owner only, and
credentials files others can read are warned about. The browser flow is a stand-in that
answers like google-auth-oauthlib's InstalledAppFlow, so no test reaches Google."""
from __future__ import annotations

import io
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from sync.commands.auth import LoginOptions, login, warn_if_shared, write_token
from sync.commands.cli import run
from sync.environment import Environment
from sync.google.workspace import SCOPES

TOKEN = {"token": "ya29.access", "refresh_token": "1//refresh", "client_id": "plt.apps.googleusercontent.com",
         "client_secret": "shh", "scopes": list(SCOPES)}


class SignedIn:
    def to_json(self) -> str:
        return json.dumps(TOKEN)


class FakeFlow:
    """Records how it was built and run, and signs in at once."""

    made: list = []

    def __init__(self, client_secrets, scopes):
        FakeFlow.made.append((client_secrets, tuple(scopes)))
        self.runs = []

    def run_local_server(self, port, open_browser):
        self.runs.append((port, open_browser))
        return SignedIn()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """A machine whose umask would leave new files readable by everyone."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def client_secrets(tmp_path):
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": {"client_id": "plt.apps.googleusercontent.com"}}))
    os.chmod(path, 0o600)
    return path


def test_login_asks_for_plt_scopes_and_writes_an_owner_only_token(tmp_path, client_secrets, permissive_umask):
    FakeFlow.made.clear()
    token = tmp_path / "secrets" / "plt-token.json"
    written = login(LoginOptions(client_secrets, token, open_browser=False), make_flow=FakeFlow)
    assert written == token
    assert FakeFlow.made == [(client_secrets, SCOPES)]
    assert json.loads(token.read_text()) == TOKEN
    assert mode_of(token) == 0o600
    assert [p.name for p in token.parent.iterdir()] == ["plt-token.json"]


def test_a_new_token_replaces_a_world_readable_old_one_with_an_owner_only_file(tmp_path, permissive_umask):
    token = tmp_path / "plt-token.json"
    token.write_text("old")
    os.chmod(token, 0o644)
    old_inode = os.stat(token).st_ino
    write_token(token, "new")
    assert token.read_text() == "new" and mode_of(token) == 0o600
    # A new file took the old one's place: nobody holding the old one open reads the new token.
    assert os.stat(token).st_ino != old_inode


def test_a_failed_write_leaves_the_old_token_and_no_stray_file(tmp_path):
    token = tmp_path / "plt-token.json"
    token.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_token(token, "half a character: \ud800")
    assert token.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plt-token.json"]


def test_a_credentials_file_others_can_read_gets_a_warning(tmp_path, caplog):
    key = tmp_path / "plt-service-account.json"
    key.write_text("{}")
    os.chmod(key, 0o640)
    with caplog.at_level(logging.WARNING):
        assert warn_if_shared(key) is True
    assert "can be read by other users" in caplog.text and f"chmod 600 {key}" in caplog.text
    os.chmod(key, 0o600)
    caplog.clear()
    assert warn_if_shared(key) is False and caplog.text == ""


class LoginWithFakeFlow:
    """The `plt` commands, with `auth login` signing in through the stand-in flow."""

    def auth_login_command(self, options, env):
        from sync.commands import handlers as commands

        return commands.auth_login_command(options, env, make_flow=FakeFlow)


def plt(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), Environment(stdout=out, stderr=err, commands=LoginWithFakeFlow()))
    return status, out.getvalue(), err.getvalue()


def test_auth_login_command_writes_the_token_named_on_the_command_line(tmp_path, client_secrets):
    token = tmp_path / "plt-token.json"
    status, out, err = plt("auth", "login", "--client-secrets", str(client_secrets), "--token", str(token),
                           "--no-browser")
    assert status == 0, err
    assert mode_of(token) == 0o600 and str(token) in out and 'credentials = "oauth"' in out


def test_auth_login_without_a_token_path_exits_2_saying_how_to_name_one(client_secrets):
    status, _out, err = plt("auth", "login", "--client-secrets", str(client_secrets))
    assert status == 2
    assert "--token" in err

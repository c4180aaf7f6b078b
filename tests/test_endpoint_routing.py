"""With an endpoint set, every client PLT Sync builds talks to it and to nothing else:
plain calls, a Drive batch, a media upload and gspread all arrive at a loopback server,
and any attempt to resolve another host fails the test."""
from __future__ import annotations

import base64
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from googleapiclient.http import MediaInMemoryUpload

from config import load_settings
from sync.google.session import workspace_from_settings
from sync.google.workspace import connect

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# One answer carrying every field the clients read back from these calls.
CANNED = {
    "id": "1Folder", "formId": "1Form", "spreadsheetId": "1Sheet", "threadId": "t1", "labelIds": ["SENT"],
    "info": {"title": "PLT facilitator submission"}, "items": [], "files": [],
    "properties": {"title": "PLT master roster", "locale": "en_US", "timeZone": "America/New_York"},
    "sheets": [], "range": "Roster!A1:B2", "majorDimension": "ROWS", "values": [["Team ID", "School"]],
}
BOUNDARY = "batch_plt_boundary"


class Recorder(BaseHTTPRequestHandler):
    """Records each request and answers with canned JSON (multipart for a batch)."""

    requests: list[dict]

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append({"method": self.command, "path": self.path, "host": self.headers["Host"],
                              "content_type": self.headers.get("Content-Type", ""), "body": body})
        if self.path.startswith("/batch/"):
            payload, content_type = batch_answer(body), f"multipart/mixed; boundary={BOUNDARY}"
        else:
            payload, content_type = json.dumps(CANNED).encode(), "application/json; charset=UTF-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


def batch_answer(body: bytes) -> bytes:
    """One 200 part per part of the batch, matched by Content-ID as Google does."""
    parts = []
    for content_id in re.findall(rb"Content-ID: <([^>]+)>", body):
        inner = json.dumps({"id": "1Folder", "name": "Belmont High School – Readers"})
        parts.append(f"--{BOUNDARY}\r\nContent-Type: application/http\r\n"
                     f"Content-ID: <response-{content_id.decode()}>\r\n\r\n"
                     f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{inner}\r\n")
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


@pytest.fixture
def recorder():
    handler = type("Handler", (Recorder,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def only_loopback(monkeypatch):
    """Name resolution of anything but loopback fails, and every host looked up is kept."""
    looked_up: list[str] = []
    resolve = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        looked_up.append(host if isinstance(host, str) else host.decode())
        if looked_up[-1] not in LOOPBACK:
            raise socket.gaierror(f"test forbids contacting {host}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return looked_up


def exercise_every_client(workspace) -> None:
    """One call of each kind PLT Sync makes, on each client."""
    workspace.forms.forms().get(formId="1Form").execute()
    workspace.sheets.spreadsheets().values().get(spreadsheetId="1Sheet", range="Roster!A1:B2").execute()
    workspace.gspread.open_by_key("1Sheet")
    workspace.drive.files().list(q="'1Parent' in parents", fields="files(id,name)").execute()
    batch = workspace.drive.new_batch_http_request()
    for name in ("Belmont High School – Readers", "Chenery Middle School – Math Talk"):
        batch.add(workspace.drive.files().create(
            body={"name": name, "mimeType": "application/vnd.google-apps.folder", "parents": ["1Parent"]}))
    batch.execute()
    charter = MediaInMemoryUpload(b"PLT charter, signed by all members", mimetype="text/plain")
    workspace.drive.files().create(body={"name": "Readers charter.txt", "parents": ["1Folder"]},
                                   media_body=charter, fields="id").execute()
    raw = base64.urlsafe_b64encode(b"To: facilitator@belmont.example.org\r\nSubject: charter\r\n\r\nhi").decode()
    workspace.gmail.users().messages().send(userId="me", body={"raw": raw}).execute()


def test_every_client_sends_every_kind_of_request_to_the_endpoint_and_nowhere_else(recorder, only_loopback):
    url, requests = recorder
    exercise_every_client(connect(None, url))
    paths = [(r["method"], unquote(urlsplit(r["path"]).path)) for r in requests]
    assert paths == [
        ("GET", "/v1/forms/1Form"),
        ("GET", "/v4/spreadsheets/1Sheet/values/Roster!A1:B2"),
        ("GET", "/v4/spreadsheets/1Sheet"),
        ("GET", "/drive/v3/files"),
        ("POST", "/batch/drive/v3"),
        ("POST", "/upload/drive/v3/files"),
        ("POST", "/gmail/v1/users/me/messages/send"),
    ]
    assert {r["host"] for r in requests} == {urlsplit(url).netloc}
    assert set(only_loopback) <= LOOPBACK and only_loopback


def test_drive_batch_carries_both_folder_creations_inside_it(recorder, only_loopback):
    url, requests = recorder
    exercise_every_client(connect(None, url))
    batch = next(r for r in requests if r["path"].startswith("/batch/"))
    assert batch["content_type"].startswith("multipart/mixed")
    assert re.findall(rb"^POST (\S+) HTTP/1.1", batch["body"], re.M) == [b"/drive/v3/files?alt=json"] * 2


def test_media_upload_is_one_multipart_request_with_the_file_content(recorder, only_loopback):
    url, requests = recorder
    exercise_every_client(connect(None, url))
    upload = next(r for r in requests if r["path"].startswith("/upload/"))
    assert "uploadType=multipart" in upload["path"]
    assert b"PLT charter, signed by all members" in upload["body"]


def test_clients_built_from_settings_follow_the_endpoint_variable(recorder, only_loopback, tmp_path):
    url, requests = recorder
    config = tmp_path / "plt.toml"
    config.write_text((Path(__file__).resolve().parent.parent / "config" / "example.toml").read_text())
    environ = {"PLT_GOOGLE_ENDPOINT": url}
    workspace = workspace_from_settings(load_settings(config, environ), environ)
    assert workspace.endpoint == url
    workspace.forms.forms().get(formId="1Form").execute()
    assert [urlsplit(r["path"]).path for r in requests] == ["/v1/forms/1Form"]


def test_emulator_traffic_ignores_a_proxy_named_in_the_environment(monkeypatch, endpoint):
    """District networks often set HTTP_PROXY; the local endpoint must still be reached directly."""
    from sync.google.workspace import connect as connect_clients

    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    workspace = connect_clients(None, endpoint)
    assert workspace.drive.files().list(pageSize=1).execute()["files"] == []
    sheet_id = workspace.sheets.spreadsheets().create(body={"properties": {"title": "t"}}).execute()["spreadsheetId"]
    assert workspace.gspread.open_by_key(sheet_id).title == "t"


def test_a_long_query_sent_as_a_method_override_post_is_answered(endpoint):
    """The Google client sends GETs longer than 2,048 characters as POST + X-HTTP-Method-Override."""
    from sync.google.workspace import connect as connect_clients

    drive = connect_clients(None, endpoint).drive
    parents = " or ".join(f"'{'x' * 40}{i}' in parents" for i in range(60))
    assert drive.files().list(q=f"({parents}) and trashed = false", pageSize=10).execute()["files"] == []

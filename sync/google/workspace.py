"""Builds the real Google clients PLT Sync uses, for Google itself or for a local endpoint.

With an endpoint (the emulator), every client talks to it and nothing else: the packaged
discovery documents get their `rootUrl` rewritten, so batch and media-upload URLs follow
(`client_options.api_endpoint` would leave those on googleapis.com), and gspread gets an
HTTP client that rewrites its URLs. No discovery document is fetched over the network.
"""
from __future__ import annotations

import copy
import json
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import google.auth
import google_auth_httplib2
import gspread
import httplib2
import requests
from google.auth.credentials import AnonymousCredentials, Credentials
from googleapiclient import discovery
from googleapiclient.discovery_cache import get_static_doc
from gspread.http_client import HTTPClient

# The OAuth scopes PLT Sync asks for: as few and as narrow as the job allows.
SCOPES = (
    # Create the facilitator form at `plt init` and read its structure.
    "https://www.googleapis.com/auth/forms.body",
    # Read the facilitators' responses (read-only).
    "https://www.googleapis.com/auth/forms.responses.readonly",
    # Read and write the master roster spreadsheet coordinators work in.
    "https://www.googleapis.com/auth/spreadsheets",
    # Create team folders, copy templates into them and share them: only files PLT Sync
    # created or was given, never the rest of the coordinator's Drive.
    "https://www.googleapis.com/auth/drive.file",
    # See the names of files members put in team folders (charter evidence), without
    # being able to read or change their contents.
    "https://www.googleapis.com/auth/drive.metadata.readonly",
    # Send reminder emails as the coordinator's account.
    "https://www.googleapis.com/auth/gmail.send",
    # Find a reminder in sent mail by its Message-ID after a crash, so it is not sent twice
    # (Gmail refuses search queries under the narrower gmail.metadata scope).
    "https://www.googleapis.com/auth/gmail.readonly",
    # Create the programme calendar at `plt init` and keep its events (training sessions,
    # meetings) in step: only calendars PLT Sync made, never the account's own or others.
    "https://www.googleapis.com/auth/calendar.app.created",
)

API_VERSIONS = {"forms": "v1", "sheets": "v4", "drive": "v3", "gmail": "v1", "docs": "v1", "calendar": "v3"}
HTTP_TIMEOUT_S = 60

_GOOGLE_HOSTS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://forms.googleapis.com",
    "https://gmail.googleapis.com",
)


@dataclass
class Workspace:
    """The built clients, handed to the adapters (which never build their own)."""

    forms: Any
    sheets: Any
    drive: Any
    gmail: Any
    gspread: gspread.Client
    endpoint: str | None = None
    docs: Any = None     # Docs v1: fills the document templates copied into unit folders
    calendar: Any = None  # Calendar v3: the programme calendar's events


@lru_cache(maxsize=None)
def _packaged_document(api: str) -> dict:
    text = get_static_doc(api, API_VERSIONS[api])
    if text is None:
        raise RuntimeError(f"the {api} {API_VERSIONS[api]} discovery document is not packaged")
    return json.loads(text)


def discovery_document(api: str, endpoint: str | None = None) -> dict:
    """The packaged discovery document of `api`, re-rooted at `endpoint` when given (a
    fresh copy each time: the client library changes the document it is given)."""
    return json.loads(discovery_text(api, endpoint))


@lru_cache(maxsize=64)
def discovery_text(api: str, endpoint: str | None = None) -> str:
    """`discovery_document` as JSON text, made once per API and endpoint."""
    document = copy.deepcopy(_packaged_document(api))
    if endpoint:
        root = endpoint.rstrip("/") + "/"
        document["rootUrl"] = root
        document["mtlsRootUrl"] = root
        document["baseUrl"] = root + document.get("servicePath", "")
    return json.dumps(document)


class _MeteredHttp(httplib2.Http):
    """httplib2 that reports each request it sends to a Meter, and waits for the Pacer
    (sync/pacing.py) before sending when one is given."""

    def __init__(self, meter, pacer=None, **kwargs):
        super().__init__(**kwargs)
        self._meter = meter
        self._pacer = pacer

    def request(self, uri, method="GET", body=None, *args, **kwargs):
        if self._pacer is not None:
            self._pacer.before(method, uri, body)
        if self._meter is not None:
            self._meter.record(method, uri)
        response, content = super().request(uri, method, body, *args, **kwargs)
        if self._pacer is not None and response.status == 429:
            self._pacer.refused(method, uri, response.get("retry-after"))
        return response, content


class _PacedAdapter(requests.adapters.HTTPAdapter):
    """gspread's transport, waiting for the Pacer before each request it sends."""

    def __init__(self, pacer):
        super().__init__()
        self._pacer = pacer

    def send(self, request, *args, **kwargs):
        self._pacer.before(request.method, request.url, request.body)
        response = super().send(request, *args, **kwargs)
        if response.status_code == 429:
            self._pacer.refused(request.method, request.url, response.headers.get("Retry-After"))
        return response


def build_service(api: str, credentials: Credentials | None, endpoint: str | None = None, meter=None,
                  pacer=None):
    # A local endpoint is reached directly, never through a proxy the environment names.
    options = {"timeout": HTTP_TIMEOUT_S, **({"proxy_info": None} if endpoint else {})}
    http = _MeteredHttp(meter, pacer, **options) if meter or pacer else httplib2.Http(**options)
    # Drive answers 308 between the chunks of a resumable upload: not a redirect to follow.
    http.redirect_codes = http.redirect_codes - {308}
    if credentials is not None and not isinstance(credentials, AnonymousCredentials):
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=http)
    return discovery.build_from_document(discovery_text(api, endpoint), http=http)


def endpoint_http_client(endpoint: str) -> type[HTTPClient]:
    """A gspread HTTP client class that sends every request to `endpoint`."""
    base = endpoint.rstrip("/")

    class EndpointHTTPClient(HTTPClient):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.session.trust_env = False  # never route the local endpoint through a proxy

        def request(self, method, endpoint, *args, **kwargs):  # noqa: D401 - gspread's signature
            for host in _GOOGLE_HOSTS:
                if endpoint.startswith(host):
                    endpoint = base + endpoint[len(host):]
                    break
            return super().request(method, endpoint, *args, **kwargs)

    return EndpointHTTPClient


def build_gspread(credentials: Credentials | None, endpoint: str | None = None, meter=None,
                  pacer=None) -> gspread.Client:
    if endpoint:
        client = gspread.Client(AnonymousCredentials(), http_client=endpoint_http_client(endpoint))
    else:
        client = gspread.Client(credentials)
    if pacer is not None:
        for scheme in ("http://", "https://"):
            client.http_client.session.mount(scheme, _PacedAdapter(pacer))
    if meter is not None:
        client.http_client.session.hooks["response"].append(
            lambda response, *args, **kwargs: meter.record(response.request.method, response.request.url))
    return client


def connect(credentials: Credentials | None, endpoint: str | None = None, meter=None, pacer=None) -> Workspace:
    """Every client PLT Sync needs. With `endpoint`, credentials are anonymous.
    With `meter`, every request is counted by its discovery method id; with `pacer`
    (sync/pacing.py), every request first waits until Google's per-minute quota has room."""
    if endpoint:
        credentials = AnonymousCredentials()
    services = {api: build_service(api, credentials, endpoint, meter, pacer) for api in API_VERSIONS}
    return Workspace(gspread=build_gspread(credentials, endpoint, meter, pacer), endpoint=endpoint, **services)


# Credentials.
def load_credentials(kind: str, path: str | None = None, subject: str | None = None,
                     scopes: tuple[str, ...] = SCOPES) -> Credentials:
    """Credentials of `kind`: "service_account" (optionally impersonating `subject` through
    domain-wide delegation), "oauth" (an authorized-user token file) or "application_default"."""
    if kind == "service_account":
        from google.oauth2 import service_account

        creds = service_account.Credentials.from_service_account_file(path, scopes=list(scopes))
        return creds.with_subject(subject) if subject else creds
    if kind == "oauth":
        from google.oauth2.credentials import Credentials as UserCredentials

        return UserCredentials.from_authorized_user_file(path, scopes=list(scopes))
    if kind == "application_default":
        creds, _project = google.auth.default(scopes=list(scopes))
        return creds
    raise ValueError(f"unknown credentials kind {kind!r}")


def loose_permissions(path: str) -> bool:
    """True when a credentials file can be read by users other than its owner."""
    mode = os.stat(path).st_mode
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))

"""What `plt doctor` makes of Google's answers: which account is signed in, which scopes
its token carries, and what a refusal means in terms of the fix an IT lead can make."""
from __future__ import annotations

import json
import socket

import httplib2
import requests
from google.auth.exceptions import GoogleAuthError
from googleapiclient.errors import HttpError

from sync.google.errors import reason_of, status_of
from sync.google.workspace import SCOPES

# The failures of a Google call that `plt doctor` reports as a check result.
GOOGLE_FAILURES = (HttpError, httplib2.HttpLib2Error, OSError, socket.timeout, GoogleAuthError)
TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo"
_API_LIBRARY = "https://console.cloud.google.com/apis/library/"
_API_HOSTS = {"Google Forms": "forms.googleapis.com", "Google Sheets": "sheets.googleapis.com",
              "Google Drive": "drive.googleapis.com", "Gmail": "gmail.googleapis.com"}


def account_of(credentials) -> str:
    """The account the credentials act as, in the words an IT lead would look for."""
    subject = getattr(credentials, "_subject", None)
    email = getattr(credentials, "service_account_email", None)
    if subject:
        return f"{subject} (through the service account {email})"
    if email and email != "default":
        return email
    return "the signed-in user"


def granted_scopes(credentials, fetch=requests.get) -> set[str] | None:
    """The scopes Google granted the current token, as its tokeninfo endpoint reports."""
    try:
        answer = fetch(TOKENINFO_URL, params={"access_token": credentials.token}, timeout=30)
        scope = answer.json().get("scope") if answer.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None
    return set(scope.split()) if scope else None


def missing_scopes(granted: set[str]) -> list[str]:
    """The scopes PLT Sync needs that `granted` lacks, in the order PLT Sync lists them."""
    return [scope for scope in SCOPES if scope not in granted]


def _google_reasons(error: BaseException) -> set[str]:
    if not isinstance(error, HttpError):
        return set()
    try:
        body = json.loads(error.content.decode("utf-8")).get("error", {})
    except (ValueError, AttributeError):
        return set()
    reasons = {e.get("reason", "") for e in body.get("errors", [])} | {body.get("status", "")}
    for detail in body.get("details", []):
        reasons.add(detail.get("reason", ""))
    return reasons - {""}


def explain(error: BaseException, api: str, share_fix: str) -> tuple[str, str]:
    """(what went wrong, the fix) for a failed call to `api`; `share_fix` is the fix when
    the resource is missing or not shared with the account."""
    status = status_of(error)
    reasons = _google_reasons(error)
    detail = f"{reason_of(error)}" + (f" (HTTP {status})" if status else "")
    if reasons & {"SERVICE_DISABLED", "accessNotConfigured"}:
        return detail, f"enable the {api} API in the Cloud project: {_API_LIBRARY}{_API_HOSTS[api]}"
    if reasons & {"ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions"}:
        return detail, "grant every scope PLT Sync asks for (see `scopes granted` and the README)"
    if status == 401:
        return detail, "the credentials were refused: check [google] and run `plt doctor` again"
    if status in (403, 404):
        return detail, share_fix
    if status is None:
        return detail, "check this machine can reach Google (network, proxy, firewall) and try again"
    return detail, "Google had a problem answering; try again in a few minutes"

"""What `plt doctor` makes of Google's answers: which account is signed in, which scopes
its token carries, and what a refusal means in terms of the fix an IT lead can make."""
from __future__ import annotations

import requests

from sync.google.errors import ApiDisabled, ConnectionLost, CredentialsRefused, ScopeMissing, Terminal, classify
from sync.google.workspace import SCOPES

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


def explain(error: Exception, api: str, share_fix: str) -> tuple[str, str]:
    """(what went wrong, the fix) for a failed call to `api`; `share_fix` is the fix when
    the resource is missing, not shared with the account, or named wrongly. An error that
    is no failed call to Google (a defect) is raised again: no fix is guessed for it."""
    failure = classify(error)
    if failure is None:
        raise error
    if isinstance(failure, ApiDisabled):
        return str(failure), f"enable the {api} API in the Cloud project: {_API_LIBRARY}{_API_HOSTS[api]}"
    if isinstance(failure, ScopeMissing):
        return str(failure), "grant every scope PLT Sync asks for (see `scopes granted` and the README)"
    if isinstance(failure, CredentialsRefused):
        return str(failure), "the credentials were refused: check [google] and run `plt doctor` again"
    if isinstance(failure, Terminal):  # not shared, not there, or an id that names nothing
        return str(failure), share_fix
    if isinstance(failure, ConnectionLost):
        return str(failure), "check this machine can reach Google (network, proxy, firewall) and try again"
    return str(failure), "Google had a problem answering; try again in a few minutes"

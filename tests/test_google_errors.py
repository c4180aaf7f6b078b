"""Four places decide whether a failed Google call is worth another try, and they disagree.

Each row is one failure as the client libraries raise it, and what each decider makes of
it today: "retry", "final", "escapes" (not caught: the error reaches the run raw) or
"crashes" (deciding raises an error of its own). The reading layer (sync.google.errors),
the Drive adapter (drive.failures), the Gmail sender (mail.gmail) and `plt doctor`
(sync.commands.doctor_google, where a "try again" or network fix counts as retry).
"""
from __future__ import annotations

import http.client
import json
import socket

import gspread
import httplib2
import pytest
import requests
from googleapiclient.errors import BatchError, HttpError

from drive.failures import TRANSPORT_ERRORS, from_http_error, from_transport_error
from mail.gmail import GmailSender
from mail.message import SendError
from sync.commands.doctor_google import GOOGLE_FAILURES, explain
from sync.google.errors import is_transient


def http_error(status: int, reason: str | None = None, *, info: str | None = None, body: bytes | None = None,
               message: str = "went wrong") -> HttpError:
    """An HttpError as googleapiclient raises it: a legacy `errors[].reason`, and/or an
    ErrorInfo `details[].reason` as Google's newer APIs send."""
    error = {"code": status, "message": message,
             "errors": [{"reason": reason, "message": message, "domain": "global"}] if reason else []}
    if info:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": info,
                             "domain": "googleapis.com"}]
    content = body if body is not None else json.dumps({"error": error}).encode()
    return HttpError(httplib2.Response({"status": status}), content, uri="https://www.googleapis.com/drive/v3/files")


def api_error(status: int, reason: str | None = None) -> gspread.exceptions.APIError:
    """A gspread APIError carrying Google's JSON error body."""
    response = requests.Response()
    response.status_code = status
    response.headers["Content-Type"] = "application/json"
    errors = [{"reason": reason, "message": "went wrong", "domain": "global"}] if reason else []
    response._content = json.dumps({"error": {"code": status, "message": "went wrong", "errors": errors}}).encode()
    return gspread.exceptions.APIError(response)


class _RefusingGmail:
    """A Gmail service whose every call fails with `error`, to see what the sender makes of it."""

    def __init__(self, error: BaseException):
        self.error = error

    def users(self):
        return self

    def messages(self):
        return self

    def list(self, **_query):
        return self

    def execute(self):
        raise self.error


def _by_reading_layer(error):
    return "retry" if is_transient(error) else "final"


def _by_drive(error):
    if isinstance(error, HttpError):
        return "retry" if from_http_error(error).transient else "final"
    if isinstance(error, TRANSPORT_ERRORS):
        return "retry" if from_transport_error(error).transient else "final"
    return "escapes"


def _by_gmail(error):
    try:
        GmailSender(_RefusingGmail(error)).find_sent("<plt-1@belmont.k12.ma.us>")
    except SendError as failed:
        return "retry" if failed.transient else "final"
    except Exception as raw:
        if raw is not error:
            raise
        return "escapes"
    raise AssertionError("the refusing service answered")


def _by_doctor(error):
    if not isinstance(error, GOOGLE_FAILURES):
        return "escapes"
    _detail, fix = explain(error, "Google Drive", "share the folder")
    return "retry" if "try again" in fix or "reach Google" in fix else "final"


DECIDERS = {"reading": _by_reading_layer, "drive": _by_drive, "gmail": _by_gmail, "doctor": _by_doctor}


def verdicts(error: BaseException) -> dict[str, str]:
    found = {}
    for name, decide in DECIDERS.items():
        try:
            found[name] = decide(error)
        except AssertionError:
            raise
        except Exception:  # the decider itself failed on this error
            found[name] = "crashes"
    return found


def row(reading, drive, gmail, doctor):
    return {"reading": reading, "drive": drive, "gmail": gmail, "doctor": doctor}


TODAY = [
    ("429 rate limit", lambda: http_error(429, "rateLimitExceeded"), row("retry", "retry", "retry", "retry")),
    ("403 userRateLimitExceeded", lambda: http_error(403, "userRateLimitExceeded"),
     row("retry", "retry", "retry", "final")),
    ("403 sharingRateLimitExceeded", lambda: http_error(403, "sharingRateLimitExceeded"),
     row("retry", "retry", "final", "final")),
    ("403 rate limit named only in ErrorInfo details", lambda: http_error(403, info="RATE_LIMIT_EXCEEDED"),
     row("final", "retry", "final", "final")),
    ("403 quotaExceeded", lambda: http_error(403, "quotaExceeded"), row("retry", "final", "final", "final")),
    ("403 no permission on the file", lambda: http_error(403, "insufficientFilePermissions"),
     row("final", "final", "final", "final")),
    ("408 request timeout", lambda: http_error(408), row("final", "final", "final", "retry")),
    ("500 backend error", lambda: http_error(500, "backendError"), row("retry", "retry", "retry", "retry")),
    ("501 not implemented", lambda: http_error(501), row("retry", "final", "final", "retry")),
    ("502 with an HTML page", lambda: http_error(502, body=b"<html>Bad Gateway</html>"),
     row("retry", "retry", "retry", "retry")),
    ("connection reset", lambda: ConnectionResetError(104, "Connection reset by peer"),
     row("retry", "retry", "retry", "retry")),
    ("DNS lookup failed", lambda: socket.gaierror(-3, "Temporary failure in name resolution"),
     row("final", "retry", "retry", "retry")),
    ("answer cut short", lambda: http.client.IncompleteRead(b"{\"id\""),
     row("final", "retry", "escapes", "escapes")),
    ("server not found (httplib2)", lambda: httplib2.ServerNotFoundError("Unable to find the server"),
     row("retry", "retry", "retry", "retry")),
    ("gspread 503", lambda: api_error(503, "backendError"), row("retry", "escapes", "escapes", "escapes")),
    ("gspread answer cut short", lambda: requests.exceptions.ChunkedEncodingError("Connection broken"),
     row("final", "retry", "retry", "retry")),
    ("a missing local file is no network failure", lambda: FileNotFoundError(2, "No such file or directory"),
     row("final", "retry", "retry", "retry")),
    ("a batch answer with a bad Content-ID", lambda: BatchError("Invalid value for Content-ID: x"),
     row("crashes", "crashes", "crashes", "crashes")),
]


@pytest.mark.parametrize("error, expected", [(make, expected) for _name, make, expected in TODAY],
                         ids=[name for name, _make, _expected in TODAY])
def test_the_four_deciders_today(error, expected):
    assert verdicts(error()) == expected

"""One classifier of failed Google calls: each failure, as the client libraries raise it,
reads as one kind, and whether it is worth another try follows from that kind alone.

The rows settle what four separate deciders (the reading layer, the Drive batch, the
Gmail sender and `plt doctor`) used to disagree on: a rate limit named only in an ErrorInfo
detail, quotaExceeded, 408, 501, a failed DNS lookup, an answer cut short, gspread's
errors, a local file error, a batch answer that could not be read.
"""
from __future__ import annotations

import errno
import http.client
import json
import socket

import google.auth.exceptions
import gspread
import httplib2
import pytest
import requests
from googleapiclient.errors import BatchError, HttpError

from mail.gmail import GmailSender
from mail.message import SendError
from sync.commands.doctor_google import explain
from sync.google.errors import (AccessRefused, ApiDisabled, ConnectionLost, CredentialsRefused, GoogleFailure,
                                NotFound, RateLimited, Rejected, ScopeMissing, ServerError, Terminal, Transient,
                                classify, with_retries)

DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"


def http_error(status: int, reason: str | None = None, *, info: str | None = None, body: bytes | None = None,
               message: str = "went wrong", headers: dict | None = None, uri: str = DRIVE_FILES) -> HttpError:
    """An HttpError as googleapiclient raises it: a legacy `errors[].reason`, and/or an
    ErrorInfo `details[].reason` as Google's newer APIs send."""
    error = {"code": status, "message": message,
             "errors": [{"reason": reason, "message": message, "domain": "global"}] if reason else []}
    if info:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": info,
                             "domain": "googleapis.com"}]
    content = body if body is not None else json.dumps({"error": error}).encode()
    return HttpError(httplib2.Response({"status": status, **(headers or {})}), content, uri=uri)


def api_error(status: int, reason: str | None = None, headers: dict | None = None) -> gspread.exceptions.APIError:
    """A gspread APIError carrying Google's JSON error body, as a Sheets read raises it."""
    response = requests.Response()
    response.status_code = status
    response.url = "https://sheets.googleapis.com/v4/spreadsheets/1AbC"
    response.headers.update({"Content-Type": "application/json", **(headers or {})})
    errors = [{"reason": reason, "message": "went wrong", "domain": "global"}] if reason else []
    response._content = json.dumps({"error": {"code": status, "message": "went wrong", "errors": errors}}).encode()
    return gspread.exceptions.APIError(response)


# (scenario, the error, its kind, may the change have been made?)
FAILURES = [
    ("429 rate limit", lambda: http_error(429, "rateLimitExceeded"), RateLimited, False),
    ("403 userRateLimitExceeded", lambda: http_error(403, "userRateLimitExceeded"), RateLimited, False),
    ("403 sharingRateLimitExceeded", lambda: http_error(403, "sharingRateLimitExceeded"), RateLimited, False),
    ("403 rate limit named only in ErrorInfo details", lambda: http_error(403, info="RATE_LIMIT_EXCEEDED"),
     RateLimited, False),
    ("403 quotaExceeded", lambda: http_error(403, "quotaExceeded"), RateLimited, False),
    ("403 no permission on the file", lambda: http_error(403, "insufficientFilePermissions"), AccessRefused, False),
    ("403 API not enabled (ErrorInfo)", lambda: http_error(403, info="SERVICE_DISABLED"), ApiDisabled, False),
    ("403 API not enabled (legacy)", lambda: http_error(403, "accessNotConfigured"), ApiDisabled, False),
    ("403 scope missing", lambda: http_error(403, info="ACCESS_TOKEN_SCOPE_INSUFFICIENT"), ScopeMissing, False),
    ("401 credentials refused", lambda: http_error(401, "authError"), CredentialsRefused, False),
    ("404 not found", lambda: http_error(404, "notFound"), NotFound, False),
    ("400 bad value", lambda: http_error(400, "invalid"), Rejected, False),
    ("409 conflict", lambda: http_error(409, "duplicate"), Rejected, False),
    ("408 request timeout", lambda: http_error(408), ConnectionLost, True),
    ("500 backend error", lambda: http_error(500, "backendError"), ServerError, True),
    ("502 with an HTML page", lambda: http_error(502, body=b"<html>Bad Gateway</html>"), ServerError, True),
    ("503 unavailable", lambda: http_error(503, "backendError"), ServerError, True),
    ("504 gateway timeout", lambda: http_error(504), ServerError, True),
    ("501 not implemented", lambda: http_error(501), Rejected, False),
    ("505 HTTP version not supported", lambda: http_error(505), Rejected, False),
    ("connection reset", lambda: ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
     ConnectionLost, True),
    ("server hung up", lambda: http.client.RemoteDisconnected("Remote end closed connection"), ConnectionLost, True),
    ("answer cut short", lambda: http.client.IncompleteRead(b"{\"id\""), ConnectionLost, True),
    ("DNS lookup failed", lambda: socket.gaierror(-3, "Temporary failure in name resolution"), ConnectionLost, True),
    ("timed out", lambda: socket.timeout("timed out"), ConnectionLost, True),
    ("network unreachable", lambda: OSError(errno.ENETUNREACH, "Network is unreachable"), ConnectionLost, True),
    ("server not found (httplib2)", lambda: httplib2.ServerNotFoundError("Unable to find the server"),
     ConnectionLost, True),
    ("connection failed (requests)", lambda: requests.ConnectionError("Max retries exceeded"), ConnectionLost, True),
    ("answer cut short (requests)", lambda: requests.exceptions.ChunkedEncodingError("Connection broken"),
     ConnectionLost, True),
    ("token endpoint out of reach", lambda: google.auth.exceptions.TransportError("timed out"), ConnectionLost, True),
    ("a batch answer with a bad Content-ID", lambda: BatchError("Invalid value for Content-ID: x"),
     ConnectionLost, True),
    ("token refused", lambda: google.auth.exceptions.RefreshError("invalid_grant: assertion=eyJ..."),
     CredentialsRefused, False),
    ("gspread 429", lambda: api_error(429, "rateLimitExceeded"), RateLimited, False),
    ("gspread 403 rate limit", lambda: api_error(403, "userRateLimitExceeded"), RateLimited, False),
    ("gspread 503", lambda: api_error(503, "backendError"), ServerError, True),
    ("gspread 403 not shared", lambda: api_error(403, "forbidden"), AccessRefused, False),
    ("gspread 404", lambda: api_error(404, "notFound"), NotFound, False),
]
SCENARIOS = pytest.mark.parametrize("make, kind, uncertain", [row[1:] for row in FAILURES],
                                    ids=[row[0] for row in FAILURES])


@SCENARIOS
def test_each_failure_reads_as_one_kind_that_says_whether_to_try_again(make, kind, uncertain):
    failure = classify(make())

    assert type(failure) is kind
    assert failure.transient is issubclass(kind, Transient) is not issubclass(kind, Terminal)
    assert failure.uncertain is uncertain


@pytest.mark.parametrize("error", [FileNotFoundError(errno.ENOENT, "No such file or directory"),
                                   PermissionError(errno.EACCES, "Permission denied"), KeyError("id"),
                                   ValueError("bad value")], ids=repr)
def test_an_error_that_is_no_failed_call_is_left_unclassified(error):
    assert classify(error) is None


def test_a_failure_reads_as_one_plain_line_naming_the_api():
    assert str(classify(http_error(403, "sharingRateLimitExceeded", message="Rate limit exceeded."))) == \
        "Drive answered HTTP 403 (sharingRateLimitExceeded): Rate limit exceeded."
    assert str(classify(http_error(502, body=b"<html>\n Bad Gateway </html>"))) == \
        "Drive answered HTTP 502: <html> Bad Gateway </html>"
    assert str(classify(api_error(404, "notFound"))) == "Sheets answered HTTP 404 (notFound): went wrong"
    gmail = http_error(503, uri="http://127.0.0.1:8765/gmail/v1/users/me/messages/send")
    assert str(classify(gmail)) == "Gmail answered HTTP 503: went wrong"
    assert str(classify(ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"))) == \
        "no answer from Google: ConnectionResetError: Connection reset by peer"


def test_the_facts_google_gave_are_kept_as_data():
    failure = classify(http_error(429, "rateLimitExceeded", info="RATE_LIMIT_EXCEEDED", message="Slow down",
                                  headers={"retry-after": "7"}))

    assert (failure.api, failure.status, failure.message, failure.retry_after) == ("Drive", 429, "Slow down", 7.0)
    assert failure.reasons == {"rateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
    assert classify(api_error(429, headers={"Retry-After": "3"})).retry_after == 3.0


def test_a_refused_token_never_shows_what_was_sent():
    failure = classify(google.auth.exceptions.RefreshError("invalid_grant", {"assertion": "eyJhbGciOi.secret"}))

    assert "secret" not in str(failure) and "eyJ" not in str(failure)
    assert str(failure) == "Google refused the credentials (RefreshError)"


def test_every_kind_is_either_transient_or_terminal():
    def kinds(base):
        for sub in base.__subclasses__():
            yield sub
            yield from kinds(sub)

    every = set(kinds(GoogleFailure))
    assert every == set(kinds(Transient)) | set(kinds(Terminal)) | {Transient, Terminal}
    assert not set(kinds(Transient)) & set(kinds(Terminal))


class _Failing:
    """A call that fails with each of `errors` in turn, then answers."""

    def __init__(self, *errors):
        self.errors, self.calls = list(errors), 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "answered"


def test_with_retries_tries_transient_failures_again():
    call, sleeps = _Failing(http_error(503), ConnectionResetError(errno.ECONNRESET, "reset")), []

    assert with_retries(call, sleep=sleeps.append) == "answered"
    assert call.calls == 3 and len(sleeps) == 2


@pytest.mark.parametrize("error", [http_error(404, "notFound"), http_error(501), FileNotFoundError("key.json")],
                         ids=["not found", "not implemented", "a local file"])
def test_with_retries_raises_anything_else_at_once(error):
    call, sleeps = _Failing(error), []

    with pytest.raises(type(error)) as raised:
        with_retries(call, sleep=sleeps.append)

    assert raised.value is error and call.calls == 1 and sleeps == []


def test_with_retries_gives_up_after_its_attempts_with_the_last_failure():
    call, sleeps = _Failing(*[http_error(429, "rateLimitExceeded") for _ in range(5)]), []

    with pytest.raises(HttpError):
        with_retries(call, attempts=3, sleep=sleeps.append)

    assert call.calls == 3 and len(sleeps) == 2


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


@SCENARIOS
def test_the_gmail_sender_and_doctor_agree_with_the_classifier(make, kind, uncertain):
    with pytest.raises(SendError) as failed:
        GmailSender(_RefusingGmail(make()), classify=classify).find_sent("<plt-1@belmont.k12.ma.us>")
    _detail, fix = explain(make(), "Google Drive", "share the folder with the account")

    assert failed.value.transient is issubclass(kind, Transient)
    assert ("try again" in fix) is issubclass(kind, Transient)


def test_the_gmail_sender_lets_a_defect_through_unexplained():
    defect = KeyError("messages")

    with pytest.raises(KeyError) as raised:
        GmailSender(_RefusingGmail(defect), classify=classify).find_sent("<plt-1@belmont.k12.ma.us>")

    assert raised.value is defect

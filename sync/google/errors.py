"""What a failed call to Google means, decided in one place for every client PLT Sync uses.

Whether trying again can help is a property of the failure's type, as in dlt: a
`Transient` failure may well succeed later, a `Terminal` one will fail the same way again.
`classify` reads whatever the client libraries raised (googleapiclient's HttpError,
gspread's APIError, a dropped connection from httplib2, requests, http.client, google-auth
or the socket) into one kind, with the facts as attributes. Everything that retries,
explains or records a failed call asks it: `with_retries` here, the Drive batch and the
Gmail sender (handed `classify`, as adapters never import `sync`), `plt doctor`, the reads
of a run and `plt status`.

Google's advice for its Workspace APIs, as this module applies it:

  429, or a 403 naming a rate limit ........ RateLimited         transient, nothing was done
  5xx other than 501 and 505 ............... ServerError         transient, may have been done
  408, a dropped or unreadable answer ...... ConnectionLost      transient, may have been done
  401 ...................................... CredentialsRefused  terminal (an AccessRefused)
  403 naming a disabled API ................ ApiDisabled         terminal (an AccessRefused)
  403 naming a missing scope ............... ScopeMissing        terminal (an AccessRefused)
  any other 403 ............................ AccessRefused       terminal
  404 ...................................... NotFound            terminal
  any other answer (400, 409, 501, ...) .... Rejected            terminal

"May have been done": the change can have been made before the failure, so a call that is
not idempotent (creating a folder, sending an email) is looked up before it is tried
again. Anything else (a defect, a local file that is missing) is not a failed call to
Google: `classify` answers None, so it is never retried nor explained as Google's answer.
"""
from __future__ import annotations

import errno
import http.client
import json
import socket
import ssl
import time
from typing import Callable, ClassVar, TypeVar
from urllib.parse import urlsplit

import google.auth.exceptions
import gspread
import httplib2
import requests
from googleapiclient.errors import BatchError, HttpError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

T = TypeVar("T")

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded",
                                "RATE_LIMIT_EXCEEDED", "quotaExceeded"})
API_DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})
SCOPE_REASONS = frozenset({"ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions"})
# 501 Not Implemented and 505 HTTP Version Not Supported: the server will never do it.
_FINAL_SERVER_STATUSES = frozenset({501, 505})
# A connection that broke or never came up, whatever library noticed it.
_CONNECTION_ERRORS = (ConnectionError, TimeoutError, socket.gaierror, socket.herror, ssl.SSLError,
                      http.client.HTTPException, httplib2.HttpLib2Error, requests.ConnectionError,
                      requests.Timeout, requests.exceptions.ChunkedEncodingError,
                      google.auth.exceptions.TransportError, BatchError)
# Errno values of a plain OSError that mean the network, not the local machine, failed.
_NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.ENETDOWN, errno.ENETRESET, errno.EHOSTUNREACH,
                             errno.EHOSTDOWN, errno.ECONNRESET, errno.ECONNREFUSED, errno.ECONNABORTED,
                             errno.ETIMEDOUT, errno.EPIPE})
# The first path segment that names the API, in Google's URLs and the emulator's alike.
_API_OF_SEGMENT = {"drive": "Drive", "gmail": "Gmail", "spreadsheets": "Sheets", "forms": "Forms",
                   "calendar": "Calendar", "documents": "Docs"}
_TEXT_LIMIT = 200


class GoogleFailure(Exception):
    """A failed call to Google, as data: which API (`api`), the HTTP `status` (None when no
    answer came), the `reasons` Google named (legacy `errors[].reason` and ErrorInfo
    `details[].reason`), its `message`, and the `retry_after` seconds it asked for.

    `transient`: trying the same call again may succeed. `uncertain`: the change may have
    been made although the call failed."""

    transient: ClassVar[bool] = False
    uncertain: ClassVar[bool] = False

    def __init__(self, *, api: str = "Google", status: int | None = None, reasons: frozenset[str] = frozenset(),
                 message: str = "", retry_after: float | None = None):
        self.api, self.status, self.reasons = api, status, reasons
        self.message, self.retry_after = message, retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.status is None:
            return self.message or f"a call to {self.api} failed"
        label = f" ({'/'.join(sorted(self.reasons))})" if self.reasons else ""
        return f"{self.api} answered HTTP {self.status}{label}: {self.message}".rstrip(": ")


class Transient(GoogleFailure):
    """The same call may well succeed later."""

    transient = True


class Terminal(GoogleFailure):
    """The same call will fail the same way until someone changes something."""


class RateLimited(Transient):
    """Google asked to slow down; it did nothing with this call."""


class ServerError(Transient):
    """Google failed while answering; the change may have been made all the same."""

    uncertain = True


class ConnectionLost(Transient):
    """No answer, or none that could be read: the change may have been made."""

    uncertain = True

    def __str__(self) -> str:
        if self.status is None:
            return f"no answer from {self.api}: {self.message}".rstrip(": ")
        return super().__str__()


class AccessRefused(Terminal):
    """The account may not do this: the resource is not shared with it, or (the kinds
    below) its credentials, its scopes or the Cloud project stand in the way."""


class CredentialsRefused(AccessRefused):
    """The credentials themselves were refused (401, or a token that could not be refreshed)."""


class ScopeMissing(AccessRefused):
    """The token lacks a scope PLT Sync asks for."""


class ApiDisabled(AccessRefused):
    """The API is not enabled in the Cloud project the credentials belong to."""


class NotFound(Terminal):
    """No such resource, or none this account can see."""


class Rejected(Terminal):
    """Google refused the request as it was made (a bad value, a conflict, not implemented)."""


def classify(error: BaseException) -> GoogleFailure | None:
    """The kind of failure `error` is, or None when it is no failed call to Google."""
    if isinstance(error, _CONNECTION_ERRORS) or (isinstance(error, OSError) and error.errno in _NETWORK_ERRNOS):
        return ConnectionLost(message=_what_broke(error))
    if isinstance(error, HttpError):
        return _answered(int(error.resp.status), error.content, error.uri, error.resp.get("retry-after"),
                         error.resp.reason)
    if isinstance(error, gspread.exceptions.APIError):
        response = error.response
        return _answered(response.status_code, response.content, response.url, response.headers.get("Retry-After"),
                         response.reason)
    if isinstance(error, google.auth.exceptions.GoogleAuthError):
        # Its text can carry the signed assertion or the token sent: only its type is kept.
        return CredentialsRefused(message=f"Google refused the credentials ({type(error).__name__})")
    return None


def _answered(status: int, content: bytes | str | None, url: str | None, retry_after: str | None,
              phrase: str | None) -> GoogleFailure:
    message, reasons = _error_body(content)
    facts = {"api": _api_of(url), "status": status, "reasons": reasons, "message": message or phrase or "",
             "retry_after": _seconds(retry_after)}
    return _kind_of(status, reasons)(**facts)


def _kind_of(status: int, reasons: frozenset[str]) -> type[GoogleFailure]:
    if status == 429 or (status == 403 and reasons & RATE_LIMIT_REASONS):
        return RateLimited
    if status == 408:  # Google stopped waiting for the request: as if the connection dropped
        return ConnectionLost
    if status >= 500:
        return Rejected if status in _FINAL_SERVER_STATUSES else ServerError
    if status == 401:
        return CredentialsRefused
    if status == 403:
        if reasons & API_DISABLED_REASONS:
            return ApiDisabled
        return ScopeMissing if reasons & SCOPE_REASONS else AccessRefused
    return NotFound if status == 404 else Rejected


def _error_body(content: bytes | str | None) -> tuple[str, frozenset[str]]:
    """Google's error message and the reasons its body names, in either of its shapes."""
    try:
        error = json.loads(content or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        return _text(content), frozenset()
    if not isinstance(error, dict):
        return _text(str(error)), frozenset()
    named = [item.get("reason") for item in (error.get("errors") or []) + (error.get("details") or [])
             if isinstance(item, dict)]
    return _text(str(error.get("message") or "")), frozenset(reason for reason in named if reason)


def _what_broke(error: BaseException) -> str:
    """The error's type and its own words (an OSError's without the errno); a batch answer
    that could not be read says so itself."""
    if isinstance(error, BatchError):
        return _text(error.reason)
    detail = getattr(error, "strerror", None) or str(error)
    return f"{type(error).__name__}: {_text(detail)}".rstrip(": ")


def _api_of(url: str | None) -> str:
    for segment in urlsplit(url or "").path.split("/"):
        if segment in _API_OF_SEGMENT:
            return _API_OF_SEGMENT[segment]
    return "Google"


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:  # an HTTP date: the pacer's minute window covers it
        return None


def _text(content: bytes | str | None) -> str:
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return " ".join((content or "").split())[:_TEXT_LIMIT]


def with_retries(call: Callable[[], T], *, attempts: int = 5, max_wait: float = 32.0,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run an idempotent call, retrying exactly the `Transient` failures with capped
    exponential backoff and jitter; anything else is raised at once, as raised."""
    retrying = Retrying(retry=retry_if_exception(lambda error: isinstance(classify(error), Transient)),
                        stop=stop_after_attempt(attempts), wait=wait_random_exponential(multiplier=0.5, max=max_wait),
                        sleep=sleep, reraise=True)
    return retrying(call)

"""Which Drive failures are worth retrying, and which may hide a change already made."""
from __future__ import annotations

import json

import httplib2
from googleapiclient.errors import HttpError

from drive.failures import from_http_error, from_transport_error


def http_error(status: int, reason: str | None = None, message: str = "went wrong", headers: dict | None = None,
               body: bytes | None = None) -> HttpError:
    errors = [{"reason": reason, "message": message, "domain": "global"}] if reason else []
    content = body if body is not None else json.dumps({"error": {"code": status, "message": message,
                                                                  "errors": errors}}).encode()
    return HttpError(httplib2.Response({"status": status, **(headers or {})}), content)


def test_sharing_rate_limit_is_retried_and_certainly_not_made():
    failure = from_http_error(http_error(403, "sharingRateLimitExceeded", "Rate limit exceeded. User message: ..."))
    assert failure.transient and not failure.uncertain
    assert failure.reason.startswith("Drive answered 403 (sharingRateLimitExceeded): Rate limit exceeded")


def test_user_rate_limit_403_is_retried():
    assert from_http_error(http_error(403, "userRateLimitExceeded")).transient


def test_missing_permission_is_not_retried():
    failure = from_http_error(http_error(403, "insufficientFilePermissions", "The user does not have access"))
    assert not failure.transient and failure.status == 403


def test_too_many_requests_is_retried_after_what_google_asks():
    failure = from_http_error(http_error(429, "rateLimitExceeded", headers={"retry-after": "7"}))
    assert failure.transient and not failure.uncertain and failure.retry_after == 7.0


def test_server_errors_are_retried_and_may_have_made_the_change():
    for status in (500, 502, 503, 504):
        failure = from_http_error(http_error(status, "backendError"))
        assert failure.transient and failure.uncertain


def test_error_without_a_json_body_still_reads_plainly():
    failure = from_http_error(http_error(502, body=b"<html>Bad Gateway</html>"))
    assert failure.transient and failure.reason.startswith("Drive answered 502 (502): <html>Bad Gateway")


def test_bad_request_is_final():
    assert not from_http_error(http_error(400, "invalid", "Invalid Value")).transient


def test_dropped_connection_is_retried_and_may_have_made_the_change():
    failure = from_transport_error(ConnectionResetError(104, "Connection reset by peer"))
    assert failure.transient and failure.uncertain
    assert "ConnectionResetError" in failure.reason

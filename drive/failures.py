"""What a failed Drive call means for PLT Sync: worth retrying? might it have happened anyway?

Google's advice: retry 429, 5xx and the rate-limit flavours of 403 with capped exponential
backoff; everything else (a missing parent, no permission, a bad address) will fail the
same way again. A 5xx or a dropped connection may come after the change was made, which
matters for creating folders and copying templates (not idempotent).
"""
from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass

import httplib2
from googleapiclient.errors import HttpError

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded",
                                "RATE_LIMIT_EXCEEDED"})
TRANSPORT_ERRORS = (OSError, socket.timeout, http.client.HTTPException, httplib2.HttpLib2Error)


@dataclass(frozen=True)
class Failure:
    """A failed call: a plain reason, and what it implies."""

    reason: str
    transient: bool             # the same call may well succeed later
    uncertain: bool = False     # the change may have been made before the failure
    status: int | None = None
    retry_after: float | None = None


def from_http_error(error: HttpError) -> Failure:
    status = error.resp.status
    message, reasons = _error_body(error.content)
    transient = status in TRANSIENT_STATUSES or (status == 403 and bool(reasons & RATE_LIMIT_REASONS))
    label = "/".join(sorted(reasons)) or str(status)
    return Failure(f"Drive answered {status} ({label}): {message}", transient, uncertain=status >= 500,
                   status=status, retry_after=_retry_after(error.resp))


def from_transport_error(error: BaseException) -> Failure:
    return Failure(f"the connection to Drive failed: {type(error).__name__}: {error}".rstrip(": "),
                   transient=True, uncertain=True)


def _error_body(content: bytes | str | None) -> tuple[str, set[str]]:
    """Google's error message and the reasons named in its body (legacy and ErrorInfo)."""
    try:
        error = json.loads(content or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        return _text(content), set()
    if not isinstance(error, dict):
        return str(error), set()
    reasons = {item.get("reason") for item in error.get("errors") or [] if isinstance(item, dict)}
    reasons |= {item.get("reason") for item in error.get("details") or [] if isinstance(item, dict)}
    return str(error.get("message") or ""), {reason for reason in reasons if reason}


def _text(content: bytes | str | None) -> str:
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return (content or "").strip()[:200]


def _retry_after(response) -> float | None:
    value = response.get("retry-after") if hasattr(response, "get") else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

"""Sends reminders as the coordinator's Gmail account, and finds them again in sent mail.

Because a sent reminder can be looked up by its Message-ID, a send interrupted by a crash
can be checked before deciding to send again: this sender is safe for at-least-once
delivery without duplicates. The send itself is not retried here (it is not idempotent);
the sync core decides, with the ledger, whether to look up and try again.
"""
from __future__ import annotations

import base64
import json
from email import policy
from email.message import EmailMessage

import httplib2
from googleapiclient.errors import HttpError

from mail.message import SendError

# Google's advice: 429 and 5xx may succeed later; so may a 403 that only says "slow down".
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})

__all__ = ["GmailSender", "SendError"]


class GmailSender:
    """Gmail API `users.messages.send` and `users.messages.list` on a built client."""

    at_least_once_safe = True

    def __init__(self, gmail_service, user_id: str = "me"):
        self._messages = gmail_service.users().messages()
        self.user_id = user_id

    def send(self, message: EmailMessage) -> str:
        """Sends `message` exactly as built; returns the id Gmail gave it."""
        raw = base64.urlsafe_b64encode(message.as_bytes(policy=policy.SMTP)).decode("ascii")
        request = self._messages.send(userId=self.user_id, body={"raw": raw})
        return _execute(request, "send the reminder")["id"]

    def find_sent(self, message_id: str) -> str | None:
        """The Gmail id of the message carrying `message_id`, or None if there is none.
        Trash counts: a reminder a coordinator deleted after sending was still sent."""
        query = f"rfc822msgid:{message_id.strip().strip('<>')}"
        request = self._messages.list(userId=self.user_id, q=query, maxResults=1, includeSpamTrash=True)
        found = _execute(request, "search sent mail").get("messages", [])
        return found[0]["id"] if found else None


def _execute(request, doing: str) -> dict:
    try:
        return request.execute()
    except HttpError as error:
        status, reason, message = _error_facts(error)
        transient = status in TRANSIENT_STATUSES or (status == 403 and reason in RATE_LIMIT_REASONS)
        raise SendError(f"Gmail could not {doing} (HTTP {status}: {message})", transient=transient) from error
    except (OSError, httplib2.HttpLib2Error) as error:
        raise SendError(f"Gmail could not {doing}: {type(error).__name__}: {error}", transient=True) from error


def _error_facts(error: HttpError) -> tuple[int, str, str]:
    """(status, first error reason, message) from Google's error body, whatever its shape."""
    status = int(error.resp.status)
    try:
        body = json.loads(error.content.decode("utf-8")).get("error", {})
    except (ValueError, AttributeError, UnicodeDecodeError):
        return status, "", error.reason or ""
    details = body.get("errors") or [{}]
    return status, details[0].get("reason", ""), body.get("message", "") or (error.reason or "")

"""Sends reminders as the coordinator's Gmail account, and finds them again in sent mail.

Because a sent reminder can be looked up by its Message-ID, a send interrupted by a crash
can be checked before deciding to send again: this sender is safe for at-least-once
delivery without duplicates. The send itself is not retried here (it is not idempotent);
the sync core decides, with the ledger, whether to look up and try again.
"""
from __future__ import annotations

import base64
from email import policy
from email.message import EmailMessage

from mail.message import SendError
from mail.sender import Classify

__all__ = ["GmailSender", "SendError"]


class GmailSender:
    """Gmail API `users.messages.send` and `users.messages.list` on a built client.
    `classify` reads a failed call (the sync core's one classifier of Google's failures)."""

    at_least_once_safe = True

    def __init__(self, gmail_service, *, classify: Classify, user_id: str = "me"):
        self._messages = gmail_service.users().messages()
        self._classify = classify
        self.user_id = user_id

    def __enter__(self) -> GmailSender:
        return self  # every call stands alone: no session to open

    def __exit__(self, *exc_info) -> None:
        return None

    def send(self, message: EmailMessage) -> str:
        """Sends `message` exactly as built; returns the id Gmail gave it."""
        raw = base64.urlsafe_b64encode(message.as_bytes(policy=policy.SMTP)).decode("ascii")
        request = self._messages.send(userId=self.user_id, body={"raw": raw})
        return self._execute(request, "send the reminder")["id"]

    def find_sent(self, message_id: str) -> str | None:
        """The Gmail id of the message carrying `message_id`, or None if there is none.
        Trash counts: a reminder a coordinator deleted after sending was still sent."""
        query = f"rfc822msgid:{message_id.strip().strip('<>')}"
        request = self._messages.list(userId=self.user_id, q=query, maxResults=1, includeSpamTrash=True)
        found = self._execute(request, "search sent mail").get("messages", [])
        return found[0]["id"] if found else None

    def _execute(self, request, doing: str) -> dict:
        try:
            return request.execute()
        except Exception as error:
            failure = self._classify(error)
            if failure is None:
                raise
            raise SendError(f"could not {doing}: {failure}", transient=failure.transient) from error

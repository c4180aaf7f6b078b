"""The family of reminder senders, as the deliverer sees them.

A sender hands one built message to a mail system and says how it went: the id the
system knows the message by, or a `SendError` whose `transient` says whether trying again
later may succeed. Senders differ in one capability that decides how a crashed send is
resolved: `at_least_once_safe` is True when `find_sent` can look into sent mail (Gmail),
so an interrupted send may be looked up and sent again without a duplicate; where it
cannot (SMTP), `find_sent` answers None and a crashed send is left for a coordinator.
"""
from __future__ import annotations

from email.message import EmailMessage
from typing import Callable, Protocol, Union, runtime_checkable


@runtime_checkable
class Sender(Protocol):
    """Every backend PLT Sync sends reminders through (mail/gmail.py, mail/smtp.py)."""

    at_least_once_safe: bool

    def __enter__(self) -> Sender:
        """Opens what a run's sends share (one SMTP session); nothing where nothing is shared."""

    def __exit__(self, *exc_info) -> None:
        """Closes what `__enter__` opened."""

    def send(self, message: EmailMessage) -> str:
        """Hands `message` over exactly as built; the id it is known by, or SendError."""

    def find_sent(self, message_id: str) -> str | None:
        """The id of the sent message carrying `message_id`; None if there is none, or if
        this sender cannot look; SendError if looking failed."""


class Failure(Protocol):
    """What the classifier a Google-backed sender is handed makes of a failed call."""

    transient: bool  # the same call may well succeed later


# Reads a failed call's exception; None for an error that is no failed call (a defect).
Classify = Callable[[BaseException], Union[Failure, None]]

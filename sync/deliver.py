"""Sending the planned reminders, after their ledger rows are safely `sending`.

At most once per key: a key's row is written before its email leaves, and completed
after. A row a crash left `sending` is looked up in sent mail first (Gmail); where the
sender cannot look (SMTP) it is marked `unconfirmed` for a coordinator and never resent.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mail.message import SendError, build_message
from mail.render import render_reminder
from mail.sender import Sender
from sheets import layout as L

from sync.core.digest_plan import SendDigest
from sync.core.milestones import FAILED, SENT, UNCONFIRMED
from sync.core.model import Action, ResolveSending, SendReminder, UpdateRow
from sync.core.cells import local_time
from sync.reporting.digest_mail import build_digest


@dataclass(frozen=True)
class Letterhead:
    """What every reminder of a programme shares."""

    programme: str
    coordinator: str
    from_address: str
    reply_to: str | None
    domain: str
    templates_dir: Path | None
    time_zone: str


@dataclass
class Delivery:
    updates: list[Action] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    confirmed: int = 0      # found in sent mail after a crash or an error: not sent again
    unconfirmed: int = 0    # left `sending` by a crash, no sent mail to look in: for a coordinator
    failures: list[str] = field(default_factory=list)


def deliver(actions, sender: Sender, letterhead: Letterhead, now: datetime, templates: dict[str, str]) -> Delivery:
    out = Delivery()
    stamp = local_time(now, letterhead.time_zone)
    with contextlib.ExitStack() as stack:
        try:
            # A sender that keeps a session (SMTP) uses one connection for the whole run.
            stack.enter_context(sender)
        except SendError as error:
            _nothing_sent(out, actions, stamp, error.reason)
            return out
        for action in actions:
            if isinstance(action, ResolveSending):
                _resolve(out, action, sender, stamp)
            elif isinstance(action, SendReminder):
                _send(out, action, sender, letterhead, now, stamp, templates.get(action.reminder.milestone_key))
            elif isinstance(action, SendDigest):
                _send_digest(out, action, sender, letterhead, now, stamp)
    return out


def _nothing_sent(out: Delivery, actions, stamp: str, reason: str) -> None:
    """The mail server could not be reached: every reminder stays due for the next run."""
    for action in actions:
        if isinstance(action, SendReminder):
            out.failed += 1
            out.failures.append(f"{action.reminder.team_id}: reminder {action.reminder.step}: {reason}")
            out.updates.append(_ledger(action.reminder.key, FAILED, stamp, detail=reason))
        elif isinstance(action, SendDigest):
            out.failed += 1
            out.failures.append(f"weekly digest to {action.digest.to}: {reason}")
            out.updates.append(_ledger(action.digest.key, FAILED, stamp, detail=reason))


def _ledger(key: str, status: str, stamp: str, sent_id: str = "", detail: str = "") -> UpdateRow:
    changes = (("Status", "", status), ("Time", "", stamp), ("Sent ID", "", sent_id), ("Detail", "", detail))
    return UpdateRow(L.REMINDERS, (key,), changes)


def _resolve(out: Delivery, action: ResolveSending, sender: Sender, stamp: str) -> None:
    if not sender.at_least_once_safe:
        out.unconfirmed += 1
        out.updates.append(_ledger(action.key, UNCONFIRMED, stamp, detail=(
            "the run stopped while sending; ask the facilitator whether it arrived. PLT Sync will not send it again")))
        return
    try:
        found = sender.find_sent(action.message_id)
    except SendError as error:
        out.failures.append(f"{action.key}: could not check sent mail: {error.reason}")
        return
    if found:
        out.confirmed += 1
        out.updates.append(_ledger(action.key, SENT, stamp, found, "confirmed in sent mail after an interrupted run"))
    else:
        out.updates.append(_ledger(action.key, FAILED, stamp, detail="the run stopped before sending; "
                                   "it is sent again while still due"))


def _already_sent(sender: Sender, message_id: str) -> str | None:
    """The sent-mail id of `message_id`, where the sender can look; None otherwise."""
    if not sender.at_least_once_safe:
        return None
    try:
        return sender.find_sent(message_id)
    except SendError:
        return None


def _send(out: Delivery, action: SendReminder, sender: Sender, head: Letterhead, now: datetime, stamp: str,
          template: str | None) -> None:
    reminder = action.reminder
    # A failed send may have been delivered all the same (an answer lost after Gmail took it).
    found = _already_sent(sender, action.message_id) if action.retry else None
    if found:
        out.confirmed += 1
        out.updates.append(_ledger(reminder.key, SENT, stamp, found, "confirmed in sent mail"))
        return
    try:
        subject, text, html = render_reminder(reminder, programme=head.programme, coordinator=head.coordinator,
                                              templates_dir=head.templates_dir, template=template or "reminder")
        message = build_message(reminder, from_address=head.from_address, reply_to=head.reply_to, subject=subject,
                                text=text, html=html, domain=head.domain, date=now)
        sent_id = sender.send(message)
    except (SendError, ValueError) as error:
        found = _already_sent(sender, action.message_id) if isinstance(error, SendError) else None
        if found:
            out.sent += 1
            out.updates.append(_ledger(reminder.key, SENT, stamp, found, "confirmed in sent mail after an error"))
            return
        reason = getattr(error, "reason", None) or str(error)
        out.failed += 1
        out.failures.append(f"{reminder.team_id}: reminder {reminder.step} for {reminder.milestone_title}: {reason}")
        out.updates.append(_ledger(reminder.key, FAILED, stamp, detail=reason))
        return
    out.sent += 1
    out.updates.append(_ledger(reminder.key, SENT, stamp, sent_id))
    out.updates.append(UpdateRow(L.ROSTER, (reminder.team_id,),
                                 ((L.LAST_REMINDER, "", f"{stamp} {reminder.milestone_title} ({reminder.step})"),)))


def _send_digest(out: Delivery, action: SendDigest, sender: Sender, head: Letterhead, now: datetime,
                 stamp: str) -> None:
    """One weekly digest, at most once: as a reminder, looked up in sent mail before a retry."""
    digest = action.digest
    found = _already_sent(sender, action.message_id) if action.retry else None
    if found:
        out.confirmed += 1
        out.updates.append(_ledger(digest.key, SENT, stamp, found, "confirmed in sent mail"))
        return
    try:
        message = build_digest(digest, programme=head.programme, from_address=head.from_address,
                               reply_to=head.reply_to, domain=head.domain, date=now)
        sent_id = sender.send(message)
    except (SendError, ValueError) as error:
        found = _already_sent(sender, action.message_id) if isinstance(error, SendError) else None
        if found:
            out.sent += 1
            out.updates.append(_ledger(digest.key, SENT, stamp, found, "confirmed in sent mail after an error"))
            return
        reason = getattr(error, "reason", None) or str(error)
        out.failed += 1
        out.failures.append(f"weekly digest to {digest.to}: {reason}")
        out.updates.append(_ledger(digest.key, FAILED, stamp, detail=reason))
        return
    out.sent += 1
    out.updates.append(_ledger(digest.key, SENT, stamp, sent_id))

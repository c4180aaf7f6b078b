"""A reminder as plain data, and the email built from it.

Everything that reaches a header comes from a form a facilitator filled in (team name,
facilitator name) or from a config file, so nothing is trusted: control characters are
turned into spaces before a value becomes a header, and an address that does not parse
as exactly one mailbox is refused outright rather than guessed at. A refused address is a
`ValueError` naming the field, so the sync core can record it as a problem for that team.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from email import policy, utils
from email.headerregistry import Address
from email.message import EmailMessage

# Longest display name kept in an address header; a 10,000-character name is not a name.
DISPLAY_NAME_LIMIT = 100

# Invisible characters that reorder text: in a header they can disguise what a message is
# about, so they are neutralised like control characters. Letters of every script stay.
_DIRECTION_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Everything that may not stand in a header line: Unicode's control characters (category
# Cc: U+0000-U+001F, U+007F-U+009F), the line and paragraph separators (Zl, Zp) and the
# direction overrides. One pattern, so each header is scanned once, not a character at a time.
UNSAFE_IN_HEADER = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_DIRECTION_OVERRIDES}]")
# How deep encoded words may nest before what is left is defused instead of decoded.
_DECODE_ROUNDS = 4
_HEADER_PARSER = policy.SMTP.header_factory
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")


@dataclass(frozen=True)
class Reminder:
    """One reminder the planner decided to send: who, about which milestone, at which step.

    `key` is "team_id:milestone_key:step"; the same reminder always has the same key, so
    the ledger and the Message-ID can tell whether it was already sent. `evidence` says
    what counts; `folder_link` is given only when a file in the unit's folder counts and
    `form_link` only when an answer to a form does, so an email never sends people where
    nothing they put counts.
    """

    key: str
    team_id: str          # the unit's id
    unit_name: str
    site: str
    milestone_key: str
    milestone_title: str
    due: date
    step: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    recipient_name: str   # the first person it goes to (the facilitator, teacher or leader)
    folder_link: str | None
    evidence: str
    overdue_days: int
    form_link: str | None = None


def message_id(key: str, domain: str) -> str:
    """The Message-ID of the reminder with `key`: the same key always gives the same id.

    The key is hashed, so a team id or step name with odd characters can never produce an
    invalid header, and after a crash the sent mailbox can be searched for exactly this id.
    """
    if not _DOMAIN.match(domain):
        raise ValueError(f"Message-ID domain {domain!r} is not a plain host name")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<plt-{digest}@{domain}>"


def header_text(value: str) -> str:
    """`value` made safe for one header line: control characters, line and paragraph
    separators and direction overrides become spaces, and runs of spaces collapse.

    The email package decodes RFC 2047 encoded words ("=?utf-8?q?=0D=0A...?=") in every
    header value it is given, so a line break can hide inside one. They are decoded here
    first, until none is left, and what they held is cleaned like the rest."""
    text = _spaced(value)
    for _round in range(_DECODE_ROUNDS):
        decoded = _spaced(str(_HEADER_PARSER("subject", text)))
        if decoded == text:
            return text
        text = decoded
    return text.replace("=?", "= ?")


def _spaced(value: str) -> str:
    return " ".join(UNSAFE_IN_HEADER.sub(" ", value).split())


def mailbox(field: str, value: str, display_name: str = "", bare: bool = False) -> Address:
    """The one mailbox `value` names ("a@x.org" or "Name <a@x.org>"), or ValueError naming
    `field`. `display_name` is used when `value` carries none of its own.

    With `bare`, `value` must be the address and nothing else: recipients come from form
    answers whose domain was checked on the raw text, so the parser may not read a
    different address out of it ("x@evil.org <jdoe@district.org>")."""
    if UNSAFE_IN_HEADER.search(value):
        raise ValueError(f"{field}: address contains a line break or control character")
    parsed = utils.getaddresses([value])
    if len(parsed) != 1 or not parsed[0][1]:
        raise ValueError(f"{field}: {value!r} is not exactly one email address")
    name, spec = parsed[0]
    if bare and (name or spec != value.strip()):
        raise ValueError(f"{field}: {value!r} must be an email address and nothing else")
    try:
        address = Address(addr_spec=spec)
    except Exception as error:  # the parser raises several types for a bad addr-spec
        raise ValueError(f"{field}: {spec!r} is not a valid email address") from error
    if not address.username or not _DOMAIN.match(address.domain):
        raise ValueError(f"{field}: {spec!r} is not a valid email address")
    name = header_text(name or display_name)[:DISPLAY_NAME_LIMIT]
    return Address(display_name=name, username=address.username, domain=address.domain)


def build_message(reminder: Reminder, *, from_address: str, reply_to: str | None, subject: str,
                  text: str, html: str, domain: str, date: datetime) -> EmailMessage:
    """The reminder email: plain text with an HTML alternative, headers safe to send.

    The first `to` address is the facilitator and carries their name. `date` is the send
    time the caller chose (adapters never read the clock); it must carry a time zone.
    """
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("date: the send time must carry a time zone")
    if not reminder.to:
        raise ValueError("to: a reminder needs at least one recipient")
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = header_text(subject)
    message["From"] = mailbox("from", from_address)
    message["To"] = _recipients("to", reminder.to, reminder.recipient_name)
    if reminder.cc:
        message["Cc"] = _recipients("cc", reminder.cc)
    if reply_to:
        message["Reply-To"] = mailbox("reply_to", reply_to)
    message["Date"] = utils.format_datetime(date)
    message["Message-ID"] = message_id(reminder.key, domain)
    # RFC 3834: tells out-of-office responders this is automated mail not to answer.
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit clean whatever the script of a team's name,
    # so it survives relays that do not speak 8BITMIME and has no overlong lines.
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message


def _recipients(field: str, values: tuple[str, ...], first_name: str = "") -> tuple[Address, ...]:
    return tuple(mailbox(f"{field}[{i}]", value, first_name if i == 0 else "", bare=True)
                 for i, value in enumerate(values))


class SendError(Exception):
    """A reminder could not be handed over (or looked up). `transient` says whether trying
    again later may succeed (network trouble, rate limits, a 4xx SMTP reply); `reason` is
    one plain line, never containing a password or token."""

    def __init__(self, reason: str, *, transient: bool):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient

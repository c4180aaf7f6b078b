"""Checks on single answers: cleaning free text so a sheet can hold it, and email addresses.

Nothing here raises on what a facilitator typed; every check returns the value it could
use and `Note`s in words a coordinator understands, which become rows of the Problems tab.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import CELL_LIMIT, CONTROL, ERROR, WARNING, quoted


@dataclass(frozen=True)
class Note:
    """A finding about one answer, before it is tied to a response and field."""

    value: str
    reason: str
    severity: str = WARNING


# Free text.
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
# Every control character except the line breaks and tabs a multi-line answer keeps.
_REMOVED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(raw: str, *, multiline: bool = False) -> tuple[str, list[Note]]:
    """The answer as typed, minus outer whitespace and anything a sheet cannot hold.

    Single-line answers (a team name, a school) have their line breaks and tabs turned
    into one space; multi-line ones (the topic) keep them. Other control characters,
    NUL among them, are removed. Anything past a cell's 50,000 characters is cut.
    """
    notes: list[Note] = []
    text = raw
    if not multiline and _LINE_BREAKS.search(text.strip()):
        notes.append(Note(raw, "line breaks and tabs were replaced by spaces"))
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    text, removed = _REMOVED.subn("", text)
    if removed:
        notes.append(Note(raw, f"removed {_count(removed, 'invisible control character')} "
                               "(such as NUL) that a spreadsheet cannot hold"))
    text = text.strip()
    if len(text) > CELL_LIMIT:
        notes.append(Note(raw[:200], f"the answer is {len(text):,} characters long; kept the "
                                     f"first {CELL_LIMIT:,}, the most a spreadsheet cell holds"))
        text = text[:CELL_LIMIT].rstrip()
    return text, notes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# Email addresses.
_LOCAL_CHARS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_ANGLE = re.compile(r"<([^<>]*)>")
# One pass over an address instead of a check per character (many thousand a run).
_SPACE_OR_CONTROL = re.compile(rf"\s|{CONTROL.pattern}")
_EDGE_PUNCTUATION = " \t\"'()[]<>,;:-–—"


def email_fault(address: str) -> str | None:
    """Why `address` (already trimmed and lower-cased) is not a usable email address,
    or None when it is. Deliberately strict: sharing and reminders go to it."""
    if not address:
        return "it is empty"
    if _SPACE_OR_CONTROL.search(address):
        return "it contains a space or a line break"
    if not address.isascii() or not address.isprintable():
        return "it contains characters an email address cannot have (accents or invisible marks)"
    if address.count("@") != 1:
        return "it has no @" if "@" not in address else "it has more than one @"
    local, domain = address.split("@")
    if not local:
        return "there is nothing before the @"
    if not domain:
        return "there is nothing after the @"
    if len(address) > 254 or len(local) > 64:
        return "it is longer than an email address can be"
    return _local_fault(local) or _domain_fault(domain)


def _local_fault(local: str) -> str | None:
    if not _LOCAL_CHARS.fullmatch(local):
        return "the part before the @ has characters an address cannot have"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "the part before the @ has a misplaced dot"
    return None


def _domain_fault(domain: str) -> str | None:
    labels = domain.split(".")
    if len(labels) < 2:
        return "the part after the @ needs a dot, like school.org"
    if not all(_LABEL.fullmatch(label) for label in labels) or len(domain) > 253:
        return "the part after the @ is not a valid domain name"
    if not _TOP_LEVEL.fullmatch(labels[-1]):
        return "the part after the @ does not end in a real domain ending, like .org"
    return None


def split_name_and_email(entry: str) -> tuple[str, str | None]:
    """("Jane Doe", "jane@x.org") from "Jane Doe <jane@x.org>", "jane@x.org (Jane Doe)",
    "Jane Doe jane@x.org" or "jane@x.org"; (entry, None) when no email was written.
    The email is returned as written (not yet checked), the name trimmed of brackets."""
    angle = _ANGLE.findall(entry)
    if len(angle) == 1:
        return _trim_name(_ANGLE.sub(" ", entry)), angle[0]
    at_words = [word for word in entry.split() if "@" in word]
    if len(at_words) != 1:
        return entry.strip(), (entry.strip() if at_words else None)
    return _trim_name(entry.replace(at_words[0], " ", 1)), at_words[0].strip(_EDGE_PUNCTUATION)


def _trim_name(text: str) -> str:
    """The name left around an address, without the quotes, brackets and dashes that
    framed it; a bracket the name itself opened stays closed ("Sam Lee (Math)")."""
    name = text.strip(_EDGE_PUNCTUATION)
    tail = text.rstrip()
    for opening, closing in ("()", "[]"):
        if name.count(opening) > name.count(closing) and tail.endswith(closing):
            name += closing
    return name


def normalise_email(written: str) -> tuple[str | None, Note | None]:
    """The address trimmed and lower-cased, or None and an error note saying why not."""
    address = written.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:"):]
    address = address.lower()
    fault = email_fault(address)
    if fault:
        return None, Note(written, f"{quoted(written.strip())} is not a valid email address ({fault})", ERROR)
    return address, None


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1]


def in_domains(address: str, allowed_domains: tuple[str, ...]) -> bool:
    """True when `address` is at one of the allowed domains, or when no domains are set."""
    return not allowed_domains or email_domain(address) in allowed_domains

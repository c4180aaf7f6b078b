"""The members answer: free text listing the team, turned into `Member`s.

Facilitators write members however they like: one per line or separated by commas or
semicolons, as "Name <email>", "Name, email" (as the form asks), a bare email, or just a
name that the district's staff directory can resolve. Whatever cannot be used is left out or kept with a warning; the
answer never stops the rest of the team from reaching the roster.
"""
from __future__ import annotations

import re
from typing import Iterator, Mapping, Sequence

from .model import WARNING, Member, quoted
from .validate import Note, in_domains, normalise_email, split_name_and_email

_SEPARATORS = ",;\r\n"
_SPECIAL = re.compile(r'[",;\r\n<>]')   # the only characters that split or protect
_BULLET = re.compile(r"^(?:[-*•·‣◦]|\d{1,3}[.)])\s+")


def parse_members(text: str, staff: Mapping[str, str] | StaffDirectory = {}) -> tuple[list[Member], list[Note]]:
    """Every member `text` names, in order, with notes on the ones that could not be
    used as written. Duplicates are kept here; `check_members` removes them. Pass a
    `StaffDirectory` when reading many responses, so the staff list is indexed once."""
    directory = staff if isinstance(staff, StaffDirectory) else StaffDirectory(staff)
    members: list[Member] = []
    notes: list[Note] = []
    for entry in split_entries(text):
        member, note = directory.member(entry)
        if member is not None:
            members.append(member)
        if note is not None:
            notes.append(note)
    return members, notes


def split_entries(text: str) -> list[str]:
    """The entries of a members answer, split at line breaks, commas and semicolons
    except inside quotes or angle brackets (`"Doe, Jane" <jane@x.org>` is one entry);
    a stray quote or bracket protects nothing, so it cannot swallow the whole list.
    A name and its email separated by a comma ("Ann Lee, alee@x.org", the way the form
    asks for them) are one entry, see `_pair_names_with_emails`."""
    runs: list[list[str]] = [[]]
    for part, separator in _parts(text):
        runs[-1].append(_BULLET.sub("", part.strip()).strip())
        if separator != ",":
            runs.append([])
    entries = (entry for run in runs for entry in _pair_names_with_emails([p for p in run if p]))
    return [part for entry in entries for part in _split_run_on(entry)]


def _parts(text: str) -> Iterator[tuple[str, str]]:
    """Each piece of `text` between separators, with the separator that ends it ("" last)."""
    start = 0
    closing = ""
    protect = text.count('"') % 2 == 0 and text.count("<") == text.count(">")
    for found in _SPECIAL.finditer(text):
        char = found.group()
        if closing:
            closing = "" if char == closing else closing
        elif protect and char in "\"<":
            closing = '"' if char == '"' else ">"
        elif char in _SEPARATORS:
            yield text[start:found.start()], char
            start = found.end()
    yield text[start:], ""


def _pair_names_with_emails(parts: list[str]) -> list[str]:
    """Comma-separated parts with each bare name joined to the bare email beside it.

    The form asks for "name, email", so "Ann Lee, alee@x.org" is one person, not a
    name without an address and an address without a name. A line may hold several
    pairs, and some people write the email first: of the two readings (name then email,
    email then name) the one pairing more parts wins, the form's order on a tie. Two
    names ("Ann Lee, Bob Ray") or two addresses stay two people."""
    kinds = [_kind(part) for part in parts]
    name_first = _pairs(kinds, ("name", "email"))
    email_first = _pairs(kinds, ("email", "name"))
    pairs = email_first if len(email_first) > len(name_first) else name_first
    entries: list[str] = []
    i = 0
    while i < len(parts):
        if i in pairs:
            name, email = (parts[i], parts[i + 1]) if kinds[i] == "name" else (parts[i + 1], parts[i])
            entries.append(f"{name} {email}")
            i += 2
        else:
            entries.append(parts[i])
            i += 1
    return entries


def _kind(part: str) -> str:
    """What a part is: "email" when only an address, "name" when it has none, else blank."""
    name, email = split_name_and_email(part)
    if email is None:
        return "" if "<" in part else "name"
    return "email" if not name else ""


def _pairs(kinds: list[str], order: tuple[str, str]) -> set[int]:
    """Where a pair in `order` starts, taking pairs greedily from the left."""
    starts: set[int] = set()
    i = 0
    while i + 1 < len(kinds):
        if (kinds[i], kinds[i + 1]) == order:
            starts.add(i)
            i += 2
        else:
            i += 1
    return starts


def _split_run_on(entry: str) -> list[str]:
    """Several people typed on one line without separators ("a@x.org b@x.org", or
    "Ann Lee ann@x.org Bob Ray bob@x.org"): one entry per email address, each taking the
    words before it; words after the last address belong to it."""
    words = entry.split()
    if "<" in entry or sum("@" in word for word in words) < 2:
        return [entry]
    groups: list[list[str]] = [[]]
    for word in words:
        groups[-1].append(word)
        if "@" in word:
            groups.append([])
    if not groups[-1]:
        groups.pop()
    elif len(groups) > 1:
        groups[-2].extend(groups.pop())
    return [" ".join(group) for group in groups]


def normalise_name(name: str) -> str:
    """A name as compared: case-insensitive, with runs of whitespace as one space."""
    return " ".join(name.split()).casefold()


class StaffDirectory:
    """The district's staff list (name -> email) used to resolve bare names."""

    def __init__(self, staff: Mapping[str, str]):
        self.email_of: dict[str, str] = {}
        self.name_of: dict[str, str] = {}
        for name, written in staff.items():
            email, _ = normalise_email(written)
            if email:
                self.email_of.setdefault(normalise_name(name), email)
                self.name_of.setdefault(email, " ".join(name.split()))

    def member(self, entry: str) -> tuple[Member | None, Note | None]:
        """The member one entry names, and a note when it is incomplete or unusable."""
        name, written_email = split_name_and_email(entry)
        if written_email is None:
            return self._by_name(entry)
        email, fault = normalise_email(written_email)
        if email is None:
            return None, Note(entry, f"{fault.reason}; left out of the team", WARNING)
        return Member(name or self.name_of.get(email, ""), email), None

    def _by_name(self, name: str) -> tuple[Member, Note | None]:
        email = self.email_of.get(normalise_name(name))
        if email is not None:
            return Member(name, email), None
        return Member(name, None), Note(
            name, f"{quoted(name)} has no email address and is not in the staff directory, "
                  "so the team folder cannot be shared with them (write 'Name <email>')", WARNING)


def check_members(members: Sequence[Member], *, facilitator_email: str, facilitator_name: str = "",
                  allowed_domains: Sequence[str] = ()) -> tuple[tuple[Member, ...], list[Note]]:
    """The team's members without repeats and without the facilitator, with notes on
    what was removed and on members whose address is outside the allowed domains."""
    kept: list[Member] = []
    seen: set[str] = set()
    notes: list[Note] = []
    for member in members:
        key = member.email or normalise_name(member.name)
        if key in seen:
            notes.append(Note(shown(member), f"{quoted(shown(member))} is listed more than once; "
                                             "kept once", WARNING))
        elif _is_facilitator(member, facilitator_email, facilitator_name):
            notes.append(Note(shown(member), "the facilitator is listed as a member too; kept as "
                                             "facilitator only", WARNING))
        else:
            kept.append(member)
            notes.extend(_domain_notes(member, tuple(allowed_domains)))
        seen.add(key)
    return tuple(kept), notes


def _is_facilitator(member: Member, facilitator_email: str, facilitator_name: str) -> bool:
    if member.email is not None:
        return member.email == facilitator_email
    return bool(facilitator_name) and normalise_name(member.name) == normalise_name(facilitator_name)


def _domain_notes(member: Member, allowed_domains: tuple[str, ...]) -> list[Note]:
    if member.email is None or in_domains(member.email, allowed_domains):
        return []
    return [Note(member.email, f"{quoted(member.email)} is outside the allowed domains "
                               f"({', '.join(allowed_domains)}); not shared", WARNING)]


def shown(member: Member) -> str:
    """A member as a coordinator would write them: "Name <email>", the email, or the name."""
    if member.email is None:
        return member.name
    return f"{member.name} <{member.email}>" if member.name else member.email

"""The private `appProperties` PLT Sync writes on team folders, and how it reads them back.

A team folder carries `plt_team=1` (so one query finds every team folder under the
parent), `plt_team_id=<Team ID>` (so a folder is found again by its team after a crash),
and the set of emails PLT Sync shared it with, so a later run removes only access it gave.

Google limits each appProperty to 124 bytes of key plus value (UTF-8) and an app to 30
private properties per file. The granted set is stored readable, as the sorted emails
joined by commas, cut into pieces of at most 124 bytes and spread over `plt_granted_0`,
`plt_granted_1`, ... (up to `GRANTED_SLOTS` keys, about 2,700 bytes: some 80 members of
30 characters). Every write sets all the slots, the unused ones to null (which deletes
them), so a shrinking team leaves no stale piece behind. Hashes would fit more but would
make the record unreadable to district IT looking at a folder through the API.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

TEAM_MARKER_KEY = "plt_team"
TEAM_MARKER_VALUE = "1"
TEAM_ID_KEY = "plt_team_id"
TEMPLATE_KEY = "plt_template_id"
GRANTED_PREFIX = "plt_granted_"
GRANTED_SLOTS = 25
PROPERTY_BYTES = 124
_SEPARATOR = ","


class GrantsTooLarge(ValueError):
    """The granted set does not fit in the folder's appProperties."""

    def __init__(self, size: int, capacity: int):
        super().__init__(f"the list of people shared with ({size} bytes) is longer than a folder can "
                         f"record ({capacity} bytes)")
        self.size = size
        self.capacity = capacity


def folder_tags(team_id: str) -> dict[str, str]:
    """The appProperties a new team folder is created with."""
    return {TEAM_MARKER_KEY: TEAM_MARKER_VALUE, TEAM_ID_KEY: team_id}


def slot_key(index: int) -> str:
    return f"{GRANTED_PREFIX}{index}"


def granted_properties(granted: Iterable[str]) -> dict[str, str | None]:
    """The appProperties recording `granted`: every slot, unused ones null (deleted)."""
    text = _SEPARATOR.join(sorted({email.strip().lower() for email in granted if email.strip()}))
    pieces = _split_bytes(text)
    capacity = sum(PROPERTY_BYTES - len(slot_key(i).encode()) for i in range(GRANTED_SLOTS))
    if len(pieces) > GRANTED_SLOTS:
        raise GrantsTooLarge(len(text.encode()), capacity)
    return {slot_key(i): pieces[i] if i < len(pieces) else None for i in range(GRANTED_SLOTS)}


def _capacity() -> int:
    return sum(PROPERTY_BYTES - len(slot_key(i).encode()) for i in range(GRANTED_SLOTS))


def fits(granted: Iterable[str]) -> bool:
    """Whether `granted` can be recorded: a quick bound first (each slot loses at most 3
    bytes to a character it may not split), the exact cut only near the limit."""
    size = sum(len(email.encode()) + 1 for email in granted)
    if size <= _CAPACITY - 3 * GRANTED_SLOTS:
        return True
    try:
        granted_properties(granted)
    except GrantsTooLarge:
        return False
    return True


def _split_bytes(text: str) -> list[str]:
    """Cut `text` into pieces that each fit their slot's byte budget, never inside a character."""
    pieces: list[str] = []
    current = ""
    for char in text:
        budget = PROPERTY_BYTES - len(slot_key(len(pieces)).encode())
        if len((current + char).encode()) > budget:
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces


def granted_from_properties(properties: Mapping[str, str] | None) -> frozenset[str]:
    """The granted set recorded in a folder's appProperties (empty when none is)."""
    properties = properties or {}
    text = ""
    index = 0
    while slot_key(index) in properties:
        text += properties[slot_key(index)] or ""
        index += 1
    return frozenset(email for email in text.split(_SEPARATOR) if email)


_CAPACITY = _capacity()

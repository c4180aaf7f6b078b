"""Template copies as plain data: how a copy is tagged in Drive, and how it is read back.

A copy carries private appProperties: `plt_doc=1` (one query finds every copy),
`plt_template_id` (the template it was copied from, which also lets drive/recovery.py find
a copy whose answer was lost), `plt_template` (the template's key in the config: a unit has
one copy per key, so a template uploaded again reaches only units without a copy yet),
`plt_unit_id` (whose copy it is) and `plt_fill`, "pending"
from the copy until the fill's batchUpdate has been made, then "done". A copy whose fill
is still pending is filled by the next run, never copied again.
"""
from __future__ import annotations

from dataclasses import dataclass

DOC_MARKER_KEY = "plt_doc"
DOC_MARKER_VALUE = "1"
TEMPLATE_KEY = "plt_template_id"      # the same key drive/tags.py gives every template copy
TEMPLATE_KEY_KEY = "plt_template"
UNIT_KEY = "plt_unit_id"
FILL_KEY = "plt_fill"
PENDING, DONE = "pending", "done"


def copy_tags(template_id: str, template_key: str, unit_id: str) -> tuple[tuple[str, str], ...]:
    """The appProperties a new copy is made with: tagged, its fill still to come."""
    return ((DOC_MARKER_KEY, DOC_MARKER_VALUE), (TEMPLATE_KEY, template_id), (TEMPLATE_KEY_KEY, template_key),
            (UNIT_KEY, unit_id), (FILL_KEY, PENDING))


def filled_tags() -> dict[str, str]:
    """The appProperties change that records a copy as filled."""
    return {FILL_KEY: DONE}


@dataclass(frozen=True)
class DocumentCopy:
    """A template copy as Drive lists it."""

    file_id: str
    template_id: str
    template_key: str
    unit_id: str
    folder_id: str
    filled: bool
    name: str = ""


@dataclass(frozen=True)
class Fill:
    """Filling one copy with its unit's values. `document_id` None: the copy this run makes.
    `check_first`: an earlier try may have filled it already (a copy found pending, or a
    batchUpdate whose answer was lost), so it is filled only while its text is still the
    template's."""

    unit_id: str
    template_key: str
    template_id: str
    document_id: str | None
    values: tuple[tuple[str, str], ...]
    folder_id: str | None = None
    check_first: bool = False


@dataclass(frozen=True)
class FillResult:
    fill: Fill
    ok: bool
    error: str | None = None
    transient: bool = False
    already: bool = False      # found filled by an earlier try; nothing was written


def is_copy(file: dict) -> bool:
    """Whether a listed file is a template copy PLT Sync made (tagged as one)."""
    return TEMPLATE_KEY in (file.get("appProperties") or {})


def copies_from_files(files: list[dict], folder_ids: set[str]) -> dict[tuple[str, str], DocumentCopy]:
    """{(unit id, template key): copy} among `files` (a listing with appProperties and
    parents), counting only copies inside the given unit folders. Should a unit hold two
    copies of one template, the first listed is its own."""
    found: dict[tuple[str, str], DocumentCopy] = {}
    for file in files:
        tags = file.get("appProperties") or {}
        if tags.get(DOC_MARKER_KEY) != DOC_MARKER_VALUE or not tags.get(UNIT_KEY) or file.get("trashed"):
            continue
        folder = next((p for p in file.get("parents", []) if p in folder_ids), None)
        if folder is None:
            continue
        key = (tags[UNIT_KEY], tags.get(TEMPLATE_KEY_KEY, ""))
        found.setdefault(key, DocumentCopy(file["id"], tags.get(TEMPLATE_KEY, ""), key[1], key[0], folder,
                                           tags.get(FILL_KEY) == DONE, file.get("name", "")))
    return found

"""Finding milestone evidence (a team charter, say) among the files in team folders.

A coordinator names the evidence by a file-name pattern such as "*charter*". Rather than
one call per team, folders are searched fifty at a time (`'a' in parents or 'b' in
parents ...`, which keeps the query a few kilobytes long), a thousand files a page, and
names are matched locally with the glob, case-insensitively.

Drive's `name contains` matches only at the start of a word ("Team Charter" is found by
'charter', "TeamCharter" is not), so the query is narrowed by name only when the pattern
starts with fixed text: a file named e.g. "BelmontCharter.docx" must not be missed, or its
facilitator would be reminded about a charter they handed in.
"""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

from .model import FOLDER_MIME, folder_link
from .query import in_parent, list_files, quoted

__all__ = ["find_evidence", "folder_link", "name_prefix", "PARENTS_PER_QUERY"]

PARENTS_PER_QUERY = 50
_WILDCARD = re.compile(r"[*?\[]")


def find_evidence(drive, folder_ids: Sequence[str], pattern: str) -> tuple[dict[str, tuple[str, str]], int]:
    """{folder id: (file name, link)} for the folders holding a file whose name matches
    `pattern`, and the number of calls made. Where a folder holds several, the first by
    name is reported. Folders themselves are not evidence; trashed files are not either."""
    wanted = list(dict.fromkeys(folder_ids))
    prefix = name_prefix(pattern)
    found: dict[str, tuple[str, str]] = {}
    calls = 0
    for start in range(0, len(wanted), PARENTS_PER_QUERY):
        chunk = wanted[start:start + PARENTS_PER_QUERY]
        q = "(" + " or ".join(in_parent(folder_id) for folder_id in chunk) + ")"
        q += f" and mimeType != {quoted(FOLDER_MIME)} and trashed=false"
        if prefix:
            q += f" and name contains {quoted(prefix)}"
        files, page_calls = list_files(drive, q, "id,name,parents,webViewLink")
        calls += page_calls
        _collect(files, set(chunk), pattern, found)
    return found, calls


def name_prefix(pattern: str) -> str:
    """The fixed text a matching name must start with ("" when it may start with anything)."""
    match = _WILDCARD.search(pattern)
    return (pattern[:match.start()] if match else pattern).strip()


def _collect(files: list[dict], folder_ids: set[str], pattern: str, found: dict[str, tuple[str, str]]) -> None:
    lowered = pattern.lower()
    for file in sorted(files, key=lambda f: (f.get("name", "").lower(), f["id"])):
        name = file.get("name", "")
        if not fnmatch.fnmatchcase(name.lower(), lowered):
            continue
        link = file.get("webViewLink") or f"https://drive.google.com/file/d/{file['id']}/view"
        for parent in file.get("parents", []):
            if parent in folder_ids and parent not in found:
                found[parent] = (name, link)

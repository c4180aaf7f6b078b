"""Finding milestone evidence (a team charter, say) among the files in team folders.

A coordinator names the evidence by a file-name pattern such as "*charter*". Rather than
one call per team, folders are searched many at a time (`'a' in parents or 'b' in
parents ...`), a thousand files a page, and names are matched locally with the glob,
case-insensitively. A query holds at most 50 folders and stays short enough that the
request URL keeps under the 2,048 characters beyond which google-api-python-client turns
a GET into a POST with `X-HTTP-Method-Override` (about 20-25 folders a query with
Drive's ids): a plain GET works the same everywhere the client is pointed.

Drive's `name contains` matches only at the start of a word ("Team Charter" is found by
'charter', "TeamCharter" is not), so the query is narrowed by name only when the pattern
starts with fixed text: a file named e.g. "BelmontCharter.docx" must not be missed, or its
facilitator would be reminded about a charter they handed in.
"""
from __future__ import annotations

import fnmatch
import re
import urllib.parse
from collections.abc import Iterator, Sequence

from .model import FOLDER_MIME, folder_link
from .query import in_parent, list_files, quoted
from .tags import TEMPLATE_KEY

__all__ = ["find_evidence", "folder_link", "name_prefix", "chunked_queries", "search_word", "evidence_clause",
           "match_evidence"]

PARENTS_PER_QUERY = 50
QUERY_CHARS = 1500  # the URL-encoded `q`; the rest of the URL takes some 300 more
_WILDCARD = re.compile(r"[*?\[]")


def find_evidence(drive, folder_ids: Sequence[str], pattern: str) -> tuple[dict[str, tuple[str, str]], int]:
    """{folder id: (file name, link)} for the folders holding a file whose name matches
    `pattern`, and the number of calls made. Where a folder holds several, the first by
    name is reported. Folders themselves are not evidence; trashed files are not either, nor
    is a template copy PLT Sync put there (tagged with its template): the team's blank
    charter is not its signed one."""
    wanted = list(dict.fromkeys(folder_ids))
    prefix = name_prefix(pattern)
    found: dict[str, tuple[str, str]] = {}
    calls = 0
    for chunk, q in chunked_queries(wanted, prefix):
        files, page_calls = list_files(drive, q, "id,name,parents,webViewLink,appProperties")
        calls += page_calls
        _collect(files, set(chunk), pattern, found)
    return found, calls


def chunked_queries(folder_ids: list[str], prefix: str) -> Iterator[tuple[list[str], str]]:
    """(folders, query) pairs covering `folder_ids`, each query within the bounds above."""
    chunk: list[str] = []
    for folder_id in folder_ids:
        longer = _query(chunk + [folder_id], prefix)
        if chunk and (len(chunk) == PARENTS_PER_QUERY or len(urllib.parse.quote_plus(longer)) > QUERY_CHARS):
            yield chunk, _query(chunk, prefix)
            chunk = []
        chunk.append(folder_id)
    if chunk:
        yield chunk, _query(chunk, prefix)


def _query(folder_ids: list[str], prefix: str) -> str:
    q = "(" + " or ".join(in_parent(folder_id) for folder_id in folder_ids) + ")"
    q += f" and mimeType != {quoted(FOLDER_MIME)} and trashed=false"
    return q + f" and name contains {quoted(prefix)}" if prefix else q


def search_word(pattern: str) -> str:
    """The longest run of letters and digits in `pattern` ("charter" for "*charter*"):
    Drive finds files with a word starting with it, in any folder, in one query."""
    words = re.findall(r"[A-Za-z0-9]+", _WILDCARD.sub(" ", pattern))
    return max(words, key=len) if words else ""


def evidence_clause(patterns: Sequence[str]) -> str:
    """The part of a `files.list` query that finds candidate evidence files anywhere:
    "" when no pattern has a word to search for."""
    words = sorted({search_word(p).lower() for p in patterns} - {""})
    if not words:
        return ""
    names = " or ".join(f"name contains {quoted(word)}" for word in words)
    return f"(mimeType != {quoted(FOLDER_MIME)} and trashed=false and ({names}))"


def match_evidence(files: list[dict], folder_ids: Sequence[str], pattern: str) -> dict[str, tuple[str, str]]:
    """{folder id: (file name, link)} for the files matching `pattern` inside the folders."""
    found: dict[str, tuple[str, str]] = {}
    _collect(files, set(folder_ids), pattern, found)
    return found


def name_prefix(pattern: str) -> str:
    """The fixed text a matching name must start with ("" when it may start with anything)."""
    match = _WILDCARD.search(pattern)
    return (pattern[:match.start()] if match else pattern).strip()


def _collect(files: list[dict], folder_ids: set[str], pattern: str, found: dict[str, tuple[str, str]]) -> None:
    lowered = pattern.lower()
    for file in sorted(files, key=lambda f: (f.get("name", "").lower(), f["id"])):
        name = file.get("name", "")
        if not fnmatch.fnmatchcase(name.lower(), lowered) or TEMPLATE_KEY in (file.get("appProperties") or {}):
            continue
        link = file.get("webViewLink") or f"https://drive.google.com/file/d/{file['id']}/view"
        for parent in file.get("parents", []):
            if parent in folder_ids and parent not in found:
                found[parent] = (name, link)

"""Building Drive search queries safely, and reading every page of a `files.list`."""
from __future__ import annotations

PAGE_SIZE = 1000  # the most files Drive answers in one page


def quoted(value: str) -> str:
    """`value` as a Drive query string literal: quotes and backslashes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def in_parent(parent_id: str) -> str:
    return f"{quoted(parent_id)} in parents"


def has_app_property(key: str, value: str) -> str:
    return f"appProperties has {{ key={quoted(key)} and value={quoted(value)} }}"


def list_files(drive, q: str, fields: str) -> tuple[list[dict], int]:
    """Every file matching `q`, following page tokens; also the number of calls made.

    `fields` names the per-file fields, e.g. "id,name"; the page token is asked for here.
    Errors propagate: a read that fails must not look like "no files"."""
    files: list[dict] = []
    calls = 0
    token = None
    collection = drive.files()   # built once: googleapiclient builds it anew on each call
    while True:
        page = collection.list(q=q, pageSize=PAGE_SIZE, pageToken=token, spaces="drive",
                               fields=f"nextPageToken,files({fields})").execute()
        calls += 1
        files.extend(page.get("files", []))
        token = page.get("nextPageToken")
        if not token:
            return files, calls

"""Row tags: the developer metadata that lets a write find its row wherever it went.

Sync reads the sheet, plans, then writes; a coordinator may sort, insert or delete rows in
between. A write addressed by row number would then land on whatever row holds that
number now: another team's. So every row sync owns carries a tag on the row itself
(developer metadata, key `plt_row`, value naming the tab and the row's key), and a change
to an existing row is written with `values.batchUpdateByDataFilter`, whose filter Google
resolves at the moment of the write:

- a row inserted or deleted above it: the tag moved with the row (Google's reference:
  metadata on row 5 is on row 6 after a row is inserted above it), so the write follows;
- the row itself deleted: its tag went with it, the filter matches nothing and nothing is
  written; next run the row is added again;
- a sort: Google says metadata "will remain associated at those locations as they move
  around"; the tag is also checked against the row's own key cells at every read, and a
  tag that disagrees is never written through (it is removed and the row tagged again).

A tag is trusted for writing only when it was read on a row whose key cells it names, and
it is the only one naming that row. A row without a trusted tag (made by an earlier
version, or pasted by a coordinator) gets one this run and its changes wait for the next
run: a write that cannot be placed safely is retried, never guessed. A new row is made
with `insertDimension` at the first free row and tagged in the same all-or-nothing
`batchUpdate`, so it never overwrites a row someone moved there.

References: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata ,
https://developers.google.com/sheets/api/guides/metadata ,
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdateByDataFilter
"""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Iterable, Mapping

ROW_TAG = "plt_row"
UNTRUSTED = -1    # the metadata id held in memory for a tag this run put on a row by its number

# Read with the grid: each row's tags (Google answers them in the row's DimensionProperties).
READ_FIELDS = "rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))"


def tag_value(tab: str, key: Iterable[Any]) -> str:
    """The tag of the row with `key` on `tab`: 16 characters (80 bits of a SHA-256 of the
    tab and key), kept short because Google bounds the metadata a spreadsheet may hold."""
    text = json.dumps([tab, *(str(k) for k in key)], ensure_ascii=False)
    return base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()[:10]).decode("ascii").lower()


def row_tags(row_metadata: list[Any]) -> dict[int, tuple[int, str]]:
    """Row index -> (metadata id, value) of each row's `plt_row` tag, from GridData.rowMetadata.
    A row with two tags keeps neither: it is tagged again."""
    tags: dict[int, tuple[int, str]] = {}
    doubled = set()
    for row, meta in enumerate(row_metadata):
        for entry in (meta or {}).get("developerMetadata", []) if isinstance(meta, dict) else []:
            if entry.get("metadataKey") != ROW_TAG:
                continue
            if row in tags:
                doubled.add(row)
            tags[row] = (int(entry.get("metadataId", 0)), str(entry.get("metadataValue", "")))
    for row in doubled:
        tags[row] = (tags[row][0], "")
    return tags


def lookup(value: str) -> dict:
    return {"developerMetadataLookup": {"metadataKey": ROW_TAG, "metadataValue": value, "locationType": "ROW"}}


def create(sheet_id: int, row: int, value: str) -> dict:
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": ROW_TAG, "metadataValue": value, "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS",
                                        "startIndex": row, "endIndex": row + 1}}}}}


def delete(metadata_id: int) -> dict:
    return {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {"metadataId": metadata_id}}}}


def value_range(value: str, cells: Mapping[int, Any]) -> dict:
    """A DataFilterValueRange writing `cells` (column -> value) into the tagged row; the
    columns between are null, which Google leaves alone."""
    row: list[Any] = [None] * (max(cells) + 1)
    for col, cell in cells.items():
        row[col] = "" if cell is None else cell
    return {"dataFilter": lookup(value), "majorDimension": "ROWS", "values": [row]}

"""Developer metadata: key/value tags an app puts on a spreadsheet, a sheet or rows/columns,
found again with developerMetadata.search (PLT Sync could tag its own tabs this way).

Spreadsheet-level entries live in the document's `developerMetadata`, sheet-level ones in
the sheet's, and row/column ones in the sheet's `dimensionMetadata`; a `spreadsheets.get`
answers an entry on one row or column inside that row's `rowMetadata` (DimensionProperties
.developerMetadata), as Google does. Row and column entries follow their rows through
inserts, deletes and whole-row sorts (emulator/sheets_grid.py, sheets_filters.py).

A DataFilter (`filter_targets`) names cells by A1 range, by GridRange or by the developer
metadata on them: `values.batchUpdateByDataFilter` writes wherever the filter points at
the moment of the write.
"""
from __future__ import annotations

import copy
from typing import Iterator

from .sheets_model import SheetsError, grid_size, new_numeric_id, sheet_by_id
from .sheets_requests import Context, RequestError, handles
from .sheets_values import Target, resolve


def _all(doc: dict) -> Iterator[tuple[list, dict]]:
    for entry in doc.get("developerMetadata", []):
        yield doc["developerMetadata"], entry
    for sheet in doc["sheets"]:
        for key in ("developerMetadata", "dimensionMetadata"):
            for entry in sheet.get(key, []):
                yield sheet[key], entry


def _location(ctx: Context, wanted: dict) -> tuple[list, dict]:
    """Where an entry is kept, and its location as Google answers it."""
    if wanted.get("spreadsheet"):
        return ctx.doc.setdefault("developerMetadata", []), {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "sheetId" in wanted:
        sheet = sheet_by_id(ctx.doc, wanted["sheetId"])
        return sheet.setdefault("developerMetadata", []), {"locationType": "SHEET", "sheetId": wanted["sheetId"]}
    if "dimensionRange" in wanted:
        span = wanted["dimensionRange"]
        sheet = sheet_by_id(ctx.doc, span.get("sheetId", 0))
        kind = "ROW" if span.get("dimension", "ROWS") == "ROWS" else "COLUMN"
        return sheet.setdefault("dimensionMetadata", []), {"locationType": kind, "dimensionRange": copy.deepcopy(span)}
    raise RequestError("A metadata location must be set.")


@handles("createDeveloperMetadata")
def create_developer_metadata(ctx: Context, body: dict) -> dict:
    wanted = copy.deepcopy(body.get("developerMetadata", {}))
    if not wanted.get("metadataKey"):
        raise RequestError("A metadata key must be set.")
    taken = {entry["metadataId"] for _, entry in _all(ctx.doc)}
    if wanted.get("metadataId") in taken:
        raise RequestError(f"Metadata with id {wanted['metadataId']} already exists.")
    holder, location = _location(ctx, wanted.get("location", {}))
    entry = {"metadataId": wanted.get("metadataId") or new_numeric_id(taken), "metadataKey": wanted["metadataKey"]}
    if "metadataValue" in wanted:
        entry["metadataValue"] = wanted["metadataValue"]
    entry["location"] = location
    entry["visibility"] = wanted.get("visibility", "DOCUMENT")
    holder.append(entry)
    return {"developerMetadata": copy.deepcopy(entry)}


@handles("deleteDeveloperMetadata")
def delete_developer_metadata(ctx: Context, body: dict) -> dict:
    found = [(holder, entry) for holder, entry in _all(ctx.doc) if _matches(entry, body.get("dataFilter", {}))]
    for holder, entry in found:
        holder.remove(entry)
    return {"deletedDeveloperMetadata": [copy.deepcopy(entry) for _, entry in found]}


def _matches(entry: dict, data_filter: dict) -> bool:
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is None:
        return False
    checks = (("metadataId", entry["metadataId"]), ("metadataKey", entry["metadataKey"]),
              ("metadataValue", entry.get("metadataValue")), ("visibility", entry.get("visibility")),
              ("locationType", entry["location"]["locationType"]))
    return all(lookup[key] == value for key, value in checks if key in lookup)


def search(doc: dict, data_filters: list[dict]) -> dict:
    """developerMetadata.search: every entry matching any filter, with the filters it matched."""
    matched = []
    for _, entry in _all(doc):
        hits = [f for f in data_filters if _matches(entry, f)]
        if hits:
            matched.append({"developerMetadata": copy.deepcopy(entry), "dataFilters": copy.deepcopy(hits)})
    return {"matchedDeveloperMetadata": matched} if matched else {}


def get(doc: dict, metadata_id: int) -> dict | None:
    for _, entry in _all(doc):
        if entry["metadataId"] == metadata_id:
            return copy.deepcopy(entry)
    return None


def filter_targets(doc: dict, data_filter: dict) -> list[Target]:
    """Every range a DataFilter selects now: an A1 range, a GridRange, or the rows, columns,
    sheets or spreadsheet its developer metadata lookup matches (none: an empty list)."""
    if "a1Range" in data_filter:
        return [resolve(doc, data_filter["a1Range"])]
    if "gridRange" in data_filter:
        grid = data_filter["gridRange"]
        sheet = sheet_by_id(doc, grid.get("sheetId", 0))
        rows, columns = grid_size(sheet)
        return [Target(sheet, grid.get("startRowIndex", 0), grid.get("endRowIndex", rows),
                       grid.get("startColumnIndex", 0), grid.get("endColumnIndex", columns), False)]
    if "developerMetadataLookup" not in data_filter:
        raise SheetsError(400, "A data filter must set one of a1Range, gridRange or developerMetadataLookup.")
    return [_target(doc, entry["location"]) for _, entry in _all(doc) if _matches(entry, data_filter)]


def _target(doc: dict, location: dict) -> Target:
    if location["locationType"] == "SPREADSHEET":
        sheet = doc["sheets"][0]
        rows, columns = grid_size(sheet)
        return Target(sheet, 0, rows, 0, columns, False)
    span = location.get("dimensionRange") or {"sheetId": location.get("sheetId", 0)}
    sheet = sheet_by_id(doc, span.get("sheetId", 0))
    rows, columns = grid_size(sheet)
    if location["locationType"] == "ROW":
        return Target(sheet, span["startIndex"], span["endIndex"], 0, columns, False)
    if location["locationType"] == "COLUMN":
        return Target(sheet, 0, rows, span["startIndex"], span["endIndex"], False)
    return Target(sheet, 0, rows, 0, columns, False)

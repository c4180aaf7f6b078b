"""The layout pieces PLT Sync puts on the master spreadsheet, as `batchUpdate` requests.

Each piece is recognisable when read back (a rule by its range and condition, a
protection by its description, a link by its address), so a run can tell what is missing
and add only that. Nothing here touches a coordinator's own rules, widths or colours:
widths are set only for columns sync creates, and every request names its exact fields.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

PROTECTION_NOTE = "Filled in by PLT Sync; your edits here are overwritten on the next run"

# Roster words for a milestone, and the background each gets (overdue stands out most).
STATUS_COLOURS = {
    "overdue": {"red": 0.96, "green": 0.78, "blue": 0.76},
    "due soon": {"red": 1.0, "green": 0.92, "blue": 0.70},
    "received": {"red": 0.80, "green": 0.92, "blue": 0.80},
}

# Pixel widths for columns whose text is usually long or short; others get the default.
DEFAULT_WIDTH = 140
WIDTHS = {
    "Team ID": 110, "Team name": 220, "School": 190, "Topic": 200, "Facilitator": 160, "Facilitator email": 230,
    "Members": 280, "Member count": 100, "Meeting time": 150, "Submitted": 130, "Response ID": 120,
    "Earlier responses": 260, "Folder": 260, "Notes": 260, "Member": 180, "Email": 230, "Access detail": 260, "Reason": 320,
    "Value": 220, "Recipients": 280, "Message-ID": 260, "Detail": 260, "Summary": 360, "Key": 220,
}


def column_range(sheet_id: int, col: int, first_row: int = 0, end_row: int | None = None) -> dict:
    grid = {"sheetId": sheet_id, "startColumnIndex": col, "endColumnIndex": col + 1}
    if first_row:
        grid["startRowIndex"] = first_row
    if end_row is not None:
        grid["endRowIndex"] = end_row
    return grid


def freeze_header(sheet_id: int) -> dict:
    return {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                                      "fields": "gridProperties.frozenRowCount"}}


def column_widths(sheet_id: int, columns: Mapping[int, str]) -> list[dict]:
    """Widths for columns sync has just created (column index -> header)."""
    return [{"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col, "endIndex": col + 1},
        "properties": {"pixelSize": WIDTHS.get(header, DEFAULT_WIDTH)}, "fields": "pixelSize"}}
        for col, header in sorted(columns.items())]


def checkboxes(sheet_id: int, col: int, row_count: int) -> dict:
    """A coordinator's tick box in every cell of a column below its header."""
    return {"setDataValidation": {"range": column_range(sheet_id, col, 1, row_count),
                                  "rule": {"condition": {"type": "BOOLEAN"}}}}


def status_rule_body(sheet_id: int, col: int, word: str) -> dict:
    """A ConditionalFormatRule colouring a status column's cells that read `word`."""
    return {"ranges": [column_range(sheet_id, col, 1)],
            "booleanRule": {"condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": word}]},
                            "format": {"backgroundColor": STATUS_COLOURS[word],
                                       "textFormat": {"bold": word == "overdue"}}}}


def status_rule(sheet_id: int, col: int, word: str) -> dict:
    return {"addConditionalFormatRule": {"index": 0, "rule": status_rule_body(sheet_id, col, word)}}


def has_status_rule(rules: Iterable[dict], col: int, word: str) -> bool:
    """Our rule for `word` on column `col`, wherever in the rule list a coordinator moved it."""
    for rule in rules:
        condition = (rule.get("booleanRule") or {}).get("condition") or {}
        values = [v.get("userEnteredValue") for v in condition.get("values", [])]
        if condition.get("type") != "TEXT_EQ" or values != [word]:
            continue
        if any(r.get("startColumnIndex", 0) == col and r.get("endColumnIndex") == col + 1
               for r in rule.get("ranges", [])):
            return True
    return False


def protection_body(sheet_id: int, start: int, end: int) -> dict:
    """A warning, not a lock: coordinators can still edit, after being told why they should not."""
    return {"range": {"sheetId": sheet_id, "startColumnIndex": start, "endColumnIndex": end},
            "description": PROTECTION_NOTE, "warningOnly": True}


def protect(sheet_id: int, start: int, end: int) -> dict:
    return {"addProtectedRange": {"protectedRange": protection_body(sheet_id, start, end)}}


def unprotect(protected_id: int) -> dict:
    return {"deleteProtectedRange": {"protectedRangeId": protected_id}}


def our_protections(protected: Iterable[dict]) -> dict[tuple[int, int], int]:
    """(start, end) columns -> protected range id, for the protections sync made."""
    out = {}
    for item in protected:
        if item.get("description") == PROTECTION_NOTE:
            grid = item.get("range") or {}
            out[(grid.get("startColumnIndex", 0), grid.get("endColumnIndex", 0))] = item["protectedRangeId"]
    return out


def column_runs(columns: Iterable[int]) -> list[tuple[int, int]]:
    """Adjacent columns grouped: [0, 1, 2, 5] -> [(0, 3), (5, 6)]."""
    runs: list[tuple[int, int]] = []
    for col in sorted(set(columns)):
        if runs and runs[-1][1] == col:
            runs[-1] = (runs[-1][0], col + 1)
        else:
            runs.append((col, col + 1))
    return runs


def links(sheet_id: int, col: int, first_row: int, uris: Sequence[str]) -> dict:
    """Make cells clickable with a cell-level link; the text stays the plain value already written."""
    return {"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": first_row, "endRowIndex": first_row + len(uris),
                  "startColumnIndex": col, "endColumnIndex": col + 1},
        "rows": [{"values": [{"userEnteredFormat": {"textFormat": {"link": {"uri": uri}}}}]} for uri in uris],
        "fields": "userEnteredFormat.textFormat.link"}}


def bold_row(sheet_id: int, row: int, start: int, end: int) -> dict:
    return {"repeatCell": {
        "range": {"sheetId": sheet_id, "startRowIndex": row, "endRowIndex": row + 1,
                  "startColumnIndex": start, "endColumnIndex": end},
        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}}, "fields": "userEnteredFormat.textFormat.bold"}}

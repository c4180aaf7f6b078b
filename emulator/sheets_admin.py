"""Admin API (not Google's): a coordinator's edit that lands between a run's read and its write.

    POST   /_emulator/sheets/{spreadsheetId}/edits   {"requests": [batchUpdate requests]}
           arms the edit (a sortRange, insertDimension, deleteDimension, ... as Google's
           batchUpdate takes them); it is carried out once, just before the next write of
           any kind to that spreadsheet (spreadsheets.batchUpdate, values.update,
           values.batchUpdate, values.batchUpdateByDataFilter, values.append, values.clear),
           as if a coordinator had sorted, inserted or deleted rows while the run was between
           its read and its write. Armed edits add up. -> {"armed": [requests]}
    GET    the same path -> {"armed": [requests]};  DELETE disarms them.

The requests are checked on a copy of the spreadsheet when armed: one Google would refuse
is refused here with its 400, so it can never fail the caller's write instead.
"""
from __future__ import annotations

import copy

from .admin import api
from .core import ApiError, Call
from .sheets_model import SheetsError
from .sheets_requests import Context, run

_EDITS = "/_emulator/sheets/<spreadsheet_id>/edits"


def _doc(call: Call, spreadsheet_id: str) -> dict:
    doc = call.store.get("spreadsheet", spreadsheet_id)
    if doc is None:
        raise ApiError(404, f"No spreadsheet {spreadsheet_id}.")
    return doc


@api.route("POST", _EDITS, "admin.sheets.edits.arm")
def arm(call: Call, spreadsheet_id: str) -> dict:
    doc = _doc(call, spreadsheet_id)
    body = call.json()
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list) or not requests or not all(isinstance(r, dict) for r in requests):
        raise ApiError(400, "requests must be a non-empty list of batchUpdate requests.")
    armed = call.emulator.armed_edits.setdefault(spreadsheet_id, [])
    try:
        run(Context(copy.deepcopy(doc), call.emulator.user_email), armed + requests)
    except SheetsError as error:
        raise ApiError(400, f"The edit would be refused: {error.message}") from None
    armed.extend(copy.deepcopy(requests))
    return {"armed": armed}


@api.route("GET", _EDITS, "admin.sheets.edits.list")
def armed(call: Call, spreadsheet_id: str) -> dict:
    return {"armed": call.emulator.armed_edits.get(spreadsheet_id, [])}


@api.route("DELETE", _EDITS, "admin.sheets.edits.clear")
def disarm(call: Call, spreadsheet_id: str) -> dict:
    call.emulator.armed_edits.pop(spreadsheet_id, None)
    return {"armed": []}

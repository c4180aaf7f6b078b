"""Hostile requests to every method the emulator serves, built from Google's own schemas.

For each API, hypothesis builds request bodies from the method's request schema in the
discovery documents google-api-python-client ships, then mutates them: wrong types, missing
and extra keys, proto-named keys, nested lists, huge numbers, unicode, nulls, broken JSON.
Path and query parameters get the same treatment. Every answer must be JSON, a refusal must
be Google's error shape, and no answer may be a 5xx (each is a defect of the emulator).
Every example ends by reading the resource back with answers checked against Google's
response schemas, so junk a request managed to store cannot hide. A second test gives a
cell any number format pattern and reads it back formatted.

`PLT_FUZZ_EXAMPLES` sets the examples per API (default 100: a few hundred requests in all);
`PLT_FUZZ_EXAMPLES=2500 pytest -s tests/test_emulator_fuzz.py` makes 10,000 and prints counts.
"""
from __future__ import annotations

import http.client
import json
import os
import urllib.parse
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.core import Emulator
from emulator.json_mapping import reads_json_body
from emulator.server import EmulatorServer
from fuzz_requests import BROKEN_BODIES, NUMBER_PATTERN, email_raw, request_for

EXAMPLES = int(os.environ.get("PLT_FUZZ_EXAMPLES", "100"))
TALLY: Counter = Counter()
_NOT_JSON_OK = (204, 308)
@pytest.fixture(scope="module")
def server():
    with EmulatorServer(Emulator(validate_responses=True)) as running:
        yield running


def _methods(api: str) -> list:
    """The API's routes, those taking a body several times over: that is where input is read."""
    routes = [route for route in Emulator().routes if route.api == api]
    return routes + [route for route in routes if route.http_method in ("POST", "PUT", "PATCH")] * 3


@pytest.mark.parametrize("api", ["sheets", "forms", "drive", "gmail"])
def test_hostile_requests_get_json_answers_and_never_a_5xx(server, api):
    routes = _methods(api)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize="PLT_FUZZ_EXAMPLES" not in os.environ,
              suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def fuzz(data):
        ids = _seed(server.emulator)
        for _ in range(data.draw(st.integers(1, 3), label="requests")):
            route = data.draw(st.sampled_from(routes), label="method")
            method, path, query, headers, body = data.draw(request_for(route, ids), label="request")
            _check(route, query, _send(server, method, path, query, headers, body))
        for method, path, query in _read_back(api, ids):
            answer = _send(server, method, path, query, {}, b"")
            _check(None, query, answer)
            assert answer[0] in (200, 404), answer

    fuzz()
    if "PLT_FUZZ_EXAMPLES" in os.environ:
        print(f"\nfuzz {api}: {TALLY[api + ' requests']} requests, statuses {dict(sorted(_statuses(api).items()))}, "
              f"5xx {TALLY['5xx']}, not JSON {TALLY['not json']}")


@settings(max_examples=EXAMPLES, deadline=None, derandomize="PLT_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=list(HealthCheck), database=None)
@given(pattern=NUMBER_PATTERN | st.text(max_size=12),
       kind=st.sampled_from(["NUMBER", "PERCENT", "CURRENCY", "SCIENTIFIC", "DATE", "TIME", "DATE_TIME", "TEXT"]),
       value=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**20, 10**20))
def test_any_number_format_pattern_shows_a_number_and_never_a_5xx(server, pattern, kind, value):
    sheet = _seed(server.emulator)["spreadsheet_id"]
    fmt = {"cell": {"userEnteredValue": {"numberValue": value}, "userEnteredFormat": {
        "numberFormat": {"type": kind, "pattern": pattern}}}, "fields": "userEnteredValue,userEnteredFormat"}
    request = {"requests": [{"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1}, **fmt}}]}
    answers = [_send(server, "POST", f"/v4/spreadsheets/{sheet}:batchUpdate", {}, {}, json.dumps(request).encode()),
               _send(server, "GET", f"/v4/spreadsheets/{sheet}/values/Roster!A1", {}, {}, b"")]
    assert [status for status, _, _ in answers] == [200, 200], answers
    shown = json.loads(answers[1][2]).get("values", [[""]])[0][0]  # "#" shows a zero as nothing
    assert isinstance(shown, str)


def test_broken_json_to_every_method_taking_a_body_is_a_json_400(server):
    ids = _seed(server.emulator)
    for route in [route for route in Emulator().routes if reads_json_body(route)]:
        path = "".join(str(ids.get(piece.split(":")[-1], piece)) for piece in route.rule.replace(">", "<").split("<"))
        for body in BROKEN_BODIES:
            status, headers, answer = _send(server, route.http_method, path, {"valueInputOption": "RAW"}
                                            if route.api == "sheets" and "values" in path else {},
                                            {"Content-Type": "application/json"}, body)
            assert status == 400 and json.loads(answer)["error"]["code"] == 400, (route.method_id, body[:60], answer)


def _statuses(api: str) -> Counter:
    return Counter({key.split(" ", 1)[1]: n for key, n in TALLY.items() if key.startswith(api + " status")})


# Sending and judging.
def _send(server, method: str, path: str, query: dict, headers: dict, body: bytes) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]), timeout=60)
    target = path + ("?" + urllib.parse.urlencode(query, encoding="utf-8", errors="surrogatepass") if query else "")
    try:
        connection.request(method, target, body=body or None, headers=headers)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def _check(route, query: dict, answer: tuple[int, dict, bytes]) -> None:
    status, headers, body = answer
    api = route.api if route else "readback"
    TALLY[api + " requests"] += 1
    TALLY[f"{api} status {status}"] += 1
    if status >= 500:
        TALLY["5xx"] += 1
    assert status < 500, f"{route.method_id if route else 'read back'} answered {status}: {body[:600]!r}"
    if status in _NOT_JSON_OK or (status < 400 and not headers.get("content-type", "").startswith("application/json")
                                  and _raw_answer_expected(route, query)):
        return
    try:
        payload = json.loads(body)
    except ValueError:
        TALLY["not json"] += 1
        raise AssertionError(f"not JSON ({status}, {headers.get('content-type')}): {body[:300]!r}") from None
    assert headers.get("content-type", "").startswith("application/json")
    if status >= 400:
        error = payload["error"]
        assert error["code"] == status and isinstance(error["status"], str), payload
        assert isinstance(error["message"], str) and error["message"], payload
        if api in ("drive", "gmail"):
            assert all({"message", "reason"} <= set(e) for e in error["errors"]), payload


def _raw_answer_expected(route, query: dict) -> bool:
    """Media downloads, upload sessions and batch envelopes answer something other than JSON."""
    return route is not None and (query.get("alt") == "media" or route.rule.startswith(("/upload", "/batch")))


def _read_back(api: str, ids: dict) -> list[tuple[str, str, dict]]:
    """Reads of everything an example may have changed: every sheet's parts, and the cells
    of a corner of the first sheet (a whole grid of formatted cells would take seconds)."""
    if api == "sheets":
        book = f"/v4/spreadsheets/{ids['spreadsheet_id']}"
        every_part = "spreadsheetId,properties,namedRanges,developerMetadata,sheets"
        return [("GET", book, {"fields": every_part}),
                ("GET", book, {"fields": "sheets(properties.sheetId,data)", "ranges": "A1:J30"}),
                ("GET", book + "/values:batchGet", {"ranges": "A1:Z50"})]
    if api == "forms":
        return [("GET", f"/v1/forms/{ids['form_id']}", {}), ("GET", f"/v1/forms/{ids['form_id']}/responses", {})]
    if api == "drive":
        return [("GET", "/drive/v3/files", {"fields": "*"}),
                ("GET", f"/drive/v3/files/{ids['file_id']}/permissions", {"fields": "*"})]
    return [("GET", "/gmail/v1/users/me/messages", {}), ("GET", f"/gmail/v1/users/me/messages/{ids['message_id']}", {})]


# A small Workspace to aim at: a roster, a form with a response, a shared folder, a sent email.
def _seed(emulator: Emulator) -> dict:
    emulator.store.reset()
    emulator.quotas.clear_usage()

    def call(method, path, body=None, query=""):
        status, _, payload = emulator.handle(method, path, query, {"Content-Type": "application/json"},
                                             json.dumps(body).encode() if body is not None else b"")
        assert status < 300, payload
        return json.loads(payload) if payload else {}

    book = call("POST", "/v4/spreadsheets", {"properties": {"title": "Belmont roster"}, "sheets": [
        {"properties": {"title": "Roster"}}, {"properties": {"title": "Members", "sheetId": 7}}]})
    sheet = book["spreadsheetId"]
    call("PUT", f"/v4/spreadsheets/{sheet}/values/Roster!A1", {"values": [
        ["Team", "School", "Due"], ["T1", "Belmont High", "2024-10-06"], ["T2", "Belmont Middle", "45%"]]},
        "valueInputOption=USER_ENTERED")
    replies = call("POST", f"/v4/spreadsheets/{sheet}:batchUpdate", {"requests": [
        {"addNamedRange": {"namedRange": {"name": "Teams", "range": {"sheetId": 0, "endRowIndex": 3}}}},
        {"createDeveloperMetadata": {"developerMetadata": {"metadataKey": "plt", "location": {"spreadsheet": True}}}},
    ]})["replies"]
    form = call("POST", "/v1/forms", {"info": {"title": "PLT enrolment"}})["formId"]
    call("POST", f"/v1/forms/{form}:batchUpdate", {"requests": [{"createItem": {"location": {"index": 0}, "item": {
        "title": "School", "questionItem": {"question": {"textQuestion": {}}}}}}]})
    response = call("POST", f"/_emulator/forms/{form}/responses", {"answers": {"School": "Belmont High"}})
    folder = call("POST", "/drive/v3/files", {"name": "Team T1", "mimeType": "application/vnd.google-apps.folder",
                                              "appProperties": {"plt_team_id": "T1"}})["id"]
    permission = call("POST", f"/drive/v3/files/{folder}/permissions",
                      {"type": "user", "role": "writer", "emailAddress": "ana@belmont.example.org"})["id"]
    message = call("POST", "/gmail/v1/users/me/messages/send", {"raw": email_raw("Charter due", "ana@belmont.org")})
    emulator.stats.reset()
    return {"spreadsheet_id": sheet, "range_": "Roster!A1:C3",
            "metadata_id": replies[1]["createDeveloperMetadata"]["developerMetadata"]["metadataId"],
            "form_id": form, "response_id": response["responseId"], "file_id": folder, "permission_id": permission,
            "user_id": "me", "message_id": message["id"]}

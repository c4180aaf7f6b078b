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

import base64
import http.client
import json
import os
import urllib.parse
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import discovery
from emulator.core import Emulator
from emulator.json_mapping import reads_json_body
from emulator.json_names import proto_name
from emulator.server import EmulatorServer
from emulator.sheets_requests import HANDLERS

EXAMPLES = int(os.environ.get("PLT_FUZZ_EXAMPLES", "100"))
TALLY: Counter = Counter()
_NOT_JSON_OK = (204, 308)
_DEPTH = 4

# Values that break naive code: out-of-range numbers, odd text, the wrong JSON type.
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70),
    st.sampled_from([2**31, 2**31 - 1, -2**31 - 1, 2**53 + 1, 2**64, 10**30, -1, 0, 1e308, -1e308, 5e-324]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["\ud800", "😀" * 40, "\u202e\u0000", "", " ", "null", "NaN", "Infinity", "1e999", "0x10",
                     "Roster!A1:ZZZ9999999", "'", "!", "=1/0", "T" * 400]),
    st.lists(st.integers(), max_size=3), st.just([[[]]]), st.just([None]),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
BROKEN_BODIES = [
    b"{", b"[]", b'"roster"', b"1", b"null", b"NaN", b'{"requests": NaN}', b'{"values": [[1e999]]}', b"\xff\xfe{}",
    b"[" * 5000 + b"]" * 5000, b'{"requests": ' + b"[" * 990 + b"]" * 990 + b"}",
    b'{"values": ' + b"[" * 500 + b"]" * 500 + b"}", b'{"values": [' + b'{"a": ' * 300 + b"1" + b"}" * 300 + b"]}",
    b'{"a": "\\ud800"}']
BROKEN_JSON = st.sampled_from(BROKEN_BODIES + [b'{"requests": [{}]}', b'{"values": [["x", ["y"]]]}']) | st.binary(
    max_size=40)
NUMBER_PATTERN = st.lists(st.sampled_from(list('0#?.,%E+-"\\_*@;[]hmsdy/: $') + [
    "am/pm", "a/p", "[h]", "[Red]", "yyyy", "mmmm", "dddd", ".000", "#,##0.00"]), max_size=8).map("".join)
A1_TEXT = st.sampled_from(["Roster", "Roster!A1:C3", "Roster!A:A", "Roster!2:3", "'Roster'!B2", "Members!A1", "Teams",
                           "A1", "Sheet9!A1", "Roster!A1:A", "Roster!ZZZ1", "Roster!A0", "''!A1", "Roster!A1:B2:C3",
                           "R1C1", "teams"]) | st.text(max_size=12)


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
            method, path, query, headers, body = data.draw(_request(route, ids), label="request")
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


# Requests.
@st.composite
def _request(draw, route, ids):
    """One request to `route`: `rate` in a hundred of its parts are hostile (0: none)."""
    described = discovery.method_of(route)
    doc, method = described if described else ({}, {})
    rate = draw(st.sampled_from([0, 0, 0, 2, 5, 15]), label="hostility")
    chance = draw(st.randoms(use_true_random=True))  # even odds (hypothesis favours edge values)

    def hit() -> bool:
        return chance.random() * 100 < rate

    path = _path(draw, route.rule, ids, hit)
    query = _query(draw, method, doc.get("schemas", {}), hit)
    headers = {"Content-Type": "application/json"}
    if route.rule.startswith(("/upload", "/batch")):
        return route.http_method, path, query, _upload_headers(draw, query), draw(st.binary(max_size=200) | BROKEN_JSON)
    if "request" not in method:
        return route.http_method, path, query, headers, b""
    if chance.random() < 0.1:
        return route.http_method, path, query, headers, draw(BROKEN_JSON)
    body = draw(_mutated(draw(_message(doc["schemas"], method["request"]["$ref"], _DEPTH)), hit))
    return route.http_method, path, query, headers, json.dumps(body).encode()


def _path(draw, rule: str, ids: dict, hit) -> str:
    parts = []
    for piece in rule.replace(">", "<").split("<"):
        name = piece.split(":", 1)[1] if piece.startswith("path:") else piece
        if name == "range_":
            parts.append(urllib.parse.quote(draw(A1_TEXT) if hit() or draw(st.booleans()) else ids[name], safe="!:'"))
        elif name in ids:
            parts.append(urllib.parse.quote(str(draw(st.text(min_size=1, max_size=10)) if hit() else ids[name])))
        else:
            parts.append(piece)
    return "".join(parts)


def _query(draw, method: dict, schemas: dict, hit) -> dict:
    query = {}
    for name, spec in sorted(method.get("parameters", {}).items()):
        if spec.get("location") == "query" and draw(st.integers(0, 3)):
            value = draw(st.text(max_size=15)) if hit() else draw(_query_value(spec))
            query[proto_name(name) if hit() else name] = value
    if hit():
        query[draw(st.text(min_size=1, max_size=8))] = draw(st.text(max_size=8))
    if "response" in method and draw(st.integers(0, 5)) == 0:
        query["fields"] = draw(_mask(schemas, method["response"]["$ref"], hit))
    return query


def _query_value(spec: dict):
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if spec.get("type") == "boolean":
        return st.sampled_from(["true", "false", "True", "False"])
    if spec.get("type") == "integer":
        return st.integers(-2, 600).map(str)
    return st.sampled_from(["Roster!A1:C3", "Teams", "timestamp > 2024-01-01T00:00:00Z", "me", "full", "raw",
                            "media", "name = 'Team T1'", "'root' in parents", "rfc822msgid:x", "to:ana@belmont.org"])


def _upload_headers(draw, query: dict) -> dict:
    query.setdefault("uploadType", draw(st.sampled_from(["media", "multipart", "resumable", "x"])))
    boundary = draw(st.sampled_from(["b", "===", ""]))
    return {"Content-Type": draw(st.sampled_from([f"multipart/related; boundary={boundary}",
                                                  f"multipart/mixed; boundary={boundary}", "text/plain", ""])),
            "Content-Range": draw(st.sampled_from(["bytes 0-3/10", "bytes */*", "junk", "bytes 0-0/1"]))}


# Bodies from the discovery schema.
def _message(schemas: dict, name: str, depth: int):
    properties = schemas[name].get("properties", {})
    if depth <= 0 or not properties:
        return st.just({})
    if name == "Request":  # one kind each, mostly those the emulator carries out
        carried_out = sorted(set(properties) & set(HANDLERS)) or sorted(properties)  # Sheets' kinds, or Forms'
        names = (st.sampled_from(carried_out) | st.sampled_from(sorted(properties))).map(lambda one: [one])
    elif len(properties) <= 6:  # a small message: mostly all of it
        names = st.just(sorted(properties)) | st.lists(st.sampled_from(sorted(properties)), max_size=4, unique=True)
    else:
        names = st.lists(st.sampled_from(sorted(properties)), max_size=4, unique=True)
    return names.flatmap(lambda chosen: st.fixed_dictionaries(
        {field: _value(schemas, properties[field], depth - 1, field, name) for field in chosen}))


def _value(schemas: dict, schema: dict, depth: int, field: str, owner: str):
    if "$ref" in schema:
        return st.deferred(lambda: _message(schemas, schema["$ref"], depth))
    kind = schema.get("type")
    if kind == "array":
        return st.lists(_value(schemas, schema.get("items", {}), depth, field, owner), min_size=1, max_size=3)
    if kind == "object":
        inner = schema.get("additionalProperties") or {"type": "string"}
        return st.dictionaries(st.text(max_size=6), _value(schemas, inner, depth, field, owner), max_size=2)
    if kind == "any":
        return st.one_of(st.text(max_size=8), st.integers(-5, 99), st.booleans(),
                         st.sampled_from(["=1+1", "2024-03-01", "12.5%", "$1,200"]))
    return _scalar(schemas, schema, field, owner)


def _scalar(schemas: dict, schema: dict, field: str, owner: str):
    kind, form = schema.get("type"), schema.get("format")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.one_of(st.integers(0, 12), st.integers(0, 12), st.integers(-3, 3000),
                         st.sampled_from([-1, 7, 26, 1000, 1001, 2**31 - 1, 10**6]))
    if kind == "number":
        return st.floats(0, 1) if form == "float" else st.floats(-1e6, 1e6)
    if form == "google-fieldmask":
        from emulator.field_masks import masked_schema

        target = masked_schema(owner, schemas)
        return _mask(schemas, target) if target else st.just("*")
    if form == "byte":
        return st.builds(_email, st.text(max_size=20), st.sampled_from(["a@x.org", "", "bad", "a@x.org, b@y.org"]),
                         st.sampled_from(["utf-8", "latin-1", "x-unknown", "utf-16"]))
    if form == "google-datetime":
        return st.sampled_from(["2024-03-01T09:00:00Z", "2024-03-01T09:00:00.123+02:00"])
    if field.lower().endswith("range") or field in ("range", "name"):
        return A1_TEXT
    if field == "pattern":
        return NUMBER_PATTERN
    return st.one_of(st.text(max_size=10), st.sampled_from(["Roster", "Members", "Teams", "=1+1", "x@belmont.org"]))


def _mask(schemas: dict, schema_name: str, hit=lambda: False):
    """A mask naming fields of `schema_name` (by either name), or now and then nothing it has."""
    names = sorted(schemas[schema_name].get("properties", {})) or ["x"]
    odd = st.sampled_from(["{}.red", "{}(x)", "*", "{}/", "x_{}"]) if hit() else st.sampled_from(["{}"])
    path = st.tuples(st.sampled_from(names), odd, st.booleans()).map(
        lambda t: t[1].format(proto_name(t[0]) if t[2] else t[0]))
    return st.lists(path, min_size=1, max_size=3).map(",".join)


def _email(subject: str, to: str, charset: str = "utf-8") -> str:
    raw = f"To: {to}\r\nSubject: {subject}\r\nContent-Type: text/plain; charset={charset}\r\n\r\nHello {subject}\r\n"
    return base64.urlsafe_b64encode(raw.encode("utf-8", "surrogatepass")).decode()


# Mutations.
@st.composite
def _mutated(draw, value, hit):
    """`value` with some of its parts (each when `hit()`) replaced, wrapped in lists,
    dropped, renamed to their proto names or joined by an unknown key."""
    if hit():
        return draw(HOSTILE)
    if hit():
        return [value] if draw(st.booleans()) else [[value]]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not hit():
                out[proto_name(key) if hit() else key] = draw(_mutated(item, hit))
        if hit():
            out[draw(st.text(max_size=8))] = draw(HOSTILE)
        return out
    if isinstance(value, list):
        return [draw(_mutated(item, hit)) for item in value]
    return value


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
    if api == "sheets":
        fields = ("spreadsheetId,properties,namedRanges,developerMetadata,sheets(properties,data.rowData,merges,"
                  "conditionalFormats,protectedRanges,basicFilter,filterViews,charts,bandedRanges,developerMetadata,"
                  "rowGroups,columnGroups)")
        return [("GET", f"/v4/spreadsheets/{ids['spreadsheet_id']}", {"fields": fields}),
                ("GET", f"/v4/spreadsheets/{ids['spreadsheet_id']}/values:batchGet",
                 {"ranges": "A1:Z50"})]
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
    message = call("POST", "/gmail/v1/users/me/messages/send", {"raw": _email("Charter due", "ana@belmont.org")})
    emulator.stats.reset()
    return {"spreadsheet_id": sheet, "range_": "Roster!A1:C3",
            "metadata_id": replies[1]["createDeveloperMetadata"]["developerMetadata"]["metadataId"],
            "form_id": form, "response_id": response["responseId"], "file_id": folder, "permission_id": permission,
            "user_id": "me", "message_id": message["id"]}

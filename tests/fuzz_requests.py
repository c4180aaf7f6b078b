"""Hostile requests for the emulator's fuzz test (tests/test_emulator_fuzz.py), built from
the request schemas of the discovery documents google-api-python-client ships.

`request_for(route, ids)` draws one request to a route: valid most of the time, or with a
share of its parts made hostile (replaced by the wrong JSON type, wrapped in lists,
dropped, renamed to their proto names, joined by unknown keys), its body sometimes not
JSON at all. `ids` names the seeded resources the path parameters point at.
"""
from __future__ import annotations

import base64
import json
import urllib.parse

from hypothesis import strategies as st

from emulator import discovery
from emulator.field_masks import masked_schema
from emulator.json_names import proto_name
from emulator.sheets_requests import HANDLERS

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


# Requests.
@st.composite
def request_for(draw, route, ids):
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
        target = masked_schema(owner, schemas)
        return _mask(schemas, target) if target else st.just("*")
    if form == "byte":
        return st.builds(email_raw, st.text(max_size=20), st.sampled_from(["a@x.org", "", "bad", "a@x.org, b@y.org"]),
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


def email_raw(subject: str, to: str, charset: str = "utf-8") -> str:
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

"""Reading recordings in betamax's format into the shape the replay works on (vcrpy's).

Betamax (the recorder gspread-pandas's tests use) keeps `http_interactions`, and a body as
`string` or, when it was compressed or binary, `base64_string` (gzip-compressed when the
response says `Content-Encoding: gzip`). Turning both into vcrpy's `interactions` with
plain-text bodies lets one replay and one comparison serve every recording.
"""
from __future__ import annotations

import base64
import gzip


def from_betamax(recording: dict) -> list[dict]:
    """The interactions of a betamax recording, bodies decoded to text, in vcrpy's shape."""
    return [{"request": {"method": i["request"]["method"], "uri": i["request"]["uri"],
                         "body": _text(i["request"]) or None, "headers": i["request"].get("headers", {})},
             "response": {"status": i["response"]["status"], "headers": i["response"].get("headers", {}),
                          "body": {"string": _text(i["response"])}}}
            for i in recording["http_interactions"]]


def _text(message: dict) -> str:
    body = message.get("body") or {}
    if "base64_string" not in body:
        return body.get("string", "")
    raw = base64.b64decode(body["base64_string"])
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode(body.get("encoding") or "utf-8")

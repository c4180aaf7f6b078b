"""Drive's two multipart protocols: media uploads and the `multipart/mixed` batch endpoint.

Uploads (`/upload/drive/v3/files`, and v2's `/upload/drive/v2/files`): `uploadType=multipart`
(a `multipart/related` body of JSON metadata then the bytes), `uploadType=media` (the bytes
only) and `uploadType=resumable` (metadata first; the answer's Location names the session;
then one or more PUTs with Content-Range). New content for an existing file (files.update on
`/upload/.../files/<id>`) comes as media or multipart; CSV onto a spreadsheet is converted
into its cells, as gspread's `import_csv` asks. An open resumable session is a store doc of
kind "drive_upload":

    {"id": upload id, "metadata": {...}, "contentType": str, "received": base64 str, "total": int | null}

Batch (`POST /batch/drive/v3`): at most 100 parts, each an `application/http` request with a
Content-ID. Each part goes through `Emulator.handle`, so it is counted, quota-charged and
faulted like a call of its own; answers come back in order, with Content-ID `response-<id>`.
A part without an Authorization header carries the envelope's, as Google documents.
"""
from __future__ import annotations

import base64
import json
import re
import urllib.parse
from email.parser import BytesHeaderParser

from .core import ApiError, Call, Raw
from .drive_files import SPREADSHEET, create_file, file_answer, find_file, set_content, touch_file

MAX_BATCH_PARTS = 100
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


def split_multipart(body: bytes, content_type: str) -> list[bytes]:
    """The parts of a multipart body, each still holding its own headers."""
    match = _BOUNDARY.search(content_type or "")
    if not match:
        raise ApiError(400, "Bad Request: the multipart body has no boundary.", reason="badContent")
    delimiter = b"--" + match.group(1).encode()
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
        parts.append(chunk[:-2] if chunk.endswith(b"\r\n") else chunk[:-1] if chunk.endswith(b"\n") else chunk)
    return parts


def split_head(part: bytes) -> tuple[dict[str, str], bytes]:
    """A part's (or an HTTP message's) headers, lower-cased, and its body."""
    found = [(i, sep) for sep in (b"\r\n\r\n", b"\n\n") if (i := part.find(sep)) >= 0]
    if not found:
        return _header_dict(part), b""
    index, separator = min(found)
    return _header_dict(part[:index]), part[index + len(separator):]


def _header_dict(head: bytes) -> dict[str, str]:
    """Headers by lower-case name, long values unfolded: Python's email generator, which
    google-api-python-client writes multipart bodies with, folds a long Content-Type
    (a .docx's) onto a second line."""
    headers = BytesHeaderParser().parsebytes(head + b"\n\n")
    return {name.lower(): re.sub(r"\r?\n(?=[ \t])", "", value).strip() for name, value in headers.items()}


def related_parts(call: Call) -> tuple[dict, bytes, str | None]:
    """Metadata, media bytes and media type of a `multipart/related` upload body."""
    parts = split_multipart(call.body, call.headers.get("Content-Type", ""))
    if len(parts) != 2:
        raise ApiError(400, "Bad Request: a multipart upload has a metadata part and a media part.",
                       reason="badContent")
    _, metadata = split_head(parts[0])
    media_headers, media = split_head(parts[1])
    try:
        parsed = json.loads(metadata or b"{}")
    except ValueError:
        raise ApiError(400, "Invalid JSON payload received.", reason="parseError") from None
    return parsed, media, media_headers.get("content-type")


# Uploads.
def created_v3(call: Call, metadata: dict, content: bytes, content_type: str | None) -> dict:
    """What Drive v3's files.create answers for an upload; Drive v2's files.insert has its own."""
    return file_answer(call, create_file(call, metadata, content, content_type))


def upload(call: Call, finish=created_v3):
    """A new file with content: multipart, media, or the start of a resumable session.
    `finish(call, metadata, content, content_type)` makes the file and its answer."""
    kind = call.arg("uploadType")
    if kind == "multipart":
        metadata, media, media_type = related_parts(call)
        return finish(call, metadata, media, media_type)
    if kind == "media":
        return finish(call, {}, call.body, call.headers.get("Content-Type"))
    if kind == "resumable":
        session = {"id": call.emulator.new_id(32), "metadata": call.json(),
                   "contentType": call.headers.get("X-Upload-Content-Type"), "received": "", "total": None}
        call.store.put("drive_upload", session["id"], session)
        query = urllib.parse.urlencode({**call.query.to_dict(), "upload_id": session["id"]})
        host = call.headers.get("Host", "localhost")
        return Raw(b"", "text/plain", headers={"Location": f"http://{host}{call.path}?{query}"})
    raise ApiError(400, f"Invalid value for uploadType: {kind}", reason="invalid")


def replace_content(call: Call, file_id: str, finish) -> dict:
    """files.update with content: the file gets the uploaded bytes, then `finish(call, doc,
    metadata)` applies the metadata (multipart) and makes the answer."""
    kind = call.arg("uploadType")
    if kind == "multipart":
        metadata, media, media_type = related_parts(call)
    elif kind == "media":
        metadata, media, media_type = {}, call.body, call.headers.get("Content-Type")
    else:
        raise ApiError(400, f"Invalid value for uploadType: {kind}", reason="invalid")
    doc = find_file(call, file_id, need="writer")
    media_type = (media_type or "application/octet-stream").split(";")[0].strip()
    if doc["mimeType"] == SPREADSHEET and media_type == "text/csv":
        from .sheets import import_csv

        import_csv(call.emulator, doc["id"], media.decode("utf-8-sig", "replace"))
    elif doc["mimeType"].startswith("application/vnd.google-apps."):
        raise ApiError(400, f"The emulator converts only text/csv, onto a spreadsheet; it does not put "
                            f"{media_type} into a {doc['mimeType']} file.", reason="badContent")
    else:
        set_content(doc, media)
    touch_file(call, doc)
    return finish(call, doc, metadata)


def resume_upload(call: Call, finish=created_v3):
    """A chunk of a resumable session: 308 until the last byte arrives, then the new file."""
    session = call.store.get("drive_upload", call.arg("upload_id", ""))
    if session is None:
        raise ApiError(404, "Upload session not found.", reason="notFound")
    received = base64.b64decode(session["received"]) + call.body
    total = _declared_total(call.headers.get("Content-Range"), len(received))
    if total is not None and len(received) < total:
        session["received"] = base64.b64encode(received).decode("ascii")
        call.store.touch("drive_upload", session["id"])
        headers = {"Range": f"bytes=0-{len(received) - 1}"} if received else {}
        return Raw(b"", "text/plain", status=308, headers=headers)
    call.store.delete("drive_upload", session["id"])
    return finish(call, session["metadata"], received, session["contentType"])


def _declared_total(content_range: str | None, received: int) -> int | None:
    """The total size a Content-Range announces (`bytes a-b/total`, `bytes */total`); None when unknown."""
    match = re.match(r"bytes (?:\d+-\d+|\*)/(\d+|\*)", content_range or "")
    if not match:
        return received
    return None if match.group(1) == "*" else int(match.group(1))


# Batch.
def batch(call: Call) -> Raw:
    return serve_batch(call, MAX_BATCH_PARTS)


def serve_batch(call: Call, max_parts: int) -> Raw:
    """A `multipart/mixed` batch of at most `max_parts` calls, each answered in order
    (Drive takes 100; Calendar 1,000)."""
    parts = split_multipart(call.body, call.headers.get("Content-Type", ""))
    if len(parts) > max_parts:
        raise ApiError(400, f"A batch request may contain at most {max_parts} calls; this one has "
                            f"{len(parts)}.", reason="batchSizeTooLarge")
    boundary = "batch_" + call.emulator.new_id(24)
    out = []
    for part in parts:
        part_headers, request = split_head(part)
        status, headers, body = _dispatch(call, request)
        content_id = part_headers.get("content-id", "").strip().strip("<>")
        out.append(_answer_part(boundary, content_id, status, headers, body))
    payload = b"".join(out) + f"--{boundary}--\r\n".encode()
    return Raw(payload, f"multipart/mixed; boundary={boundary}")


def _dispatch(call: Call, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Run one inner request through the whole pipeline, as if it had come on its own."""
    line, _, rest = request.partition(b"\n")
    try:
        method, target, _version = line.decode("latin-1").strip().split(" ", 2)
    except ValueError:
        error = ApiError(400, "Bad Request: a batch part is not an HTTP request.", reason="badRequest")
        return error.code, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(error.body()).encode()
    headers, body = split_head(rest)
    if "authorization" not in headers and call.headers.get("Authorization"):
        headers["authorization"] = call.headers["Authorization"]  # the envelope's headers cover its parts
    if "content-length" in headers and headers["content-length"].isdigit():
        body = body[: int(headers["content-length"])]
    path, _, query = target.partition("?")
    if "://" in path:
        path = "/" + path.split("://", 1)[1].split("/", 1)[-1]
    return call.emulator.handle(method, path, query, headers, body, in_batch=True)


def _answer_part(boundary: str, content_id: str, status: int, headers: dict[str, str], body: bytes) -> bytes:
    from http import HTTPStatus

    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Unknown"
    head = [f"--{boundary}", "Content-Type: application/http", f"Content-ID: <response-{content_id}>", "",
            f"HTTP/1.1 {status} {reason}"]
    head += [f"{name}: {value}" for name, value in headers.items()] + [f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(head).encode() + body + b"\r\n"

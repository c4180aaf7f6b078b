"""Gmail v1 as PLT Sync uses it: send reminders, then find a sent one again by its Message-ID.

Store kind "message", id = Gmail message id (16 hex digits), one doc per sent message:

    {"id": str, "threadId": str, "labelIds": ["SENT"], "historyId": str,
     "internalDate": str (ms since the epoch), "raw": base64url str (the message as stored),
     "messageId": str (the Message-ID header, with its angle brackets),
     "from": str (the From header as written), "to": [address], "cc": [address], "bcc": [address],
     "replyTo": str | null, "subject": str, "date": str (the Date header),
     "text": str | null, "html": str | null, "snippet": str}

Messages are parsed with the standard library's `email` package. Only CRLF or LF ends a
header line: a bare CR inside the header block becomes a space before parsing, so a value
smuggling "\\rBcc: ..." cannot add a header. Gmail does not document whether it keeps a
caller-supplied Message-ID; the emulator keeps it, adds `<...@mail.gmail.com>` when there is
none, adds a Date when missing, and leaves From as written. `GET /_emulator/mail` (admin, not
counted) lists the sent messages, oldest first.
"""
from __future__ import annotations

import base64
import binascii
import html
import re
import secrets
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses

from .admin import api as admin_api
from .core import Api, ApiError, Call
from .drive_batch import related_parts
from .json_mapping import request_body

api = Api("gmail")
_MESSAGES = "/gmail/v1/users/<user_id>/messages"
_UPLOAD = "/upload/gmail/v1/users/<user_id>/messages/send"
_ADMIN_FIELDS = ("id", "threadId", "messageId", "from", "to", "cc", "bcc", "replyTo", "subject", "date",
                 "text", "html", "internalDate")


def _check_user(call: Call, user_id: str) -> None:
    if user_id != "me" and user_id.lower() != call.emulator.user_email.lower():
        raise ApiError(403, f"Delegation denied for {call.emulator.user_email}", reason="forbidden")


# Sending.
@api.route("POST", _MESSAGES + "/send", "gmail.users.messages.send", write=True, units=100)
def send(call: Call, user_id: str) -> dict:
    _check_user(call, user_id)
    body = call.json()
    if not body.get("raw"):
        raise ApiError(400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
                       reason="invalidArgument")
    return _store_message(call, _decode_raw(body["raw"]), body.get("threadId"))


@api.route("POST", _UPLOAD, "gmail.users.messages.send", write=True, units=100)
def send_upload(call: Call, user_id: str) -> dict:
    """The upload form of send: the message as the body (media) or after JSON metadata (multipart)."""
    _check_user(call, user_id)
    if call.arg("uploadType") == "multipart":
        metadata, raw, _ = related_parts(call)
        return _store_message(call, raw, request_body(call.route, metadata).get("threadId"))
    return _store_message(call, call.body, None)


def _decode_raw(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ApiError(400, "Invalid value for ByteString: " + text[:40], reason="invalidArgument") from None


def _split_header_block(raw: bytes) -> tuple[bytes, bytes]:
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    cut = min(ends) if ends else len(raw)
    return raw[:cut], raw[cut:]


def _complete(call: Call, raw: bytes) -> bytes:
    """The message as Gmail keeps it: bare CRs neutralised, Message-ID and Date added if missing."""
    head, rest = _split_header_block(raw)
    head = re.sub(rb"\r(?!\n)", b" ", head)
    parsed = BytesParser(policy=policy.default).parsebytes(head + b"\r\n\r\n", headersonly=True)
    added = b""
    if parsed["Message-ID"] is None:
        added += f"Message-ID: <{secrets.token_hex(12)}@mail.gmail.com>\r\n".encode()
    if parsed["Date"] is None:
        added += f"Date: {format_datetime(call.emulator.now())}\r\n".encode()
    return added + head + rest


def _store_message(call: Call, raw: bytes, thread_id: str | None) -> dict:
    raw = _complete(call, raw)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    addresses = {name: [addr for _, addr in getaddresses([str(v) for v in message.get_all(header, [])]) if addr]
                 for name, header in (("to", "To"), ("cc", "Cc"), ("bcc", "Bcc"))}
    if not any(addresses.values()):
        raise ApiError(400, "Recipient address required", reason="invalidArgument")
    text, html_body = _bodies(message)
    message_id = str(message["Message-ID"]).strip()
    doc = {"id": secrets.token_hex(8), "labelIds": ["SENT"], "historyId": str(call.store.count("message") + 1),
           "internalDate": str(int(call.emulator.now().timestamp() * 1000)),
           "raw": base64.urlsafe_b64encode(raw).decode("ascii"), "messageId": message_id,
           "from": str(message.get("From", "")), **addresses,
           "replyTo": str(message["Reply-To"]) if message["Reply-To"] else None,
           # Unfolding keeps the space of a fold right after "Subject:"; Gmail shows none.
           "subject": str(message.get("Subject", "")).strip(), "date": str(message.get("Date", "")),
           "text": text, "html": html_body, "snippet": _snippet(text, html_body)}
    doc["threadId"] = _thread_of(call, message, thread_id) or doc["id"]
    call.store.put("message", doc["id"], doc)
    return {"id": doc["id"], "threadId": doc["threadId"], "labelIds": doc["labelIds"]}


def _bodies(message: EmailMessage) -> tuple[str | None, str | None]:
    found = {}
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        found[kind] = _text_of(part) if part is not None else None
    return found["plain"], found["html"]


def _text_of(part: EmailMessage) -> str:
    """A text part's content; one in a charset Python does not know is read as UTF-8 with
    replacement characters (Gmail accepts such a message as it is)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def _snippet(text: str | None, html_body: str | None) -> str:
    plain = text if text is not None else re.sub(r"<[^>]+>", " ", html_body or "")
    return html.escape(" ".join(plain.split())[:200])


def _thread_of(call: Call, message: EmailMessage, thread_id: str | None) -> str | None:
    """A reply joins the thread of the message it answers; otherwise a message starts one.
    (A message that names no thread and answers none is not compared with the mailbox.)"""
    answered = (str(message.get("In-Reply-To", "")) + " " + str(message.get("References", ""))).strip()
    if not thread_id and not answered:
        return None
    docs = [doc for _, doc in call.store.all("message")]
    if thread_id and any(doc["threadId"] == thread_id for doc in docs):
        return thread_id
    for doc in docs:
        if doc["messageId"] and doc["messageId"] in answered:
            return doc["threadId"]
    return None


# Reading.
@api.route("GET", _MESSAGES, "gmail.users.messages.list", units=5)
def list_messages(call: Call, user_id: str) -> dict:
    _check_user(call, user_id)
    max_results = min(call.int_arg("maxResults", 100), 500)
    matches = _search(call.arg("q", ""))
    labels = call.query.getlist("labelIds")
    found = [doc for _, doc in reversed(call.store.all("message"))
             if matches(doc) and all(label in doc["labelIds"] for label in labels)]
    token = call.arg("pageToken") or "0"
    if not token.isdigit():
        raise ApiError(400, "Invalid pageToken", reason="invalidArgument")
    start = int(token)
    page = found[start:start + max(max_results, 1)]
    answer = {"resultSizeEstimate": len(found)}
    if page:
        answer["messages"] = [{"id": doc["id"], "threadId": doc["threadId"]} for doc in page]
    if start + len(page) < len(found):
        answer["nextPageToken"] = str(start + len(page))
    return answer


_TERM = re.compile(r'(-?)(?:(\w+):)?("[^"]*"|\([^)]*\)|\S+)')


def _search(query: str):
    """Gmail's `q`: space-separated terms, all of which must hold; a leading `-` negates one."""
    tests = []
    for negate, operator, value in _TERM.findall(query):
        test = _term(operator.lower(), value.strip('"()').lower())
        tests.append((lambda t: lambda doc: not t(doc))(test) if negate else test)
    return lambda doc: all(test(doc) for test in tests)


def _term(operator: str, value: str):
    if operator == "rfc822msgid":
        wanted = value.strip("<>")
        return lambda doc: doc["messageId"].strip("<>").lower() == wanted
    if operator in ("to", "cc", "bcc"):
        fields = ("to", "cc", "bcc") if operator == "to" else (operator,)
        return lambda doc: any(value in addr.lower() for f in fields for addr in doc[f])
    if operator == "from":
        return lambda doc: value in doc["from"].lower()
    if operator == "subject":
        return lambda doc: all(word in doc["subject"].lower() for word in value.split())
    if operator in ("in", "label"):
        return lambda doc: value == "anywhere" or value.upper() in doc["labelIds"]
    phrase = f"{operator}:{value}" if operator else value
    return lambda doc: phrase in f"{doc['subject']} {doc['text'] or ''} {doc['html'] or ''}".lower()


@api.route("GET", _MESSAGES + "/<message_id>", "gmail.users.messages.get", units=5)
def get(call: Call, user_id: str, message_id: str) -> dict:
    _check_user(call, user_id)
    doc = call.store.get("message", message_id)
    if doc is None:
        raise ApiError(404, "Requested entity was not found.", reason="notFound")
    form = call.arg("format", "full")
    if form not in ("full", "metadata", "minimal", "raw"):
        raise ApiError(400, f"Invalid value at 'format' ({form})", reason="invalidArgument")
    answer = {key: doc[key] for key in ("id", "threadId", "labelIds", "snippet", "historyId", "internalDate")}
    raw = base64.urlsafe_b64decode(doc["raw"])
    answer["sizeEstimate"] = len(raw)
    if form == "raw":
        answer["raw"] = doc["raw"]
    elif form in ("full", "metadata"):
        message = BytesParser(policy=policy.default).parsebytes(raw)
        wanted = {h.lower() for h in call.query.getlist("metadataHeaders")}
        answer["payload"] = _metadata_payload(message, wanted) if form == "metadata" else _payload(message, "")
    return answer


def _headers(part: EmailMessage) -> list[dict]:
    return [{"name": name, "value": str(value)} for name, value in part.items()]


def _metadata_payload(message: EmailMessage, wanted: set[str]) -> dict:
    headers = [h for h in _headers(message) if not wanted or h["name"].lower() in wanted]
    return {"mimeType": message.get_content_type(), "headers": headers}


def _payload(part: EmailMessage, part_id: str) -> dict:
    """A MIME part as Gmail's MessagePart: headers, decoded-size body (base64url data), sub-parts."""
    node = {"partId": part_id, "mimeType": part.get_content_type(), "filename": part.get_filename() or "",
            "headers": _headers(part)}
    if part.is_multipart():
        prefix = f"{part_id}." if part_id else ""
        node["body"] = {"size": 0}
        node["parts"] = [_payload(sub, f"{prefix}{i}") for i, sub in enumerate(part.iter_parts())]
        return node
    data = part.get_payload(decode=True) or b""
    node["body"] = {"size": len(data), "data": base64.urlsafe_b64encode(data).decode("ascii")} if data else {"size": 0}
    return node


@admin_api.route("GET", "/_emulator/mail", "admin.mail")
def sent_mail(call: Call) -> dict:
    """Every message sent through the Gmail API, oldest first, with its bodies decoded."""
    return {"messages": [{key: doc[key] for key in _ADMIN_FIELDS} for _, doc in call.store.all("message")]}

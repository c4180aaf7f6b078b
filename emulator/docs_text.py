"""A Google Doc's text as the emulator keeps it, and the Docs v1 edits it carries out.

Store kind "document", id = the Drive file id (a Google Doc is a Drive file of type
application/vnd.google-apps.document; its title is the file's name):

    {"documentId": str, "revisionId": str, "paragraphs": [str, ...]}

Each paragraph is kept without the newline that ends it. Indexes are Google's: UTF-16 code
units from 1 (index 0 is the section break every body starts with), every paragraph
taking its text and its newline. A document always holds at least one paragraph (an empty
one is just its newline).

Edits are all or nothing, as `documents.batchUpdate` is: `apply_requests` works on a copy
of the text and hands it back only when every request could be carried out; the first
request that cannot names itself in Google's 400 (`Invalid requests[2].insertText: ...`).
Only `replaceAllText` and `insertText` are served; any other request answers 501 naming
itself rather than being silently skipped. As Google does, inserted text (`insertText`'s
text, `replaceAllText`'s replaceText) loses control characters U+0000-U+0008 and
U+000C-U+001F and private-use characters U+E000-U+F8FF
(https://developers.google.com/docs/api/concepts/rules-behavior).
"""
from __future__ import annotations

import re

from .core import ApiError

SERVED = ("replaceAllText", "insertText")
_STRIPPED = re.compile("[\x00-\x08\x0c-\x1f\ue000-\uf8ff]")


def inserted(text: str) -> str:
    """Text as Google inserts it: without the characters it strips."""
    return _STRIPPED.sub("", text)


def utf16_length(text: str) -> int:
    """How many UTF-16 code units Google counts for `text` (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def full_text(paragraphs: list[str]) -> str:
    return "".join(p + "\n" for p in paragraphs)


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of a body's text, which always ends with a newline."""
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def body_content(paragraphs: list[str]) -> list[dict]:
    """Google's `body.content`: the section break, then one paragraph element per paragraph."""
    content: list[dict] = [{"endIndex": 1, "sectionBreak": {"sectionStyle": {
        "columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}}}]
    start = 1
    for paragraph in paragraphs:
        end = start + utf16_length(paragraph + "\n")
        run = {"startIndex": start, "endIndex": end, "textRun": {"content": paragraph + "\n", "textStyle": {}}}
        content.append({"startIndex": start, "endIndex": end, "paragraph": {
            "elements": [run], "paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}}})
        start = end
    return content


def apply_requests(paragraphs: list[str], requests: list[dict]) -> tuple[list[str], list[dict]]:
    """The document's paragraphs after every request, and one reply per request."""
    text = full_text(paragraphs)
    replies = []
    for number, request in enumerate(requests):
        kinds = [name for name, value in request.items() if value is not None]
        if len(kinds) != 1:
            raise _invalid(number, None, "exactly one kind of request must be set"
                           if kinds else "the request is empty: name one kind of request")
        kind = kinds[0]
        if kind not in SERVED:
            raise ApiError(501, f"The emulator does not carry out {kind} requests (requests[{number}]); it serves "
                                f"{' and '.join(SERVED)}.", "UNIMPLEMENTED", "notImplemented")
        text, reply = (_replace_all(text, request[kind], number) if kind == "replaceAllText"
                       else _insert(text, request[kind], number))
        replies.append(reply)
    return paragraphs_of(text), replies


def _invalid(number: int, kind: str | None, message: str) -> ApiError:
    where = f"requests[{number}]" + (f".{kind}" if kind else "")
    return ApiError(400, f"Invalid {where}: {message}")


def _replace_all(text: str, request: dict, number: int) -> tuple[str, dict]:
    criteria = request.get("containsText") or {}
    wanted = criteria.get("text") or ""
    if not wanted:
        raise _invalid(number, "replaceAllText", "The text to search for must not be empty.")
    if criteria.get("searchByRegex"):
        raise ApiError(501, f"The emulator does not search by regular expression (requests[{number}]).",
                       "UNIMPLEMENTED", "notImplemented")
    if request.get("tabsCriteria"):
        raise ApiError(501, f"The emulator's documents have one tab; tabsCriteria is not served (requests[{number}]).",
                       "UNIMPLEMENTED", "notImplemented")
    flags = 0 if criteria.get("matchCase") else re.IGNORECASE
    pattern = re.compile(re.escape(wanted), flags)
    # The body's last newline is never replaced: text may match across paragraphs, not past the end.
    by = inserted(request.get("replaceText") or "")
    replaced, count = pattern.subn(lambda _m: by, text[:-1])
    return replaced + "\n", {"replaceAllText": {"occurrencesChanged": count}} if count else {"replaceAllText": {}}


def _insert(text: str, request: dict, number: int) -> tuple[str, dict]:
    location, at_end = request.get("location"), request.get("endOfSegmentLocation")
    if (location is None) == (at_end is None):
        raise _invalid(number, "insertText", "exactly one of location and endOfSegmentLocation must be set.")
    target = location or at_end
    if target.get("segmentId"):
        raise _invalid(number, "insertText", f"No segment with id {target['segmentId']} exists in the document.")
    added = inserted(request.get("text") or "")
    end = utf16_length(text) + 1   # the index just past the body's last newline
    if at_end is not None:
        offset = len(text) - 1
    else:
        index = location.get("index", 0)
        if index < 1:
            raise _invalid(number, "insertText", "Index must be at least 1.")
        if index >= end:
            raise _invalid(number, "insertText", f"Index {index} must be less than the end index of the "
                                                 f"referenced segment, {end}.")
        offset = _offset(text, index)
    return text[:offset] + added + text[offset:], {}


def _offset(text: str, index: int) -> int:
    """The position in `text` of Google's index `index` (UTF-16 units from 1)."""
    units = 1
    for position, char in enumerate(text):
        if units >= index:
            return position
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)

"""Docs v1 as PLT Sync uses it: make a document, read it, fill it with one batchUpdate.

A document is a Drive file (emulator/drive_files.py, type DOCUMENT) and a stored text
(emulator/docs_text.py, kind "document") under the same id: the file holds the title,
parents, sharing and app tags; the text travels with it when Drive copies the file, and a
.docx or plain-text upload converted to a Google Doc becomes one (emulator/docs_convert.py).
Who may read or change a document is the Drive file's sharing, and the drive.file scope
reaches only documents the app made or was given (emulator/scopes.py, `document_id`).

Every answer is a Document or BatchUpdateDocumentResponse of the packaged discovery
document; each batchUpdate makes a new `revisionId`, and `writeControl.requiredRevisionId`
refuses a batch written against an older revision, as Google does.
"""
from __future__ import annotations

import copy

from .core import Api, ApiError, Call
from .docs_text import apply_requests, body_content
from .drive_files import DOCUMENT, ROLE_RANK, new_file_doc, role_of, root_id, touch_file

api = Api("docs")
_DOCUMENTS = "/v1/documents"


def new_document(emulator, file_id: str, paragraphs: list[str] | None = None) -> dict:
    """The stored text of the Google Doc `file_id` (one empty paragraph unless given)."""
    document = {"documentId": file_id, "revisionId": _revision(emulator), "paragraphs": list(paragraphs or [""])}
    return emulator.store.put("document", file_id, document)


def copy_document(emulator, source_id: str, copy_id: str) -> None:
    """The text of a Drive copy of a Google Doc: the source's, under the copy's id."""
    source = emulator.store.get("document", source_id)
    new_document(emulator, copy_id, copy.deepcopy(source["paragraphs"]) if source else None)


def delete_document(emulator, file_id: str) -> None:
    emulator.store.delete("document", file_id)


def _revision(emulator) -> str:
    return "ALm37B" + emulator.new_id(40)


@api.route("POST", _DOCUMENTS, "docs.documents.create", write=True)
def create(call: Call) -> dict:
    """A blank document titled as asked in My Drive; Google ignores any content in the body."""
    title = call.json().get("title") or "Untitled document"
    file_id = call.emulator.new_id()
    call.store.put("file", file_id, new_file_doc(call.emulator, file_id=file_id, name=title, mime_type=DOCUMENT,
                                                 parents=[root_id(call.emulator)]))
    return _answer(call, new_document(call.emulator, file_id))


@api.route("GET", _DOCUMENTS + "/<document_id>", "docs.documents.get")
def get(call: Call, document_id: str) -> dict:
    return _answer(call, _find(call, document_id, "reader"), tabs=call.flag("includeTabsContent"))


@api.route("POST", _DOCUMENTS + "/<document_id>:batchUpdate", "docs.documents.batchUpdate", write=True)
def batch_update(call: Call, document_id: str) -> dict:
    document = _find(call, document_id, "writer")
    body = call.json()
    required = (body.get("writeControl") or {}).get("requiredRevisionId")
    if required and required != document["revisionId"]:
        raise ApiError(400, "The required revision ID does not match the latest revision.",
                       "FAILED_PRECONDITION", "failedPrecondition")
    paragraphs, replies = apply_requests(document["paragraphs"], list(body.get("requests") or []))
    document["paragraphs"] = paragraphs
    document["revisionId"] = _revision(call.emulator)
    call.store.touch("document", document_id)
    touch_file(call, call.store.get("file", document_id))
    return {"documentId": document_id, "replies": replies,
            "writeControl": {"requiredRevisionId": document["revisionId"]}}


def _find(call: Call, document_id: str, need: str) -> dict:
    """The stored document the caller may act on as `need`, else Google's error."""
    file = call.store.get("file", document_id)
    role = role_of(file, call.emulator.user_email) if file else None
    if role is None:
        raise ApiError(404, "Requested entity was not found.")
    if file["mimeType"] != DOCUMENT:
        raise ApiError(400, "This operation is not supported for this document", "FAILED_PRECONDITION",
                       "failedPrecondition")
    if ROLE_RANK[role] < ROLE_RANK[need]:
        raise ApiError(403, "The caller does not have permission")
    document = call.store.get("document", document_id)
    return document if document is not None else new_document(call.emulator, document_id)


def _answer(call: Call, document: dict, *, tabs: bool = False) -> dict:
    """The Document resource: its body at the top, or (includeTabsContent) in its one tab."""
    title = call.store.get("file", document["documentId"])["name"]
    body = {"content": body_content(document["paragraphs"])}
    answer = {"documentId": document["documentId"], "title": title, "revisionId": document["revisionId"],
              "suggestionsViewMode": "SUGGESTIONS_INLINE"}
    if tabs:
        answer["tabs"] = [{"tabProperties": {"tabId": "t.0", "title": "Tab 1", "index": 0},
                           "documentTab": {"body": body}}]
    else:
        answer["body"] = body
    return answer

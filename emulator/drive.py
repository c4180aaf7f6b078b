"""Drive v3 as google-api-python-client and gspread use it: files, permissions, uploads, batch.

This module is the route table and the files.* methods; the stored shapes are documented in
emulator/drive_files.py (kind "file") and emulator/drive_permissions.py (permissions inside a
file, kind "drive_notification"). Other emulator modules call `register_file` and
`file_exists`. Spreadsheets stay in step with Sheets: create, copy, rename and delete of a
spreadsheet file go through emulator.sheets. Export is answered honestly: Google's 403 for
files that are not Docs Editors files, and a 400 saying the emulator does not render exports
for those that are. What the request's OAuth scopes let it do with a file is checked where
the file is looked up (`find_file`, emulator/scopes.py). Drive v2 (emulator/drive_v2.py)
answers through `listed_page`, `apply_update`, `copy_of` and `delete`.
"""
from __future__ import annotations

import base64
import copy
import hashlib

from . import drive_batch, drive_people, drive_permissions  # noqa: F401 - drive_people: its admin routes
from .core import Api, ApiError, Call, Raw
from .drive_files import (DOCUMENT, FOLDER, SPREADSHEET, check_parents, content_of, create_file, descendants_of,
                          file_answer, find_file, listable, new_file_doc, refuse_read_only, render_file,
                          root_id, string_map, timestamp, touch_file)
from .drive_query import QueryContext, compile_query, invalid_query

api = Api("drive")
_FILES = "/drive/v3/files"


def register_file(emulator, *, file_id: str, name: str, mime_type: str, parents: list[str] | None = None) -> dict:
    """The Drive file of a spreadsheet or form made through its own API, owned by the caller."""
    existing = emulator.store.get("file", file_id)
    if existing is not None:
        return existing
    return emulator.store.put("file", file_id, new_file_doc(emulator, file_id=file_id, name=name,
                                                            mime_type=mime_type, parents=parents))


def file_exists(emulator, file_id: str) -> bool:
    """True while the file is neither trashed nor deleted."""
    doc = emulator.store.get("file", file_id)
    return doc is not None and not doc.get("trashed")


@api.route("POST", _FILES, "drive.files.create", write=True)
def create(call: Call) -> dict:
    return file_answer(call, create_file(call, call.json()))


@api.route("GET", _FILES + "/<file_id>", "drive.files.get")
def get(call: Call, file_id: str):
    if file_id == "root":
        file_id = root_id(call.emulator)
    if file_id == root_id(call.emulator):
        return {"kind": "drive#file", "id": file_id, "name": "My Drive", "mimeType": FOLDER}
    if call.arg("alt") != "media":
        return file_answer(call, find_file(call, file_id))
    doc = find_file(call, file_id, content=True)
    if doc["mimeType"].startswith("application/vnd.google-apps."):
        raise ApiError(403, "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                       reason="fileNotDownloadable")
    return Raw(content_of(doc), doc["mimeType"])


@api.route("GET", _FILES, "drive.files.list")
def list_files(call: Call) -> dict:
    page, token = listed_page(call, compile_query(call.arg("q")), call.arg("orderBy", ""),
                              call.int_arg("pageSize", 100))
    answer = {"kind": "drive#fileList", "incompleteSearch": False,
              "files": [render_file(doc, call.emulator) if call.arg("fields") else file_answer(call, doc)
                        for doc in page]}
    if token:
        answer["nextPageToken"] = token
    return answer


def listed_page(call: Call, predicate, order_by: str, page_size: int) -> tuple[list[dict], str | None]:
    """One page of the files the caller may list that match `predicate`, and the token of
    the next page (None on the last)."""
    if not 1 <= page_size <= 1000:
        raise ApiError(400, f"Invalid value '{page_size}'. Values must be within the range: [1, 1000]",
                       reason="invalid")
    context = QueryContext(call.emulator.user_email, root_id(call.emulator))
    matches = [doc for _, doc in call.store.all("file") if predicate(doc, context) and listable(call, doc)]
    matches = _ordered(matches, order_by)
    start = _page_start(call.arg("pageToken"), call.arg("q", ""), order_by)
    token = _page_token(start + page_size, call.arg("q", ""), order_by) if start + page_size < len(matches) else None
    return matches[start:start + page_size], token


_ORDER_KEYS = {"name": lambda d: d["name"].lower(), "name_natural": lambda d: d["name"].lower(),
               "createdTime": lambda d: d["createdTime"], "modifiedTime": lambda d: d["modifiedTime"],
               "recency": lambda d: d["modifiedTime"], "folder": lambda d: d["mimeType"] != FOLDER,
               "starred": lambda d: not d.get("starred")}


def _ordered(docs: list[dict], order_by: str) -> list[dict]:
    """Sort by each `orderBy` key, last key first, so the first key decides (stable sorts).
    Without `orderBy`, Google lists the most recently modified first (newest created first
    among equals), as the recorded traffic shows."""
    if not order_by.strip():
        return sorted(reversed(docs), key=lambda d: d.get("modifiedTime", ""), reverse=True)
    keys = [part.split() for part in order_by.split(",") if part.strip()]
    for words in reversed(keys):
        if words[0] not in _ORDER_KEYS or len(words) > 2 or (len(words) == 2 and words[1] != "desc"):
            raise ApiError(400, "Invalid Value", reason="invalid")
        docs = sorted(docs, key=_ORDER_KEYS[words[0]], reverse=len(words) == 2)
    return docs


def _page_token(offset: int, query: str, order_by: str) -> str:
    tag = hashlib.sha256(f"{query}\n{order_by}".encode()).hexdigest()[:8]
    return base64.urlsafe_b64encode(f"{offset}:{tag}".encode()).decode()


def _page_start(token: str | None, query: str, order_by: str) -> int:
    """The offset a page token points at; a token from another query is refused."""
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[0])
    except (ValueError, UnicodeDecodeError):
        raise invalid_query() from None
    if _page_token(offset, query, order_by) != token:
        raise invalid_query()
    return offset


@api.route("PATCH", _FILES + "/<file_id>", "drive.files.update", write=True)
def update(call: Call, file_id: str) -> dict:
    return _updated(call, find_file(call, file_id, need="writer"), call.json())


@api.route("PATCH", "/upload" + _FILES + "/<file_id>", "drive.files.update", write=True)
def upload_update(call: Call, file_id: str) -> dict:
    return drive_batch.replace_content(call, file_id, _updated)


def _updated(call: Call, doc: dict, body: dict) -> dict:
    if "parents" in body:
        raise ApiError(403, "The parents field is not directly writable in update requests. "
                            "Use the addParents and removeParents parameters instead.", reason="fieldNotWritable")
    refuse_read_only(body, ("id", "mimeType"))
    return file_answer(call, apply_update(call, doc, body))


def apply_update(call: Call, doc: dict, body: dict) -> dict:
    """Change `doc` as a v3 update body (and `addParents`/`removeParents`) asks; Drive v2 maps
    its body to this one."""
    _move(call, doc)
    for key in ("appProperties", "properties"):
        for name, value in string_map(body.get(key), key).items():
            if value is None:
                doc[key].pop(name, None)
            else:
                doc[key][name] = value
    for key in ("description", "starred"):
        if key in body:
            doc[key] = body[key]
    modified = timestamp(body["modifiedTime"], "modifiedTime") if body.get("modifiedTime") else None
    if "trashed" in body:
        _set_trashed(call, doc, bool(body["trashed"]))
    if body.get("name") and body["name"] != doc["name"]:
        doc["name"] = body["name"]
        if doc["mimeType"] == SPREADSHEET:
            from .sheets import rename_spreadsheet

            rename_spreadsheet(call.emulator, doc["id"], doc["name"])
    touch_file(call, doc)
    if modified:
        doc["modifiedTime"] = modified  # writable, as Google documents it
    return doc


def _move(call: Call, doc: dict) -> None:
    removed = {p for p in (call.arg("removeParents") or "").split(",") if p}
    added = [p for p in (call.arg("addParents") or "").split(",") if p]
    root = root_id(call.emulator)
    removed = {root if p == "root" else p for p in removed}
    kept = [p for p in doc["parents"] if p not in removed]
    new = [p for p in check_parents(call, added) if p not in kept] if added else []
    if len(kept) + len(new) > 1:
        raise ApiError(403, "Increasing the number of parents is not allowed.", reason="cannotAddParent")
    doc["parents"] = kept + new


def _set_trashed(call: Call, doc: dict, trashed: bool) -> None:
    """Trashing a folder trashes what is inside; restoring it restores what was not trashed on its own."""
    doc["trashed"] = doc["explicitlyTrashed"] = trashed
    inside = descendants_of(call, doc["id"]) if doc["mimeType"] == FOLDER else []
    for child in inside:
        if not child.get("explicitlyTrashed"):
            child["trashed"] = trashed
            call.store.touch("file", child["id"])


@api.route("POST", _FILES + "/<file_id>/copy", "drive.files.copy", write=True)
def copy_file(call: Call, file_id: str) -> dict:
    # A null field is an unset one: gspread sends `"name": null` to mean "the default name".
    body = {key: value for key, value in call.json().items() if value is not None}
    refuse_read_only(body, ("id",))
    return file_answer(call, copy_of(call, file_id, body))


def copy_of(call: Call, file_id: str, body: dict) -> dict:
    """A copy of the file, with what a v3 copy body sets ("Copy of <name>" unless it names one)."""
    source = find_file(call, file_id, content=True)
    if source["mimeType"] == FOLDER:
        raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
    metadata = {"name": f"Copy of {source['name']}", "mimeType": source["mimeType"],
                "parents": source["parents"], "appProperties": source.get("appProperties"),
                "properties": source.get("properties"), **body}
    if metadata["mimeType"] != source["mimeType"]:
        raise ApiError(400, "Invalid Value", reason="invalid")
    copied = create_file(call, metadata, new_document=False)
    if "content" in source:
        copied.update({k: source[k] for k in ("content", "size", "md5Checksum")})
    if source["mimeType"] == SPREADSHEET:
        _copy_spreadsheet(call, source["id"], copied)
    if source["mimeType"] == DOCUMENT:
        from .docs import copy_document

        copy_document(call.emulator, source["id"], copied["id"])
    return copied


def _copy_spreadsheet(call: Call, source_id: str, copied: dict) -> None:
    """The Sheets document travels with the Drive copy, under the copy's id and name."""
    from .sheets import rename_spreadsheet

    document = copy.deepcopy(call.store.get("spreadsheet", source_id))
    if document is None:
        raise ApiError(500, "Internal error encountered.")
    document["spreadsheetId"] = copied["id"]
    if "spreadsheetUrl" in document:
        document["spreadsheetUrl"] = document["spreadsheetUrl"].replace(source_id, copied["id"])
    call.store.put("spreadsheet", copied["id"], document)
    rename_spreadsheet(call.emulator, copied["id"], copied["name"])


@api.route("DELETE", _FILES + "/<file_id>", "drive.files.delete", write=True)
def delete(call: Call, file_id: str):
    """Deleting skips the trash; a folder takes everything inside it along."""
    doc = find_file(call, file_id, need="owner")
    doomed = [doc] + (descendants_of(call, file_id) if doc["mimeType"] == FOLDER else [])
    for gone in doomed:
        call.store.delete("file", gone["id"])
        if gone["mimeType"] == SPREADSHEET:
            from .sheets import delete_spreadsheet

            delete_spreadsheet(call.emulator, gone["id"])
        if gone["mimeType"] == DOCUMENT:
            from .docs import delete_document

            delete_document(call.emulator, gone["id"])
    return Raw(b"", "text/plain", status=204)


@api.route("GET", _FILES + "/<file_id>/export", "drive.files.export")
def export(call: Call, file_id: str):
    doc = find_file(call, file_id, content=True)
    if not doc["mimeType"].startswith("application/vnd.google-apps.") or doc["mimeType"] == FOLDER:
        raise ApiError(403, "Export only supports Docs Editors files.", reason="fileNotExportable")
    raise ApiError(400, f"The emulator does not render exports of {doc['mimeType']} "
                        f"to {call.arg('mimeType', '')}.", reason="badRequest")


@api.route("GET", _FILES + "/<file_id>/comments", "drive.comments.list")
def list_comments(call: Call, file_id: str) -> dict:
    """Files carry no comments in the emulator; gspread's copy asks for them."""
    find_file(call, file_id, content=True)
    if not call.arg("fields"):
        raise ApiError(400, "The 'fields' parameter is required for this method.", reason="required")
    return {"kind": "drive#commentList", "comments": []}


# Uploads, permissions and the batch endpoint live in their own modules; their routes are here.
_UPLOAD = "/upload/drive/v3/files"
api.route("POST", _UPLOAD, "drive.files.create", write=True)(drive_batch.upload)
api.route("PUT", _UPLOAD, "drive.files.create", write=True)(drive_batch.resume_upload)
api.route("POST", "/batch/drive/v3", "drive.batch", counted=False)(drive_batch.batch)
_PERMISSIONS = _FILES + "/<file_id>/permissions"
api.route("POST", _PERMISSIONS, "drive.permissions.create", write=True)(drive_permissions.create)
api.route("GET", _PERMISSIONS, "drive.permissions.list")(drive_permissions.list_permissions)
api.route("GET", _PERMISSIONS + "/<permission_id>", "drive.permissions.get")(drive_permissions.get)
api.route("PATCH", _PERMISSIONS + "/<permission_id>", "drive.permissions.update", write=True)(
    drive_permissions.update)
api.route("DELETE", _PERMISSIONS + "/<permission_id>", "drive.permissions.delete", write=True)(
    drive_permissions.delete)

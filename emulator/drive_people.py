"""Files people make in Drive itself (the web UI, the desktop app), not through the API.

Google tells them apart from the files an app created: under the `drive.file` scope an app
reaches only its own files and those a person opened with it (Google Picker, Drive's "Open
with"), which the File resource shows as `isAppAuthorized`. These admin routes (not
Google's) stand in for the person:

    POST /_emulator/drive/files
         {"name", "mimeType" (default application/octet-stream), "parents": [folder id],
          "content": text | "contentBase64": base64, "owner": email (default: the account)}
         -> the Drive v3 File, with isAppAuthorized false
    POST /_emulator/drive/files/{fileId}/open   a person opens the file with the app
         -> {"id", "isAppAuthorized": true}
    POST /_emulator/drive/upload                the same as a browser form (multipart/form-data:
                                                "file", "parent"), from the page at `/`; -> 303 to `/`

A person's file in a folder takes the folder's sharing, as Drive's inherited permissions
do (the folder's owner can edit it); its owner is the person who made it. The person must be
able to edit the folder. Forms cannot be made here: a form needs its Forms document.
"""
from __future__ import annotations

import base64
import binascii
import re

from .admin import api
from .core import ApiError, Call, Raw
from .drive_batch import split_head, split_multipart
from .drive_files import (FOLDER, FORM, ROLE_RANK, SPREADSHEET, new_file_doc, owner_permission, render_file,
                          role_of, set_content)

_FIELD_NAME = re.compile(r'\bname="([^"]*)"')
_FILE_NAME = re.compile(r'\bfilename="([^"]*)"')


@api.route("POST", "/_emulator/drive/files", "admin.drive.files.create")
def create_person_file(call: Call) -> dict:
    body = call.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        raise ApiError(400, "A person's file needs a name.")
    parents = body.get("parents") or []
    if not isinstance(parents, list) or len(parents) > 1:
        raise ApiError(400, "parents must be a list of at most one folder id.")
    doc = person_file(call, body["name"], body.get("mimeType") or "application/octet-stream",
                      parents[0] if parents else None, _content(body), body.get("owner") or call.emulator.user_email)
    return render_file(doc, call.emulator)


@api.route("POST", "/_emulator/drive/files/<file_id>/open", "admin.drive.files.open")
def open_with_app(call: Call, file_id: str) -> dict:
    doc = call.store.get("file", file_id)
    if doc is None:
        raise ApiError(404, f"File not found: {file_id}.")
    doc["isAppAuthorized"] = True
    call.store.touch("file", file_id)
    return {"id": file_id, "isAppAuthorized": True}


@api.route("POST", "/_emulator/drive/upload", "admin.drive.upload")
def upload_from_page(call: Call) -> Raw:
    """The page's upload form: one file, into the chosen folder (or My Drive)."""
    fields = {}
    for part in split_multipart(call.body, call.headers.get("Content-Type", "")):
        headers, value = split_head(part)
        disposition = headers.get("content-disposition", "")
        name = _FIELD_NAME.search(disposition)
        if name:
            filename = _FILE_NAME.search(disposition)
            fields[name.group(1)] = (filename.group(1) if filename else None, headers.get("content-type"), value)
    filename, media_type, content = fields.get("file", (None, None, b""))
    if not filename:
        raise ApiError(400, "Choose a file to upload.")
    parent = fields.get("parent", (None, None, b""))[2].decode("utf-8").strip() or None
    person_file(call, filename, media_type or "application/octet-stream", parent, content, call.emulator.user_email)
    return Raw(b"", "text/plain", status=303, headers={"Location": "/"})


def person_file(call: Call, name: str, mime_type: str, parent: str | None, content: bytes | None,
                owner: str) -> dict:
    """A file `owner` made in Drive, in `parent` (a folder they can edit) or their My Drive."""
    if mime_type == FORM:
        raise ApiError(400, "Forms are made through the Forms API (POST /v1/forms).")
    doc = new_file_doc(call.emulator, file_id=call.emulator.new_id(), name=name, mime_type=mime_type,
                       parents=[parent] if parent else None)
    doc["isAppAuthorized"] = False
    doc["permissions"] = [owner_permission(owner)] + (_inherited(call, parent, owner) if parent else [])
    if content is not None:
        set_content(doc, content)
    call.store.put("file", doc["id"], doc)
    if mime_type == SPREADSHEET:
        from .sheets import new_spreadsheet

        new_spreadsheet(call.emulator, doc["id"], name)
    return doc


def _inherited(call: Call, parent: str, owner: str) -> list[dict]:
    """The folder's sharing, its owner as an editor, for a file `owner` puts in it."""
    folder = call.store.get("file", parent)
    if folder is None or folder["mimeType"] != FOLDER:
        raise ApiError(400, f"{parent} is not a folder.")
    role = role_of(folder, owner)
    if role is None or ROLE_RANK[role] < ROLE_RANK["writer"]:
        raise ApiError(403, f"{owner} cannot add files to the folder {parent}.")
    inherited = []
    for perm in folder["permissions"]:
        if perm.get("emailAddress", "").lower() != owner.lower():
            inherited.append({**perm, "role": "writer" if perm["role"] == "owner" else perm["role"]})
    return inherited


def _content(body: dict) -> bytes | None:
    if body.get("contentBase64") is not None:
        try:
            return base64.b64decode(body["contentBase64"], validate=True)
        except (binascii.Error, TypeError):
            raise ApiError(400, "contentBase64 is not base64.") from None
    text = body.get("content")
    if text is not None and not isinstance(text, str):
        raise ApiError(400, "content must be text; send bytes as contentBase64.")
    return None if text is None else text.encode("utf-8")

"""Drive v2, the subset older clients still speak, on the same files as Drive v3.

Served as the v2 discovery document google-api-python-client ships describes it:
files.insert (metadata, and uploads: media, multipart, resumable), get (metadata or
`alt=media`), list (`q` in v2's dialect, `maxResults`, `pageToken`, `orderBy`; answered as
`items`), update (PUT, with new content as media or multipart too) and patch, copy, trash,
untrash, delete; children.list; permissions insert, list, get, delete; and the batch
endpoint. A file made through either version is
the other's file: the resources are mapped in emulator/drive_v2_shape.py, and every check
(sharing, OAuth scopes, parents) is Drive v3's. Errors have Google's JSON shape.
"""
from __future__ import annotations

from . import drive_batch, drive_permissions
from .core import Api, ApiError, Call
from .drive import apply_update, copy_of, delete, get as get_v3, listed_page
from .drive_files import FOLDER, create_file, find_file, root_id
from .drive_query import V2_FIELDS, compile_query
from .drive_v2_shape import child_reference, v2_file, v2_permission, v2_root, v3_metadata, v3_permission

api = Api("drive", version="v2")
_FILES = "/drive/v2/files"
_ONE = _FILES + "/<file_id>"
# v2's orderBy names -> v3's.
_ORDER_NAMES = {"title": "name", "title_natural": "name_natural", "createdDate": "createdTime",
                "modifiedDate": "modifiedTime", "recency": "recency", "folder": "folder", "starred": "starred"}


def _answer(call: Call, doc: dict) -> dict:
    return v2_file(doc, call.emulator)


def _inserted(call: Call, metadata: dict, content: bytes | None = None, content_type: str | None = None) -> dict:
    return _answer(call, create_file(call, v3_metadata(metadata), content, content_type))


@api.route("POST", _FILES, "drive.files.insert", write=True)
def insert(call: Call) -> dict:
    metadata = v3_metadata(call.json())
    metadata.pop("trashed", None)  # a new file is never born in the trash
    return _answer(call, create_file(call, metadata))


@api.route("POST", "/upload" + _FILES, "drive.files.insert", write=True)
def upload(call: Call):
    return drive_batch.upload(call, _inserted)


@api.route("PUT", "/upload" + _FILES, "drive.files.insert", write=True)
def resume_upload(call: Call):
    return drive_batch.resume_upload(call, _inserted)


@api.route("GET", _ONE, "drive.files.get")
def get(call: Call, file_id: str):
    if call.arg("alt") == "media":
        return get_v3(call, file_id)
    if file_id in ("root", root_id(call.emulator)):
        return v2_root(call.emulator)
    return _answer(call, find_file(call, file_id))


@api.route("GET", _FILES, "drive.files.list")
def list_files(call: Call) -> dict:
    page, token = listed_page(call, compile_query(call.arg("q"), V2_FIELDS), _order_by(call.arg("orderBy", "")),
                              call.int_arg("maxResults", 100))
    answer = {"kind": "drive#fileList", "incompleteSearch": False, "items": [_answer(call, doc) for doc in page]}
    if token:
        answer["nextPageToken"] = token
    return answer


def _order_by(text: str) -> str:
    """v2's `orderBy` in v3's names, so both versions sort alike; an unknown name is refused."""
    keys = []
    for part in (p for p in text.split(",") if p.strip()):
        name, *rest = part.split()
        if name not in _ORDER_NAMES:
            raise ApiError(400, "Invalid Value", reason="invalid")
        keys.append(" ".join([_ORDER_NAMES[name], *rest]))
    return ",".join(keys)


@api.route("PUT", _ONE, "drive.files.update", write=True)
def update(call: Call, file_id: str) -> dict:
    return _changed(call, file_id, call.json())


@api.route("PUT", "/upload" + _ONE, "drive.files.update", write=True)
def upload_update(call: Call, file_id: str) -> dict:
    return drive_batch.replace_content(call, file_id, lambda call, doc, body: _changed(call, doc["id"], body))


@api.route("PATCH", _ONE, "drive.files.patch", write=True)
def patch(call: Call, file_id: str) -> dict:
    return _changed(call, file_id, call.json())


def _changed(call: Call, file_id: str, body: dict) -> dict:
    """update and patch: the writable fields of the body, and addParents/removeParents. A
    modifiedDate counts only with setModifiedDate=true; parents other than the current ones
    must be moved with addParents/removeParents, as the v2 reference says."""
    doc = find_file(call, file_id, need="writer")
    changes = v3_metadata(body)
    if changes.pop("parents", doc["parents"]) != doc["parents"]:
        raise ApiError(403, "The parents field is not directly writable in update requests. "
                            "Use the addParents and removeParents parameters instead.", reason="fieldNotWritable")
    if changes.pop("mimeType", doc["mimeType"]) != doc["mimeType"]:
        raise ApiError(403, "The mimeType of a file cannot be changed.", reason="fieldNotWritable")
    changes.pop("createdTime", None)
    if not call.flag("setModifiedDate"):
        changes.pop("modifiedTime", None)
    return _answer(call, apply_update(call, doc, changes))


@api.route("POST", _ONE + "/copy", "drive.files.copy", write=True)
def copy_file(call: Call, file_id: str) -> dict:
    metadata = v3_metadata(call.json())
    metadata.pop("trashed", None)
    return _answer(call, copy_of(call, file_id, metadata))


@api.route("POST", _ONE + "/trash", "drive.files.trash", write=True)
def trash(call: Call, file_id: str) -> dict:
    return _answer(call, apply_update(call, find_file(call, file_id, need="writer"), {"trashed": True}))


@api.route("POST", _ONE + "/untrash", "drive.files.untrash", write=True)
def untrash(call: Call, file_id: str) -> dict:
    return _answer(call, apply_update(call, find_file(call, file_id, need="writer"), {"trashed": False}))


api.route("DELETE", _ONE, "drive.files.delete", write=True)(delete)


@api.route("GET", _ONE.replace("<file_id>", "<folder_id>") + "/children", "drive.children.list")
def list_children(call: Call, folder_id: str) -> dict:
    folder = root_id(call.emulator) if folder_id == "root" else folder_id
    if folder != root_id(call.emulator) and find_file(call, folder)["mimeType"] != FOLDER:
        return {"kind": "drive#childList", "items": []}
    matches = compile_query(call.arg("q"), V2_FIELDS)
    page, token = listed_page(call, lambda doc, ctx: folder in doc["parents"] and matches(doc, ctx),
                              _order_by(call.arg("orderBy", "")), call.int_arg("maxResults", 100))
    answer = {"kind": "drive#childList", "items": [child_reference(folder, doc) for doc in page]}
    if token:
        answer["nextPageToken"] = token
    return answer


# Permissions.
_PERMISSIONS = _ONE + "/permissions"


@api.route("POST", _PERMISSIONS, "drive.permissions.insert", write=True)
def insert_permission(call: Call, file_id: str) -> dict:
    """v2 makes a new owner without v3's transferOwnership flag."""
    perm = drive_permissions.grant(call, file_id, v3_permission(call.json()),
                                   notify=call.flag("sendNotificationEmails", True), transfer=True)
    return v2_permission(perm, file_id)


@api.route("GET", _PERMISSIONS, "drive.permissions.list")
def list_permissions(call: Call, file_id: str) -> dict:
    """Every permission unless `maxResults` asks for pages (v2 lists all by default)."""
    permissions = find_file(call, file_id)["permissions"]
    size = call.int_arg("maxResults", len(permissions) or 1)
    if size < 1:
        raise ApiError(400, f"Invalid value '{size}'. Values must be at least 1.", reason="invalid")
    token = call.arg("pageToken") or "0"
    if not token.isdigit():
        raise ApiError(400, "Invalid Value", reason="invalid")
    start = int(token)
    answer = {"kind": "drive#permissionList",
              "items": [v2_permission(p, file_id) for p in permissions[start:start + size]]}
    if start + size < len(permissions):
        answer["nextPageToken"] = str(start + size)
    return answer


@api.route("GET", _PERMISSIONS + "/<permission_id>", "drive.permissions.get")
def get_permission(call: Call, file_id: str, permission_id: str) -> dict:
    return v2_permission(drive_permissions.find_permission(find_file(call, file_id), permission_id), file_id)


api.route("DELETE", _PERMISSIONS + "/<permission_id>", "drive.permissions.delete", write=True)(
    drive_permissions.delete)
api.route("POST", "/batch/drive/v2", "drive.batch", counted=False)(drive_batch.batch)

"""Drive v3 files: the stored file document, who may see it, and how it is answered.

Store kind "file", id = the Drive file id. One document per file, folder, spreadsheet or form:

    {"id": str, "name": str, "mimeType": str,
     "parents": [folder id],                # exactly one; the caller's My Drive root by default
     "trashed": bool, "explicitlyTrashed": bool,   # trashing a folder trashes what is inside
     "starred": bool, "description": str (optional),
     "createdTime": RFC 3339, "modifiedTime": RFC 3339, "version": int,
     "appProperties": {str: str}, "properties": {str: str},
     "isAppAuthorized": bool,               # made through the API (true) or by a person, see
                                            # emulator/drive_people.py; what drive.file reaches
     "permissions": [permission],           # see emulator/drive_permissions.py; one role "owner"
     "content": base64 str (optional),      # uploaded bytes; never answered as metadata
     "size": str, "md5Checksum": str (with content)}

Resources are answered as Google does: without a `fields` mask a file is only
{kind, id, name, mimeType}; with one, the core selects from the full resource built by
`render_file` (which adds webViewLink, owners, shared, ownedByMe and capabilities).
A file the caller holds no permission on answers 404 "File not found: <id>.", as Google does;
what the request's OAuth scopes let the app do with a file is decided in emulator/scopes.py.
"""
from __future__ import annotations

import base64
import hashlib

from .core import ApiError, Call, parse_rfc3339, rfc3339
from .scopes import METADATA, READ, WRITE, app_authorized, file_level, require_file

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FORM = "application/vnd.google-apps.form"
DOCUMENT = "application/vnd.google-apps.document"

ROLE_RANK = {"reader": 0, "commenter": 1, "writer": 2, "fileOrganizer": 3, "organizer": 4, "owner": 5}
_DEFAULT_FILE_FIELDS = ("kind", "id", "name", "mimeType")
_LINKS = {FOLDER: "https://drive.google.com/drive/folders/{}",
          SPREADSHEET: "https://docs.google.com/spreadsheets/d/{}/edit",
          FORM: "https://docs.google.com/forms/d/{}/edit",
          DOCUMENT: "https://docs.google.com/document/d/{}/edit"}


def not_found(file_id: str) -> ApiError:
    return ApiError(404, f"File not found: {file_id}.", reason="notFound")


def insufficient() -> ApiError:
    return ApiError(403, "The user does not have sufficient permissions for this file.",
                    reason="insufficientFilePermissions")


def root_id(emulator) -> str:
    """The caller's My Drive root folder id, stable per account (the alias is "root")."""
    digest = hashlib.sha256(emulator.user_email.lower().encode()).hexdigest()
    return "0A" + digest[:17].upper() + "Uk9PVA"


def permission_id(value: str) -> str:
    """A numeric-looking id, stable per email address or domain, like Google's."""
    return str(int(hashlib.sha256(value.lower().encode()).hexdigest(), 16))[:20]


def owner_permission(email: str) -> dict:
    return {"id": permission_id(email), "type": "user", "role": "owner", "emailAddress": email,
            "displayName": email.split("@")[0], "deleted": False, "pendingOwner": False}


def new_file_doc(emulator, *, file_id: str, name: str, mime_type: str, parents: list[str] | None) -> dict:
    now = emulator.now_rfc3339()
    return {"id": file_id, "name": name, "mimeType": mime_type, "parents": parents or [root_id(emulator)],
            "trashed": False, "explicitlyTrashed": False, "starred": False,
            "createdTime": now, "modifiedTime": now, "version": 1, "appProperties": {}, "properties": {},
            "isAppAuthorized": True, "permissions": [owner_permission(emulator.user_email)]}


def set_content(doc: dict, content: bytes) -> None:
    doc["content"] = base64.b64encode(content).decode("ascii")
    doc["size"] = str(len(content))
    doc["md5Checksum"] = hashlib.md5(content).hexdigest()


def content_of(doc: dict) -> bytes:
    return base64.b64decode(doc.get("content", ""))


# Who may see and change a file.
def role_of(doc: dict, email: str, *, listing: bool = False) -> str | None:
    """The caller's highest role on `doc`; link sharing counts for get but not for listing."""
    email = email.lower()
    domain = email.rsplit("@", 1)[-1]
    best = None
    for perm in doc.get("permissions", []):
        applies = ((perm["type"] in ("user", "group") and perm.get("emailAddress", "").lower() == email)
                   or (perm["type"] == "domain" and perm.get("domain", "").lower() == domain)
                   or (perm["type"] == "anyone" and not listing))
        if applies and (best is None or ROLE_RANK[perm["role"]] > ROLE_RANK[best]):
            best = perm["role"]
    return best


def find_file(call: Call, file_id: str, need: str = "reader", *, content: bool = False) -> dict:
    """The file doc the caller may act on with at least role `need` (and read the bytes of,
    with `content`) under the request's scopes, else Google's error."""
    doc = call.store.get("file", file_id)
    role = role_of(doc, call.emulator.user_email) if doc else None
    if role is None:
        raise not_found(file_id)
    require_file(call, doc, WRITE if ROLE_RANK[need] >= ROLE_RANK["writer"] else READ if content else METADATA)
    if ROLE_RANK[role] < ROLE_RANK[need]:
        raise insufficient()
    return doc


def listable(call: Call, doc: dict) -> bool:
    """Whether `files.list` shows `doc` to the caller: shared with them, not only by link,
    and visible under the request's scopes."""
    return role_of(doc, call.emulator.user_email, listing=True) is not None and file_level(call.scopes, doc) >= METADATA


def touch_file(call: Call, doc: dict) -> None:
    doc["modifiedTime"] = call.emulator.now_rfc3339()
    doc["version"] = doc.get("version", 1) + 1
    call.store.touch("file", doc["id"])


def children_of(call: Call, folder_id: str) -> list[dict]:
    return [doc for _, doc in call.store.all("file") if folder_id in doc.get("parents", [])]


def descendants_of(call: Call, folder_id: str) -> list[dict]:
    found, pending = [], [folder_id]
    while pending:
        for child in children_of(call, pending.pop()):
            found.append(child)
            if child["mimeType"] == FOLDER:
                pending.append(child["id"])
    return found


# Answers.
def web_view_link(doc: dict) -> str:
    template = _LINKS.get(doc["mimeType"], "https://drive.google.com/file/d/{}/view?usp=drivesdk")
    return template.format(doc["id"])


def render_permission(perm: dict) -> dict:
    return {"kind": "drive#permission", **perm}


def render_file(doc: dict, emulator) -> dict:
    """The full Drive v3 File resource of `doc` as the caller sees it."""
    me = emulator.user_email.lower()
    role = role_of(doc, me)
    owners = [p for p in doc["permissions"] if p["role"] == "owner"]
    resource = {"kind": "drive#file", **{k: v for k, v in doc.items() if k != "content"}}
    resource["version"] = str(doc.get("version", 1))
    resource["isAppAuthorized"] = app_authorized(doc)
    for key in ("appProperties", "properties"):
        if not doc.get(key):
            resource.pop(key, None)
    resource["webViewLink"] = web_view_link(doc)
    resource["spaces"] = ["drive"]
    resource["owners"] = [{"kind": "drive#user", "displayName": p.get("displayName", ""),
                           "emailAddress": p["emailAddress"], "permissionId": p["id"],
                           "me": p["emailAddress"].lower() == me} for p in owners]
    resource["ownedByMe"] = any(o["me"] for o in resource["owners"])
    resource["shared"] = len(doc["permissions"]) > 1
    resource["permissionIds"] = [p["id"] for p in doc["permissions"]]
    can_edit = role is not None and ROLE_RANK[role] >= ROLE_RANK["writer"]
    resource["capabilities"] = {"canEdit": can_edit, "canShare": can_edit, "canDelete": role == "owner",
                                "canTrash": can_edit, "canAddChildren": can_edit and doc["mimeType"] == FOLDER,
                                "canCopy": doc["mimeType"] != FOLDER, "canRename": can_edit}
    if can_edit:
        resource["permissions"] = [render_permission(p) for p in doc["permissions"]]
    else:
        resource.pop("permissions")
    return resource


def file_answer(call: Call, doc: dict) -> dict:
    """What a files.* method answers: the default field set unless `fields` asks for more."""
    resource = render_file(doc, call.emulator)
    if call.arg("fields"):
        return resource
    return {k: resource[k] for k in _DEFAULT_FILE_FIELDS}


# Creating files (metadata-only and uploads share this).
_READ_ONLY = {"kind", "webViewLink", "owners", "permissions", "permissionIds", "size", "md5Checksum", "shared",
              "ownedByMe", "capabilities", "version", "explicitlyTrashed", "spaces", "iconLink", "thumbnailLink",
              "isAppAuthorized"}


def refuse_read_only(metadata: dict, extra: tuple[str, ...] = ()) -> None:
    if any(key in _READ_ONLY or key in extra for key in metadata):
        raise ApiError(403, "The resource body includes fields which are not directly writable.",
                       reason="fieldNotWritable")


def timestamp(value, name: str) -> str:
    """A caller's RFC 3339 time (createdTime, modifiedTime) as Google stores it: UTC, milliseconds."""
    try:
        return rfc3339(parse_rfc3339(value))
    except (TypeError, ValueError, AttributeError):
        raise ApiError(400, f"Invalid value for {name}: {value!r} is not an RFC 3339 date-time.",
                       reason="invalid") from None


def string_map(value, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, f"Invalid value for {name}.", reason="invalid")
    return {str(k): v if v is None else str(v) for k, v in value.items()}


def check_parents(call: Call, parents: list[str]) -> list[str]:
    """Parent ids as stored ("root" resolved); each must be a folder the caller can add to."""
    if len(parents) > 1:
        raise ApiError(403, "Increasing the number of parents is not allowed.", reason="cannotAddParent")
    resolved = []
    for parent in parents:
        if parent in ("root", root_id(call.emulator)):
            resolved.append(root_id(call.emulator))
            continue
        folder = find_file(call, parent, need="writer")
        if folder["mimeType"] != FOLDER:
            raise ApiError(400, "The specified parent is not a folder.", reason="invalid")
        resolved.append(parent)
    return resolved


def create_file(call: Call, metadata: dict, content: bytes | None = None, content_type: str | None = None, *,
                new_document: bool = True) -> dict:
    """A new file owned by the caller; a new spreadsheet also gets its (blank) Sheets document,
    unless the caller brings one (a copy)."""
    refuse_read_only(metadata, ("id", "trashed"))
    mime_type = metadata.get("mimeType") or content_type or "application/octet-stream"
    parents = check_parents(call, list(metadata.get("parents") or []))
    doc = new_file_doc(call.emulator, file_id=call.emulator.new_id(), name=metadata.get("name") or "Untitled",
                       mime_type=mime_type, parents=parents)
    doc["appProperties"] = {k: v for k, v in string_map(metadata.get("appProperties"), "appProperties").items()
                            if v is not None}
    doc["properties"] = {k: v for k, v in string_map(metadata.get("properties"), "properties").items()
                         if v is not None}
    for key in ("description", "starred"):
        if key in metadata:
            doc[key] = metadata[key]
    for key in ("createdTime", "modifiedTime"):
        if metadata.get(key) is not None:
            doc[key] = timestamp(metadata[key], key)
    if mime_type == DOCUMENT:
        return _created_document(call, doc, content, content_type, new_document)
    if content is not None:
        set_content(doc, content)
    call.store.put("file", doc["id"], doc)
    if mime_type == SPREADSHEET and new_document:
        from .sheets import new_spreadsheet

        new_spreadsheet(call.emulator, doc["id"], doc["name"])
    return doc


def _created_document(call: Call, doc: dict, content: bytes | None, content_type: str | None,
                      new_document: bool) -> dict:
    """A Google Doc: blank, or converted from the uploaded bytes (which Drive does not keep)."""
    from .docs import new_document as new_text
    from .docs_convert import converted_paragraphs

    paragraphs = converted_paragraphs(content, content_type) if content is not None else None
    call.store.put("file", doc["id"], doc)
    if new_document:
        new_text(call.emulator, doc["id"], paragraphs)
    return doc

"""Drive v2's resources, mapped to and from the one stored file (emulator/drive_files.py).

    v2 File                         stored (v3) file
    title                           name
    mimeType, description           the same
    parents [{id, isRoot, ...}]     parents [id]
    labels {starred, trashed}       starred, trashed
    createdDate, modifiedDate       createdTime, modifiedTime
    alternateLink                   webViewLink
    fileSize                        size
    properties [{key, value,        appProperties (PRIVATE, v2's default) and properties (PUBLIC)
                 visibility}]
    userPermission, editable, ...   the caller's role

    v2 Permission                   stored permission
    role reader + additionalRoles   role commenter
      ["commenter"]
    value (on insert)               emailAddress (user, group) or domain
    withLink                        not allowFileDiscovery (anyone, domain)
    name                            displayName

Fields v2 calls output-only are ignored in request bodies, as Google ignores them there.
"""
from __future__ import annotations

from .core import ApiError
from .drive_files import render_file, role_of, root_id

BASE = "https://www.googleapis.com/drive/v2"
_CAPABILITIES = ("canEdit", "canShare", "canDelete", "canTrash", "canAddChildren", "canCopy", "canRename")


# Answers.
def v2_file(doc: dict, emulator) -> dict:
    """The full Drive v2 File resource of a stored file, as the caller sees it."""
    v3 = render_file(doc, emulator)
    root = root_id(emulator)
    out = {"kind": "drive#file", "id": doc["id"], "selfLink": f"{BASE}/files/{doc['id']}", "title": doc["name"],
           "mimeType": doc["mimeType"], "alternateLink": v3["webViewLink"],
           "labels": {"starred": doc.get("starred", False), "trashed": doc.get("trashed", False),
                      "hidden": False, "restricted": False},
           "createdDate": doc["createdTime"], "modifiedDate": doc["modifiedTime"],
           "parents": [_parent_reference(doc["id"], parent, root) for parent in doc["parents"]],
           "explicitlyTrashed": doc.get("explicitlyTrashed", False), "version": v3["version"],
           "owners": [_user(owner) for owner in v3["owners"]],
           "ownerNames": [owner["displayName"] for owner in v3["owners"]],
           "ownedByMe": v3["ownedByMe"], "shared": v3["shared"], "spaces": v3["spaces"],
           "isAppAuthorized": v3["isAppAuthorized"], "permissionIds": v3["permissionIds"],
           "capabilities": {key: v3["capabilities"][key] for key in _CAPABILITIES},
           "editable": v3["capabilities"]["canEdit"], "copyable": v3["capabilities"]["canCopy"],
           "appDataContents": False, "properties": _properties(doc)}
    role = role_of(doc, emulator.user_email)
    if role:
        out["userPermission"] = {**v2_permission({"id": "me", "type": "user", "role": role}, doc["id"]),
                                 "selfLink": f"{BASE}/files/{doc['id']}/permissions/me"}
    for v3_key, v2_key in (("description", "description"), ("size", "fileSize"), ("md5Checksum", "md5Checksum")):
        if v3_key in doc:
            out[v2_key] = doc[v3_key]
    if "content" in doc:
        out["downloadUrl"] = f"{BASE}/files/{doc['id']}?alt=media"
        out["webContentLink"] = f"https://drive.google.com/uc?id={doc['id']}&export=download"
    if "permissions" in v3:
        out["permissions"] = [v2_permission(p, doc["id"]) for p in doc["permissions"]]
    return out


def v2_root(emulator) -> dict:
    root = root_id(emulator)
    return {"kind": "drive#file", "id": root, "selfLink": f"{BASE}/files/{root}", "title": "My Drive",
            "mimeType": "application/vnd.google-apps.folder", "parents": []}


def _parent_reference(file_id: str, parent: str, root: str) -> dict:
    return {"kind": "drive#parentReference", "id": parent, "isRoot": parent == root,
            "selfLink": f"{BASE}/files/{file_id}/parents/{parent}", "parentLink": f"{BASE}/files/{parent}"}


def child_reference(folder_id: str, doc: dict) -> dict:
    return {"kind": "drive#childReference", "id": doc["id"],
            "selfLink": f"{BASE}/files/{folder_id}/children/{doc['id']}", "childLink": f"{BASE}/files/{doc['id']}"}


def _user(owner: dict) -> dict:
    return {"kind": "drive#user", "displayName": owner["displayName"], "emailAddress": owner["emailAddress"],
            "permissionId": owner["permissionId"], "isAuthenticatedUser": owner["me"]}


def _properties(doc: dict) -> list[dict]:
    return [{"kind": "drive#property", "key": key, "value": value, "visibility": visibility}
            for stored, visibility in (("appProperties", "PRIVATE"), ("properties", "PUBLIC"))
            for key, value in (doc.get(stored) or {}).items()]


def v2_permission(perm: dict, file_id: str) -> dict:
    out = {"kind": "drive#permission", "id": perm["id"], "type": perm["type"],
           "role": "reader" if perm["role"] == "commenter" else perm["role"],
           "selfLink": f"{BASE}/files/{file_id}/permissions/{perm['id']}"}
    if perm["role"] == "commenter":
        out["additionalRoles"] = ["commenter"]
    if perm.get("emailAddress"):
        out["emailAddress"] = perm["emailAddress"]
        out["domain"] = perm["emailAddress"].rsplit("@", 1)[-1]
    if perm.get("domain"):
        out["domain"] = perm["domain"]
    if perm.get("displayName"):
        out["name"] = perm["displayName"]
    if perm["type"] in ("anyone", "domain"):
        out["withLink"] = not perm.get("allowFileDiscovery", False)
    return out


# Request bodies.
def v3_metadata(body: dict) -> dict:
    """A v2 File body (insert, copy, update) as the v3 body the stored file is changed by."""
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid value for the file resource.", reason="invalid")
    out = {}
    for v2_key, v3_key in (("title", "name"), ("mimeType", "mimeType"), ("description", "description"),
                           ("createdDate", "createdTime"), ("modifiedDate", "modifiedTime")):
        if body.get(v2_key) is not None:
            out[v3_key] = body[v2_key]
    if body.get("parents") is not None:
        out["parents"] = [_parent_id(parent) for parent in _list(body["parents"], "parents")]
    labels = body.get("labels") or {}
    for label in ("starred", "trashed"):
        if label in labels:
            out[label] = bool(labels[label])
    if body.get("properties") is not None:
        out.update(_split_properties(_list(body["properties"], "properties")))
    return out


def _list(value, name: str) -> list:
    if not isinstance(value, list):
        raise ApiError(400, f"Invalid value for {name}: expected a list.", reason="invalid")
    return value


def _parent_id(parent) -> str:
    if not isinstance(parent, dict) or not isinstance(parent.get("id"), str):
        raise ApiError(400, "Invalid value for parents: each parent is {\"id\": folder id}.", reason="invalid")
    return parent["id"]


def _split_properties(properties: list) -> dict:
    split = {"appProperties": {}, "properties": {}}
    for prop in properties:
        if not isinstance(prop, dict) or not isinstance(prop.get("key"), str):
            raise ApiError(400, "Invalid value for properties: each is {key, value, visibility}.", reason="invalid")
        visibility = prop.get("visibility", "PRIVATE")
        if visibility not in ("PRIVATE", "PUBLIC"):
            raise ApiError(400, f"Invalid value for visibility: {visibility}.", reason="invalid")
        split["appProperties" if visibility == "PRIVATE" else "properties"][prop["key"]] = prop.get("value")
    return {key: value for key, value in split.items() if value}


def v3_permission(body: dict) -> dict:
    """A v2 permissions.insert body as the v3 permission body it stands for."""
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid value for the permission resource.", reason="invalid")
    kind, role = body.get("type"), body.get("role")
    if role == "reader" and "commenter" in (body.get("additionalRoles") or []):
        role = "commenter"
    out = {"type": kind, "role": role}
    value = body.get("value")
    if kind in ("user", "group") and value is not None:
        out["emailAddress"] = value
    if kind == "domain" and value is not None:
        out["domain"] = value
    if kind in ("domain", "anyone"):
        out["allowFileDiscovery"] = not body.get("withLink", False)
    return out

"""Drive v3 permissions: sharing a team folder with facilitators and members.

Permissions live inside their file doc (kind "file", key "permissions"), each:

    {"id": str,                 # numeric-looking, stable per email or domain; "anyoneWithLink" / "anyone"
     "type": "user" | "group" | "domain" | "anyone",
     "role": "owner" | "organizer" | "fileOrganizer" | "writer" | "commenter" | "reader",
     "emailAddress": str (user, group), "domain": str (domain), "displayName": str,
     "allowFileDiscovery": bool (domain, anyone), "deleted": false, "pendingOwner": false}

The email Google would have sent when sharing with `sendNotificationEmail` (on by default for
users and groups) is kept as a store doc of kind "drive_notification":

    {"id": str, "fileId": str, "fileName": str, "link": webViewLink, "from": caller email,
     "to": email, "role": str, "emailMessage": str | null, "sentAt": RFC 3339}

and listed, oldest first, by the admin route `GET /_emulator/drive/notifications`.
"""
from __future__ import annotations

import re

from .admin import api as admin_api
from .core import ApiError, Call, Raw
from .drive_files import ROLE_RANK, find_file, permission_id, render_permission, touch_file, web_view_link

_TYPES = ("user", "group", "domain", "anyone")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DEFAULT_FIELDS = ("kind", "id", "type", "role")


def _answer(call: Call, perm: dict) -> dict:
    resource = render_permission(perm)
    return resource if call.arg("fields") else {k: resource[k] for k in _DEFAULT_FIELDS}


def _invalid_email() -> ApiError:
    return ApiError(400, "The specified emailAddress is invalid or not applicable for the given permission type.",
                    reason="invalid")


def _new_permission(body: dict) -> dict:
    """A permission from a create body, validated the way Drive validates it."""
    kind, role = body.get("type"), body.get("role")
    for name, value in (("type", kind), ("role", role)):
        if not value:
            raise ApiError(400, f"The permission {name} field is required.", reason="required")
    if kind not in _TYPES or role not in ROLE_RANK:
        raise ApiError(400, "Invalid Value", reason="invalid")
    email = body.get("emailAddress")
    if kind in ("user", "group"):
        if not email or not _EMAIL.match(email):
            raise _invalid_email()
        return {"id": permission_id(email), "type": kind, "role": role, "emailAddress": email,
                "displayName": email.split("@")[0], "deleted": False, "pendingOwner": False}
    if email:
        raise _invalid_email()
    discoverable = bool(body.get("allowFileDiscovery", False))
    if kind == "domain":
        if not body.get("domain"):
            raise ApiError(400, "The permission domain field is required.", reason="required")
        return {"id": permission_id(body["domain"]), "type": kind, "role": role, "domain": body["domain"],
                "displayName": body["domain"], "allowFileDiscovery": discoverable, "deleted": False}
    return {"id": "anyone" if discoverable else "anyoneWithLink", "type": kind, "role": role,
            "allowFileDiscovery": discoverable, "deleted": False}


def create(call: Call, file_id: str) -> dict:
    return _answer(call, grant(call, file_id, call.json(), notify=call.flag("sendNotificationEmail", True),
                               transfer=call.flag("transferOwnership")))


def grant(call: Call, file_id: str, body: dict, *, notify: bool, transfer: bool) -> dict:
    """Share the file as a v3 permission body asks (Drive v2 maps its body to one); the
    stored permission. `transfer` allows a new owner; `notify` emails users and groups."""
    doc = find_file(call, file_id, need="writer")
    perm = _new_permission(body)
    notify = notify and perm["type"] in ("user", "group")
    if perm["role"] == "owner":
        _transfer_ownership(call, doc, perm, notify, transfer)
    existing = next((p for p in doc["permissions"] if p["id"] == perm["id"]), None)
    if existing is None:
        doc["permissions"].append(perm)
    elif existing["role"] != "owner":
        existing["role"] = perm["role"]
    if notify:
        _record_notification(call, doc, perm)
    touch_file(call, doc)
    return existing or perm


def _transfer_ownership(call: Call, doc: dict, perm: dict, notify: bool, transfer: bool) -> None:
    """A new owner needs `transferOwnership=true`; the old owner stays on as a writer."""
    if not transfer:
        raise ApiError(403, "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
                       reason="forbidden")
    find_file(call, doc["id"], need="owner")
    if perm["type"] != "user" or not notify:
        raise ApiError(400, "Ownership can only be transferred to a user, with a notification email.",
                       reason="invalidSharingRequest")
    for current in doc["permissions"]:
        if current["role"] == "owner":
            current["role"] = "writer"


def _record_notification(call: Call, doc: dict, perm: dict) -> None:
    note = {"id": call.emulator.new_id(16), "fileId": doc["id"], "fileName": doc["name"],
            "link": web_view_link(doc), "from": call.emulator.user_email, "to": perm["emailAddress"],
            "role": perm["role"], "emailMessage": call.arg("emailMessage"), "sentAt": call.emulator.now_rfc3339()}
    call.store.put("drive_notification", note["id"], note)


def list_permissions(call: Call, file_id: str) -> dict:
    doc = find_file(call, file_id)
    page_size = call.int_arg("pageSize", 100)
    if not 1 <= page_size <= 100:
        raise ApiError(400, f"Invalid value '{page_size}'. Values must be within the range: [1, 100]",
                       reason="invalid")
    token = call.arg("pageToken") or "0"
    if not token.isdigit():
        raise ApiError(400, "Invalid Value", reason="invalid")
    start = int(token)
    page = doc["permissions"][start:start + page_size]
    answer = {"kind": "drive#permissionList", "permissions": [_answer(call, p) for p in page]}
    if start + page_size < len(doc["permissions"]):
        answer["nextPageToken"] = str(start + page_size)
    return answer


def find_permission(doc: dict, permission_id_: str) -> dict:
    for perm in doc["permissions"]:
        if perm["id"] == permission_id_:
            return perm
    raise ApiError(404, f"Permission not found: {permission_id_}.", reason="notFound")


def get(call: Call, file_id: str, permission_id: str) -> dict:
    return _answer(call, find_permission(find_file(call, file_id), permission_id))


def update(call: Call, file_id: str, permission_id: str) -> dict:
    doc = find_file(call, file_id, need="writer")
    perm = find_permission(doc, permission_id)
    body = call.json()
    if set(body) - {"role", "expirationTime", "kind", "id"} or body.get("id", perm["id"]) != perm["id"]:
        raise ApiError(403, "The resource body includes fields which are not directly writable.",
                       reason="fieldNotWritable")
    role = body.get("role", perm["role"])
    if role not in ROLE_RANK:
        raise ApiError(400, "Invalid Value", reason="invalid")
    if role == "owner" and perm["role"] != "owner":
        _transfer_ownership(call, doc, perm, True, call.flag("transferOwnership"))
    elif perm["role"] == "owner" and role != "owner":
        raise ApiError(403, "The owner of a file cannot be downgraded; transfer ownership instead.",
                       reason="cannotModifyOwner")
    perm["role"] = role
    touch_file(call, doc)
    return _answer(call, perm)


def delete(call: Call, file_id: str, permission_id: str) -> Raw:
    doc = find_file(call, file_id, need="writer")
    perm = find_permission(doc, permission_id)
    if perm["role"] == "owner":
        raise ApiError(403, "The owner of a file cannot be removed.", reason="cannotRemoveOwner")
    doc["permissions"].remove(perm)
    touch_file(call, doc)
    return Raw(b"", "text/plain", status=204)


@admin_api.route("GET", "/_emulator/drive/notifications", "admin.drive.notifications")
def notifications(call: Call) -> dict:
    """The sharing emails Drive would have sent, oldest first."""
    return {"notifications": [note for _, note in call.store.all("drive_notification")]}

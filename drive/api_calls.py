"""Each kind of Drive change as the one API request that makes it, and what it answered.

Requests are built, not executed: drive/batch.py sends them a hundred to a call.
"""
from __future__ import annotations

from .model import (FOLDER_MIME, AddPermission, CopyTemplate, CreateFolder, DriveChange, RecordGrants,
                    RemovePermission, RenameFolder, TagFile, UpdatePermission, folder_link)
from .tags import TEMPLATE_KEY, folder_tags, granted_properties


class DriveRequests:
    """Builds the one request each change needs. Drive's `files` and `permissions`
    collections are built once here: googleapiclient builds every method of a collection
    anew on each `drive.files()`, which cost more CPU than everything else in a large run."""

    def __init__(self, drive):
        self.files = drive.files()
        self.permissions = drive.permissions()

    def build(self, change: DriveChange):
        """The unexecuted googleapiclient request making `change` (folder_id already known).

        Raises drive.tags.GrantsTooLarge when a granted set cannot be recorded."""
        if isinstance(change, CreateFolder):
            recorded = {k: v for k, v in granted_properties(change.granted).items() if v is not None}
            body = {"name": change.name, "mimeType": FOLDER_MIME, "parents": [change.parent_id],
                    "appProperties": {**folder_tags(change.team_id), **recorded}}
            return self.files.create(body=body, fields="id,name,webViewLink")
        if isinstance(change, RenameFolder):
            return self.files.update(fileId=change.folder_id, body={"name": change.name}, fields="id,name")
        if isinstance(change, CopyTemplate):
            tags = {**dict(change.tags), TEMPLATE_KEY: change.template_id}
            body = {"parents": [change.folder_id], "appProperties": tags}
            if change.name is not None:
                body["name"] = change.name
            return self.files.copy(fileId=change.template_id, body=body, fields="id,name,webViewLink")
        if isinstance(change, TagFile):
            return self.files.update(fileId=change.file_id, body={"appProperties": dict(change.tags)}, fields="id")
        if isinstance(change, AddPermission):
            # Always a person or group: PLT Sync never asks for `anyone` or `domain` sharing.
            body = {"type": "user", "role": change.role, "emailAddress": change.email}
            return self.permissions.create(fileId=change.folder_id, body=body,
                                           sendNotificationEmail=change.notify, fields="id,role")
        if isinstance(change, UpdatePermission):
            return self.permissions.update(fileId=change.folder_id, permissionId=change.permission_id,
                                           body={"role": change.role}, fields="id,role")
        if isinstance(change, RemovePermission):
            return self.permissions.delete(fileId=change.folder_id, permissionId=change.permission_id)
        if isinstance(change, RecordGrants):
            return self.files.update(fileId=change.folder_id,
                                     body={"appProperties": granted_properties(change.granted)}, fields="id")
        raise TypeError(f"not a Drive change: {change!r}")


def answer_value(change: DriveChange, response) -> dict | None:
    """The part of Google's answer worth keeping: ids and links for the roster."""
    if not isinstance(response, dict) or not response:
        return None
    if isinstance(change, CreateFolder):
        return {"id": response["id"], "name": response.get("name", change.name),
                "webViewLink": response.get("webViewLink") or folder_link(response["id"])}
    return response

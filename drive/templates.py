"""Document templates PLT Sync copies into team folders.

Under the drive.file scope PLT Sync asks for, Google lets an app copy only files it created
or a person opened with it (the file's `isAppAuthorized`): a template a coordinator made in
the Drive web UI answers 403 or 404 to the copy. So a template is uploaded through PLT
Sync, which makes it the app's own, and converted to a Google Doc the Docs API can fill.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from googleapiclient.http import MediaInMemoryUpload

# Google takes a multipart upload up to 5 MB; larger files go up in resumable chunks.
_MULTIPART_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    # Whether PLT Sync can copy it under drive.file (made or opened through the app).
    copyable: bool
    trashed: bool = False
    mime_type: str = ""


DOCUMENT_MIME = "application/vnd.google-apps.document"


def upload_document(drive, title: str, file_name: str, content: bytes, folder_id: str) -> Template:
    """Upload `content` (a .docx or text file, its type guessed from `file_name`) converted
    to a Google Doc named `title` in `folder_id`: a document the Docs API can fill."""
    source_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    media = MediaInMemoryUpload(content, mimetype=source_type, resumable=len(content) > _MULTIPART_LIMIT)
    body = {"name": title, "parents": [folder_id], "mimeType": DOCUMENT_MIME}
    made = drive.files().create(body=body, media_body=media, fields="id,name,isAppAuthorized",
                                supportsAllDrives=True).execute()
    return Template(made["id"], made["name"], made.get("isAppAuthorized", True))


def read_template(drive, file_id: str) -> Template:
    """What Drive says of a configured template; raises the client's error when it is not found."""
    found = drive.files().get(fileId=file_id, fields="id,name,mimeType,trashed,isAppAuthorized",
                              supportsAllDrives=True).execute()
    return Template(found["id"], found.get("name", file_id), found.get("isAppAuthorized", True),
                    found.get("trashed", False), found.get("mimeType", ""))

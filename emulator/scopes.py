"""OAuth scopes as Google enforces them, so a scope too narrow for a job fails here first.

Where a request's scopes come from, first match wins:
  1. its bearer token, when the token is an emulator token: `emulator:` followed by scope
     names separated by spaces or commas, full (`https://www.googleapis.com/auth/drive.file`)
     or short (`drive.file`). Any client library sends one unchanged, e.g.
     `google.oauth2.credentials.Credentials(token=token_for(["drive.file"]))`;
  2. the emulator's own setting (`Emulator(scopes=...)`, `plt emulator serve --scopes`);
  3. neither: every scope is granted and nothing is checked, as before scopes were modelled.
A bearer token that is not an emulator token carries no scope information (case 2 or 3).

What is checked, as Google does it:
  - the method: one of the scopes its discovery document lists must be granted, else 403
    "Request had insufficient authentication scopes." (ACCESS_TOKEN_SCOPE_INSUFFICIENT);
  - Drive files: each file is open to the app at a level, the best any granted scope gives:
        drive                          write, every file
        drive.readonly                 read (metadata and content), every file
        drive.file                     write, files the app created or a person opened with it
                                       (the file's `isAppAuthorized`)
        drive.metadata.readonly        metadata only (get, list, permissions list), every file
    A call needing more than the file's level is refused: 404 "File not found" when the file
    is not visible at all, 403 appNotAuthorizedToFile when it is visible but not readable or
    writable, and the insufficient-scopes 403 when no granted scope could ever allow it;
  - Sheets and Forms: a method allowed only through drive.file reaches only spreadsheets and
    forms the app is authorised for (404 otherwise); `spreadsheets`, `forms.body` and
    `forms.responses.readonly` reach every one the account can.
  - Docs: a document is a Drive file, so a method allowed only through drive.file reaches
    only documents the app made or was given (404 otherwise), as for spreadsheets.
  - Calendar: with `calendar.app.created` as the only Calendar scope, a calendar the app did
    not create (the account's primary one included) is not found (emulator/calendar_api.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .core import ApiError, Call

GOOGLE = "https://www.googleapis.com/auth/"
FULL_MAIL = "https://mail.google.com/"
# Every scope the emulator recognises (after GOOGLE), with what Google grants under it.
GRANTS = {
    "drive": "every Drive file: read, write, share, delete",
    "drive.readonly": "every Drive file: metadata and content, read only",
    "drive.file": "the Drive files this app created or a person opened with it: read, write",
    "drive.metadata.readonly": "every Drive file's metadata (get, list, permissions), no content",
    "spreadsheets": "every spreadsheet the account can reach: read, write (Sheets API)",
    "spreadsheets.readonly": "every spreadsheet the account can reach: read only",
    "forms.body": "every form: read and edit its questions and settings",
    "forms.body.readonly": "every form: read its questions and settings",
    "forms.responses.readonly": "every form's responses: read",
    "gmail.send": "send mail as the account, nothing else",
    "gmail.readonly": "read the account's mail and its metadata, search included",
    # Calendar v3.
    "calendar": "every calendar the account can reach: see, edit, share, delete calendars and events",
    "calendar.readonly": "every calendar the account can reach: see and download, no changes",
    "calendar.events": "the events of every calendar the account can reach: see, edit",
    "calendar.events.readonly": "the events of every calendar the account can reach: see",
    "calendar.app.created": "secondary calendars this app makes, and their events: create, see, edit, delete",
    # Docs v1. Google's Docs methods also accept the Drive scopes, as a document is a Drive file.
    "documents": "every Google Docs document: see, edit, create, delete",
    "documents.readonly": "every Google Docs document: see",
}
SHORT_NAMES = tuple(GRANTS)
KNOWN = frozenset(GOOGLE + name for name in SHORT_NAMES) | {FULL_MAIL}  # FULL_MAIL: all of Gmail
TOKEN_PREFIX = "emulator:"
APP_ID = "100000000001"  # the OAuth client every call comes from, as Google's messages name it

DRIVE, DRIVE_READONLY, DRIVE_FILE, DRIVE_METADATA = (GOOGLE + n for n in (
    "drive", "drive.readonly", "drive.file", "drive.metadata.readonly"))
# How far a Drive file is open to the app.
NONE, METADATA, READ, WRITE = range(4)
_VERBS = {READ: "read", WRITE: "write"}


def scope_url(name: str) -> str:
    """The full scope URL of a short or full scope name; ValueError for a scope not modelled."""
    url = name if "://" in name else GOOGLE + name
    if url not in KNOWN:
        raise ValueError(f"unknown OAuth scope {name!r}; known: {', '.join(SHORT_NAMES)}, {FULL_MAIL}")
    return url


def parse_scopes(names: Iterable[str] | str | None) -> frozenset[str] | None:
    """Scope names (an iterable, or one string separated by spaces or commas) as full URLs."""
    if names is None:
        return None
    if isinstance(names, str):
        names = re.split(r"[\s,]+", names.strip())
    return frozenset(scope_url(name) for name in names if name)


def token_for(names: Iterable[str]) -> str:
    """A bearer token carrying exactly these scopes."""
    return TOKEN_PREFIX + " ".join(sorted(parse_scopes(list(names)) or ()))


def request_scopes(default: frozenset[str] | None, headers) -> frozenset[str] | None:
    """The scopes of a request with these headers (see the module docstring)."""
    kind, _, token = (headers.get("Authorization") or "").partition(" ")
    if kind.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return default
    try:
        return parse_scopes(token[len(TOKEN_PREFIX):])
    except ValueError as error:
        raise ApiError(401, f"Request had invalid authentication credentials: {error}.",
                       reason="authError") from None


def check_scopes(call: Call, args: dict[str, str]) -> None:
    """Refuse a call whose method the request's scopes do not allow, or whose spreadsheet or
    form they reach only through drive.file when the app is not authorised for it."""
    granted = call.scopes
    if granted is None:
        return
    usable = granted & method_scopes(call.route.api, call.route.version, call.route.method_id)
    if not usable:
        raise insufficient_scopes(call)
    resource_id = args.get("spreadsheet_id") or args.get("form_id") or args.get("document_id")
    if usable == {DRIVE_FILE} and resource_id:
        with call.store.lock:
            doc = call.store.get("file", resource_id)
            if doc is not None and not app_authorized(doc):
                raise ApiError(404, "Requested entity was not found.")


@lru_cache(maxsize=None)
def method_scopes(api: str, version: str | None, method_id: str) -> frozenset[str]:
    """The scopes a discovery method lists, any one of which allows calling it."""
    from .schema import document, methods

    for method in methods(document(api, version)):
        if method["id"] == method_id:
            return frozenset(method.get("scopes", ()))
    raise KeyError(f"{method_id} is not a method of the {api} discovery document")


def insufficient_scopes(call: Call) -> ApiError:
    route = call.route
    wanted = " ".join(sorted(method_scopes(route.api, route.version, route.method_id)))
    return ApiError(403, "Request had insufficient authentication scopes.", "PERMISSION_DENIED",
                    "insufficientPermissions",
                    headers={"WWW-Authenticate": f'Bearer realm="https://accounts.google.com/", '
                                                 f'error="insufficient_scope", scope="{wanted}"'},
                    details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                              "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
                              "metadata": {"service": f"{route.api}.googleapis.com", "method": route.method_id}}])


# Drive files.
def app_authorized(doc: dict) -> bool:
    """Whether the app created the file or a person opened it with the app. Files stored
    before the emulator told people's files apart were all made through the API."""
    return doc.get("isAppAuthorized", True)


def file_level(granted: frozenset[str] | None, doc: dict) -> int:
    """How far `doc` is open to the app under `granted` (NONE, METADATA, READ or WRITE)."""
    if granted is None or DRIVE in granted or (DRIVE_FILE in granted and app_authorized(doc)):
        return WRITE
    if DRIVE_READONLY in granted:
        return READ
    return METADATA if DRIVE_METADATA in granted else NONE


def _reachable(granted: frozenset[str], needed: int) -> bool:
    """Whether any file could be open at `needed` under `granted`."""
    enough = {WRITE: {DRIVE, DRIVE_FILE}, READ: {DRIVE, DRIVE_FILE, DRIVE_READONLY},
              METADATA: {DRIVE, DRIVE_FILE, DRIVE_READONLY, DRIVE_METADATA}}[needed]
    return bool(granted & enough)


def require_file(call: Call, doc: dict, needed: int) -> None:
    """Refuse, as Google does, a call needing `needed` on a file the scopes open less far."""
    level = file_level(call.scopes, doc)
    if level >= needed:
        return
    if not _reachable(call.scopes, needed):
        raise insufficient_scopes(call)
    if level == NONE:
        raise ApiError(404, f"File not found: {doc['id']}.", reason="notFound")
    raise ApiError(403, f"The user has not granted the app {APP_ID} {_VERBS[needed]} access to the file "
                        f"{doc['id']}.", reason="appNotAuthorizedToFile")

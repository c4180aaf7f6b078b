"""The checks `plt doctor` runs, in order, each as few and as harmless API calls as can
prove the point: reading a resource's id, listing one item, rewriting a label with the
text it already holds. No mail is sent and nothing a coordinator sees changes."""
from __future__ import annotations

from pathlib import Path

from google.auth.exceptions import GoogleAuthError, RefreshError
from google.auth.transport.requests import Request

from drive.templates import DOCUMENT_MIME, read_template
from mail.message import SendError
from sheets import layout as L

from sync.commands.doctor import Context, Result, failed, passed, skipped, warned
from sync.commands.doctor_google import account_of, explain, granted_scopes, missing_scopes
from sync.errors import ExitStatus
from sync.lock import is_free, lock_path
from sync.senders import sender_from_settings
from sync.google.workspace import SCOPES, connect, load_credentials, loose_permissions

CONFIG = ExitStatus.CONFIG
NOT_SIGNED_IN = "not checked: the credentials did not load"
_FOLDER_FIELDS = "id,name,mimeType,trashed,isAppAuthorized,capabilities(canAddChildren,canListChildren)"
_ADD_TEMPLATE = "upload it with `plt templates add FILE --config {}` and remove the old id from " \
                "[drive] template_file_ids"


def check_config(ctx: Context) -> Result:
    """config valid"""
    s = ctx.settings
    forms = [("form.id" if s.upgraded_from else f"form[{form.key}].id", form.id) for form in s.forms]
    unnamed = [key for key, value in (*forms, ("roster.spreadsheet_id", s.roster.spreadsheet_id),
                                      ("drive.parent_folder_id", s.drive.parent_folder_id)) if not value]
    if unnamed:
        return failed("config valid", f"{', '.join(unnamed)} not set yet",
                      f"run `plt init --config {s.path}` to create them and write their ids into the file", CONFIG)
    return passed("config valid", f"{s.path}: {len(s.programme.sites)} schools, {len(s.milestones)} milestones, "
                                  f"{s.mail.backend} mail")


def check_verified_responses(ctx: Context) -> Result:
    """responses verified"""
    name = "responses verified"
    unverified = [form.key for form in ctx.settings.forms
                  if form.purpose == "enrol" and not form.collect_verified_email]
    if unverified:
        # Loading refuses these forms unless allow_unverified_responses = true, so the risk was accepted.
        return warned(name, f"form {', '.join(unverified)} does not collect verified emails "
                            "(allow_unverified_responses = true): anyone who knows a facilitator's address could "
                            "send a response in their name and take over the team and its folder",
                      "set collect_verified_email = true and remove allow_unverified_responses")
    return passed(name, "every enrol form records each respondent's verified email")


def check_credentials_file(ctx: Context) -> Result:
    """credentials file private"""
    path = ctx.settings.google.credentials_file
    if path is None:
        return passed("credentials file private", "no credentials file configured")
    if not Path(path).is_file():
        return failed("credentials file private", f"{path} does not exist",
                      "download the key (or run `plt auth login`) and name it in [google].credentials_file", CONFIG)
    if loose_permissions(str(path)):
        return warned("credentials file private", f"{path} can be read by other users of this machine",
                      f"chmod 600 {path}")
    return passed("credentials file private", f"{path} is readable by its owner only")


def check_credentials(ctx: Context) -> Result:
    """credentials load"""
    if ctx.endpoint:
        ctx.workspace, ctx.account = connect(None, ctx.endpoint), "the emulator's user"
        return passed("credentials load", f"local endpoint {ctx.endpoint}: no sign-in needed")
    google = ctx.settings.google
    try:
        credentials = load_credentials(google.credentials, str(google.credentials_file or ""), google.subject)
        credentials.refresh(Request())
    except RefreshError as error:
        return failed("credentials load", f"Google refused the credentials: {_first_line(error)}",
                      _refresh_fix(ctx))
    except (OSError, ValueError, KeyError, GoogleAuthError) as error:
        return failed("credentials load", f"cannot use {google.credentials} credentials ({type(error).__name__})",
                      _load_fix(google.credentials), CONFIG if google.credentials_file else ExitStatus.ACCESS)
    ctx.credentials, ctx.account = credentials, account_of(credentials)
    ctx.workspace = connect(credentials)
    return passed("credentials load", f"signed in as {ctx.account}")


def check_scopes(ctx: Context) -> Result:
    """scopes granted"""
    if ctx.endpoint:
        return skipped("scopes granted", "not checked: local endpoint")
    if ctx.credentials is None:
        return skipped("scopes granted", NOT_SIGNED_IN)
    granted = granted_scopes(ctx.credentials)
    if granted is None:
        return skipped("scopes granted", "not checked: Google did not say which scopes the token carries")
    missing = missing_scopes(granted)
    if missing:
        return failed("scopes granted", f"missing {', '.join(missing)}", _scope_fix(ctx, missing))
    return passed("scopes granted", f"all {len(SCOPES)} scopes PLT Sync asks for")


def check_form(ctx: Context) -> Result:
    """form readable"""
    if ctx.workspace is None:
        return skipped("form readable", NOT_SIGNED_IN)
    form_id = ctx.settings.form.id
    try:
        form = ctx.workspace.forms.forms().get(formId=form_id, fields="formId,info(title)").execute()
        ctx.workspace.forms.forms().responses().list(formId=form_id, pageSize=1).execute()
    except Exception as error:
        share = f"open the form, Share, and add {ctx.account} as an editor; or check [form].id ({form_id})"
        return failed("form readable", *explain(error, "Google Forms", share))
    return passed("form readable", f"\"{form.get('info', {}).get('title', form_id)}\" and its responses")


def check_roster(ctx: Context) -> Result:
    """roster readable and writable"""
    if ctx.workspace is None:
        return skipped("roster readable and writable", NOT_SIGNED_IN)
    sheet_id = ctx.settings.roster.spreadsheet_id
    sheets = ctx.workspace.sheets.spreadsheets()
    try:
        book = sheets.get(spreadsheetId=sheet_id, fields="spreadsheetId,properties.title,"
                                                         "sheets.properties(sheetId,title)").execute()
        dashboard = _tab_id(book, L.DASHBOARD)
        if dashboard is not None:
            sheets.batchUpdate(spreadsheetId=sheet_id, body={"requests": [_rewrite_label(dashboard)]}).execute()
    except Exception as error:
        share = f"open the roster, Share, and add {ctx.account} as an editor; or check [roster].spreadsheet_id"
        return failed("roster readable and writable", *explain(error, "Google Sheets", share))
    title = book.get("properties", {}).get("title", sheet_id)
    if dashboard is None:
        return passed("roster readable and writable", f"\"{title}\" read (no Dashboard tab to test a write on; "
                                                      "the next sync adds it)")
    return passed("roster readable and writable", f"\"{title}\" (rewrote the Dashboard's \"{L.LAST_SYNC_LABEL}\" label)")


def check_folder(ctx: Context) -> Result:
    """parent folder listable and writable"""
    name = "parent folder listable and writable"
    if ctx.workspace is None:
        return skipped(name, NOT_SIGNED_IN)
    folder_id = ctx.settings.drive.parent_folder_id
    files = ctx.workspace.drive.files()
    share = f"share the folder with {ctx.account} as an editor (Content manager on a shared drive); " \
            "or check [drive].parent_folder_id"
    try:
        folder = files.get(fileId=folder_id, fields=_FOLDER_FIELDS, supportsAllDrives=True).execute()
        files.list(q=f"'{folder_id}' in parents and trashed = false", pageSize=1, fields="files(id)",
                   supportsAllDrives=True, includeItemsFromAllDrives=True).execute()
    except Exception as error:
        return failed(name, *explain(error, "Google Drive", share))
    capabilities = folder.get("capabilities", {})
    if folder.get("trashed"):
        return failed(name, f"\"{folder.get('name')}\" is in the trash", "restore it from the Drive trash")
    if not capabilities.get("canAddChildren") or capabilities.get("canListChildren") is False:
        return failed(name, f"\"{folder.get('name')}\" is shared with {ctx.account} read-only", share)
    if folder.get("isAppAuthorized") is False:
        return failed(name, f"\"{folder.get('name')}\" was made in Drive, not by PLT Sync: under the drive.file "
                            "scope PLT Sync cannot add team folders to it",
                      f"empty [drive].parent_folder_id and run `plt init --config {ctx.settings.path}`, which "
                      "makes the folder (move it anywhere in Drive afterwards)")
    return passed(name, f"\"{folder.get('name')}\"")


def check_templates(ctx: Context) -> Result:
    """templates copyable"""
    name = "templates copyable"
    if ctx.workspace is None:
        return skipped(name, NOT_SIGNED_IN)
    template_ids = ctx.settings.drive.template_file_ids
    if not template_ids:
        return passed(name, "no templates configured")
    problems = [problem for file_id in template_ids if (problem := _template_problem(ctx, file_id))]
    if problems:
        return warned(name, "; ".join(problems), _ADD_TEMPLATE.format(ctx.settings.path))
    return passed(name, f"all {len(template_ids)} can be copied into team folders")


def _template_problem(ctx: Context, file_id: str) -> str | None:
    """Why PLT Sync could not copy the template `file_id`, or None."""
    try:
        template = read_template(ctx.workspace.drive, file_id)
    except Exception as error:  # `explain` raises again what is no failed call to Google
        return f"{file_id} cannot be reached by {ctx.account}: {explain(error, 'Google Drive', '')[0]}"
    if template.trashed:
        return f"\"{template.name}\" ({file_id}) is in the trash"
    if not template.copyable:
        return (f"\"{template.name}\" ({file_id}) was made in Drive, not by PLT Sync: under the drive.file scope "
                "PLT Sync cannot copy it")
    return None


def check_document_templates(ctx: Context) -> Result:
    """document templates fillable"""
    name = "document templates fillable"
    templates = ctx.settings.templates
    if not templates:
        return passed(name, "no [[template]] configured")
    missing = [t.key for t in templates if not t.id]
    if missing:
        return failed(name, f"not uploaded yet: {', '.join(missing)}", f"upload each with `plt templates add "
                      f"FILE.docx --key KEY --config {ctx.settings.path}`", CONFIG)
    if ctx.workspace is None:
        return skipped(name, NOT_SIGNED_IN)
    problems = [problem for t in templates if (problem := _document_problem(ctx, t.key, t.id))]
    if problems:
        return failed(name, "; ".join(problems), f"upload the template's .docx again with `plt templates add "
                      f"FILE.docx --key KEY --config {ctx.settings.path}`")
    return passed(name, f"all {len(templates)} are Google Docs PLT Sync can copy and fill")


def _document_problem(ctx: Context, key: str, file_id: str) -> str | None:
    """Why the template `key` could not be copied and filled, or None (two reads)."""
    problem = _template_problem(ctx, file_id)
    if problem is not None:
        return f"template[{key}]: {problem}"
    if read_template(ctx.workspace.drive, file_id).mime_type != DOCUMENT_MIME:
        return f"template[{key}]: {file_id} is not a Google Doc, so it cannot be filled"
    try:
        ctx.workspace.docs.documents().get(documentId=file_id).execute()
    except Exception as error:
        return f"template[{key}]: the Docs API cannot open {file_id}: {explain(error, 'Google Docs', '')[0]}"
    return None


def check_mail(ctx: Context) -> Result:
    """mail can be sent"""
    if ctx.settings.mail.backend == "smtp":
        return _check_smtp(ctx)
    if ctx.workspace is None:
        return skipped("mail can be sent", NOT_SIGNED_IN)
    try:
        ctx.workspace.gmail.users().messages().list(userId="me", maxResults=1).execute()
    except Exception as error:
        fix = (f"sign in as (or, with a service account, set [google].subject to) the mailbox reminders "
               f"come from, {ctx.settings.mail.from_address}")
        return failed("mail can be sent", *explain(error, "Gmail", fix))
    return passed("mail can be sent", f"Gmail mailbox of {ctx.account} reachable (nothing sent)")


def _check_smtp(ctx: Context) -> Result:
    smtp = ctx.settings.mail.smtp
    try:
        sender = sender_from_settings(ctx.settings, ctx.workspace, ctx.environ)
    except ValueError as error:
        return failed("mail can be sent", str(error),
                      f"set the environment variables {smtp.username_env} and {smtp.password_env}", CONFIG)
    try:
        with sender:
            pass
    except (SendError, OSError) as error:
        return failed("mail can be sent", f"{smtp.host}:{smtp.port}: {error}",
                      "check [mail.smtp] host, port and security, and the user name and password")
    return passed("mail can be sent", f"signed in to {smtp.host}:{smtp.port} (nothing sent)")


def check_lock(ctx: Context) -> Result:
    """lock free"""
    if is_free(ctx.settings.path):
        return passed("lock free", "no other `plt sync` is running for this config")
    return failed("lock free", f"another `plt sync` holds {lock_path(ctx.settings.path)}",
                  "wait for it to finish; if no `plt sync` is running (ps aux | grep 'plt sync'), "
                  "a stuck one can be stopped by its process id", ExitStatus.LOCKED)


CHECKS = [check_config, check_verified_responses, check_credentials_file, check_credentials, check_scopes, check_form, check_roster,
          check_folder, check_templates, check_document_templates, check_mail, check_lock]


def _tab_id(book: dict, title: str) -> int | None:
    for sheet in book.get("sheets", []):
        if sheet["properties"]["title"] == title:
            return sheet["properties"]["sheetId"]
    return None


def _rewrite_label(sheet_id: int) -> dict:
    """Dashboard A1 holds a fixed label: writing it again proves write access and changes nothing."""
    return {"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                  "endColumnIndex": 1},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": L.LAST_SYNC_LABEL}}]}],
        "fields": "userEnteredValue"}}


def _first_line(error: Exception) -> str:
    return str(error.args[0] if error.args else error).splitlines()[0]


def _refresh_fix(ctx: Context) -> str:
    google = ctx.settings.google
    if google.credentials == "service_account" and google.subject:
        return ("in the Admin console (Security > Access and data control > API controls > Domain-wide "
                "delegation) authorize the service account's client ID for exactly these scopes: "
                + ",".join(SCOPES) + f"; and check that {google.subject} exists")
    if google.credentials == "oauth":
        return "the token was revoked or expired: run `plt auth login` again"
    return "create a new key for the service account, or check the project still exists"


def _load_fix(kind: str) -> str:
    if kind == "application_default":
        return ("run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, "
                "or configure a service account in [google]")
    if kind == "oauth":
        return "run `plt auth login --client-secrets client_secret.json --token <credentials_file>`"
    return "download a JSON key for the service account and name it in [google].credentials_file"


def _scope_fix(ctx: Context, missing: list[str]) -> str:
    if ctx.settings.google.credentials == "oauth":
        return "run `plt auth login` again and allow every permission it asks for"
    return "add these scopes to the service account's domain-wide delegation: " + ",".join(missing)

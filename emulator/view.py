"""The HTML page at `/`: what a coordinator would see in Google after a sync.

Every API's data, read straight from the store: spreadsheets tab by tab; the Drive tree
with who has access, which files people made in Drive themselves and which are in the
trash, the text of each Google Doc, and the sharing emails Drive would have sent; each form
with its questions and its responses; each calendar with its events (attendees, recurrence,
cancelled ones) and the invitations Calendar would have emailed; the sent mail (documents of
kinds "spreadsheet", "file", "document", "drive_notification", "form", "form_response",
"calendar", "event", "calendar_notification" and "message"). Its one form uploads a file as a person would in
the Drive web UI (emulator/drive_people.py); nothing else on the page changes anything.
Everything shown came from form answers or API callers, so the template is autoescaped:
a `<script>` typed into a form answer is shown as text, never run.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .drive_files import FOLDER
from .scopes import app_authorized
from .sheets_a1 import column_letters
from .sheets_cells import formatted
from .sheets_model import parts

MAX_ROWS = 500  # per tab; a huge roster is summarised rather than shipped whole
_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))


def render(emulator) -> str:
    store = emulator.store
    with store.lock:
        files = [doc for _id, doc in store.all("file")]
        texts = {doc_id: "\n".join(doc["paragraphs"]) for doc_id, doc in store.all("document")}
        page = {"user": emulator.user_email, "spreadsheets": [_spreadsheet(doc) for _id, doc in store.all("spreadsheet")],
                "folders": _drive_tree(files, texts), "folder_choices": _folder_choices(files),
                "notifications": [doc for _id, doc in store.all("drive_notification")],
                "forms": _forms(store), "messages": [doc for _id, doc in store.all("message")],
                "calendars": _calendars(store),
                "calendar_notifications": [doc for _id, doc in store.all("calendar_notification")]}
    return _ENV.get_template("view.html").render(**page)


def _calendars(store) -> list[dict]:
    events = defaultdict(list)
    for _id, event in store.all("event"):
        events[event["calendarId"]].append(event)
    return [{**doc, "events": events[doc["id"]]} for _id, doc in store.all("calendar")]


def _spreadsheet(doc: dict) -> dict:
    return {"id": doc["spreadsheetId"], "title": doc["properties"]["title"],
            "tabs": [_tab(sheet) for sheet in doc.get("sheets", [])]}


def _tab(sheet: dict) -> dict:
    rows = [[formatted(parts(cell)) for cell in row] for row in sheet.get("rows", [])[:MAX_ROWS]]
    width = max((len(row) for row in rows), default=0)
    return {"title": sheet["properties"]["title"], "columns": [column_letters(i) for i in range(width)],
            "rows": [row + [""] * (width - len(row)) for row in rows],
            "hidden_rows": max(0, len(sheet.get("rows", [])) - MAX_ROWS)}


def _drive_tree(files: list[dict], texts: dict[str, str]) -> list[dict]:
    """Files as nested nodes; those whose parent is not a stored file sit at the top (My Drive).
    A Google Doc's node carries its text (`texts`, by file id); other files' carry None."""
    known = {doc["id"] for doc in files}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for doc in files:
        parent = next((p for p in doc.get("parents", []) if p in known), None)
        children[parent].append(doc)

    def node(doc: dict) -> dict:
        return {"name": doc["name"], "id": doc["id"], "mimeType": doc["mimeType"],
                "access": [_who(perm) for perm in doc.get("permissions", [])],
                "by_person": not app_authorized(doc), "trashed": doc.get("trashed", False),
                "text": texts.get(doc["id"]),
                "children": [node(child) for child in children.get(doc["id"], [])]}
    return [node(doc) for doc in children[None]]


def _folder_choices(files: list[dict]) -> list[dict]:
    """The folders a file can be uploaded into from the page."""
    return [{"id": doc["id"], "name": doc["name"]} for doc in files
            if doc["mimeType"] == FOLDER and not doc.get("trashed")]


def _who(permission: dict) -> str:
    whom = permission.get("emailAddress") or permission.get("domain") or permission.get("type", "")
    return f"{whom} ({permission.get('role', '')})"


def _forms(store) -> list[dict]:
    responses: dict[str, list[dict]] = defaultdict(list)
    for _id, response in store.all("form_response"):
        responses[response["formId"]].append(response)
    return [_form(form_id, form, responses[form_id]) for form_id, form in store.all("form")]


def _form(form_id: str, form: dict, responses: list[dict]) -> dict:
    """A form's questions, and its responses as rows: when, who, then one answer per question."""
    questions = [(item.get("title", ""), item["questionItem"]["question"]["questionId"])
                 for item in form.get("items", []) if "questionItem" in item]
    rows = [[response.get("lastSubmittedTime", ""), response.get("respondentEmail", "")]
            + [_answer_text(response.get("answers", {}).get(question_id)) for _title, question_id in questions]
            for response in responses[:MAX_ROWS]]
    return {"id": form_id, "title": form["info"].get("title", ""), "responses": len(responses),
            "questions": [title for title, _id in questions], "rows": rows,
            "hidden_rows": max(0, len(responses) - MAX_ROWS)}


def _answer_text(answer: dict | None) -> str:
    if not answer:
        return ""
    return ", ".join(a.get("value", "") for a in answer.get("textAnswers", {}).get("answers", []))

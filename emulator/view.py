"""The read-only HTML page at `/`: what a coordinator would see in Google after a sync.

Spreadsheets tab by tab, the Drive folder tree with who has access, the forms with their
response counts, and the sent mail, read straight from the store (documents of kinds
"spreadsheet", "file", "form", "form_response" and "message"). Everything shown came from
form answers or API callers, so the template is autoescaped: a `<script>` typed into a
form answer is shown as text, never run.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .sheets_a1 import column_letters
from .sheets_cells import formatted
from .sheets_model import parts

MAX_ROWS = 500  # per tab; a huge roster is summarised rather than shipped whole
_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))


def render(emulator) -> str:
    store = emulator.store
    with store.lock:
        page = {"user": emulator.user_email, "spreadsheets": [_spreadsheet(doc) for _id, doc in store.all("spreadsheet")],
                "folders": _drive_tree([doc for _id, doc in store.all("file") if not doc.get("trashed")]),
                "forms": _forms(store), "messages": [doc for _id, doc in store.all("message")]}
    return _ENV.get_template("view.html").render(**page)


def _spreadsheet(doc: dict) -> dict:
    return {"id": doc["spreadsheetId"], "title": doc["properties"]["title"],
            "tabs": [_tab(sheet) for sheet in doc.get("sheets", [])]}


def _tab(sheet: dict) -> dict:
    rows = [[formatted(parts(cell)) for cell in row] for row in sheet.get("rows", [])[:MAX_ROWS]]
    width = max((len(row) for row in rows), default=0)
    return {"title": sheet["properties"]["title"], "columns": [column_letters(i) for i in range(width)],
            "rows": [row + [""] * (width - len(row)) for row in rows],
            "hidden_rows": max(0, len(sheet.get("rows", [])) - MAX_ROWS)}


def _drive_tree(files: list[dict]) -> list[dict]:
    """Files as nested nodes; those whose parent is not a stored file sit at the top (My Drive)."""
    known = {doc["id"] for doc in files}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for doc in files:
        parent = next((p for p in doc.get("parents", []) if p in known), None)
        children[parent].append(doc)

    def node(doc: dict) -> dict:
        return {"name": doc["name"], "id": doc["id"], "mimeType": doc["mimeType"],
                "access": [_who(perm) for perm in doc.get("permissions", [])],
                "children": [node(child) for child in children.get(doc["id"], [])]}
    return [node(doc) for doc in children[None]]


def _who(permission: dict) -> str:
    whom = permission.get("emailAddress") or permission.get("domain") or permission.get("type", "")
    return f"{whom} ({permission.get('role', '')})"


def _forms(store) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for _id, response in store.all("form_response"):
        counts[response["formId"]] += 1
    return [{"id": form_id, "title": form["info"].get("title", ""), "responses": counts[form_id],
             "questions": [item.get("title", "") for item in form.get("items", []) if "questionItem" in item]}
            for form_id, form in store.all("form")]

"""Creates a programme's form for `plt init`, worded with the config's question titles
so that `to_submissions` finds every answer it needs.

Two calls: `forms.create` (Google accepts only the title there) and one `batchUpdate`
with the description, the email setting and every question. The form is created
published explicitly: forms made through the API are due to start unpublished, and an
unpublished form silently takes no responses.
"""
from __future__ import annotations

from typing import Sequence

from .members import normalise_name
from .model import FieldSpec

_KINDS = {"dropdown": "DROP_DOWN", "choice": "RADIO", "checkboxes": "CHECKBOX"}
_PARAGRAPHS = ("paragraph", "people")


def create_form(forms, *, title: str, description: str, fields: Sequence[FieldSpec], sites: Sequence[str],
                collect_verified_email: bool) -> tuple[str, int]:
    """Create the form with a question for every configured field; (form id, API calls).
    With verified email collection the respondent field has no question: Google records
    the respondent's signed-in address instead."""
    asked = [f for f in fields if f.title.strip() and not (f.type == "respondent" and collect_verified_email)]
    _refuse_shared_titles(asked)
    form = forms.forms().create(body={"info": {"title": title, "documentTitle": title}},
                                unpublished=False).execute()
    requests = _settings_requests(description, collect_verified_email)
    requests += [{"createItem": {"item": question_item(f, _choices(f, sites)), "location": {"index": index}}}
                 for index, f in enumerate(asked)]
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": requests}).execute()
    return form["formId"], 2


def _choices(field: FieldSpec, sites: Sequence[str]) -> tuple[str, ...]:
    choices = sites if field.choices == "sites" else (field.choices or ())
    return _distinct(choices)


def _distinct(choices: Sequence[str]) -> tuple[str, ...]:
    """Choices trimmed, blanks and repeats left out: Google refuses repeated options."""
    return tuple(dict.fromkeys(c.strip() for c in choices if c.strip()))


def _refuse_shared_titles(fields: Sequence[FieldSpec]) -> None:
    """Two fields worded alike could never be told apart when answers are read back."""
    seen: dict[str, str] = {}
    for field in fields:
        key = normalise_name(field.title)
        if key in seen:
            raise ValueError(f"the questions for {seen[key]} and {field.key} have the same title "
                             f"{field.title!r}; give each its own")
        seen[key] = field.key


def _settings_requests(description: str, collect_verified_email: bool) -> list[dict]:
    requests: list[dict] = []
    if description:
        requests.append({"updateFormInfo": {"info": {"description": description}, "updateMask": "description"}})
    collection = "VERIFIED" if collect_verified_email else "DO_NOT_COLLECT"
    requests.append({"updateSettings": {"settings": {"emailCollectionType": collection},
                                        "updateMask": "emailCollectionType"}})
    return requests


def question_item(field: FieldSpec, choices: Sequence[str]) -> dict:
    """The form item asking for `field`: a drop-down, radio buttons or tick boxes for a
    field with choices, a date or time question, free text otherwise (also a choice field
    left without choices)."""
    kind = _KINDS.get(field.type)
    if kind and choices:
        question = {"choiceQuestion": {"type": kind, "options": [{"value": c} for c in choices]}}
    elif field.type == "date":
        question = {"dateQuestion": {}}
    elif field.type == "time":
        question = {"timeQuestion": {}}
    else:
        question = {"textQuestion": {"paragraph": field.type in _PARAGRAPHS}}
    question["required"] = field.ask == "required" if field.ask else field.required
    item = {"title": field.title.strip(), "questionItem": {"question": question}}
    if field.help:
        item["description"] = field.help
    return item

"""Creates the facilitator form for `plt init`, worded with the config's question titles
so that `to_submissions` finds every answer it needs.

Two calls: `forms.create` (Google accepts only the title there) and one `batchUpdate`
with the description, the email setting and every question. The form is created
published explicitly: forms made through the API are due to start unpublished, and an
unpublished form silently takes no responses.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from .members import normalise_name
from .model import FIELDS, REQUIRED

# Help shown under a question, where the answer has a format PLT Sync relies on.
HELP = {
    "facilitator_email": "Your school email address: reminders and the team folder go to it.",
    "members": "One person per line, as Name <email> (for example: Ann Lee <alee@school.org>). "
               "Leave yourself out; you are on the team as its facilitator.",
    "meeting_time": "When the team usually meets, for example: Wednesdays 3:30-5:30 p.m.",
}
_PARAGRAPHS = ("topic", "members")
_REQUIRED_ON_FORM = set(REQUIRED) | {"facilitator_name", "topic"}


def create_form(forms, *, title: str, description: str, question_titles: Mapping[str, str],
                schools: Sequence[str], goal_types: Sequence[str], training_options: Sequence[str],
                collect_verified_email: bool) -> tuple[str, int]:
    """Create the form with a question for every configured field; (form id, API calls).
    With verified email collection there is no email question: Google records the
    respondent's signed-in address instead."""
    choices = {"school": _distinct(schools), "goal_type": _distinct(goal_types),
               "training": _distinct(training_options)}
    fields = [f for f in FIELDS if question_titles.get(f, "").strip()
              and not (f == "facilitator_email" and collect_verified_email)]
    _refuse_shared_titles(fields, question_titles)
    form = forms.forms().create(body={"info": {"title": title, "documentTitle": title}},
                                unpublished=False).execute()
    requests = _settings_requests(description, collect_verified_email)
    requests += [{"createItem": {"item": question_item(f, question_titles[f].strip(), choices.get(f, ())),
                                 "location": {"index": index}}}
                 for index, f in enumerate(fields)]
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": requests}).execute()
    return form["formId"], 2


def _distinct(choices: Sequence[str]) -> tuple[str, ...]:
    """Choices trimmed, blanks and repeats left out: Google refuses repeated options."""
    return tuple(dict.fromkeys(c.strip() for c in choices if c.strip()))


def _refuse_shared_titles(fields: Sequence[str], question_titles: Mapping[str, str]) -> None:
    """Two fields worded alike could never be told apart when answers are read back."""
    seen: dict[str, str] = {}
    for field in fields:
        key = normalise_name(question_titles[field])
        if key in seen:
            raise ValueError(f"the questions for {seen[key]} and {field} have the same title "
                             f"{question_titles[field]!r}; give each its own")
        seen[key] = field


def _settings_requests(description: str, collect_verified_email: bool) -> list[dict]:
    requests: list[dict] = []
    if description:
        requests.append({"updateFormInfo": {"info": {"description": description}, "updateMask": "description"}})
    collection = "VERIFIED" if collect_verified_email else "DO_NOT_COLLECT"
    requests.append({"updateSettings": {"settings": {"emailCollectionType": collection},
                                        "updateMask": "emailCollectionType"}})
    return requests


def question_item(field: str, title: str, choices: Sequence[str]) -> dict:
    """The form item asking for `field`: a drop-down of schools, radio buttons for goal
    type and training, free text otherwise (also when no choices are configured)."""
    if choices:
        kind = "DROP_DOWN" if field == "school" else "RADIO"
        question = {"choiceQuestion": {"type": kind, "options": [{"value": c} for c in choices]}}
    else:
        question = {"textQuestion": {"paragraph": field in _PARAGRAPHS}}
    question["required"] = field in _REQUIRED_ON_FORM
    item = {"title": title, "questionItem": {"question": question}}
    if field in HELP:
        item["description"] = HELP[field]
    return item

"""Admin routes that stand in for facilitators filling in the form (not Google's API).

    POST   /_emulator/forms/{formId}/responses               submit -> {"responseId"}
    PUT    /_emulator/forms/{formId}/responses/{responseId}  edit   -> {"responseId"}
    DELETE /_emulator/forms/{formId}/responses/{responseId}  delete -> {}

with the body `{"answers": {"<question title or id>": "text" | ["choice", ...]},
"respondentEmail": "...", "submittedAt": "<RFC 3339, optional>"}`. An edit replaces the
answers and moves lastSubmittedTime, keeping responseId and createTime, as editing a
submitted Google Form does. A choice must be one of the question's options (unless it has
an "Other" option) and only checkbox questions take several; blank answers are left out,
as Google leaves out unanswered questions. Required questions are not enforced, so tests
can stand for answers given before a question became required.
"""
from __future__ import annotations

from typing import Any

from .admin import api
from .core import ApiError, Call, parse_rfc3339, rfc3339
from .forms import load_form


@api.route("POST", "/_emulator/forms/<form_id>/responses", "admin.forms.responses.submit")
def submit_response(call: Call, form_id: str) -> dict:
    form = load_form(call.emulator, form_id)
    if not form["publishSettings"]["publishState"]["isAcceptingResponses"]:
        raise ApiError(400, "This form is not accepting responses.", "FAILED_PRECONDITION")
    body = call.json()
    submitted = _submitted_at(call, body)
    response_id = "ACYDBN" + call.emulator.new_id(58)
    response = {"formId": form_id, "responseId": response_id, "createTime": submitted,
                "lastSubmittedTime": submitted, "answers": answers_for(form, body.get("answers") or {})}
    _set_email(form, response, body)
    call.store.put("form_response", response_id, response)
    return {"responseId": response_id}


@api.route("PUT", "/_emulator/forms/<form_id>/responses/<response_id>", "admin.forms.responses.edit")
def edit_response(call: Call, form_id: str, response_id: str) -> dict:
    form = load_form(call.emulator, form_id)
    response = _existing(call, form_id, response_id)
    call.store.touch("form_response", response_id)  # so a refused edit is rolled back
    body = call.json()
    response["answers"] = answers_for(form, body.get("answers") or {})
    response["lastSubmittedTime"] = _submitted_at(call, body)
    if "respondentEmail" in body:
        _set_email(form, response, body)
    return {"responseId": response_id}


@api.route("DELETE", "/_emulator/forms/<form_id>/responses/<response_id>", "admin.forms.responses.delete")
def delete_response(call: Call, form_id: str, response_id: str) -> dict:
    load_form(call.emulator, form_id)
    _existing(call, form_id, response_id)
    call.store.delete("form_response", response_id)
    return {}


def _existing(call: Call, form_id: str, response_id: str) -> dict:
    response = call.store.get("form_response", response_id)
    if response is None or response["formId"] != form_id:
        raise ApiError(404, f"No response {response_id} in form {form_id}.")
    return response


def _submitted_at(call: Call, body: dict) -> str:
    text = body.get("submittedAt")
    if text is None:
        return call.emulator.now_rfc3339()
    try:
        return rfc3339(parse_rfc3339(str(text)))
    except (TypeError, ValueError):
        raise ApiError(400, f"submittedAt must be an RFC 3339 timestamp; got {text!r}.") from None


def _set_email(form: dict, response: dict, body: dict) -> None:
    """Google records an email only when the form collects them, and then always has one."""
    if form.get("settings", {}).get("emailCollectionType", "DO_NOT_COLLECT") == "DO_NOT_COLLECT":
        response.pop("respondentEmail", None)
        return
    email = body.get("respondentEmail")
    if not email:
        raise ApiError(400, "This form collects email addresses: respondentEmail is required.")
    response["respondentEmail"] = email


def answers_for(form: dict, given: dict[str, Any]) -> dict:
    """FormResponse.answers from `{title or questionId: text or [choices]}`."""
    if not isinstance(given, dict):
        raise ApiError(400, "answers must map question titles or ids to answers.")
    questions = _questions(form)
    answers = {}
    for key, value in given.items():
        question = _find(questions, key)
        values = _values(question, key, value)
        if values:
            answers[question["questionId"]] = {"questionId": question["questionId"],
                                               "textAnswers": {"answers": [{"value": v} for v in values]}}
    return answers


def _questions(form: dict) -> list[tuple[str, dict]]:
    return [(item.get("title", ""), item["questionItem"]["question"])
            for item in form.get("items", []) if "questionItem" in item]


def _find(questions: list[tuple[str, dict]], key: str) -> dict:
    by_id = [question for _title, question in questions if question["questionId"] == key]
    by_title = [question for title, question in questions if title == key]
    if by_id:
        return by_id[0]
    if len(by_title) == 1:
        return by_title[0]
    if by_title:
        raise ApiError(400, f"Several questions are titled {key!r}; answer them by question id.")
    raise ApiError(400, f"The form has no question titled {key!r} (nor with that question id).")


def _values(question: dict, key: str, value: Any) -> list[str]:
    values = [value] if isinstance(value, (str, int, float)) else value
    if not isinstance(values, list) or not all(isinstance(v, (str, int, float)) for v in values):
        raise ApiError(400, f"The answer to {key!r} must be text or a list of choices.")
    values = [str(v) for v in values if str(v) != ""]
    choice = question.get("choiceQuestion")
    if choice is None:
        if len(values) > 1:
            raise ApiError(400, f"{key!r} takes one answer, not {len(values)}.")
        return values
    if len(values) > 1 and choice["type"] != "CHECKBOX":
        raise ApiError(400, f"{key!r} takes one choice, not {len(values)}.")
    options = {option.get("value") for option in choice.get("options", []) if not option.get("isOther")}
    has_other = any(option.get("isOther") for option in choice.get("options", []))
    unknown = [v for v in values if v not in options]
    if unknown and not has_other:
        raise ApiError(400, f"{unknown[0]!r} is not one of the choices of {key!r}.")
    return values

"""Google Forms v1, as PLT Sync's facilitator form uses it.

Store documents (kind, id -> shape), both exactly the resources Google returns:

* "form", formId -> Form: {"formId", "info": {"title", "documentTitle", "description"?},
  "settings": {"emailCollectionType": DO_NOT_COLLECT | VERIFIED | RESPONDER_INPUT},
  "items": [Item, ...] (absent when empty), "revisionId": "00000001" (counts batchUpdates),
  "responderUri", "publishSettings": {"publishState": {"isPublished", "isAcceptingResponses"}}}.
  An Item is {"itemId": 8 hex, "title", "description"?, "questionItem": {"question":
  {"questionId": 8 hex, "required"?: true, "textQuestion": {"paragraph"?: true} |
  "choiceQuestion": {"type": RADIO | CHECKBOX | DROP_DOWN, "options": [{"value"}]}}}}
  (or another item kind, kept as given).
* "form_response", responseId -> FormResponse: {"formId", "responseId", "createTime",
  "lastSubmittedTime", "respondentEmail"? (when the form collects emails),
  "answers": {questionId: {"questionId", "textAnswers": {"answers": [{"value"}, ...]}}}}.
  Responses arrive through the admin API (emulator/forms_admin.py), standing in for
  facilitators filling in the form.

A form is also a Drive file (application/vnd.google-apps.form); once that file is trashed
or deleted, the Forms API answers 404 for it, as Google does. Its Drive name is shown as
`info.documentTitle`.

`responses.list` filters on `lastSubmittedTime` (Google documents only "submitted after";
an edited response therefore shows up again), orders by createTime, pages up to 5,000.
"""
from __future__ import annotations

import base64
import copy
import json
import re

from .core import Api, ApiError, Call, parse_rfc3339
from .forms_items import apply_requests

api = Api("forms")

FORM_MIME_TYPE = "application/vnd.google-apps.form"
MAX_PAGE_SIZE = 5000
_FILTER = re.compile(r"^\s*timestamp\s*(>=|>)\s*(\S+)\s*$")
_RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")


def load_form(emulator, form_id: str) -> dict:
    """The live form document; 404 when it never existed or its Drive file is gone."""
    from . import drive

    form = emulator.store.get("form", form_id)
    if form is None or not drive.file_exists(emulator, form_id):
        raise ApiError(404, "Requested entity was not found.")
    return form


def form_resource(emulator, form: dict) -> dict:
    """The Form as answered: the document, titled by its Drive file's current name."""
    resource = copy.deepcopy(form)
    drive_file = emulator.store.get("file", form["formId"])
    if drive_file and drive_file.get("name") is not None:
        resource["info"]["documentTitle"] = drive_file["name"]
    return resource


@api.route("POST", "/v1/forms", "forms.forms.create", write=True)
def create_form(call: Call) -> dict:
    from . import drive

    body = call.json()
    info = _creatable_info(body)
    form_id = call.emulator.new_id(44)
    published = not call.flag("unpublished")
    form = {"formId": form_id,
            "info": {"title": info.get("title", ""), "documentTitle": info.get("documentTitle") or "Untitled form"},
            "settings": {"emailCollectionType": "DO_NOT_COLLECT"},
            "revisionId": "00000001",
            "responderUri": f"https://docs.google.com/forms/d/e/{call.emulator.new_id(56)}/viewform",
            "publishSettings": {"publishState": {"isPublished": published, "isAcceptingResponses": published}}}
    call.store.put("form", form_id, form)
    drive.register_file(call.emulator, file_id=form_id, name=form["info"]["documentTitle"],
                        mime_type=FORM_MIME_TYPE)
    return form_resource(call.emulator, form)


def _creatable_info(body: dict) -> dict:
    """Google copies only info.title and info.documentTitle at create; anything else is refused."""
    extra = sorted(set(body) - {"info", "formId", "revisionId", "responderUri"})
    info = body.get("info") or {}
    extra += [f"info.{name}" for name in sorted(set(info) - {"title", "documentTitle"})]
    if extra:
        raise ApiError(400, f"Only info.title and info.documentTitle can be set when creating a form; "
                            f"add {', '.join(extra)} with batchUpdate.")
    return info


@api.route("GET", "/v1/forms/<form_id>", "forms.forms.get")
def get_form(call: Call, form_id: str) -> dict:
    return form_resource(call.emulator, load_form(call.emulator, form_id))


@api.route("POST", "/v1/forms/<form_id>:batchUpdate", "forms.forms.batchUpdate", write=True)
def batch_update(call: Call, form_id: str) -> dict:
    form = copy.deepcopy(load_form(call.emulator, form_id))  # stored only if every request applies
    body = call.json()
    _check_write_control(form, body.get("writeControl") or {})
    requests = body.get("requests") or []
    if not requests:
        raise ApiError(400, "requests: at least one request is required.")
    replies = apply_requests(form, requests)
    form["revisionId"] = f"{int(form['revisionId']) + 1:08d}"
    call.store.put("form", form_id, form)
    answer = {"replies": replies, "writeControl": {"requiredRevisionId": form["revisionId"]}}
    if body.get("includeFormInResponse"):
        answer["form"] = form_resource(call.emulator, form)
    return answer


def _check_write_control(form: dict, control: dict) -> None:
    """requiredRevisionId must be the current revision; targetRevisionId one that existed."""
    required, target = control.get("requiredRevisionId"), control.get("targetRevisionId")
    if required is not None and required != form["revisionId"]:
        raise ApiError(400, f"The required revision ID '{required}' does not match the form's current "
                            f"revision ID '{form['revisionId']}'.", "FAILED_PRECONDITION")
    if target is not None and not (target.isdigit() and 0 < int(target) <= int(form["revisionId"])):
        raise ApiError(400, f"The target revision ID '{target}' is not a revision of this form.")


@api.route("GET", "/v1/forms/<form_id>/responses", "forms.forms.responses.list")
def list_responses(call: Call, form_id: str) -> dict:
    load_form(call.emulator, form_id)
    text = call.arg("filter", "")
    after = _parse_filter(text)
    size = call.int_arg("pageSize", 0)
    if size < 0:
        raise ApiError(400, f"pageSize must not be negative; got {size}.")
    size = min(size or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    responses = [r for r in responses_of(call.store, form_id) if after is None or after(r)]
    token = call.arg("pageToken")
    if token:
        cursor = _read_token(token, text)
        responses = [r for r in responses if _order(r) > cursor]
    answer: dict = {}
    if responses:
        answer["responses"] = responses[:size]
    if len(responses) > size:
        answer["nextPageToken"] = _make_token(text, _order(responses[size - 1]))
    return answer


def responses_of(store, form_id: str) -> list[dict]:
    """A form's responses in the order they were first submitted."""
    found = [doc for _id, doc in store.all("form_response") if doc["formId"] == form_id]
    return sorted(found, key=_order)


def _order(response: dict) -> tuple[str, str]:
    return (response["createTime"], response["responseId"])


def _parse_filter(text: str):
    """`timestamp > T` or `timestamp >= T` with T in RFC 3339 UTC; anything else is a 400."""
    if not text:
        return None
    match = _FILTER.match(text)
    if not match or not _RFC3339_UTC.match(match.group(2)):
        raise ApiError(400, f"Invalid filter: '{text}'. Supported filters are 'timestamp > T' and "
                            "'timestamp >= T' with T an RFC 3339 UTC timestamp, e.g. 2024-09-01T00:00:00Z.")
    operator, moment = match.group(1), parse_rfc3339(match.group(2))
    if operator == ">":
        return lambda response: parse_rfc3339(response["lastSubmittedTime"]) > moment
    return lambda response: parse_rfc3339(response["lastSubmittedTime"]) >= moment


def _make_token(filter_text: str, cursor: tuple[str, str]) -> str:
    raw = json.dumps({"filter": filter_text, "after": list(cursor)})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_token(token: str, filter_text: str) -> tuple[str, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursor = (str(raw["after"][0]), str(raw["after"][1]))
    except (ValueError, KeyError, IndexError, TypeError):
        raise ApiError(400, "Invalid page token.") from None
    if raw.get("filter") != filter_text:
        raise ApiError(400, "The page token was issued for a different filter; "
                            "pass the same filter with every page.")
    return cursor


@api.route("GET", "/v1/forms/<form_id>/responses/<response_id>", "forms.forms.responses.get")
def get_response(call: Call, form_id: str, response_id: str) -> dict:
    load_form(call.emulator, form_id)
    response = call.store.get("form_response", response_id)
    if response is None or response["formId"] != form_id:
        raise ApiError(404, "Requested entity was not found.")
    return response


from . import forms_admin  # noqa: E402,F401  (its admin routes belong with the forms they fill in)

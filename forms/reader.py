"""Reads the facilitator form and all its responses in as few calls as Google allows.

One `forms.get` for the questions, then `responses.list` 5,000 at a time. Every response
is read on every run: whether the Forms `timestamp` filter sees edited responses is not
documented, and a missed edit would leave a stale team on the roster. Google's errors are
left to the caller, which knows whether to retry and how to explain them.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from .model import FormSnapshot, Question, Response

MAX_PAGE_SIZE = 5000
_RESPONSE_FIELDS = ("nextPageToken,responses(responseId,createTime,lastSubmittedTime,"
                    "respondentEmail,answers)")
_CHOICE_KINDS = {"RADIO": "radio", "CHECKBOX": "checkbox", "DROP_DOWN": "drop_down"}
_OTHER_KINDS = {"dateQuestion": "date", "timeQuestion": "time", "scaleQuestion": "scale",
                "ratingQuestion": "rating", "fileUploadQuestion": "file_upload", "rowQuestion": "grid"}


def read_form(forms, form_id: str, page_size: int = MAX_PAGE_SIZE) -> FormSnapshot:
    """The form's questions and every response: 1 + ceil(n / page_size) calls, at least 2."""
    form = forms.forms().get(formId=form_id).execute()
    raw_responses, pages = _all_responses(forms, form_id, max(1, min(page_size, MAX_PAGE_SIZE)))
    responses = tuple(parse_response(raw) for raw in raw_responses)
    return FormSnapshot(
        form_id=form.get("formId", form_id),
        title=form.get("info", {}).get("title", ""),
        questions=parse_questions(form),
        responses=responses,
        collects_verified_email=collects_verified_email(form, responses),
        calls=1 + pages,
        responder_uri=form.get("responderUri", ""),
    )


def _all_responses(forms, form_id: str, page_size: int) -> tuple[list[dict], int]:
    """Every response, following page tokens; and how many pages that took."""
    found: list[dict] = []
    pages = 0
    token = None
    while True:
        page = forms.forms().responses().list(formId=form_id, pageSize=page_size, pageToken=token,
                                              fields=_RESPONSE_FIELDS).execute()
        pages += 1
        found.extend(page.get("responses", []))
        token = page.get("nextPageToken")
        if not token:
            return found, pages


def collects_verified_email(form: dict, responses: tuple[Response, ...]) -> bool:
    """Whether respondent emails are verified Google accounts: the VERIFIED setting, or a
    legacy form (made before the setting existed, so it has none) whose every response
    carries an email. A RESPONDER_INPUT address is typed by hand, so it is not trusted."""
    setting = form.get("settings", {}).get("emailCollectionType", "EMAIL_COLLECTION_TYPE_UNSPECIFIED")
    if setting == "VERIFIED":
        return True
    if setting != "EMAIL_COLLECTION_TYPE_UNSPECIFIED":
        return False
    return bool(responses) and all(r.respondent_email for r in responses)


def parse_questions(form: dict) -> tuple[Question, ...]:
    """Every question in form order; each row of a grid is a question of its own, titled
    "Item [Row]" as Google's own spreadsheet export titles it."""
    questions: list[Question] = []
    for item in form.get("items", []):
        title = item.get("title", "")
        if "questionItem" in item:
            questions.append(_question(item["itemId"], title, item["questionItem"].get("question", {})))
        for row in item.get("questionGroupItem", {}).get("questions", []):
            row_title = f"{title} [{row.get('rowQuestion', {}).get('title', '')}]"
            questions.append(_question(item["itemId"], row_title, row))
    return tuple(questions)


def _question(item_id: str, title: str, question: dict) -> Question:
    kind, choices = _kind(question)
    return Question(question_id=question.get("questionId", ""), item_id=item_id, title=title,
                    kind=kind, choices=choices, required=bool(question.get("required", False)))


def _kind(question: dict) -> tuple[str, tuple[str, ...]]:
    """The question's kind, and its choices (without the free-text "Other" option)."""
    if "textQuestion" in question:
        return ("paragraph" if question["textQuestion"].get("paragraph") else "text"), ()
    if "choiceQuestion" in question:
        choice = question["choiceQuestion"]
        options = tuple(o.get("value", "") for o in choice.get("options", []) if not o.get("isOther"))
        return _CHOICE_KINDS.get(choice.get("type", ""), "other"), options
    for key, kind in _OTHER_KINDS.items():
        if key in question:
            return kind, ()
    return "other", ()


def parse_response(raw: dict) -> Response:
    created = parse_timestamp(raw.get("createTime", ""))
    submitted = parse_timestamp(raw["lastSubmittedTime"]) if raw.get("lastSubmittedTime") else created
    return Response(response_id=raw.get("responseId", ""), create_time=created,
                    last_submitted_time=submitted, respondent_email=raw.get("respondentEmail") or None,
                    answers={qid: _values(answer) for qid, answer in raw.get("answers", {}).items()})


def _values(answer: dict) -> tuple[str, ...]:
    """The values of one answer: text and choices as given, uploaded files by name."""
    if "textAnswers" in answer:
        return tuple(a.get("value", "") for a in answer["textAnswers"].get("answers", []))
    if "fileUploadAnswers" in answer:
        return tuple(a.get("fileName", a.get("fileId", "")) for a in answer["fileUploadAnswers"].get("answers", []))
    return ()


_FRACTION = re.compile(r"\.(\d+)")


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 time as Google writes it ("2017-10-06T15:30:01.123456789Z"), in UTC.
    Python keeps microseconds, so digits past the sixth are dropped."""
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text.strip(), count=1)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)

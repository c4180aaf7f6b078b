"""From a form as read to typed Submissions and Problems, for any programme's fields.

Answers reach fields through the question titles the config names, so a coordinator can
word the form their own way. A response missing what a unit needs becomes problems
instead of a submission; anything else odd becomes a warning and the unit goes ahead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .members import StaffDirectory, check_members, normalise_name, parse_members
from .model import (ERROR, MULTILINE_TYPES, PERSON_TYPES, WARNING, FieldSpec, FormSnapshot, Member, Problem,
                    Question, Response, Submission, quoted)
from .repeat import split_key
from .validate import Note, clean_text, in_domains, normalise_email, split_name_and_email

_SINGLE_CHOICE = ("radio", "drop_down")
_ONE_PERSON = ("email", "person", "respondent")


def label(key: str) -> str:
    """How a field is named in a reason a coordinator reads: `team_name` -> team name."""
    return key.replace("_", " ")


@dataclass(frozen=True)
class QuestionMap:
    """Which question answers each field, and what was wrong with the configured titles."""

    question_of: Mapping[str, Question]
    missing_title: Mapping[str, str]   # field -> the configured title the form lacks
    problems: tuple[Problem, ...]


def map_questions(snapshot: FormSnapshot, fields: Sequence[FieldSpec]) -> QuestionMap:
    """Match each field's configured title to a question, case-insensitively and ignoring
    surrounding whitespace; report titles the form no longer has, once for the form."""
    by_title: dict[str, Question] = {}
    for question in snapshot.questions:
        by_title.setdefault(normalise_name(question.title), question)
    question_of: dict[str, Question] = {}
    missing: dict[str, str] = {}
    problems: list[Problem] = []
    for field in fields:
        question = by_title.get(normalise_name(field.title)) if field.title.strip() else None
        if question is not None:
            question_of[field.key] = question
            continue
        missing[field.key] = field.title
        problem = _form_problem(field, snapshot)
        if problem is not None:
            problems.append(problem)
    return QuestionMap(question_of, missing, tuple(problems))


def _form_problem(field: FieldSpec, snapshot: FormSnapshot) -> Problem | None:
    """The problem of a field no question answers: an error when every response needs it,
    a warning for an optional one. The respondent needs no question when the form
    collects verified addresses."""
    if field.type == "respondent" and snapshot.collects_verified_email:
        return None
    severity = ERROR if field.required else WARNING
    if field.title.strip():
        return Problem("", field.key, field.title, f"the form has no question titled {quoted(field.title)} "
                                                   "(renamed or deleted?)", severity)
    if field.required:
        return Problem("", field.key, "", f"no question is configured for the {label(field.key)}")
    return None


@dataclass(frozen=True)
class PeopleCap:
    """The most people one unit may have, counted over the fields naming its people.

    A response over it is refused outright: a pasted staff directory must not share a
    folder with hundreds of people or email them, and a unit it would have changed keeps
    its earlier response."""

    max_people: int
    fields: tuple[str, ...]
    noun: str = "team"
    setting: str = "[unit] max_people"      # where the config sets it, for the reason shown


def to_submissions(snapshot: FormSnapshot, fields: Sequence[FieldSpec], *, allowed_domains: Sequence[str],
                   staff: Mapping[str, str] = {}, sites: Sequence[str] = (), names: Mapping[str, str] = {},
                   cap: PeopleCap | None = None) -> tuple[list[Submission], list[Problem]]:
    """Every usable response as a Submission, and every problem found, in form order.
    Never raises on what a respondent typed. `sites` are the choices of a field whose
    choices are "sites"; `names` maps a field holding one person's email to the text field
    holding their name ("facilitator_email" -> "facilitator_name"); `cap` refuses a
    response naming more people than a unit may have."""
    questions = map_questions(snapshot, fields)
    rules = Rules(tuple(d.strip().lower() for d in allowed_domains), StaffDirectory(staff), tuple(sites),
                  dict(names), cap)
    submissions: list[Submission] = []
    problems: list[Problem] = list(questions.problems)
    for response in snapshot.responses:
        reading = ResponseReading(response, snapshot, questions, rules, fields)
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
    sites: tuple[str, ...]
    names: Mapping[str, str]
    cap: PeopleCap | None = None


class ResponseReading:
    """One response read field by field; `problems` collects what was found on the way."""

    def __init__(self, response: Response, snapshot: FormSnapshot, questions: QuestionMap, rules: Rules,
                 fields: Sequence[FieldSpec]):
        self.response = response
        self.snapshot = snapshot
        self.questions = questions
        self.rules = rules
        self.fields = fields
        self.problems: list[Problem] = []

    def submission(self) -> Submission | None:
        """The Submission, or None when an error makes the response unusable."""
        values = {f.key: self._value(f) for f in self.fields if f.type not in PERSON_TYPES}
        people: dict[str, tuple[Member, ...]] = {}
        for field in self.fields:
            if field.type in _ONE_PERSON:
                person = self._one_person(field, values.get(self.rules.names.get(field.key, ""), ""))
                people[field.key] = (person,) if person is not None else ()
        lead = next((p[0] for p in people.values() if p), None)
        for field in self.fields:
            if field.type == "people":
                people[field.key] = self._people(field, group_lead(field.key, people) or lead)
        if self._over_cap(people):
            return None
        if any(p.severity == ERROR for p in self.problems):
            return None
        return Submission(self.response.response_id, self.response.last_submitted_time, values, people,
                          self._verified())

    def _verified(self) -> str | None:
        if self.snapshot.collects_verified_email and self.response.respondent_email:
            return self.response.respondent_email.strip().lower()
        return None

    def _raw(self, field: FieldSpec) -> str | None:
        """The answer as given (several values joined), or None when no question asks it."""
        question = self.questions.question_of.get(field.key)
        if question is None:
            return None
        values = self.response.answers.get(question.question_id, ())
        return ("\n" if field.type in MULTILINE_TYPES else ", ").join(values)

    def _text(self, field: FieldSpec) -> str:
        raw = self._raw(field)
        if raw is None:
            return ""
        text, notes = clean_text(raw, multiline=field.type in MULTILINE_TYPES)
        self._note(field.key, notes)
        return text

    def _value(self, field: FieldSpec) -> str:
        text = self._text(field)
        if field.required and not text:
            self._missing(field.key)
        if field.type in ("choice", "dropdown"):
            return self._choice(field, text)
        return text

    def _choices(self, field: FieldSpec) -> tuple[str, ...]:
        """The configured choices (the programme's sites for "sites"); without them, the
        question's own."""
        configured = self.rules.sites if field.choices == "sites" else tuple(field.choices or ())
        if configured:
            return configured
        question = self.questions.question_of.get(field.key)
        return question.choices if question is not None and question.kind in _SINGLE_CHOICE else ()

    def _choice(self, field: FieldSpec, text: str) -> str:
        """The configured spelling of a choice matched regardless of case and spacing;
        otherwise the answer as typed, with a warning."""
        choices = self._choices(field)
        if not text or not choices:
            return text
        for choice in choices:
            if normalise_name(choice) == normalise_name(text):
                return choice
        self._warn(field.key, text, f"{quoted(text)} is not one of the {label(field.key)} choices "
                                    f"({_listed(choices)}); kept as typed")
        return text

    def _one_person(self, field: FieldSpec, named: str) -> Member | None:
        """From the verified respondent email when the field is the respondent and the form
        collects it; otherwise from the question, as "Name <email>" or a bare email.
        `named` is the name another field gives this person."""
        if field.type == "respondent" and self._verified():
            name, written = "", self.response.respondent_email
        else:
            text = self._text(field)
            if not text:
                if field.required:
                    self._missing(field.key)
                return None
            name, written = split_name_and_email(text)
            written = written or text
        email, fault = normalise_email(written)
        if fault is not None:
            self._note(field.key, [fault] if field.required else [Note(fault.value, fault.reason, WARNING)])
            return None
        if not in_domains(email, self.rules.allowed_domains):
            self._warn(field.key, email, f"{quoted(email)} is outside the allowed domains "
                       f"({', '.join(self.rules.allowed_domains)}); the folder is not shared with it")
        return Member(named or (name if field.type == "person" else ""), email)

    def _people(self, field: FieldSpec, lead: Member | None) -> tuple[Member, ...]:
        text = self._text(field)
        if not text:
            if field.required:
                self._missing(field.key)
            return ()
        parsed, notes = parse_members(text, self.rules.staff)
        members, checks = check_members(parsed, facilitator_email=lead.email if lead else "",
                                        facilitator_name=lead.name if lead else "", allowed_domains=self.rules.allowed_domains)
        self._note(field.key, notes + checks)
        if not members and field.required:
            self.problems.append(Problem(self.response.response_id, field.key, text,
                                         "no usable member is left once the facilitator and "
                                         "unusable entries are taken out"))
        return members

    def _over_cap(self, people: Mapping[str, tuple[Member, ...]]) -> bool:
        """Whether the unit would have more people than the cap allows. If so, one error on
        the field listing the most people replaces that field's notes, so a pasted
        directory makes one Problems row, not one per person in it."""
        cap = self.rules.cap
        if cap is None:
            return False
        counted = [f for f in cap.fields if f in people]
        everyone = {(m.email or m.name).strip().lower() for f in counted for m in people[f]} - {""}
        if len(everyone) <= cap.max_people:
            return False
        field = max(counted, key=lambda f: len(people[f]))
        self.problems = [p for p in self.problems if p.field != field]
        self.problems.append(Problem(self.response.response_id, field, self._text_of(field),
                                     f"lists {len(people[field])} people, making a {cap.noun} of {len(everyone)}; "
                                     f"a {cap.noun} has at most {cap.max_people} ({cap.setting})"))
        return True

    def _text_of(self, key: str) -> str:
        field = next(f for f in self.fields if f.key == key)
        return self._raw(field) or ""

    def _missing(self, key: str) -> None:
        title = self.questions.missing_title.get(key)
        reason = f"the {label(key)} is missing"
        if title:
            reason = f"no {label(key)}: the form has no question titled {quoted(title)}"
        self.problems.append(Problem(self.response.response_id, key, "", reason))

    def _warn(self, key: str, value: str, reason: str) -> None:
        self.problems.append(Problem(self.response.response_id, key, value, reason, WARNING))

    def _note(self, key: str, notes: Sequence[Note]) -> None:
        self.problems.extend(Problem(self.response.response_id, key, n.value, n.reason, n.severity)
                             for n in notes)


def group_lead(key: str, people: Mapping[str, tuple[Member, ...]]) -> Member | None:
    """For the members of a repeated group (`members#2`): the group's own first person
    (its leader), who is on the group already; None for a field of no group."""
    _base, n = split_key(key)
    if n is None:
        return None
    return next((found[0] for other, found in people.items() if found and split_key(other)[1] == n), None)


def _listed(choices: Sequence[str], shown: int = 6) -> str:
    head = ", ".join(choices[:shown])
    return head if len(choices) <= shown else f"{head}, and {len(choices) - shown} more"


def cross_unit_warnings(submissions: Sequence[Submission], describe, *, field: str,
                        plural: str = "units") -> list[Problem]:
    """A person (by email) in several units: one warning on each unit after their first,
    units taken in the order they were submitted, recorded against `field` (the members).
    Call it on the latest response per unit, so a resubmission does not count as a second
    unit. `describe(submission)` names a unit in the warning, e.g. "the team 'Readers'
    (Belmont High School)"."""
    first: dict[str, Submission] = {}
    warnings: list[Problem] = []
    for submission in sorted(submissions, key=lambda s: (s.submitted_at, s.response_id)):
        for email in submission.emails():
            home = first.setdefault(email, submission)
            if home is not submission:
                warnings.append(Problem(submission.response_id, field, email,
                                        f"{quoted(email)} is also on {describe(home)}; one person on several "
                                        f"{plural}", WARNING))
    return warnings

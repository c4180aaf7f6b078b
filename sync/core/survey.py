"""The interest survey as read: one row per respondent in a pandas frame, and from it the
people to group (their ranked topics) and the facilitators who volunteered.

Pure. Answers are read as any form's are (`forms.submissions`), so a response without a
verified respondent is a Problems row and is not used; a resubmission replaces the same
person's earlier answer, whose problems are then no longer current. A topic that is not one
of the configured topics is left out of that person's ranking, and a topic chosen twice
counts at its better rank, each with a warning saying so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from forms.model import PERSON_TYPES, WARNING, FormSnapshot, Problem, quoted
from forms.submissions import to_submissions

from .grouping import Facilitator, Respondent

SURVEY_FIELD = "Survey"    # every Problems row of a survey has Field "Survey (<form key>) <field>"
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass(frozen=True)
class Survey:
    frame: pd.DataFrame                 # one row per respondent: response_id, submitted_at, respondent, fields
    respondents: tuple[Respondent, ...]
    volunteers: tuple[Facilitator, ...]
    problems: tuple[Problem, ...]


def survey_field(form_key: str, field: str) -> str:
    return f"{SURVEY_FIELD} ({form_key}) {field}"


def read_survey(snapshot: FormSnapshot, form, grouping, *, allowed_domains: Sequence[str],
                sites: Sequence[str]) -> Survey:
    """Every respondent's latest answer, and every problem of those answers."""
    submissions, problems = to_submissions(snapshot, form.fields, allowed_domains=allowed_domains, sites=sites)
    topics = tuple(form.field(grouping.choices[0]).choices)
    rows = [{"response_id": s.response_id, "submitted_at": s.submitted_at, "respondent": s.respondent, **s.values}
            for s in submissions if s.respondent]
    answered = [f.key for f in form.fields if f.type not in PERSON_TYPES]
    frame = pd.DataFrame(rows, columns=["response_id", "submitted_at", "respondent", *answered])
    frame = frame.sort_values(["submitted_at", "response_id"]).drop_duplicates("respondent", keep="last")
    frame = frame.sort_values("respondent").reset_index(drop=True)
    current = set(frame["response_id"]) | {""}
    problems = [p for p in problems if p.response_id in current and not _off_topic(p, grouping.choices)]
    respondents, found = _respondents(frame, grouping, topics)
    volunteers = _volunteers(frame, grouping, topics)
    shown = [Problem(p.response_id, survey_field(form.key, p.field), p.value, p.reason, p.severity)
             for p in [*problems, *found]]
    return Survey(frame, tuple(respondents), tuple(volunteers), tuple(shown))


def _off_topic(problem: Problem, choice_fields: Sequence[str]) -> bool:
    """The generic "not one of the choices; kept as typed" warning of a topic choice:
    replaced here by one saying that the choice is left out."""
    return problem.field in choice_fields and problem.severity == WARNING and "kept as typed" in problem.reason


def _respondents(frame: pd.DataFrame, grouping, topics: tuple[str, ...]) -> tuple[list[Respondent], list[Problem]]:
    people, problems = [], []
    for row in frame.itertuples(index=False):
        answers = row._asdict()
        ranked: list[str] = []
        for rank, key in enumerate(grouping.choices, start=1):
            topic = answers.get(key) or ""
            # A slot left empty keeps the ranks after it where they are.
            ranked.append(topic if topic in topics and topic not in ranked else "")
            if not topic:
                continue
            if topic not in topics:
                problems.append(Problem(row.response_id, key, topic, f"{quoted(topic)} is not one of the topics; "
                                                                     f"this {_ORDINALS[rank]} choice is left out",
                                        WARNING))
            elif ranked[-1] == "":
                problems.append(Problem(row.response_id, key, topic, f"{quoted(topic)} was already chosen; it counts "
                                                                     f"as the {_ORDINALS[ranked.index(topic) + 1]} "
                                                                     "choice", WARNING))
        while ranked and not ranked[-1]:
            ranked.pop()
        people.append(Respondent(row.respondent, str(answers.get(grouping.school) or ""), tuple(ranked)))
    return people, problems


def _volunteers(frame: pd.DataFrame, grouping, topics: tuple[str, ...]) -> list[Facilitator]:
    if grouping.facilitate is None or grouping.facilitate not in frame.columns:
        return []
    volunteers = []
    for respondent, offered in zip(frame["respondent"], frame[grouping.facilitate]):
        named = topics_in(str(offered or ""), topics)
        if named:
            volunteers.append(Facilitator(respondent, named))
    return volunteers


def topics_in(text: str, topics: Sequence[str]) -> tuple[str, ...]:
    """The topics a checkboxes answer names: its values are joined by ", ", and a topic may
    itself contain a comma, so known topics are matched whole, longest first."""
    found, rest = [], f", {text}, "
    for topic in sorted(topics, key=len, reverse=True):
        if f", {topic}, " in rest:
            found.append(topic)
            rest = rest.replace(f", {topic}, ", ", ", 1)
    return tuple(t for t in topics if t in found)

"""Responses to an evidence form as milestone evidence (a checkpoint form, say).

Pure. A response names its unit by the Unit ID question PLT Sync pre-fills in the link it
emails; without one, it counts for the unit its respondent is in when they are in exactly
one. Anything else (an id no live unit has, a respondent in no unit or in several) is a
Problems row that says so, and counts for nothing.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from forms.links import prefill_link
from forms.model import WARNING, Problem, Submission, quoted
from forms.validate import in_domains

from sync.core.model import Team
from sync.core.units import UnitRules

UNIT_ID_FIELD = "unit_id"


@dataclass(frozen=True)
class EvidenceForm:
    """A form whose responses are milestone evidence, as read this run: the address people
    answer it at and the id of its Unit ID question (empty until read, or without one)."""

    key: str
    title: str
    responder_uri: str = ""
    unit_id_question: str = ""

    def link_for(self, unit_id: str) -> str:
        """The form's address with the unit's id filled in; empty before it is read."""
        if not self.unit_id_question:
            return self.responder_uri
        return prefill_link(self.responder_uri, {self.unit_id_question: unit_id})


def matched_responses(submissions: Iterable[Submission], teams: Mapping[str, Team], units: UnitRules,
                      form: EvidenceForm, domains: tuple[str, ...] = ()) -> tuple[dict[str, str], list[Problem]]:
    """Team id -> the response id of its latest response to `form`, and a problem for each
    response that cannot be placed. A response whose verified sender is outside `domains`
    counts for nothing, whatever id it gives: evidence comes from the district's people."""
    found: dict[str, Submission] = {}
    unplaced: list[tuple[Submission, Problem]] = []
    placed_by: dict[str, datetime] = {}       # respondent -> when they last answered for a unit
    people = _units_of_people(teams, units)
    for sub in sorted(submissions, key=lambda s: (s.submitted_at, s.response_id)):
        tid, problem = _place(sub, teams, people, units, form, domains)
        if problem is not None:
            unplaced.append((sub, problem))
        elif tid is not None:
            found[tid] = sub
            if sub.respondent:
                placed_by[sub.respondent.lower()] = sub.submitted_at
    # A response that could not be placed stops being a problem once its sender answers
    # again in a way that can.
    problems = [problem for sub, problem in unplaced
                if not (sub.respondent and placed_by.get(sub.respondent.lower(), sub.submitted_at) > sub.submitted_at)]
    return {tid: sub.response_id for tid, sub in found.items()}, problems


def unit_id_given(text: str) -> str:
    """The Unit ID a response gives, as compared with units' ids: in capitals, without the
    spaces and invisible marks (a zero-width space pasted with it) that no id contains."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf").upper()


def _units_of_people(teams: Mapping[str, Team], units: UnitRules) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for tid, team in teams.items():
        for _role, person in units.people(team):
            if person.email:
                out.setdefault(person.email.lower(), set()).add(tid)
    return out


def _place(sub: Submission, teams: Mapping[str, Team], people: Mapping[str, set[str]], units: UnitRules,
           form: EvidenceForm, domains: tuple[str, ...]) -> tuple[str | None, Problem | None]:
    if sub.respondent and not in_domains(sub.respondent.lower(), domains):
        return None, Problem(sub.response_id, "respondent", sub.respondent, f"the {form.title} response comes "
                             f"from {quoted(sub.respondent)}, which is outside the allowed domains; it counts "
                             "for nothing", WARNING)
    typed = sub.values.get(UNIT_ID_FIELD, "").strip()
    given = unit_id_given(typed)
    if given:
        if given in teams:
            return given, None
        # The Problems row quotes the answer as typed, not as compared.
        return None, Problem(sub.response_id, UNIT_ID_FIELD, typed, f"the {form.title} response names "
                             f"{quoted(typed)}, which is no current {units.noun}; it counts for nothing", WARNING)
    who = sub.respondent or next((m.email for ms in sub.people.values() for m in ms if m.email), None)
    homes = sorted(people.get((who or "").lower(), ()))
    if len(homes) == 1:
        return homes[0], None
    if not homes:
        reason = (f"the {form.title} response from {quoted(who)} names no {units.noun}, and its sender is in none"
                  if who else f"the {form.title} response names no {units.noun} and has no verified sender")
    else:
        reason = (f"the {form.title} response from {quoted(who)} names no {units.noun}, and its sender is in "
                  f"{len(homes)} {units.plural}: answer through the link in the reminder, which names one")
    return None, Problem(sub.response_id, UNIT_ID_FIELD, who or "", reason, WARNING)

"""The enrol form's responses as units: who each response is from, and how a warning
names the unit a response made. Pure helpers of `observe`."""
from __future__ import annotations

from datetime import datetime

from forms.model import quoted
from forms.validate import split_name_and_email

from sync.core.units import UnitRules


def response_senders(snapshot, fields, units: UnitRules) -> dict[str, tuple[str, datetime]]:
    """Response id -> (who it is from, when submitted), read from the raw answers so that
    an unusable response is placed too: a later response from the same person then
    resolves its problems. Who: the email of the unit key's first person field (the
    verified respondent when that field is the respondent and the form collects it)."""
    field = next((f for f in fields if f.key in units.key_fields and f.key in units.person_fields), None)
    question = _question_of(snapshot, field.title) if field else None
    out = {}
    for response in snapshot.responses:
        email = ""
        if field is not None and field.type == "respondent" and snapshot.collects_verified_email:
            email = response.respondent_email or ""
        if not email and question:
            answer = next(iter(response.answers.get(question, ())), "")
            email = split_name_and_email(answer)[1] or answer
        out[response.response_id] = (email.strip().lower(), response.last_submitted_time)
    return out


def _question_of(snapshot, title: str) -> str | None:
    wanted = title.strip().casefold()
    return next((q.question_id for q in snapshot.questions if q.title.strip().casefold() == wanted), None)


def describer(units: UnitRules, teams):
    """How a warning names the unit a response made: "the team 'Readers' (Belmont High School)"."""
    by_response = {team.submission.response_id: team for team in teams.values()}

    def describe(submission) -> str:
        team = by_response[submission.response_id]
        return f"the {units.noun} {quoted(units.name(team))} ({units.site(team)})"
    return describe


def members_field(units: UnitRules) -> str:
    """The field a warning about a person in several units is recorded against: the
    people field of the first role that is not reminded directly (the members)."""
    return next((r.field for r in units.roles if r.remind != "to"), units.roles[0].field)

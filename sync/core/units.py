"""What a unit of the programme is, read from the config: its key, id, name, site, the
people in each role, and the roster columns its fields fill.

Pure and programme-agnostic: Belmont's teams (a facilitator and members), Tulsa's plans
(a teacher and an evaluator) and South Dakota's work groups are all a `UnitRules`.
"""
from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Mapping

from forms.model import Member, Submission
from forms.repeat import GROUP

from .model import Team

SITE = "site"


def normalise_name(text: str) -> str:
    """Case, accents, punctuation and spacing do not make a different unit."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


@dataclass(frozen=True)
class RoleRule:
    key: str
    field: str
    access: str          # writer, commenter, reader or none
    remind: str          # to, cc or no


@dataclass(frozen=True)
class Column:
    """A roster column filled from a field: its text, or (`count`) how many people it lists."""

    header: str
    field: str
    count: bool = False


@dataclass(frozen=True)
class UnitRules:
    noun: str
    plural: str
    id_prefix: str
    key_fields: tuple[str, ...]
    person_fields: frozenset[str]
    name_template: str
    site_field: str
    roles: tuple[RoleRule, ...]
    columns: tuple[Column, ...]
    name_fields: Mapping[str, str]      # a person field -> the field holding that person's name
    email_fields: frozenset[str] = frozenset()   # person fields that hold an address alone
    group_field: str = ""       # with [form.repeat]: the field holding a group's number ("n")

    def key_of(self, submission: Submission) -> str:
        """The unit a response is about: its key fields, people by email, text normalised."""
        parts = []
        for field in self.key_fields:
            if field in self.person_fields:
                person = submission.person(field)
                parts.append(person.email if person and person.email else "")
            else:
                parts.append(normalise_name(submission.values.get(field, "")))
        return "|".join(parts)

    def sender_of(self, key: str) -> str:
        """Who a unit key is about, for telling that a later response replaced an earlier
        one: the key's first person (the facilitator), or without one the whole key but a
        group's number (all groups of a building plan come from the one response)."""
        parts = key.split("|")
        for index, field in enumerate(self.key_fields):
            if field in self.person_fields:
                return parts[index]
        return "|".join(part for field, part in zip(self.key_fields, parts) if field != self.group_field)

    def id_of(self, key: str) -> str:
        return unit_id(self.id_prefix, key)

    def fill(self, template: str, team: Team) -> str:
        """A name template with each `{field}` replaced by the answer, `{unit_id}` by the id.
        Answers are inserted as they are, never expanded again."""
        values = _Blank(self.text_values(team.submission), unit_id=team.team_id, team_id=team.team_id)
        return template.format_map(values)

    def name(self, team: Team) -> str:
        return self.fill(self.name_template, team)

    def site(self, team: Team) -> str:
        return team.submission.values.get(self.site_field, "")

    def text_values(self, submission: Submission) -> dict[str, str]:
        """Every field as text: an email field as the address, people as one "Name <email>"
        per line."""
        values = dict(submission.values)
        for key, members in submission.people.items():
            if key in self.email_fields:
                values[key] = members[0].email or "" if members else ""
            else:
                values[key] = people_text(members)
        return values

    def people(self, team: Team) -> Iterator[tuple[RoleRule, Member]]:
        """(role, person) for everyone in the unit, in role order, each person once."""
        seen: set[str] = set()
        for role in self.roles:
            for member in team.submission.people.get(role.field, ()):
                who = (member.email or member.name).strip().lower()
                if who and who not in seen:
                    seen.add(who)
                    yield role, member

    def lead(self, team: Team) -> Member | None:
        """The first person reminders go to: the unit's facilitator, teacher or leader."""
        return next((m for r, m in self.people(team) if r.remind == "to"), None)

    def roster_values(self, team: Team) -> dict[str, object]:
        values = self.text_values(team.submission)
        out: dict[str, object] = {}
        for column in self.columns:
            if column.count:
                out[column.header] = len(team.submission.people.get(column.field, ()))
            else:
                out[column.header] = values.get(column.field, "")
        return out


@dataclass(frozen=True)
class Words:
    """The words the sheet and emails use for units and sites."""

    noun: str = "team"
    plural: str = "teams"
    site_noun: str = "School"
    short_name: str = "PLTs"

    @property
    def Noun(self) -> str:
        return self.noun[:1].upper() + self.noun[1:]


class _Blank(dict):
    """Answers for a name template: a field left unanswered fills in as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def unit_id(prefix: str, key: str) -> str:
    """A short, stable, readable id: the prefix and 8 characters of the key's hash."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return f"{prefix}-" + base64.b32encode(digest)[:8].decode("ascii")


def people_text(members) -> str:
    return "\n".join(f"{m.name} <{m.email}>" if m.email and m.name else (m.email or m.name) for m in members)


def unit_rules(settings) -> UnitRules:
    """The unit model of a programme's settings (`config.Settings`)."""
    unit, fields = settings.unit, settings.form.fields
    by_key = {f.key: f for f in fields}
    order = list(settings.roster.columns)
    columns = [Column(f.column, f.key) for f in fields if f.column]
    repeat = settings.form.repeat
    if repeat is not None and repeat.column:
        columns.insert(0, Column(repeat.column, GROUP))
    columns += [Column(f.count_column, f.key, count=True) for f in fields if f.count_column]
    if order:
        rank = {header: i for i, header in enumerate(order)}
        columns.sort(key=lambda c: rank.get(c.header, len(order)))
    persons = frozenset(k for k, f in by_key.items() if f.type in ("email", "person", "people", "respondent"))
    return UnitRules(unit.noun, unit.plural_noun, unit.id_prefix, tuple(unit.key), persons, unit.name, unit.site,
                     tuple(RoleRule(r.key, r.field, r.access, r.remind) for r in unit.roles), tuple(columns),
                     names_of(settings), frozenset(k for k, f in by_key.items() if f.type in ("email", "respondent")),
                     GROUP if repeat is not None else "")


def words(settings) -> Words:
    unit, programme = settings.unit, settings.programme
    return Words(unit.noun, unit.plural_noun, programme.site_noun, programme.short_name or unit.plural_noun)


def names_of(settings) -> Mapping[str, str]:
    """Person field -> the field giving that person's name, from the roles."""
    return {r.field: r.name_field for r in settings.unit.roles if r.name_field}

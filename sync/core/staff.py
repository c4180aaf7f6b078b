"""The Staff tab: the district's directory of people, owned by coordinators, filled by
`plt staff import` from an HR or SIS export.

Pure. The rows of an export are checked one by one (a bad row becomes a Problems row with
the reason and is left out; the others go in), then compared with the tab as read: a
person is found by email, a new one gets a row, a known one has only the cells the export
changed updated, and nobody is ever removed: a person a coordinator added by hand stays.
The `Assigned` tick box is the coordinator's (or evaluator's) alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from forms.model import Problem, quoted, visible
from forms.validate import email_fault, in_domains, split_name_and_email
from sheets.book import Tab

from sync.core.units import normalise_name

NAME, EMAIL, ROLE, EVALUATOR, ASSIGNED = "Name", "Email", "Role", "Evaluator", "Assigned"
IMPORT_FIELD = "Staff import"     # the Field of every Problems row an import writes


def staff_headers(site_header: str) -> tuple[str, ...]:
    """The Staff tab's columns; the site column is named as the programme names its sites."""
    return (NAME, EMAIL, site_header, ROLE, EVALUATOR, ASSIGNED)


@dataclass(frozen=True)
class ExportRow:
    """One line of an export, as written (line numbers as a spreadsheet shows them)."""

    line: int
    name: str = ""
    email: str = ""
    site: str = ""
    role: str = ""
    evaluator: str = ""

    def shown(self) -> str:
        return visible(" | ".join(v for v in (self.name, self.email, self.site, self.role, self.evaluator) if v))


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    site: str
    role: str
    evaluator: str      # the evaluator's email, or "" when the export names none


@dataclass(frozen=True)
class StaffRules:
    sites: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    site_header: str = "School"


@dataclass(frozen=True)
class StaffChanges:
    """What an import does to the tab: rows added, cells of known rows changed."""

    added: tuple[Person, ...]
    updated: tuple[tuple[int, tuple[tuple[str, str], ...]], ...]    # (row, ((header, new value), ...))
    unchanged: int

    @property
    def empty(self) -> bool:
        return not self.added and not self.updated


def import_problem(source: str, row: ExportRow, reason: str) -> Problem:
    return Problem("", f"{IMPORT_FIELD} ({source}) line {row.line}", row.shown(), reason)


def checked_people(rows: Sequence[ExportRow], rules: StaffRules, known_names: Mapping[str, str],
                   source: str) -> tuple[list[Person], list[Problem]]:
    """The people of an export that can go on the tab, and a problem for each row that
    cannot. `known_names` (normalised name -> email, from the tab) resolves evaluators
    given by name; the export's own names resolve them too."""
    names = {**known_names, **_names_in(rows)}
    people: dict[str, tuple[int, Person]] = {}
    problems: list[Problem] = []
    for row in rows:
        person, reason = _person(row, rules, names)
        if person is not None and person.email in people and people[person.email][1] != person:
            reason, person = f"repeats the email of line {people[person.email][0]} with other details; that line " \
                             "was kept", None
        if reason:
            problems.append(import_problem(source, row, reason))
        elif person is not None:
            people.setdefault(person.email, (row.line, person))
    return [person for _line, person in people.values()], problems


def _names_in(rows: Sequence[ExportRow]) -> dict[str, str]:
    """Normalised name -> email for names the export gives exactly one address."""
    found: dict[str, set[str]] = {}
    for row in rows:
        if row.name.strip() and row.email.strip():
            found.setdefault(normalise_name(row.name), set()).add(row.email.strip().lower())
    return {name: next(iter(emails)) for name, emails in found.items() if len(emails) == 1}


def _person(row: ExportRow, rules: StaffRules, names: Mapping[str, str]) -> tuple[Person | None, str]:
    """The person a row describes, or the reason it cannot be used."""
    email = row.email.strip().lower()
    if not email:
        return None, "no email address: the Staff tab finds a person by their email"
    fault = email_fault(email)
    if fault:
        return None, f"{quoted(row.email)} is not a valid email address ({fault})"
    if not in_domains(email, rules.allowed_domains):
        return None, f"{email} is outside the district's domains ({', '.join(rules.allowed_domains)})"
    if not row.name.strip():
        return None, "no name"
    site = _site(row.site, rules.sites)
    if site is None:
        return None, (f"{rules.site_header.lower()} {quoted(row.site)} is not one of the programme's sites "
                      f"({', '.join(rules.sites)})" if row.site.strip() else f"no {rules.site_header.lower()}")
    evaluator, reason = _evaluator(row.evaluator, names, rules.allowed_domains)
    if reason:
        return None, reason
    return Person(" ".join(row.name.split()), email, site, " ".join(row.role.split()), evaluator), ""


def _site(written: str, sites: Sequence[str]) -> str | None:
    """The programme's site a written name stands for (case and spacing aside)."""
    wanted = normalise_name(written)
    return next((site for site in sites if normalise_name(site) == wanted), None) if wanted else None


def _evaluator(written: str, names: Mapping[str, str], domains: tuple[str, ...]) -> tuple[str, str]:
    """The evaluator's email from "email", "Name <email>" or a name the directory knows."""
    text = written.strip()
    if not text:
        return "", ""
    _name, address = split_name_and_email(text)
    if address is None:
        email = names.get(normalise_name(text))
        if email is None:
            return "", (f"evaluator {quoted(text)} is not a person of the Staff tab or this file: give their "
                        "email address")
        return email, ""
    email = address.strip().lower()
    if email_fault(email) or not in_domains(email, domains):
        return "", f"evaluator {quoted(text)} is not an email address in the district's domains"
    return email, ""


def staff_index(tab: Tab | None) -> dict[str, int]:
    """Row of each person on the tab, by email (the first row when one repeats)."""
    if tab is None or tab.column(EMAIL) is None:
        return {}
    found: dict[str, int] = {}
    for row in tab.data_rows():
        email = str(tab.value(row, EMAIL)).strip().lower()
        if email:
            found.setdefault(email, row)
    return found


def known_names(tab: Tab | None) -> dict[str, str]:
    """Normalised name -> email of the people on the tab."""
    if tab is None or tab.column(NAME) is None:
        return {}
    return {normalise_name(str(tab.value(r, NAME))): str(tab.value(r, EMAIL)).strip().lower()
            for r in tab.data_rows() if str(tab.value(r, NAME)).strip() and str(tab.value(r, EMAIL)).strip()}


def plan_staff(tab: Tab | None, people: Sequence[Person], site_header: str) -> StaffChanges:
    """New people added; a known person's name, site, role and evaluator updated where the
    export says something else (a blank in the export keeps what the tab holds)."""
    index = staff_index(tab)
    added: list[Person] = []
    updated: list[tuple[int, tuple[tuple[str, str], ...]]] = []
    for person in people:
        row = index.get(person.email)
        if row is None or tab is None:
            added.append(person)
            continue
        wanted = {NAME: person.name, site_header: person.site, ROLE: person.role, EVALUATOR: person.evaluator}
        changes = tuple((header, value) for header, value in wanted.items()
                        if value and str(tab.value(row, header)).strip() != value)
        if changes:
            updated.append((row, changes))
    return StaffChanges(tuple(added), tuple(updated), len(people) - len(added) - len(updated))


def person_cells(person: Person, site_header: str) -> dict[str, object]:
    """A new person's row: not yet assigned."""
    return {NAME: person.name, EMAIL: person.email, site_header: person.site, ROLE: person.role,
            EVALUATOR: person.evaluator, ASSIGNED: False}

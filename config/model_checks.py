"""Checks of the programme model that span sections: every name a section uses (a field,
a form, a role, a milestone, a site) is defined where it should be; and the refusal, with
one clear line each, of the parts of the model this release does not carry out yet.

Like `config.checks`, they read the parsed TOML and tolerate values of the wrong type
(the schema reports those), so every problem is reported at once.
"""
from __future__ import annotations

from typing import Any, Iterator

from .errors import ConfigProblem
from .problems import shown, toml_path
from .grouping_checks import grouping_problems
from .repeat_checks import GROUP, repeat_problems, source_repeats
from .types import placeholders

PERSON_TYPES = ("email", "person", "people", "respondent")
CHOICE_TYPES = ("choice", "dropdown", "checkboxes")
UNIT_PLACEHOLDERS = ("unit_id",)
NOT_YET = "is not supported yet"
UNVERIFIED_RISK = ("expected true for an enrol form: without verified emails anyone who knows a facilitator's "
                   "address could send a response in their name and take over the team and its folder; set "
                   "collect_verified_email = true, or accept that risk with allow_unverified_responses = true")


def _table(raw: Any, name: str) -> dict:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value if isinstance(value, dict) else {}


def _items(raw: Any, name: str) -> list[tuple[int, dict]]:
    value = raw.get(name) if isinstance(raw, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _first_by_key(items: list[tuple[int, dict]]) -> dict[str, tuple[int, dict]]:
    """Items by key; of two with one key (reported as such) the first counts, as when the
    settings are used."""
    found: dict[str, tuple[int, dict]] = {}
    for index, item in items:
        if isinstance(item.get("key"), str):
            found.setdefault(item["key"], (index, item))
    return found


def _forms(raw: dict) -> dict[str, tuple[int, dict]]:
    return _first_by_key(_items(raw, "form"))


def _fields(form: dict) -> dict[str, dict]:
    return {key: field for key, (_i, field) in _first_by_key(_items(form, "field")).items()}


def model_problems(raw: dict) -> list[ConfigProblem]:
    """Every broken reference between the sections of the programme model."""
    return [*_form_problems(raw), *repeat_problems(raw), *_unit_problems(raw), *_milestone_references(raw),
            *_calendar_problems(raw),
            *_target_problems(raw), *grouping_problems(raw)]


def _form_problems(raw: dict) -> Iterator[ConfigProblem]:
    seen: dict[str, int] = {}
    for index, form in _items(raw, "form"):
        key = form.get("key")
        if isinstance(key, str) and key in seen:
            yield ConfigProblem(toml_path(("form", index, "key")),
                                f"expected a unique key; form[{seen[key]}] has the same one")
        elif isinstance(key, str):
            seen[key] = index
        yield from _field_problems(form, index)
        yield from _verification_problems(form, index)


def unverified_problem(form: dict, where: str) -> ConfigProblem | None:
    """An enrol form that does not collect verified emails, without the risk accepted: a
    response naming someone else's address would change that person's unit and folder."""
    if form.get("collect_verified_email") is False and form.get("allow_unverified_responses") is not True:
        return ConfigProblem(f"{where}.collect_verified_email", UNVERIFIED_RISK)
    return None


def _verification_problems(form: dict, index: int) -> Iterator[ConfigProblem]:
    where = toml_path(("form", index))
    if form.get("purpose") == "enrol" and (problem := unverified_problem(form, where)) is not None:
        yield problem
    if "allow_unverified_responses" in form and form.get("purpose") not in ("enrol", None):
        yield ConfigProblem(f"{where}.allow_unverified_responses", "only an enrol form's responses change who is "
                                                                   "in a unit; remove it from this form")


def _field_problems(form: dict, form_index: int) -> Iterator[ConfigProblem]:
    keys: dict[str, int] = {}
    titles: dict[str, int] = {}
    for index, field in _items(form, "field"):
        where = ("form", form_index, "field", index)
        key, title = field.get("key"), field.get("title")
        if isinstance(key, str):
            if key in keys:
                yield ConfigProblem(toml_path((*where, "key")), f"expected a unique key; field[{keys[key]}] of "
                                                                "this form has the same one")
            keys.setdefault(key, index)
        if isinstance(title, str) and title.strip():
            folded = " ".join(title.split()).casefold()
            if folded in titles:
                yield ConfigProblem(toml_path((*where, "title")), f"expected a question title of its own; "
                                    f"field[{titles[folded]}] has the same title {shown(title)}")
            titles.setdefault(folded, index)
        if field.get("choices") is not None and field.get("type", "text") not in CHOICE_TYPES:
            yield ConfigProblem(toml_path((*where, "choices")), "only a choice, dropdown or checkboxes field "
                                                                "has choices")
        if field.get("type") in CHOICE_TYPES and not field.get("choices"):
            yield ConfigProblem(toml_path((*where, "choices")), 'required for a choice field: a list, or "sites"')
        if "count_column" in field and field.get("type") != "people":
            yield ConfigProblem(toml_path((*where, "count_column")), "only a people field has a count column")


def _unit_problems(raw: dict) -> Iterator[ConfigProblem]:
    unit = _table(raw, "unit")
    if not unit:
        return
    forms = _forms(raw)
    source = unit.get("source")
    # Without a list of forms (the schema reports that) every source would look unknown.
    if isinstance(source, str) and source != "groups" and isinstance(raw.get("form"), list):
        if source not in forms:
            yield ConfigProblem("unit.source", f"expected the key of an enrol form, got {shown(source)} "
                                               f"(forms: {', '.join(forms) or 'none'})")
            return
        if forms[source][1].get("purpose") != "enrol":
            yield ConfigProblem("unit.source", f"expected an enrol form; form {shown(source)} has purpose "
                                               f"{shown(forms[source][1].get('purpose'))}")
            return
    fields = _fields(forms[source][1]) if source in forms else {}
    if not fields:
        return
    if source_repeats(raw):
        fields = {**fields, GROUP: {"key": GROUP, "type": "text"}}     # the group's number
    yield from _field_references(unit, fields)
    yield from _role_problems(unit, fields)
    yield from _template_problems(raw, fields)


def _field_references(unit: dict, fields: dict[str, dict]) -> Iterator[ConfigProblem]:
    known = ", ".join(fields)
    for index, key in enumerate(unit.get("key") if isinstance(unit.get("key"), list) else []):
        if isinstance(key, str) and key not in fields:
            yield ConfigProblem(f"unit.key[{index}]", f"expected a field of the enrol form ({known}), got {shown(key)}")
    site = unit.get("site")
    if isinstance(site, str) and site not in fields:
        yield ConfigProblem("unit.site", f"expected a field of the enrol form ({known}), got {shown(site)}")


def _role_problems(unit: dict, fields: dict[str, dict]) -> Iterator[ConfigProblem]:
    roles = _items(unit, "role")
    seen: set[str] = set()
    for index, role in roles:
        where = ("unit", "role", index)
        if isinstance(role.get("key"), str):
            if role["key"] in seen:
                yield ConfigProblem(toml_path((*where, "key")), "expected a unique role key")
            seen.add(role["key"])
        field = role.get("field")
        if isinstance(field, str):
            if field not in fields:
                yield ConfigProblem(toml_path((*where, "field")), f"expected a field of the enrol form, got "
                                                                  f"{shown(field)}")
            elif fields[field].get("type", "text") not in PERSON_TYPES:
                yield ConfigProblem(toml_path((*where, "field")), f"expected a field of type email, person, people "
                                    f"or respondent; {shown(field)} is {shown(fields[field].get('type', 'text'))}")
        name_field = role.get("name_field")
        if isinstance(name_field, str) and name_field not in fields:
            yield ConfigProblem(toml_path((*where, "name_field")), f"expected a field of the enrol form, got "
                                                                   f"{shown(name_field)}")
    owner = unit.get("owner")
    if isinstance(owner, str) and roles and owner not in seen:
        yield ConfigProblem("unit.owner", f"expected the key of a [[unit.role]] ({', '.join(sorted(seen))}), "
                                          f"got {shown(owner)}")
    if roles and not any(role.get("remind") == "to" for _i, role in roles):
        yield ConfigProblem("unit.role", 'expected at least one role with remind = "to": reminders need someone '
                                         "to go to")


def _template_problems(raw: dict, fields: dict[str, dict]) -> Iterator[ConfigProblem]:
    allowed = set(fields) | set(UNIT_PLACEHOLDERS)
    names = [("unit.name", _table(raw, "unit").get("name")),
             ("drive.folder_name", _table(raw, "drive").get("folder_name"))]
    names += [(toml_path(("template", index, "name")), template.get("name")) for index, template in
              _items(raw, "template")]
    for where, template in names:
        if not isinstance(template, str):
            continue
        unknown = [name for name in placeholders(template) or [] if name not in allowed]
        if unknown:
            yield ConfigProblem(where, f"expected placeholders naming fields of the enrol form or unit_id; "
                                       f"{', '.join('{%s}' % u for u in unknown)} is none of them")
    seen: dict[str, int] = {}
    for index, template in _items(raw, "template"):
        key = template.get("key")
        if isinstance(key, str) and key in seen:
            yield ConfigProblem(toml_path(("template", index, "key")),
                                f"expected a unique key; template[{seen[key]}] has the same one")
        elif isinstance(key, str):
            seen[key] = index


def _milestone_references(raw: dict) -> Iterator[ConfigProblem]:
    milestones = {key: milestone for key, (_i, milestone) in _first_by_key(_items(raw, "milestone")).items()}
    forms = _forms(raw)
    for index, milestone in _items(raw, "milestone"):
        where = ("milestone", index)
        ways = [k for k in ("due", "after", "days_after_start") if k in milestone]
        if len(ways) != 1:
            yield ConfigProblem(toml_path(where), "expected exactly one of due (a date), after (another milestone) "
                                                  f"or days_after_start; got {', '.join(ways) or 'none'}")
        after = _table(milestone, "after").get("milestone")
        if isinstance(after, str) and after not in milestones:
            yield ConfigProblem(toml_path((*where, "after", "milestone")), f"expected the key of another "
                                                                            f"milestone, got {shown(after)}")
        elif isinstance(after, str) and _loops(milestones, milestone.get("key")):
            yield ConfigProblem(toml_path((*where, "after", "milestone")), "expected a chain of milestones that "
                                                                            "ends in a date; this one loops")
        form = _table(milestone, "evidence").get("form")
        if isinstance(form, str) and (form not in forms or forms[form][1].get("purpose") != "evidence"):
            yield ConfigProblem(toml_path((*where, "evidence", "form")), f"expected the key of a form with purpose "
                                                                         f"= \"evidence\", got {shown(form)}")
        elif isinstance(form, str) and not _places_units(forms[form][1]):
            yield ConfigProblem(toml_path(("form", forms[form][0], "field")),
                                "expected a field with key = \"unit_id\" (the Unit ID PLT Sync pre-fills in the "
                                "links it emails) or collect_verified_email = true: otherwise no response to this "
                                "evidence form can be placed with its unit")


def _places_units(form: dict) -> bool:
    """Whether responses to an evidence form can be placed: by their Unit ID answer, or by
    their verified sender being in exactly one unit."""
    has_unit_id = any(field.get("key") == "unit_id" for _i, field in _items(form, "field"))
    return has_unit_id or form.get("collect_verified_email", True) is True


def _loops(milestones: dict, start: Any) -> bool:
    seen, key = set(), start
    while isinstance(key, str) and key in milestones:
        if key in seen:
            return True
        seen.add(key)
        key = _table(milestones[key], "after").get("milestone")
    return False


def _calendar_problems(raw: dict) -> Iterator[ConfigProblem]:
    """Each session ends after it starts; the invitation names a role and an enrol-form field."""
    calendar = _table(raw, "calendar")
    for index, session in _items(calendar, "session"):
        start, end = session.get("start"), session.get("end")
        if isinstance(start, str) and isinstance(end, str) and end <= start:
            yield ConfigProblem(toml_path(("calendar", "session", index, "end")),
                                f"expected a time after the start ({start}), got {shown(end)}")
    invite = _table(calendar, "invite")
    unit = _table(raw, "unit")
    forms = _forms(raw)
    source = forms.get(unit.get("source")) if isinstance(unit.get("source"), str) else None
    # A source that is no enrol form is reported with the unit; nothing to check against then.
    fields = _fields(source[1]) if source and source[1].get("purpose") == "enrol" else {}
    roles = [role.get("key") for _i, role in _items(unit, "role")]
    if isinstance(invite.get("role"), str) and roles and invite["role"] not in roles:
        yield ConfigProblem("calendar.invite.role", f"expected a role of the unit ({', '.join(map(str, roles))}), "
                                                    f"got {shown(invite['role'])}")
    meetings = calendar.get("meetings_field")
    dates = [key for key, spec in fields.items() if spec.get("type") == "dates"]
    if isinstance(meetings, str) and fields and meetings not in dates:
        yield ConfigProblem("calendar.meetings_field", f"expected a dates field of the enrol form "
                                                       f"({', '.join(dates) or 'none'}), got {shown(meetings)}")
    elif isinstance(meetings, str) and len(dates) > 1:
        yield ConfigProblem("calendar.meetings_field", f"meetings from one of several dates fields on the calendar "
                                                       f"{NOT_YET} (the enrol form has {', '.join(dates)})")
    field = invite.get("field")
    if isinstance(field, str) and fields and field not in fields:
        yield ConfigProblem("calendar.invite.field", f"expected a field of the enrol form, got {shown(field)}")
    elif isinstance(field, str) and field in fields and isinstance(fields[field].get("choices"), list):
        for index, answer in enumerate(invite.get("answers") if isinstance(invite.get("answers"), list) else []):
            if isinstance(answer, str) and answer not in fields[field]["choices"]:
                yield ConfigProblem(toml_path(("calendar", "invite", "answers", index)),
                                    f"expected one of the choices of {shown(field)}, got {shown(answer)}")


def _target_problems(raw: dict) -> Iterator[ConfigProblem]:
    sites = _table(raw, "programme").get("sites")
    if not isinstance(sites, list):
        return
    for index, target in _items(raw, "target"):
        for site_index, site in enumerate(target.get("sites") if isinstance(target.get("sites"), list) else []):
            if isinstance(site, str) and site not in sites:
                yield ConfigProblem(toml_path(("target", index, "sites", site_index)),
                                    f"expected a site listed in programme.sites, got {shown(site)}")


def unsupported(raw: dict) -> Iterator[ConfigProblem]:
    """The parts of the programme model that this release refuses rather than ignores."""
    for index, form in _items(raw, "form"):
        if form.get("purpose") in ("signoff", "application"):
            article = "an" if form["purpose"][0] in "aeiou" else "a"
            yield ConfigProblem(toml_path(("form", index, "purpose")), f"{article} {form['purpose']} form {NOT_YET}")
    if _table(raw, "unit").get("source") == "groups":
        yield ConfigProblem("unit.source", f'making units from approved groups (source = "groups") {NOT_YET}')
    for index, milestone in _items(raw, "milestone"):
        if milestone.get("level") == "site":
            yield ConfigProblem(toml_path(("milestone", index, "level")), f"a site-level milestone {NOT_YET}")
        evidence = _table(milestone, "evidence")
        for way, what in (("signoff", "a sign-off as evidence"), ("choice", "a coordinator's choice as evidence")):
            if way in evidence:
                yield ConfigProblem(toml_path(("milestone", index, "evidence", way)), f"{what} {NOT_YET}")
    for name, what in (("cycle", "an improvement cycle ([[cycle]])"),):
        if name in raw:
            yield ConfigProblem(name, f"{what} {NOT_YET}")

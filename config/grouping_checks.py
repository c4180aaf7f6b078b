"""Checks of `[grouping]` against the survey form it reads: the fields it names exist and
have the right types, the ranked choices offer the same topics, and the respondent is a
verified address (a survey answer decides who meets with whom).

Like the other model checks they read the parsed TOML and tolerate values of the wrong
type (the schema reports those), so every problem is reported at once.
"""
from __future__ import annotations

from typing import Any, Iterator

from .errors import ConfigProblem
from .problems import shown, toml_path

CHOICE_TYPES = ("choice", "dropdown")
NOT_YET = "is not supported yet"


def _items(raw: Any, name: str) -> list[tuple[int, dict]]:
    value = raw.get(name) if isinstance(raw, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _fields(form: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for _i, field in _items(form, "field"):
        if isinstance(field.get("key"), str):
            found.setdefault(field["key"], field)
    return found


def grouping_problems(raw: dict) -> Iterator[ConfigProblem]:
    surveys = [(i, f) for i, f in _items(raw, "form") if f.get("purpose") == "survey"]
    grouping = raw.get("grouping")
    if not isinstance(grouping, dict):
        for index, _form in surveys:
            yield ConfigProblem(toml_path(("form", index, "purpose")), "a survey form is read by [grouping]; add a "
                                                                       "[grouping] section naming it (survey = ...)")
        return
    if grouping.get("facilitators") == "applications":
        yield ConfigProblem("grouping.facilitators", 'facilitators from accepted applications ("applications") '
                                                     f'{NOT_YET}; use "volunteers" (the survey\'s facilitate field)')
    yield from _size_problems(grouping)
    survey = next((f for _i, f in surveys if f.get("key") == grouping.get("survey")), None)
    if isinstance(grouping.get("survey"), str) and survey is None:
        keys = ", ".join(str(f.get("key")) for _i, f in surveys) or "none"
        yield ConfigProblem("grouping.survey", f"expected the key of a form with purpose = \"survey\", got "
                                               f"{shown(grouping['survey'])} (survey forms: {keys})")
        return
    if survey is not None:
        yield from _field_problems(grouping, survey)


def _size_problems(grouping: dict) -> Iterator[ConfigProblem]:
    low, high = grouping.get("min_size", 3), grouping.get("max_size", 12)
    if isinstance(low, int) and isinstance(high, int) and low > high:
        yield ConfigProblem("grouping.min_size", f"expected at most max_size ({high}), got {low}")


def _field_problems(grouping: dict, survey: dict) -> Iterator[ConfigProblem]:
    fields = _fields(survey)
    known = ", ".join(fields)
    if survey.get("collect_verified_email", True) is not True:
        yield ConfigProblem("grouping.survey", "expected a survey form with collect_verified_email = true: an "
                                               "unverified answer could place someone else in a group")
    if not any(f.get("type") == "respondent" for f in fields.values()):
        yield ConfigProblem("grouping.survey", 'expected the survey form to have a field of type = "respondent"')
    topics = None
    for index, key in enumerate(grouping.get("choices") if isinstance(grouping.get("choices"), list) else []):
        field = fields.get(key) if isinstance(key, str) else None
        where = f"grouping.choices[{index}]"
        if field is None:
            yield ConfigProblem(where, f"expected a field of the survey form ({known}), got {shown(key)}")
        elif field.get("type", "text") not in CHOICE_TYPES or not isinstance(field.get("choices"), list):
            yield ConfigProblem(where, f"expected a choice or dropdown field listing the topics; {shown(key)} is not")
        elif topics is None:
            topics = field["choices"]
        elif field["choices"] != topics:
            yield ConfigProblem(where, f"expected the same topics as {shown(grouping['choices'][0])}")
    for name in ("school", "facilitate"):
        key = grouping.get(name)
        if isinstance(key, str) and key not in fields:
            yield ConfigProblem(f"grouping.{name}", f"expected a field of the survey form ({known}), got {shown(key)}")
    facilitate = fields.get(grouping.get("facilitate")) if isinstance(grouping.get("facilitate"), str) else None
    if facilitate is not None and topics is not None:
        offered = facilitate.get("choices")
        if facilitate.get("type", "text") not in (*CHOICE_TYPES, "checkboxes") or not isinstance(offered, list) \
                or any(topic not in topics for topic in offered):
            yield ConfigProblem("grouping.facilitate", "expected a choice, dropdown or checkboxes field whose choices "
                                                       "are topics of the ranked choices")
    if grouping.get("facilitators", "volunteers") == "volunteers" and "facilitate" not in grouping:
        yield ConfigProblem("grouping.facilitate", 'required when facilitators = "volunteers": the survey field '
                                                   "where people offer to facilitate a topic")

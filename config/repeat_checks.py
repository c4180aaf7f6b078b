"""Checks of a form whose questions repeat per group (`[form.repeat]`): where `{n}` may
appear, and that each group makes a unit of its own (the group's number `n` is part of
the unit's key, next to a question asked once, like the school).

Like the other model checks they read the parsed TOML and tolerate values of the wrong
type (the schema reports those), so every problem is reported at once.
"""
from __future__ import annotations

from typing import Any, Iterator

from .errors import ConfigProblem
from .problems import shown, toml_path

GROUP = "n"          # the group's number: `{n}` in question titles, "n" in [unit] key and name
MARK = "{n}"


def _items(raw: Any, name: str) -> list[tuple[int, dict]]:
    value = raw.get(name) if isinstance(raw, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _repeated(field: dict) -> bool:
    return isinstance(field.get("title"), str) and MARK in field["title"]


def source_repeats(raw: dict) -> bool:
    """Whether the unit's enrol form repeats its questions per group."""
    unit = raw.get("unit") if isinstance(raw.get("unit"), dict) else {}
    return any(form.get("key") == unit.get("source") and "repeat" in form for _i, form in _items(raw, "form"))


def repeat_problems(raw: dict) -> Iterator[ConfigProblem]:
    for index, form in _items(raw, "form"):
        fields = _items(form, "field")
        if "repeat" not in form:
            for field_index, field in fields:
                if _repeated(field):
                    yield ConfigProblem(toml_path(("form", index, "field", field_index, "title")),
                                        "expected no {n}: only a form with [form.repeat] asks a question once "
                                        "per group")
            continue
        yield from _form_repeat_problems(raw, index, form, fields)
    if source_repeats(raw):
        yield from _key_problems(raw)


def _form_repeat_problems(raw: dict, index: int, form: dict, fields: list[tuple[int, dict]]) -> Iterator[ConfigProblem]:
    where = ("form", index, "repeat")
    unit = raw.get("unit") if isinstance(raw.get("unit"), dict) else {}
    if form.get("purpose") != "enrol" or form.get("key") != unit.get("source"):
        yield ConfigProblem(toml_path(where), "expected only on the enrol form the units come from ([unit] source): "
                                              "each filled group of questions makes a unit")
    if not any(_repeated(field) for _i, field in fields):
        yield ConfigProblem(toml_path(where), 'expected questions asked once per group: put {n} in their titles, '
                                              'like "CWG #{n} leader"')
    if fields and all(_repeated(field) for _i, field in fields):
        yield ConfigProblem(toml_path(where), "expected a question asked once for the whole response (like the "
                                              "school), without {n}: it tells whose groups they are")
    column = form["repeat"].get("column") if isinstance(form.get("repeat"), dict) else None
    taken = {field.get("column") for _i, field in fields} | {field.get("count_column") for _i, field in fields}
    if isinstance(column, str) and column in taken:
        yield ConfigProblem(toml_path((*where, "column")), f"expected a roster column of its own; a field's column "
                                                           f"is {shown(column)} already")


def _key_problems(raw: dict) -> Iterator[ConfigProblem]:
    unit = raw.get("unit") if isinstance(raw.get("unit"), dict) else {}
    key = unit.get("key")
    if not isinstance(key, list):
        return
    if GROUP not in key:
        yield ConfigProblem("unit.key", f'expected "{GROUP}" (the group\'s number) in the key of units made one per '
                                        "group: otherwise a response's groups would all be one unit")
    source = next((form for _i, form in _items(raw, "form") if form.get("key") == unit.get("source")), {})
    repeated = {field.get("key") for _i, field in _items(source, "field") if _repeated(field)}
    if not any(isinstance(k, str) and k != GROUP and k not in repeated for k in key):
        yield ConfigProblem("unit.key", "expected a field asked once per response (like the school) next to "
                                        f'"{GROUP}": otherwise every school\'s group #1 would be one unit')
    for index, name in enumerate(key):
        if name in repeated:
            yield ConfigProblem(f"unit.key[{index}]", f"expected a field asked once per response; {shown(name)} is "
                                                      "asked once per group, and changes when a group is edited")

"""Turning validation errors into `ConfigProblem`s a coordinator can act on.

Each problem names its TOML path (`milestone[1].due`, zero-based list indexes) and says
what was expected and what was found; what was found is never shown when the key's name
suggests a secret, as dlt masks secrets before printing config errors.
"""
from __future__ import annotations

import difflib
import json
import re
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .errors import ConfigProblem

SECRET_WORDS = ("key", "secret", "token", "password")
# Keys of the schema whose names contain a secret word but whose values are plain settings.
NOT_SECRET = frozenset({"key", "team_key"})
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SHOWN_LIMIT = 60

_EXPECTED = {
    "string_type": "expected text in quotes",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "list_type": 'expected a list like ["a", "b"]',
    "dict_type": "expected a table of key = value pairs",
    "model_type": "expected a table of key = value pairs",
    "model_attributes_type": "expected a table of key = value pairs",
    "string_too_short": "expected non-empty text",
}


def toml_path(loc: Iterable[Any]) -> str:
    """`("milestone", 1, "due")` -> `milestone[1].due`; unusual keys are quoted as in TOML."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            key = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
            text += f".{key}" if text else key
    return text


def may_be_secret(loc: Iterable[Any]) -> bool:
    return any(isinstance(part, str) and part not in NOT_SECRET and any(word in part.lower() for word in SECRET_WORDS)
               for part in loc)


def shown(value: Any) -> str:
    """A found value written the way TOML would, shortened when long."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN_LIMIT else text[: _SHOWN_LIMIT - 1] + "…"


def problems_from(error: ValidationError, schema: type[BaseModel], prefix: tuple = ()) -> list[ConfigProblem]:
    return [problem_from(detail, schema, prefix) for detail in error.errors(include_url=False)]


def problem_from(detail: dict, schema: type[BaseModel], prefix: tuple = ()) -> ConfigProblem:
    loc = prefix + tuple(detail["loc"])
    kind = detail["type"]
    if kind == "missing":
        return ConfigProblem(toml_path(loc), "required but missing")
    if kind == "extra_forbidden":
        return ConfigProblem(toml_path(loc), unknown_key_message(schema, detail["loc"]))
    if kind == "list_type" and isinstance(detail.get("input"), dict) and section_model(schema, detail["loc"]):
        header = ".".join(part for part in loc if isinstance(part, str))
        return ConfigProblem(toml_path(loc), f"expected [[{header}]] tables (two brackets), got one [{header}] table")
    found = " (value not shown)" if may_be_secret(loc) else f", got {shown(detail.get('input'))}"
    return ConfigProblem(toml_path(loc), expectation(detail) + found)


def expectation(detail: dict) -> str:
    kind, ctx = detail["type"], detail.get("ctx") or {}
    if kind.startswith("plt_"):
        return detail["msg"]
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"expected a number of at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"expected a number of at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"expected at least {count} item{'s' if count != 1 else ''}"
    return _EXPECTED.get(kind, "expected " + detail["msg"][:1].lower() + detail["msg"][1:])


def unknown_key_message(schema: type[BaseModel], loc: tuple) -> str:
    """Name the keys allowed where the unknown one was found, and the likely intended one."""
    allowed = keys_of(section_model(schema, loc[:-1]))
    guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f"; did you mean {guess[0]}?" if guess else ""
    return f"unknown key{hint} (expected one of: {', '.join(allowed)})"


def keys_of(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def section_model(schema: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that validates the table at `loc` (list indexes are stepped over)."""
    model: type[BaseModel] | None = schema
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        fields = {field.alias or name: field for name, field in model.model_fields.items()}
        field = fields.get(part)
        model = _model_in(field.annotation) if field else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

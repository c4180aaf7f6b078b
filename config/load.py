"""Reading a programme's TOML configuration into `Settings`, or one `ConfigError` that
lists every problem in it, before any call to Google is made."""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from .errors import ConfigError, ConfigProblem

from .checks import SECRET_ADVICE, cross_problems, secret_locations, without
from .problems import problems_from, toml_path
from .first_format import FirstFormat, first_format_problems
from .schema import Settings
from .upgrade import is_first_format, upgrade

ENDPOINT_VARIABLE = "PLT_GOOGLE_ENDPOINT"
SECTION_ORDER = ("programme", "google", "form", "unit", "roster", "drive", "milestone", "cycle", "calendar",
                 "grouping", "staff", "target", "targets", "digest", "mail")
_TOML_POSITION = re.compile(r"^(?P<what>.*?) \(at (?P<where>line \d+, column \d+|end of document)\)$")


def load_settings(path: str | os.PathLike, environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings in the TOML file at `path`; `PLT_GOOGLE_ENDPOINT` in `environ`
    overrides `[google].endpoint`. Raises `ConfigError` naming every problem at once."""
    path = Path(path)
    return settings_from_toml(read_toml(path), path, environ)


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a missing file or a syntax error is a one-problem `ConfigError`."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(str(path), [ConfigProblem("", "config file not found")]) from None
    except (PermissionError, IsADirectoryError) as error:
        raise ConfigError(str(path), [ConfigProblem("", f"cannot read the config file: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), [ConfigProblem("", "expected UTF-8 text; the file has other bytes")]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [syntax_problem(error)]) from None


def syntax_problem(error: tomllib.TOMLDecodeError) -> ConfigProblem:
    """`Invalid value (at line 2, column 5)` -> `not valid TOML at line 2, column 5: invalid value`."""
    match = _TOML_POSITION.match(str(error))
    if not match:
        return ConfigProblem("", f"not valid TOML: {error}")
    what = match["what"][:1].lower() + match["what"][1:]
    return ConfigProblem("", f"not valid TOML at {match['where']}: {what}")


def settings_from_toml(raw: dict[str, Any], source: str | os.PathLike,
                       environ: Mapping[str, str] = os.environ) -> Settings:
    """Validate parsed TOML; relative file paths in it are taken from the config's folder."""
    env_endpoint = environ.get(ENDPOINT_VARIABLE) or None
    raw = _with_resolved_paths(_with_endpoint(raw, env_endpoint), Path(source).parent)
    secrets = list(secret_locations(raw))
    problems = [ConfigProblem(toml_path(loc), SECRET_ADVICE) for loc in secrets]
    raw = without(raw, set(secrets))
    endpoint_in_effect = bool(_section(raw, "google").get("endpoint"))
    first_format = is_first_format(raw)
    if first_format:
        problems += _validated(FirstFormat, raw) + list(first_format_problems(raw))
        problems += cross_problems({k: v for k, v in raw.items() if k in ("google", "mail", "milestone")},
                                   endpoint_in_effect)
        if not problems:
            raw = upgrade(raw)
    if not first_format or not problems:
        problems += _validated(Settings, raw) + cross_problems(raw, endpoint_in_effect)
    if problems:
        raise ConfigError(str(source), _ordered(_name_env_override(problems, env_endpoint)))
    settings = Settings.model_validate(raw)
    settings._path = Path(source)
    settings._upgraded_from = 1 if first_format else None
    return settings


def _validated(schema, raw: dict) -> list[ConfigProblem]:
    try:
        schema.model_validate(raw)
    except ValidationError as error:
        return problems_from(error, schema)
    return []


def _section(raw: dict, name: str) -> dict:
    value = raw.get(name)
    return value if isinstance(value, dict) else {}


def _with_endpoint(raw: dict, endpoint: str | None) -> dict:
    if not endpoint:
        return raw
    return {**raw, "google": {**_section(raw, "google"), "endpoint": endpoint}}


def _with_resolved_paths(raw: dict, base_dir: Path) -> dict:
    """Paths written relative to the config file's folder, as a coordinator expects."""
    resolved = dict(raw)
    for section, key in (("google", "credentials_file"), ("mail", "templates_dir")):
        value = _section(raw, section).get(key)
        if isinstance(value, str) and value:
            resolved[section] = {**_section(raw, section), key: str(base_dir / Path(value).expanduser())}
    return resolved


def _name_env_override(problems: list[ConfigProblem], env_endpoint: str | None) -> list[ConfigProblem]:
    if not env_endpoint:
        return problems
    return [ConfigProblem(f"{p.path} (from {ENDPOINT_VARIABLE})", p.message) if p.path == "google.endpoint" else p
            for p in problems]


def _ordered(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """Problems in the order of the sections in the file, schema and cross checks mixed."""
    def rank(problem: ConfigProblem) -> int:
        head = re.split(r"[.\[ ]", problem.path, maxsplit=1)[0]
        return SECTION_ORDER.index(head) if head in SECTION_ORDER else len(SECTION_ORDER)
    return sorted(problems, key=rank)

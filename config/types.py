"""Value types of the configuration, each with the sentence a coordinator reads when a
value does not fit ("expected a date like 2017-11-17").

Every check raises `PydanticCustomError` whose message starts with "expected", so
`config.problems` can append what was found (unless it may be a secret).
"""
from __future__ import annotations

import re
import string
from datetime import date, datetime
from email.utils import parseaddr
from typing import Annotated, Any, Callable
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

FOLDER_NAME_PLACEHOLDERS = ("school", "team_name", "team_id", "facilitator_name")

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_SLUG = re.compile(r"^[a-z0-9_]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def _rule(name: str, expected: str, accepts: Callable[[Any], bool]) -> AfterValidator:
    """A validator that keeps a value `accepts` approves and otherwise says what was expected."""

    def check(value):
        if not accepts(value):
            raise PydanticCustomError(f"plt_{name}", expected)
        return value

    return AfterValidator(check)


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _is_http_url(text: str) -> bool:
    parts = urlparse(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_address(text: str) -> bool:
    """An email address, optionally with a display name: `PLT Office <plt@example.org>`."""
    _name, address = parseaddr(text)
    return bool(address) and bool(_EMAIL.match(address)) and ("<" not in text or text.rstrip().endswith(">"))


def _is_folder_name(template: str) -> bool:
    """Only the known placeholders, written plainly as `{name}`, and balanced braces."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return False
    fields = [(name, spec, conv) for _text, name, spec, conv in parts if name is not None]
    return bool(template.strip()) and all(
        name in FOLDER_NAME_PLACEHOLDERS and not spec and conv is None for name, spec, conv in fields)


def _iso_date(value: Any) -> Any:
    """TOML dates arrive as `date`; a quoted ISO date is accepted too, nothing else."""
    if isinstance(value, datetime):
        raise PydanticCustomError("plt_date", "expected a date like 2017-11-17 (without a time)")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, date):
        return value
    raise PydanticCustomError("plt_date", "expected a date like 2017-11-17")


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Text = Annotated[str, _rule("text", "expected non-empty text", lambda v: bool(v.strip()))]
TimeZoneName = Annotated[str, _rule("time_zone", "expected an IANA time zone like America/New_York", _is_time_zone)]
Email = Annotated[str, _rule("email", "expected an email address like plt@belmont.example.org",
                             lambda v: bool(_EMAIL.match(v)))]
Address = Annotated[str, _rule(
    "address", 'expected an email address, optionally with a name: "PLT Office <plt@example.org>"', _is_address)]
Domain = Annotated[str, BeforeValidator(_lower), _rule("domain", "expected a domain like belmont.example.org",
                                                       lambda v: bool(_DOMAIN.match(v)))]
Slug = Annotated[str, _rule("slug", "expected lower-case letters, digits and _ only, like signed_charter",
                            lambda v: bool(_SLUG.match(v)))]
EnvName = Annotated[str, _rule("env_name", "expected the name of an environment variable, like PLT_SMTP_PASSWORD",
                               lambda v: bool(_ENV_NAME.match(v)))]
HttpUrl = Annotated[str, _rule("url", "expected an http(s) URL like http://127.0.0.1:8765", _is_http_url)]
QuietHours = Annotated[str, _rule("quiet_hours", 'expected a time range like "20:00-07:00"',
                                  lambda v: bool(_QUIET_HOURS.match(v)))]
FolderName = Annotated[str, _rule(
    "folder_name",
    "expected a folder name using only the placeholders " + ", ".join("{%s}" % p for p in FOLDER_NAME_PLACEHOLDERS),
    _is_folder_name)]
DueDate = Annotated[date, BeforeValidator(_iso_date)]

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


_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_SLUG = re.compile(r"^[a-z0-9_]+$")
_ID_PREFIX = re.compile(r"^[A-Z]{2,6}$")
_PLACEHOLDER = re.compile(r"^[a-z0-9_]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def rule(name: str, expected: str, accepts: Callable[[Any], bool]) -> AfterValidator:
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


def within_quiet_hours(clock: str, quiet_hours: str) -> bool:
    """Whether "HH:MM" falls in "HH:MM-HH:MM" (from the start up to, not including, the
    end; the range may run past midnight). Both must already be well formed: zero-padded
    times compare as text."""
    start, end = quiet_hours.split("-")
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def is_clock_time(text: object) -> bool:
    return isinstance(text, str) and bool(_CLOCK_TIME.match(text))


def is_quiet_hours(text: object) -> bool:
    return isinstance(text, str) and bool(_QUIET_HOURS.match(text))


def _is_http_url(text: str) -> bool:
    parts = urlparse(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_address(text: str) -> bool:
    """An email address, optionally with a display name: `PLT Office <plt@example.org>`."""
    _name, address = parseaddr(text)
    return bool(address) and bool(_EMAIL.match(address)) and ("<" not in text or text.rstrip().endswith(">"))


def placeholders(template: str) -> list[str] | None:
    """The `{name}` placeholders of a name template, or None when it is not one: braces
    unbalanced, or a placeholder with a format spec, a conversion or an odd name."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return None
    fields = [(name, spec, conv) for _text, name, spec, conv in parts if name is not None]
    if any(not _PLACEHOLDER.match(name) or spec or conv is not None for name, spec, conv in fields):
        return None
    return [name for name, _spec, _conv in fields]


def _is_name_template(template: str) -> bool:
    return bool(template.strip()) and placeholders(template) is not None


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


Text = Annotated[str, rule("text", "expected non-empty text", lambda v: bool(v.strip()))]
TimeZoneName = Annotated[str, rule("time_zone", "expected an IANA time zone like America/New_York", _is_time_zone)]
Email = Annotated[str, rule("email", "expected an email address like plt@belmont.example.org",
                             lambda v: bool(_EMAIL.match(v)))]
Address = Annotated[str, rule(
    "address", 'expected an email address, optionally with a name: "PLT Office <plt@example.org>"', _is_address)]
Domain = Annotated[str, BeforeValidator(_lower), rule("domain", "expected a domain like belmont.example.org",
                                                       lambda v: bool(_DOMAIN.match(v)))]
Slug = Annotated[str, rule("slug", "expected lower-case letters, digits and _ only, like signed_charter",
                            lambda v: bool(_SLUG.match(v)))]
EnvName = Annotated[str, rule("env_name", "expected the name of an environment variable, like PLT_SMTP_PASSWORD",
                               lambda v: bool(_ENV_NAME.match(v)))]
HttpUrl = Annotated[str, rule("url", "expected an http(s) URL like http://127.0.0.1:8765", _is_http_url)]
QuietHours = Annotated[str, rule("quiet_hours", 'expected a time range like "20:00-07:00"', is_quiet_hours)]
ClockTime = Annotated[str, rule("clock_time", 'expected a time of day like "08:00" (24-hour, HH:MM)',
                                 is_clock_time)]
NameTemplate = Annotated[str, rule(
    "name_template", "expected a name with field placeholders written plainly, like \"{school} – {team_name}\"",
    _is_name_template)]
IdPrefix = Annotated[str, rule("id_prefix", "expected 2 to 6 capital letters, like PLT", lambda v: bool(_ID_PREFIX.match(v)))]
DueDate = Annotated[date, BeforeValidator(_iso_date)]

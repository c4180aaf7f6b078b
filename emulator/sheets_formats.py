"""Number formats: how a number is shown under FORMATTED_VALUE, as Google's "Date and
number formats" guide describes the patterns.

A pattern has up to four `;`-separated sections (positive; negative; zero; text). Number
sections use `0` (a digit, padded), `#` (a digit, not padded), `?` (a digit, padded with a
space), `.`, `,` between digits (grouping) or after them (thousands), `%` (times 100),
`E+`/`E-` (scientific), quoted text, `\\x` and other characters as literals, and ignore
`[Red]`-style colours and conditions. Date and time sections use d, dd, ddd, dddd, m..mmmmm
(month, or minutes next to an hour or a second), yy, yyyy, h, hh, s, ss, .000, am/pm,
a/p and the elapsed [h], [m], [s]. A number is a date by its serial: days since
1899-12-30, the fraction of a day its time. A format without a pattern takes the en_US
default of its type, as Google's Format > Number menu shows them (1,000.12 / 10.12% /
$1,000.12 / 1.01E+03 / 9/26/2008 / 3:59:00 PM / 9/26/2008 15:59:00). Fractions (`# ?/?`)
are not drawn: such a pattern shows the number as the automatic format would.
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

EPOCH = datetime(1899, 12, 30)
DEFAULT_PATTERNS = {"NUMBER": "#,##0.00", "PERCENT": "0.00%", "CURRENCY": '"$"#,##0.00', "SCIENTIFIC": "0.00E+00",
                    "DATE": "M/d/yyyy", "TIME": "h:mm:ss am/pm", "DATE_TIME": "M/d/yyyy H:mm:ss"}
_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|am/pm|a/p|\[(?:h+|m+|s+)\]|y+|m+|d+|h+|s+|\.0+|.', re.IGNORECASE)
_BRACKETS = re.compile(r"\[[^\]]*\]")
_DATE_LETTERS = re.compile(r'"[^"]*"|\\.|(am/pm|a/p|[ymdhs]|\[[hms]+\])', re.IGNORECASE)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_FIRST_DAY, _LAST_DAY = -693_593, 2_958_466  # serials of 0001-01-01 and 10000-01-01
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def render(value: float, number_format: dict) -> str | None:
    """`value` shown under `number_format` ({type, pattern}); None when the automatic
    format applies (TEXT, or no pattern the emulator can draw)."""
    kind = number_format.get("type")
    pattern = number_format.get("pattern") or DEFAULT_PATTERNS.get(kind, "")
    if not pattern or pattern in ("@", "General") or "/" in _number_part(pattern) and not is_date(pattern):
        return None
    sections = _sections(pattern)
    section, shown = sections[0], value
    if value < 0 and len(sections) > 1:
        section, shown = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    if is_date(section):
        return _date(value, section)
    return _number(shown, section, negative_sign=value < 0 and len(sections) == 1)


def is_date(pattern: str) -> bool:
    return any(found.group(1) for found in _DATE_LETTERS.finditer(_BRACKETS.sub(_keep_elapsed, pattern)))


def _keep_elapsed(found: re.Match) -> str:
    return found.group(0) if re.fullmatch(r"\[[hms]+\]", found.group(0), re.IGNORECASE) else ""


def _sections(pattern: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in pattern:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def _number_part(pattern: str) -> str:
    return re.sub(r'"[^"]*"|\\.', "", pattern)


# Numbers.
def _number(value: float, section: str, negative_sign: bool) -> str | None:
    prefix, body, suffix = _split_literals(_BRACKETS.sub("", section))
    mantissa = re.split(r"[Ee][+-]", body, maxsplit=1)[0]
    thousands = len(mantissa) - len(mantissa.rstrip(","))
    body = body.replace(mantissa, mantissa.rstrip(","), 1) if thousands else body
    try:
        value = abs(value) * 10.0 ** (2 * _number_part(section).count("%") - 3 * thousands)
    except OverflowError:
        return None
    if not math.isfinite(value):
        return None  # past the largest number: shown as the automatic format shows it
    digits = _scientific(value, body) if re.search(r"[Ee][+-]", body) else _fixed(value, body)
    return ("-" if negative_sign and digits.strip("0.,") else "") + prefix + digits + suffix


def _split_literals(section: str) -> tuple[str, str, str]:
    """(text before the first digit placeholder, the placeholders, text after the last)."""
    tokens = re.findall(r'"[^"]*"|\\.|_.|\*.|[Ee][+-]|.', section)
    placeholder = [i for i, token in enumerate(tokens) if token in ("0", "#", "?")]
    if not placeholder:
        return "".join(_literal(t) for t in tokens), "", ""
    first, last = placeholder[0], placeholder[-1]
    while last + 1 < len(tokens) and tokens[last + 1] in (",", "."):
        last += 1
    body = "".join(t for t in tokens[first:last + 1] if t in ("0", "#", "?", ",", ".") or t[0] in "Ee")
    return "".join(_literal(t) for t in tokens[:first]), body, "".join(_literal(t) for t in tokens[last + 1:])


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    if token[0] in "\\":
        return token[1:]
    if token[0] == "_":
        return " "
    return "" if token[0] == "*" else token


def _fixed(value: float, body: str) -> str:
    whole, point, fraction = body.partition(".")
    places = min(len(fraction), 30)
    with localcontext(Context(prec=400)):
        rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    integer_text, _, fraction_text = f"{rounded:f}".partition(".")
    integer = int(integer_text)
    minimum = whole.count("0")
    if integer == 0 and minimum == 0:
        integer_text = ""
    elif "," in whole:
        integer_text = f"{integer:,}"
    else:
        integer_text = integer_text.rjust(minimum, "0")
    return integer_text + point + _trim_fraction(fraction_text, fraction)


def _trim_fraction(digits: str, placeholders: str) -> str:
    """Drop trailing zeros where the pattern has `#` (optional digits)."""
    keep = len(placeholders.rstrip("#?"))
    while len(digits) > keep and digits.endswith("0"):
        digits = digits[:-1]
    return digits


def _scientific(value: float, body: str) -> str:
    mantissa, sign, exponent = re.split(r"[Ee]([+-])", body, maxsplit=1)
    decimals = min(len(mantissa.partition(".")[2]), 30)
    digits, _, power = f"{value:.{decimals}E}".partition("E")
    shown_sign = "-" if int(power) < 0 else ("+" if sign == "+" else "")
    return f"{digits}E{shown_sign}{abs(int(power)):0{max(len(exponent), 1)}d}"


# Dates and times.
def _date(value: float, section: str) -> str | None:
    if not _FIRST_DAY <= value < _LAST_DAY:
        return None
    tokens = _DATE_TOKEN.findall(_BRACKETS.sub(_keep_elapsed, section))
    kinds = [_kind(t) for t in tokens]
    twelve_hour = any(kind in ("am/pm", "a/p") for kind in kinds)
    subsecond = max((len(t) - 1 for t, kind in zip(tokens, kinds) if kind == ".0"), default=0)
    unit = timedelta(microseconds=10 ** (6 - subsecond))
    moment = EPOCH + round(timedelta(days=value) / unit) * unit
    out = []
    for index, (token, kind) in enumerate(zip(tokens, kinds)):
        if kind == "m" and _minutes_here(kinds, index):
            kind = "minute"
        out.append(_date_piece(token, kind, moment, value, twelve_hour))
    return "".join(out)


def _kind(token: str) -> str:
    lower = token.lower()
    if lower in ("am/pm", "a/p"):
        return lower
    if lower.startswith(".0"):
        return ".0"
    if lower.startswith("[") and len(lower) > 2:
        return f"[{lower[1]}]"
    if lower[:1] in "ymdhs" and lower == lower[0] * len(lower):
        return lower[0]
    return "literal"


def _minutes_here(kinds: list[str], index: int) -> bool:
    """`m` is minutes right after an hour or right before a second, else the month."""
    before = next((k for k in reversed(kinds[:index]) if k != "literal"), None)
    after = next((k for k in kinds[index + 1:] if k != "literal"), None)
    return before in ("h", "[h]") or after in ("s", "[s]")


def _date_piece(token: str, kind: str, moment: datetime, value: float, twelve_hour: bool) -> str:
    width = len(token)
    if kind == "y":
        return f"{moment.year % 100:02d}" if width <= 2 else f"{moment.year:04d}"
    if kind == "m":
        return (str(moment.month), f"{moment.month:02d}", _MONTHS[moment.month - 1][:3],
                _MONTHS[moment.month - 1], _MONTHS[moment.month - 1][0])[min(width, 5) - 1]
    if kind == "d":
        return (str(moment.day), f"{moment.day:02d}", _DAYS[moment.weekday()][:3],
                _DAYS[moment.weekday()])[min(width, 4) - 1]
    if kind == "h":
        hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
        return f"{hour:0{min(width, 2)}d}"
    if kind in ("minute", "s"):
        number = moment.minute if kind == "minute" else moment.second
        return f"{number:0{min(width, 2)}d}"
    if kind == ".0":
        return "." + f"{moment.microsecond:06d}"[:width - 1]
    if kind.startswith("["):
        total = {"h": 24, "m": 1440, "s": 86400}[kind[1]] * value
        return f"{int(total + 1e-9):0{width - 2}d}"
    if kind == "am/pm":
        return "AM" if moment.hour < 12 else "PM"
    if kind == "a/p":
        return "a" if moment.hour < 12 else "p"
    return _literal(token)

"""One cell's value: how input is read (RAW / USER_ENTERED) and how it is shown back.

RAW stores exactly what was sent: text starting with `=` stays text. USER_ENTERED reads
input the way typing into the cell would, and gives the cell the number format the input
was written in, as Google does: `=...` is a formula, `0042` a number, `1,250` a number
shown with grouping (`#,##0`), `$1,234.5` currency (`$1,234.50`), `50%` / `12.5%` a
percentage (`0%` / `0.00%`), `1.5E+3` scientific (`1.50E+03`), `TRUE` a boolean,
`2024-03-01` or `3/1/2024` a date, `13:45` or `1:45 PM` a time (shown with seconds,
`13:45:00` / `1:45:00 PM`), a date and a time together a date-time; dates and times are
stored as serial numbers (days since 1899-12-30). A leading apostrophe keeps the rest as text.

Formulas are stored as text and NOT evaluated in general. Only constant arithmetic
(`=1+1`, `=(2+3)*4/5`) gets a computed value, and a division by zero Google's #DIV/0!
error; any other formula has no value, so it reads back as an empty string
(FORMATTED_VALUE) or is left out (UNFORMATTED_VALUE), while FORMULA returns its text.
Numbers show through their number format (emulator/sheets_formats.py); without one, as
Google's "automatic" format shows plain numbers.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from .sheets_formats import render

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")
_EPOCH = date(1899, 12, 30)
# A formula whose value is an error keeps {"error": TYPE} as its value.
ERRORS = {"DIVIDE_BY_ZERO": ("#DIV/0!", "Function DIVIDE parameter 2 cannot be zero.")}
_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[-+*/^()]")


def from_raw(value: Any) -> dict:
    """Cell parts for a RAW input value."""
    if value == "":
        return {}
    return {"v": value}


def from_user_entered(value: Any) -> dict:
    """Cell parts for a USER_ENTERED input value (may carry a number format)."""
    if not isinstance(value, str):
        return {"v": value}
    if value == "":
        return {}
    if value.startswith("'"):
        return {"v": value[1:]}
    if value.startswith("=") and len(value) > 1:
        return {"f": value, "v": evaluate(value)}
    return _parse_typed(value)


def _parse_typed(text: str) -> dict:
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"v": stripped.upper() == "TRUE"}
    for read in (_plain_number, _currency, _percent, _date_time):
        found = read(stripped)
        if found is not None:
            value, kind, pattern = found
            return {"v": value, "fmt": {"numberFormat": {"type": kind, "pattern": pattern}}} if kind else {"v": value}
    return {"v": text}


def _plain_number(text: str) -> tuple | None:
    number = _number(text)
    if number is None:
        return None
    if "e" in text.lower():
        return number, "SCIENTIFIC", "0.00E+00"
    if "," in text:
        return number, "NUMBER", "#,##0.00" if "." in text else "#,##0"
    return number, None, None


def _currency(text: str) -> tuple | None:
    number = _number(text[1:]) if text.startswith("$") else None
    return None if number is None else (number, "CURRENCY", '"$"#,##0.00')


def _percent(text: str) -> tuple | None:
    number = _number(text[:-1]) if text.endswith("%") else None
    if number is None:
        return None
    return number / 100, "PERCENT", "0.00%" if "." in text else "0%"


def _date_time(text: str) -> tuple | None:
    day_text, _, time_text = text.partition(" ")
    day = _date_serial(day_text)
    if day is None:
        time = _time_serial(text)
        return None if time is None else (time[0], "TIME", time[1])
    if not time_text:
        return day[0], "DATE", day[1]
    time = _time_serial(time_text.strip())
    if time is None:
        return None
    return day[0] + time[0], "DATE_TIME", day[1] + (" h:mm:ss" if day[1].startswith("yyyy") else " H:mm:ss")


def _time_serial(text: str) -> tuple[float, str] | None:
    """`13:45`, `13:45:30`, `1:45 PM` -> (fraction of a day, the pattern it is shown with)."""
    found = _TIME.match(text)
    if not found:
        return None
    hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
    if found[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found[4].upper() == "PM" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return (hour * 3600 + minute * 60 + second) / 86400, "h:mm:ss am/pm" if found[4] else "h:mm:ss"


def _number(text: str) -> int | float | None:
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and abs(value) < 1e15 and "e" not in text.lower() else value


def _date_serial(text: str) -> tuple[int, str] | None:
    iso, us = _ISO_DATE.match(text), _US_DATE.match(text)
    try:
        if iso:
            day, pattern = date(int(iso[1]), int(iso[2]), int(iso[3])), "yyyy-mm-dd"
        elif us:
            day, pattern = date(int(us[3]), int(us[1]), int(us[2])), "M/d/yyyy"
        else:
            return None
    except ValueError:
        return None
    return (day - _EPOCH).days, pattern


def evaluate(formula: str) -> int | float | dict | None:
    """The value of a constant arithmetic formula (`=(2+3)*4/5`), `{"error": "DIVIDE_BY_ZERO"}`
    for one dividing by zero; None for anything else."""
    tokens = _TOKEN.findall(formula[1:].replace(" ", ""))
    if "".join(tokens) != formula[1:].replace(" ", ""):
        return None
    try:
        value, rest = _sum(tokens)
    except ZeroDivisionError:
        return {"error": "DIVIDE_BY_ZERO"}
    except (IndexError, ValueError, OverflowError):
        return None
    if rest:
        return None
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _sum(tokens: list[str]) -> tuple[float, list[str]]:
    value, tokens = _product(tokens)
    while tokens and tokens[0] in "+-":
        right, rest = _product(tokens[1:])
        value, tokens = (value + right if tokens[0] == "+" else value - right), rest
    return value, tokens


def _product(tokens: list[str]) -> tuple[float, list[str]]:
    value, tokens = _power(tokens)
    while tokens and tokens[0] in "*/":
        right, rest = _power(tokens[1:])
        value, tokens = (value * right if tokens[0] == "*" else value / right), rest
    return value, tokens


def _power(tokens: list[str]) -> tuple[float, list[str]]:
    """`^` groups left to right in Sheets: =2^3^2 is 64."""
    value, tokens = _unary(tokens)
    while tokens and tokens[0] == "^":
        right, tokens = _unary(tokens[1:])
        value = math.pow(value, right)
    return value, tokens


def _unary(tokens: list[str]) -> tuple[float, list[str]]:
    if tokens[0] in "+-":
        value, rest = _unary(tokens[1:])
        return (-value if tokens[0] == "-" else value), rest
    if tokens[0] == "(":
        value, rest = _sum(tokens[1:])
        if not rest or rest[0] != ")":
            raise ValueError("unbalanced parentheses")
        return value, rest[1:]
    return float(tokens[0]), tokens[1:]


# Showing a value back.
def formatted(cell: dict) -> str:
    value = cell.get("v")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ERRORS[value["error"]][0]
    number_format = (cell.get("fmt") or {}).get("numberFormat") or {}
    shown = render(value, number_format) if number_format else None
    return general_number(value) if shown is None else shown


def general_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return format(value, ".15g")


def rendered(cell: dict, option: str, date_option: str | None = None) -> Any:
    """The value `values.get` answers for one cell under `valueRenderOption` and
    `dateTimeRenderOption` (dates as serial numbers, or as FORMATTED_STRING)."""
    if option == "FORMULA" and cell.get("f"):
        return cell["f"]
    if option not in ("UNFORMATTED_VALUE", "FORMULA"):
        return formatted(cell)
    if isinstance(cell.get("v"), dict):
        return formatted(cell)
    kind = ((cell.get("fmt") or {}).get("numberFormat") or {}).get("type")
    if date_option == "FORMATTED_STRING" and kind in ("DATE", "TIME", "DATE_TIME"):
        return formatted(cell)
    return cell.get("v", "")


def extended_value(value: Any) -> dict | None:
    """ExtendedValue JSON for a stored value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if isinstance(value, dict):
        return {"errorValue": {"type": value["error"], "message": ERRORS[value["error"]][1]}}
    return {"stringValue": value}


def from_extended_value(extended: dict) -> dict:
    """Cell parts for an ExtendedValue sent in updateCells / repeatCell."""
    if "formulaValue" in extended:
        return {"f": extended["formulaValue"], "v": evaluate(extended["formulaValue"])}
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in extended:
            return {"v": extended[key]}
    return {}

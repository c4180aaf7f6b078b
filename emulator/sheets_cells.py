"""One cell's value: how input is read (RAW / USER_ENTERED) and how it is shown back.

RAW stores exactly what was sent: text starting with `=` stays text. USER_ENTERED reads
input the way typing into the cell would: `=...` is a formula, `0042` and `1,000` are
numbers, `50%` a percentage, `TRUE` a boolean, `2024-03-01` or `3/1/2024` a date, and a
leading apostrophe keeps the rest as text.

Formulas are stored as text and NOT evaluated in general. Only constant arithmetic
(`=1+1`, `=(2+3)*4/5`) gets a computed value; any other formula has no value, so it reads
back as an empty string (FORMATTED_VALUE) or is left out (UNFORMATTED_VALUE), while
FORMULA returns its text. Number formats other than dates and percentages render as
Google's "automatic" format does for plain numbers.
"""
from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EPOCH = date(1899, 12, 30)
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
    number = _number(stripped.lstrip("$")) if stripped.startswith("$") else _number(stripped)
    if number is not None:
        if stripped.startswith("$"):
            return {"v": number, "fmt": {"numberFormat": {"type": "CURRENCY", "pattern": '"$"#,##0.00'}}}
        return {"v": number}
    if stripped.endswith("%") and _number(stripped[:-1]) is not None:
        return {"v": _number(stripped[:-1]) / 100, "fmt": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}}
    serial = _date_serial(stripped)
    if serial is not None:
        return {"v": serial[0], "fmt": {"numberFormat": {"type": "DATE", "pattern": serial[1]}}}
    return {"v": text}


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


def evaluate(formula: str) -> int | float | None:
    """The value of a constant arithmetic formula (`=(2+3)*4/5`); None for anything else."""
    tokens = _TOKEN.findall(formula[1:].replace(" ", ""))
    if "".join(tokens) != formula[1:].replace(" ", ""):
        return None
    try:
        value, rest = _sum(tokens)
    except (IndexError, ValueError, ZeroDivisionError, OverflowError):
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
    number_format = (cell.get("fmt") or {}).get("numberFormat") or {}
    kind = number_format.get("type")
    if kind in ("DATE", "DATE_TIME") and float(value).is_integer():
        return _format_date(_EPOCH + timedelta(days=int(value)), number_format.get("pattern", ""))
    if kind == "PERCENT":
        return general_number(value * 100) + "%"
    if kind == "CURRENCY":
        return f"${value:,.2f}"
    return general_number(value)


def general_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return format(value, ".15g")


def _format_date(day: date, pattern: str) -> str:
    if pattern.startswith("yyyy"):
        return day.isoformat()
    return f"{day.month}/{day.day}/{day.year}"


def rendered(cell: dict, option: str) -> Any:
    """The value `values.get` answers for one cell under `valueRenderOption`."""
    if option == "FORMULA" and cell.get("f"):
        return cell["f"]
    if option in ("UNFORMATTED_VALUE", "FORMULA"):
        return cell.get("v", "")
    return formatted(cell)


def extended_value(value: Any) -> dict | None:
    """ExtendedValue JSON for a stored value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return {"stringValue": value}


def from_extended_value(extended: dict) -> dict:
    """Cell parts for an ExtendedValue sent in updateCells / repeatCell."""
    if "formulaValue" in extended:
        return {"f": extended["formulaValue"], "v": evaluate(extended["formulaValue"])}
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in extended:
            return {"v": extended[key]}
    return {}

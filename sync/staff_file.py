"""Reading a staff export (CSV or XLSX) from a district's HR or SIS system with pandas.

Exports name their columns in many ways ("Work Email", "E-mail Address", "Building",
"Job Title", "Supervisor"); a header is matched, case, spacing and punctuation aside,
against the usual names of each Staff column and the config's own `[staff] aliases`.
"First Name" and "Last Name" columns make the name when there is no full-name column.
Every value is read as text, exactly as written: nothing is turned into a number or date.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from sync.core.staff import ExportRow
from sync.errors import UsageError

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "staff name", "employee name", "teacher name", "display name", "staff member"),
    "email": ("email", "email address", "work email", "school email",
              "district email", "staff email", "employee email", "mail"),
    "site": ("site", "school", "building", "campus", "location", "site name", "school name", "building name",
             "work location", "department"),
    "role": ("role", "position", "job title", "title", "job", "assignment", "position title", "staff role"),
    "evaluator": ("evaluator", "evaluator email", "evaluator name", "evaluating administrator", "supervisor",
                  "supervisor email", "school leader", "manager", "evaluated by"),
}
FIRST_NAMES = ("first name", "first", "given name", "preferred name", "legal first name")
LAST_NAMES = ("last name", "last", "surname", "family name", "legal last name")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """A header as compared: lower case, words only ("Work E-mail" -> "work email")."""
    return re.sub(r"\be mail\b", "email", _NON_WORD.sub(" ", str(text).lower()).strip())


def read_export(path: Path, site_noun: str = "School",
                extra_aliases: Mapping[str, Sequence[str]] = {}) -> list[ExportRow]:
    """Every non-blank row of the export at `path`; a file that cannot be read, or that has
    no email or name column, is one UsageError saying which columns it has."""
    table = _table(path)
    columns = match_columns(list(table.columns), site_noun, extra_aliases)
    missing = [what for what in ("email", "name") if what not in columns]
    if missing:
        found = ", ".join(repr(str(c)) for c in table.columns) or "none"
        raise UsageError(f"{path.name}: no {' or '.join(missing)} column found (its columns: {found}); name it "
                         "as usual or add the header under [staff] aliases")
    rows = []
    for offset, record in enumerate(table.itertuples(index=False)):
        values = {what: _text(record, spec) for what, spec in columns.items()}
        if any(values.values()):
            rows.append(ExportRow(offset + 2, **values))
    return rows


def _table(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            return pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        if path.suffix.lower() in (".csv", ".txt"):
            return _csv(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise UsageError(f"{path.name}: cannot be read as a staff export ({error})") from None
    raise UsageError(f"{path.name}: expected a .csv or .xlsx export")


def _csv(path: Path) -> pd.DataFrame:
    """UTF-8 (with or without a byte-order mark), or Windows-1252 as older systems write."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            header = path.read_text(encoding=encoding).split("\n", 1)[0]
        except UnicodeDecodeError:
            continue
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, sep=delimiter(header))
    raise UsageError(f"{path.name}: expected text in UTF-8 or Windows-1252")


def delimiter(header: str) -> str:
    """The separator of an export, told from its header line alone (a name or a note in the
    rows below may hold any character): a comma, or the semicolon, tab or bar some
    systems write, whichever the header holds most of."""
    return max((",", ";", "\t", "|"), key=header.count) if header.strip() else ","


def match_columns(headers: Sequence[object], site_noun: str = "School",
                  extra_aliases: Mapping[str, Sequence[str]] = {}) -> dict[str, object]:
    """Staff column -> the export's column (an index, or a pair of first and last name
    columns), each export column used once, the first match winning."""
    keys = [header_key(h) for h in headers]
    out: dict[str, object] = {}
    for what, usual in HEADER_ALIASES.items():
        names = [header_key(a) for a in (*extra_aliases.get(what, ()), *usual)]
        if what == "site":
            names.insert(0, header_key(site_noun))
        index = next((keys.index(n) for n in names if n in keys and keys.index(n) not in _used(out)), None)
        if index is not None:
            out[what] = index
    if "name" not in out:
        first = next((keys.index(n) for n in FIRST_NAMES if n in keys), None)
        last = next((keys.index(n) for n in LAST_NAMES if n in keys), None)
        if first is not None and last is not None:
            out["name"] = (first, last)
    return out


def _used(columns: Mapping[str, object]) -> set[int]:
    return {i for spec in columns.values() for i in (spec if isinstance(spec, tuple) else (spec,))}


def _text(record: tuple, spec: object) -> str:
    if isinstance(spec, tuple):
        return " ".join(_cell(record[i]) for i in spec if _cell(record[i]))
    return _cell(record[spec])


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()

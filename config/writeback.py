"""Writing the ids of resources `plt init` created back into the coordinator's config file.

tomlkit keeps every comment, blank line and key order, so the file still reads as the
coordinator wrote it; the new file replaces the old one in one step, so a crash leaves
either the old file or the new one, never half of each.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

import tomlkit
from tomlkit.items import AoT, Table

from .files import replace_file

_ELEMENT = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)(\[(?P<key>[a-z0-9_]+)\])?$")


def write_ids(path: str | os.PathLike, ids: Mapping[str, str]) -> None:
    """Set each dotted key to its id in the file: `"roster.spreadsheet_id"`, or with a
    table of an array of tables named by its key, `"form[enrol].id"` (the [[form]] whose
    `key = "enrol"`)."""
    path = Path(path)
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for dotted, value in ids.items():
        *sections, key = dotted.split(".")
        _table(document, sections)[key] = value
    replace_file(path, tomlkit.dumps(document), path.stat().st_mode & 0o777)


def append_id(path: str | os.PathLike, dotted: str, value: str) -> None:
    """Add `value` at the end of the list at the dotted key (`"drive.template_file_ids"`),
    made when missing; the list's own comments and layout are kept."""
    path = Path(path)
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    *sections, key = dotted.split(".")
    table = _table(document, sections)
    if key not in table:
        table[key] = tomlkit.array()
    if not isinstance(table[key], list):
        raise ValueError(f"{dotted} is not a list in the config file")
    table[key].append(value)
    replace_file(path, tomlkit.dumps(document), path.stat().st_mode & 0o777)


def _table(document: tomlkit.TOMLDocument, sections: list[str]):
    """The table at `sections`, created (at the end of the file) when it is not there yet;
    a table of an array of tables must be there, as it means nothing without its keys."""
    table = document
    for section in sections:
        name, key = _addressed(section)
        if key is not None:
            table = _element(table, name, key, sections)
            continue
        if name not in table:
            table[name] = tomlkit.table()
        table = table[name]
        if not isinstance(table, (Table, dict)):
            raise ValueError(f"{'.'.join(sections)} is not a table in the config file")
    return table


def _addressed(section: str) -> tuple[str, str | None]:
    """`"form[enrol]"` -> `("form", "enrol")`; `"roster"` -> `("roster", None)`."""
    match = _ELEMENT.match(section)
    if not match:
        raise ValueError(f"{section!r} is not a table name, nor one like form[enrol]")
    return match["name"], match["key"]


def _element(table, name: str, key: str, sections: list[str]):
    elements = table.get(name) if isinstance(table, (Table, dict)) else None
    found = [e for e in elements if isinstance(e, (Table, dict)) and e.get("key") == key] if isinstance(
        elements, (AoT, list)) else []
    if len(found) != 1:
        what = "no" if not found else "more than one"
        raise ValueError(f'{what} [[{name}]] table with key = "{key}" in the config file '
                         f"(setting {'.'.join(sections)})")
    return found[0]


def record_template(path: str | os.PathLike, key: str, template_id: str, new: Mapping[str, str]) -> bool:
    """Set `id` of the [[template]] whose key is `key`, or add that table at the end of the
    file with the `new` keys when there is none. True when a table was added."""
    path = Path(path)
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    tables = document.get("template")
    if tables is not None and not isinstance(tables, (AoT, list)):
        raise ValueError("template is not an array of tables ([[template]]) in the config file")
    found = [t for t in tables or [] if isinstance(t, (Table, dict)) and t.get("key") == key]
    if len(found) > 1:
        raise ValueError(f'more than one [[template]] table with key = "{key}" in the config file')
    if found:
        found[0]["id"] = template_id
    else:
        table = tomlkit.table()
        for name, value in {"key": key, **new, "id": template_id}.items():
            table[name] = value
        if tables is None:
            document.append("template", tomlkit.aot())
            tables = document["template"]
        tables.append(table)
    replace_file(path, tomlkit.dumps(document), path.stat().st_mode & 0o777)
    return not found

"""Editing a parsed TOML file table by table, the comments going with the keys they lead.

tomlkit keeps a table as a list of items: keys, comment lines, blank lines. The comment
lines right above a key (no blank line between) are that key's comment, and the keys
right under it share it (`facilitator_role` and `member_role` under one line). Taking a
key out of its table takes its comment along, so no comment is left describing a key
that is gone; taking a key that shares its predecessor's comment takes none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Item, Key, Table, Trivia, Whitespace

Body = list[tuple[Key | None, Item]]
# Longer lists are written one item a line.
INLINE_LIMIT = 88


@dataclass
class Carried:
    """A key taken out of its table: the comment lines that led it, and its value as written.
    `shared`: it had no comment of its own but shared the one of the key above it."""

    comments: list[Item] = field(default_factory=list)
    item: Item | None = None
    shared: bool = False


class FileTables:
    """The tables of a parsed TOML file as lists of items, from which keys are taken."""

    def __init__(self, text: str):
        self.document = tomlkit.parse(text)
        self._bodies: dict[tuple, Body] = {}

    def leading(self) -> Body:
        """The comments and blank lines above the file's first table."""
        body = self.document.body
        first = next((i for i, (key, _item) in enumerate(body) if key is not None), len(body))
        return list(body[:first])

    def table(self, *path: str | int) -> Table | None:
        """The table at `path` (`("milestone", 0)` is the first [[milestone]]), if any."""
        return next(iter(self._tables(path)), None)

    def body(self, *path: str | int) -> Body:
        """The items of the table at `path`, as edited so far; a table the file splits in
        several places (`[form]`, later `[form.questions]`) is read as one."""
        if path not in self._bodies:
            self._bodies[path] = [entry for table in self._tables(path) for entry in table.value.body]
        return self._bodies[path]

    def take(self, *path: str | int) -> Carried:
        """Take the key at `path` out of its table, with the comment that leads it."""
        body = self.body(*path[:-1])
        index = next((i for i, (key, _item) in enumerate(body) if key is not None and key.key == path[-1]), None)
        if index is None:
            return Carried()
        item = body.pop(index)[1]
        start = _group_start(body, index)
        if start < index:
            return Carried([], item, shared=_comment_start(body, start) < start)
        top = _comment_start(body, index)
        lead = [line for _key, line in body[top:index]]
        del body[top:index]
        return Carried(lead, item)

    def reword(self, path: tuple, old: str, new: str) -> None:
        """Write `new` for `old` in the comments of the table at `path`."""
        body = self.body(*path)
        for index, (key, item) in enumerate(body):
            if key is None and isinstance(item, Comment) and old in item.trivia.comment:
                body[index] = (None, Comment(Trivia(item.trivia.indent, item.trivia.comment_ws,
                                                    item.trivia.comment.replace(old, new), item.trivia.trail)))

    def orphans(self, *path: str | int) -> list[Item]:
        """The comments of the table at `path` that lead no key (after the takes so far)."""
        return [item for _key, item in self.body(*path) if isinstance(item, Comment)]

    def _tables(self, path: tuple) -> list[Table]:
        found: list[Any] = [self.document]
        for part in path:
            if isinstance(part, int):
                elements = [table for item in found if isinstance(item, AoT) for table in item.body]
                found = [elements[part]] if -len(elements) <= part < len(elements) else []
            else:
                found = [item for parent in found for key, item in _container(parent).body
                         if key is not None and key.key == part]
        return [item for item in found if isinstance(item, Table)]


def _container(item: Any) -> Container:
    if isinstance(item, Table):
        return item.value
    return item if isinstance(item, Container) else Container(True)


def _is_value(entry: tuple[Key | None, Item]) -> bool:
    """A `key = value` line (not a comment, a blank line or a sub-table's header); a
    dotted key (`reminders.days_before = [2]`) is one, though tomlkit holds a table."""
    key, item = entry
    return key is not None and (not isinstance(item, (Table, AoT)) or key.is_dotted())


def _group_start(body: Body, index: int) -> int:
    """Where the run of `key = value` lines that ran into `index` starts (`index` when
    none did): the comment above such a run belongs to its first key."""
    while index > 0 and _is_value(body[index - 1]):
        index -= 1
    return index


def _comment_start(body: Body, index: int) -> int:
    """Where the comment lines right above `index` start (`index` when there are none)."""
    while index > 0 and isinstance(body[index - 1][1], Comment):
        index -= 1
    return index


def top_of_values(body: Body) -> int:
    """Where the first `key = value` line's comment starts: keys put first go there."""
    first = next((i for i, entry in enumerate(body) if _is_value(entry)), None)
    return _no_values_yet(body) if first is None else _comment_start(body, first)


def end_of_values(body: Body) -> int:
    """Just after the last `key = value` line: keys and sub-tables added go there."""
    last = next((i for i in range(len(body) - 1, -1, -1) if _is_value(body[i])), None)
    return _no_values_yet(body) if last is None else last + 1


def _no_values_yet(body: Body) -> int:
    """In a table without values: before its first sub-table and its last blank lines."""
    first_table = next((i for i, entry in enumerate(body) if entry[0] is not None and not _is_value(entry)), len(body))
    end = len(body)
    while end > 0 and isinstance(body[end - 1][1], Whitespace):
        end -= 1
    return min(first_table, end)


def comment(text: str) -> Comment:
    """Comment lines saying `text` (one `#` line per line of it)."""
    return tomlkit.comment(text)


def value_item(value: Any) -> Item:
    """`value` as TOML; a long list one item a line, as a coordinator would write it."""
    item = tomlkit.item(value)
    if not isinstance(value, list) or len(item.as_string()) <= INLINE_LIMIT:
        return item
    lines = tomlkit.array()
    for element in value:
        lines.add_line(element, indent="  ")
    lines.add_line(indent="")
    return lines


def replaced(item: Item, value: Any) -> Item:
    """`value` written where `item` was, keeping its indentation and end-of-line comment."""
    new = value_item(value)
    for part in ("indent", "comment_ws", "comment", "trail"):
        setattr(new.trivia, part, getattr(item.trivia, part))
    return new


def table_of(body: Body, trivia, aot_element: bool) -> Table:
    """A table holding exactly `body`, in that order."""
    container = Container(True)
    for key, item in body:
        container.append(key, item)
    return Table(container, trivia, aot_element, is_super_table=False)

"""`plt config upgrade`: a config file of the first format rewritten in the programme model,
with the coordinator's comments still next to the settings they describe.

What the file means comes from `config.upgrade.upgrade`, the one mapping between the two
formats; this module only decides where each value is written and which comment goes with
it (tomlkit keeps comments, blank lines and the way values are written):

- a section both formats have ([programme], [google], [roster], [drive], [[milestone]],
  [mail]) keeps its comments and key order; a key the model drops leaves with the comment
  above it; a key the model adds follows the section's last key (or comes first, like a
  form's `key`, when the model puts it first) under a comment saying what it is;
- [form] stays, as the enrol form's [[form]]; its questions become [[form.field]] tables,
  [targets] becomes [[target]] tables, and [unit] with its [[unit.role]]s is new;
- a value that moves takes its comment along: the schools become `programme.sites`, the
  goal types and training options their field's `choices`, a question's title its field's
  `title`, facilitator_role and member_role the `access` of their role, [roster]
  max_people [unit]'s, evidence_checkbox
  and evidence_file_pattern the keys of [milestone.evidence], a school's share its target's;
- team_key and cc_members change shape (`unit.key`, the member role's `remind`), so their
  new keys are explained afresh: the old comment would describe a setting that is gone;
- comments of [form.questions] and [targets] above no key end the tables replacing them.

The new text must read back to exactly the settings the old one did; when it would not (a
layout of the file this rewrite does not foresee), the file is left as it is.
"""
from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Mapping

from tomlkit import nl
from tomlkit.items import AoT, Item, SingleKey, Table, Trivia
from tomlkit.toml_document import TOMLDocument

from .errors import ConfigError, ConfigProblem
from .files import replace_file
from .load import read_toml, settings_from_toml
from .schema import Settings
from .toml_edit import (Body, Carried, FileTables, comment, end_of_values, replaced, table_of, top_of_values,
                        value_item)
from .upgrade import RENAMED_PLACEHOLDER, is_first_format, upgrade

SECTIONS = ("programme", "google", "form", "unit", "roster", "drive", "milestone", "mail", "target")
# What a key the programme model adds means, written above its first appearance.
EXPLAINED = {
    ("programme", "short_name"): 'How the Dashboard names the teams, in a phrase like "People in PLTs".',
    ("programme", "sites"): "The schools of the programme: a facilitator chooses one on the form.",
    ("form", "key"): "A short stable id for this form (lower-case letters, digits, _); never rename it.",
    ("form", "purpose"): 'What a response means: "enrol", each response creates or updates a team.',
    ("form.field", "key"): "A short stable id for the answer (lower-case letters, digits, _): the\n"
                           "[unit] keys and the folder name's placeholders name it.",
    ("form.field", "title"): "The exact title of the form question. Answers are matched to fields by\n"
                             "their titles: reword a question in the form only together with this title.",
    ("form.field", "type"): 'What the answer is: "text", "paragraph", "choice", "dropdown", "checkboxes",\n'
                            '"date", "time", "email", "person" (Name <email>), "people" (one person a\n'
                            'line) or "respondent" (the verified email of whoever answers).',
    ("form.field", "ask"): 'Whether the form marks the question required: "required" or "optional"\n'
                           "(default: as `required`).",
    ("form.field", "required"): "A response without this answer cannot make a team.",
    ("form.field", "choices"): 'The answers offered: a list, or "sites" for the programme\'s schools.',
    ("form.field", "column"): "The roster column the answer is shown in.",
    ("form.field", "count_column"): "The roster column counting the people listed.",
    ("form.field", "help"): "The help text shown under the question.",
    ("unit", "noun"): "What one unit of the programme is called on the roster and in emails.",
    ("unit", "id_prefix"): "Team IDs read like PLT-3f9a1c: this prefix, then a stable hash of the key.",
    ("unit", "key"): "The fields that make two submissions the same team: the latest one replaces\n"
                     'the earlier. ["facilitator_email", "team_name"] lets one facilitator lead\n'
                     "several teams.",
    ("unit", "name"): "The team's name on the roster and in emails; placeholders name fields.",
    ("unit", "site"): "The field holding the team's school.",
    ("unit", "source"): "The form whose responses make the teams.",
    ("unit.role", "key"): "A short stable id for the role.",
    ("unit.role", "field"): "The field naming its people.",
    ("unit.role", "name_field"): "The field holding the person's name, when `field` holds only an email.",
    ("unit.role", "access"): 'Access to the team folder: "writer", "commenter", "reader" or "none".',
    ("unit.role", "remind"): 'Reminders go "to" them, copy them ("cc"), or leave them out ("no").',
    ("roster", "columns"): "The order of the field columns on a new roster.",
    ("milestone.evidence", "checkbox"): 'Evidence: a coordinator ticks "<title> received" on the roster.',
    ("milestone.evidence", "file"): "Evidence: a file whose name matches this pattern in the team folder.",
    ("target", "share"): "The fraction of the staff of its schools expected in a PLT, shown on the\n"
                         "Dashboard next to the actual count.",
    ("target", "sites"): "The schools this target is for (all of them when none are listed).",
}


def upgraded_text(path: str | os.PathLike, environ: Mapping[str, str] = os.environ) -> str | None:
    """The first-format file at `path` restated in the programme model, or None when it is
    not in the first format. Raises `ConfigError` when the file has problems (fix them
    first) or when the new text would not read back to the same settings."""
    path = Path(path)
    raw = read_toml(path)
    if not is_first_format(raw):
        return None
    settings = settings_from_toml(raw, path, environ)
    text = rewritten(path.read_text(encoding="utf-8"), upgrade(raw))
    changed = changed_sections(settings, text, environ)
    if changed:
        raise ConfigError(str(path), [ConfigProblem("", "this file's layout cannot be rewritten without changing "
                                                        f"what it means ({', '.join(changed)}); it is left as it "
                                                        "is")])
    return text


def write_upgraded(path: str | os.PathLike, environ: Mapping[str, str] = os.environ) -> bool:
    """Rewrite the file at `path` in the programme model, in one step and with its
    permissions and owner kept (a symbolic link stays one: the file it points to is
    rewritten); False (and nothing written) when it is not in the first format."""
    text = upgraded_text(path, environ)
    if text is None:
        return False
    target = Path(path).resolve()
    status = target.stat()
    replace_file(target, text, stat.S_IMODE(status.st_mode), (status.st_uid, status.st_gid))
    return True


def changed_sections(settings: Settings, text: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The sections of `settings` that `text`, read as the same file, would change: the
    last check before a coordinator's only config file is replaced."""
    try:
        after = settings_from_toml(tomllib.loads(text), settings.path, environ).model_dump()
    except (ConfigError, tomllib.TOMLDecodeError):
        return ["the new text would not load"]
    return [name for name, value in settings.model_dump().items() if after.get(name) != value]


def rewritten(text: str, new: dict[str, Any]) -> str:
    """`text`, a first-format file, rewritten to hold `new`, its programme-model tables."""
    old = FileTables(text)
    old.reword(("drive",), *RENAMED_PLACEHOLDER)
    writer = _Writer(old, _moved(old, new))
    fields, targets = len(new["form"][0]["field"]), len(new.get("target", []))
    writer.replacing(("form", "questions"), ("form", 0, "field", 0), ("form", 0, "field", fields - 1))
    if targets:
        writer.replacing(("targets",), ("target", 0), ("target", targets - 1))
    document = TOMLDocument(True)
    for key, item in old.leading():
        document.append(key, item)
    for name in SECTIONS:
        if name in new:
            writer.section(document, name, new[name])
    if not targets:
        for line in old.orphans("targets"):
            document.append(None, line)
    return document.as_string().rstrip("\n") + "\n"


def _moved(old: FileTables, new: dict[str, Any]) -> dict[tuple, Carried]:
    """The first-format keys whose values move to another place, by their new place."""
    fields = {f["key"]: ("form", 0, "field", i) for i, f in enumerate(new["form"][0]["field"])}
    roles = {r["key"]: ("unit", "role", i) for i, r in enumerate(new["unit"]["role"])}
    moved = {("programme", "sites"): old.take("form", "schools"),
             (*fields["goal_type"], "choices"): old.take("form", "goal_types"),
             (*fields["training"], "choices"): old.take("form", "training_options"),
             (*roles["facilitator"], "access"): old.take("drive", "facilitator_role"),
             (*roles["member"], "access"): old.take("drive", "member_role"),
             ("unit", "max_people"): old.take("roster", "max_people")}
    questions = old.take("form", "questions")
    for key, where in fields.items():
        moved[(*where, "title")] = old.take("form", "questions", key)
    moved[("form", 0, "field", 0, "title")].comments[:0] = questions.comments
    for index, _milestone in enumerate(new.get("milestone", [])):
        moved[("milestone", index, "evidence", "checkbox")] = old.take("milestone", index, "evidence_checkbox")
        moved[("milestone", index, "evidence", "file")] = old.take("milestone", index, "evidence_file_pattern")
    for index, target in enumerate(new.get("target", [])):
        schools = [old.take("targets", school) for school in target["sites"]]
        moved[("target", index, "share")] = Carried([c for s in schools for c in s.comments], schools[0].item)
    return moved


def _source(path: tuple) -> tuple | None:
    """The first-format table a programme-model table is written from (None: a new one)."""
    if path[0] == "form":
        return ("form",) if path == ("form", 0) else None
    return None if path[0] in ("unit", "target") else path


class _Writer:
    """Writes the programme model's tables, each revised from the first-format table it
    comes from, and explains each new key at its first appearance."""

    def __init__(self, old: FileTables, moved: dict[tuple, Carried]):
        self.old, self.moved = old, moved
        self.explained: set[tuple[str, str]] = set()
        self.header_comments: dict[tuple, Trivia] = {}
        self.closing: dict[tuple, list[Item]] = {}

    def replacing(self, source: tuple, first: tuple, last: tuple) -> None:
        """Tables `first` to `last` replace the first-format table at `source`: the comment
        on its header goes on the first one's, its comments that led no key end the last."""
        table = self.old.table(*source)
        if table is not None and table.trivia.comment:
            self.header_comments[first] = table.trivia
        self.closing[last] = self.old.orphans(*source)

    def section(self, document: TOMLDocument, name: str, value: Any) -> None:
        if isinstance(value, list):
            item: Item = AoT([self.table((name, i), v, _source((name, i)), aot=True) for i, v in enumerate(value)],
                             name=name, parsed=True)
        else:
            item = self.table((name,), value, _source((name,)))
        first = item.body[0] if isinstance(item, AoT) else item
        if "\n" not in first.trivia.indent and _needs_blank_line(document.as_string()):
            first.trivia.indent = "\n" + first.trivia.indent
        document.append(name, item)

    def table(self, path: tuple, new: dict[str, Any], source: tuple | None, aot: bool = False) -> Table:
        """The table at `path` holding `new`: the first-format table at `source` with the
        keys the model drops taken out and the ones it adds put in, or a new table."""
        original = self.old.table(*source) if source else None
        if original is None:
            return self._new_table(path, new, aot)
        body = self.old.body(*source)
        for key in [k.key for k, _item in body if k is not None and k.key not in new]:
            self.old.take(*source, key)
        kept = [k.key for k, _item in body if k is not None]
        for index, (key, item) in enumerate(body):
            if key is not None:
                body[index] = (key, self._kept(path + (key.key,), new[key.key], item, source + (key.key,)))
        order = list(new)
        first_kept = min((order.index(k) for k in kept), default=len(order))
        top = top_of_values(body)
        body[top:top] = self._entries(path, new, [k for k in order[:first_kept] if k not in kept])
        end = end_of_values(body)
        body[end:end] = self._entries(path, new, [k for k in order[first_kept:] if k not in kept])
        return table_of(body, original.trivia, aot)

    def _new_table(self, path: tuple, new: dict[str, Any], aot: bool) -> Table:
        """A section of its own ends with a blank line; a sub-table starts with one."""
        section = len(path) == 1 or len(path) == 2 and isinstance(path[1], int)
        body = self._entries(path, new, list(new)) + [(None, line) for line in self.closing.get(path, [])]
        trivia = Trivia(indent="" if section else "\n")
        if path in self.header_comments:
            trivia.comment_ws, trivia.comment = self.header_comments[path].comment_ws, self.header_comments[
                path].comment
        return table_of(body + ([(None, nl())] if section else []), trivia, aot)

    def _kept(self, path: tuple, value: Any, item: Item, source: tuple) -> Item:
        if item.unwrap() == value:
            return item
        return self.table(path, value, source) if isinstance(item, Table) else replaced(item, value)

    def _entries(self, path: tuple, new: dict[str, Any], keys: list[str]) -> Body:
        """Keys with their comments, plain values before tables as TOML needs."""
        entries: Body = []
        for key in sorted(keys, key=lambda k: _is_table_like(new[k])):
            carried = self.moved.get(path + (key,), Carried())
            entries += [(None, line) for line in self._comments(path, key, carried)]
            entries.append((SingleKey(key), self._item(path + (key,), new[key], carried)))
        return entries

    def _item(self, path: tuple, value: Any, carried: Carried) -> Item:
        if isinstance(value, dict):
            return self.table(path, value, None)
        if _is_table_like(value):
            return AoT([self.table(path + (i,), v, None, aot=True) for i, v in enumerate(value)], name=path[-1],
                       parsed=True)
        if carried.item is None:
            return value_item(value)
        return carried.item if carried.item.unwrap() == value else replaced(carried.item, value)

    def _comments(self, path: tuple, key: str, carried: Carried) -> list[Item]:
        """The comment a moved key brought along, else the explanation of a key the
        model adds, written at its first appearance only; none for a key that shared the
        comment of the key it followed, as it follows it here too."""
        kind = (".".join(p for p in path if isinstance(p, str)), key)
        explain = kind not in self.explained and kind in EXPLAINED and not carried.shared
        self.explained.add(kind)
        return carried.comments or ([comment(EXPLAINED[kind])] if explain else [])


def _needs_blank_line(text: str) -> bool:
    """A header needs a blank line above it, unless it starts the file or is the subject
    of the comment lines right above it."""
    last_line = text.rstrip("\n").rsplit("\n", 1)[-1]
    return bool(text) and not text.endswith("\n\n") and not last_line.lstrip().startswith("#")


def _is_table_like(value: Any) -> bool:
    return isinstance(value, dict) or isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) for v in value)

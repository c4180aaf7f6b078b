"""Drive v3 search queries (`files.list?q=...`): parsed once into a predicate over file docs.

The grammar PLT Sync and gspread use, as Google documents it:

    query   := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" query ")" | term
    term    := field op value                      name = 'x', mimeType != 'y', trashed = false
             | string "in" collection              'folderId' in parents, 'a@b.org' in writers
             | "parents" "in" string               gspread writes it this way round
             | ("appProperties" | "properties") "has" "{" key = 'k' and value = 'v' "}"

Strings are quoted with ' or " and escape quotes and backslashes with a backslash. Anything
else is answered as Google answers it: 400 "Invalid Value" (location q). `name contains`
matches at the start of a word, not in its middle, as Google's prefix matching does.
The predicate receives a file doc (see emulator/drive_files.py) and the caller's context.

Drive v2 (`V2_FIELDS`) names some fields differently (`title`, `modifiedDate`) and has one
`properties has { key = 'k' and value = 'v' [and visibility = 'PRIVATE' | 'PUBLIC'] }`:
PRIVATE (the default) are v3's appProperties, PUBLIC its properties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .core import ApiError, parse_rfc3339
from .drive_files import ROLE_RANK

Predicate = Callable[[dict, "QueryContext"], bool]

_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
                    r"""|(?P<op>!=|<=|>=|[=<>(){}])|(?P<word>[A-Za-z_]+))""")


@dataclass(frozen=True)
class QueryContext:
    """What a query needs besides the file: the caller and the My Drive root's id."""

    user_email: str
    root_id: str


@dataclass(frozen=True)
class _Tok:
    kind: str   # str | op | word
    text: str


def invalid_query() -> ApiError:
    return ApiError(400, "Invalid Value", reason="invalid")


# The fields a query may name -> the file doc's key ("v2properties": v2's properties has).
V3_FIELDS = {name: name for name in ("name", "fullText", "mimeType", "trashed", "starred", "createdTime",
                                     "modifiedTime", "description", "appProperties", "properties", "parents")}
V2_FIELDS = {"title": "name", "fullText": "fullText", "mimeType": "mimeType", "trashed": "trashed",
             "starred": "starred", "modifiedDate": "modifiedTime", "properties": "v2properties",
             "parents": "parents"}


def compile_query(text: str | None, fields: dict[str, str] = V3_FIELDS) -> Predicate:
    """The predicate for `q` in the dialect `fields` names; an empty query matches every file."""
    if not text or not text.strip():
        return lambda doc, ctx: True
    parser = _Parser(_tokenize(text), fields)
    predicate = parser.parse_or()
    if parser.peek() is not None:
        raise invalid_query()
    return predicate


def _tokenize(text: str) -> list[_Tok]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            raise invalid_query()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append(_Tok(kind, value))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Tok], fields: dict[str, str]):
        self.tokens = tokens
        self.fields = fields
        self.pos = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or (kind and tok.kind != kind) or (text and tok.text.lower() != text.lower()):
            raise invalid_query()
        self.pos += 1
        return tok

    def at_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text.lower() == word

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self.at_word("or"):
            self.take()
            parts.append(self.parse_and())
        folders = [p for p in parts if isinstance(p, _InParents)]
        if len(folders) > 1:
            parts = [_InParents(frozenset().union(*(p.folder_ids for p in folders))),
                     *(p for p in parts if not isinstance(p, _InParents))]
        return parts[0] if len(parts) == 1 else (lambda doc, ctx: any(p(doc, ctx) for p in parts))

    def parse_and(self) -> Predicate:
        parts = [self.parse_unary()]
        while self.at_word("and"):
            self.take()
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else (lambda doc, ctx: all(p(doc, ctx) for p in parts))

    def parse_unary(self) -> Predicate:
        if self.at_word("not"):
            self.take()
            inner = self.parse_unary()
            return lambda doc, ctx: not inner(doc, ctx)
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "(":
            self.take()
            inner = self.parse_or()
            self.take("op", ")")
            return inner
        return self.parse_term()

    def parse_term(self) -> Predicate:
        first = self.take()
        if first.kind == "str":
            self.take("word", "in")
            return _membership(self.take("word").text, first.text)
        if first.kind != "word" or first.text not in self.fields:
            raise invalid_query()
        field = self.fields[first.text]
        if field in ("appProperties", "properties", "v2properties"):
            return self.parse_has(field)
        if field == "parents" and self.at_word("in"):
            self.take()
            return _membership("parents", self.take("str").text)
        op = self.take()
        if op.kind == "word" and op.text.lower() == "contains":
            return _contains(field, self.take("str").text)
        if op.kind != "op" or op.text not in ("=", "!=", "<", "<=", ">", ">="):
            raise invalid_query()
        return _comparison(field, op.text, self.take())

    def parse_has(self, field: str) -> Predicate:
        self.take("word", "has")
        self.take("op", "{")
        self.take("word", "key")
        self.take("op", "=")
        key = self.take("str").text
        self.take("word", "and")
        self.take("word", "value")
        self.take("op", "=")
        value = self.take("str").text
        if field == "v2properties":
            field = "appProperties"
            if self.at_word("and"):
                self.take()
                self.take("word", "visibility")
                self.take("op", "=")
                visibility = self.take("str").text
                if visibility not in ("PRIVATE", "PUBLIC"):
                    raise invalid_query()
                field = "appProperties" if visibility == "PRIVATE" else "properties"
        self.take("op", "}")
        return lambda doc, ctx: (doc.get(field) or {}).get(key) == value


@dataclass(frozen=True)
class _InParents:
    """`'a' in parents or 'b' in parents ...` as one set test, so a query naming fifty
    folders costs one test per file, not fifty."""

    folder_ids: frozenset[str]

    def __call__(self, doc: dict, ctx: QueryContext) -> bool:
        ids = self.folder_ids
        if "root" in ids:
            ids = (ids - {"root"}) | {ctx.root_id}
        return not ids.isdisjoint(doc.get("parents", []))


def _membership(collection: str, value: str) -> Predicate:
    """`'x' in parents | owners | writers | readers`."""
    if collection == "parents":
        return _InParents(frozenset({value}))
    minimum = {"owners": "owner", "writers": "writer", "readers": "reader"}.get(collection)
    if minimum is None:
        raise invalid_query()
    wanted = value.lower()

    def holds(doc: dict, ctx: QueryContext) -> bool:
        return any(p.get("emailAddress", "").lower() == wanted
                   and ROLE_RANK.get(p["role"], -1) >= ROLE_RANK[minimum]
                   for p in doc.get("permissions", []))
    return holds


def _contains(field: str, needle: str) -> Predicate:
    if field not in ("name", "fullText", "mimeType"):
        raise invalid_query()
    pattern = re.compile(r"(?<![0-9A-Za-z])" + re.escape(needle.lower())) if field != "mimeType" else None

    def matches(doc: dict, ctx: QueryContext) -> bool:
        if pattern is None:
            return needle in doc.get("mimeType", "")
        text = doc.get("name", "") + (" " + doc.get("description", "") if field == "fullText" else "")
        return bool(pattern.search(text.lower()))
    return matches


_BOOLEAN_FIELDS = ("trashed", "starred")
_TEXT_FIELDS = ("name", "mimeType", "createdTime", "modifiedTime", "description")


def _comparison(field: str, op: str, value: _Tok) -> Predicate:
    if field in _BOOLEAN_FIELDS:
        if value.kind != "word" or value.text.lower() not in ("true", "false") or op not in ("=", "!="):
            raise invalid_query()
        wanted = value.text.lower() == "true"
        return lambda doc, ctx: (bool(doc.get(field, False)) == wanted) == (op == "=")
    if field not in _TEXT_FIELDS or value.kind != "str":
        raise invalid_query()
    if field in ("name", "mimeType", "description") and op not in ("=", "!="):
        raise invalid_query()
    compare = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
               "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}[op]
    if field in ("createdTime", "modifiedTime"):
        try:
            moment = parse_rfc3339(value.text)
        except ValueError:
            raise invalid_query() from None
        return lambda doc, ctx: compare(parse_rfc3339(doc[field]), moment)
    return lambda doc, ctx: compare(doc.get(field, ""), value.text)

"""What the facilitator form gives PLT Sync: the form as read, and the submissions and
problems made from it. Plain frozen data, so the sync core can plan from it without I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Protocol, Sequence

# Field types whose answers name people, and the one that is the verified respondent.
PERSON_TYPES = frozenset({"email", "person", "people", "respondent"})
MULTILINE_TYPES = frozenset({"paragraph", "people", "dates"})

# A Google Sheets cell holds at most 50,000 characters; every answer must fit one.
CELL_LIMIT = 50_000

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Question:
    """One question of the form; `kind` is text, paragraph, radio, checkbox, drop_down,
    date, time, scale, rating, file_upload, grid or other."""

    question_id: str
    item_id: str
    title: str
    kind: str
    choices: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Response:
    """One facilitator's response; `answers` maps a question id to the values given."""

    response_id: str
    create_time: datetime
    last_submitted_time: datetime
    respondent_email: str | None
    answers: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class FormSnapshot:
    """The form and every response as read in one go; `calls` counts the API calls used."""

    form_id: str
    title: str
    questions: tuple[Question, ...]
    responses: tuple[Response, ...]
    collects_verified_email: bool
    calls: int
    responder_uri: str = ""      # the address respondents open; pre-filled links start here


@dataclass(frozen=True)
class Member:
    """A team member as listed by the facilitator; `email` is None when only a name was
    given and the staff directory does not know it."""

    name: str
    email: str | None


class FieldSpec(Protocol):
    """One field of a form as the config describes it (`config.schema.FormField`)."""

    key: str
    title: str
    type: str
    required: bool
    ask: str | None                     # "required" / "optional" on the form; None: as `required`
    choices: Sequence[str] | str | None
    help: str | None


@dataclass(frozen=True)
class Submission:
    """A usable response: the answers by field key. Text answers are in `values`; answers
    that name people (email, person, people and respondent fields) are in `people`."""

    response_id: str
    submitted_at: datetime
    values: Mapping[str, str]
    people: Mapping[str, tuple[Member, ...]]
    respondent: str | None = None

    def person(self, key: str) -> Member | None:
        """The first person a field names (an email, person or respondent field's one)."""
        found = self.people.get(key, ())
        return found[0] if found else None

    def emails(self) -> list[str]:
        """Everyone the response names, by email, each once, in field order."""
        return list(dict.fromkeys(m.email for members in self.people.values() for m in members if m.email))


@dataclass(frozen=True)
class Problem:
    """Something a coordinator should look at, as a row of the Problems tab.

    `response_id` is "" for a problem with the form itself. An "error" makes the response
    unusable; a "warning" leaves it on the roster. `value` is the answer as given, made
    safe to store: control characters are shown as escapes and it fits one cell.
    """

    response_id: str
    field: str
    value: str
    reason: str
    severity: str = ERROR

    def __post_init__(self):
        object.__setattr__(self, "value", visible(self.value))
        object.__setattr__(self, "reason", visible(self.reason))


# Control characters (Unicode category Cc) and surrogates (Cs), as `is_control` defines them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SHOWN_AS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def visible(text: str) -> str:
    """`text` with control characters (other than line breaks and tabs) and broken
    surrogates written as escapes (`\\x00`), cut to a cell's length, so a coordinator can
    see what was there and a sheet can hold it."""
    return _SHOWN_AS_ESCAPE.sub(lambda m: _escape(m.group()), text)[:CELL_LIMIT]


def quoted(text: str, limit: int = 80) -> str:
    """`text` in quotes for a reason sentence: visible, and shortened when long."""
    shown = visible(text)
    return f"'{shown}'" if len(shown) <= limit else f"'{shown[:limit - 1]}…'"


def is_control(char: str) -> bool:
    """A character no spreadsheet cell or email should carry: C0/C1 controls (NUL, CR,
    escape) and halves of broken surrogate pairs. Zero-width and direction marks are not
    controls: names in many scripts need them."""
    return CONTROL.fullmatch(char) is not None


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

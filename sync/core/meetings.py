"""Meeting dates as a work group writes them on its plan: one meeting per line.

A line is either one meeting, a date with a time range ("2017-09-12 15:30-16:15", "Sept 12
2017 3:30–4:15 pm"), or a series ("every other Tuesday 15:30–16:15 from 2017-09-12 to
2018-05-15", "every Monday 7:45-8:15 am", "first Wednesday of each month 3:30-4:30 pm").
Dates and times are read by python-dateutil's parser and a series becomes a dateutil
`rrule`; only the few words around them (every, other, of each month, from, to) are
read here. A line that is none of these is an `Unreadable` quoting it, never a guess.

Pure: a meeting is plain data (local start and end in the programme's time zone, and
the RRULE of a series) that the Meetings tab and Calendar sync both read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Iterator

from dateutil import parser as dateparser
from dateutil import rrule

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_SPANS = {"every": 1, "every other": 2, "every second": 2, "every third": 3, "every fourth": 4}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_ORDINAL_NAMES = {n: word for word, n in _ORDINALS.items()}
_SPAN_NAMES = {1: "every", 2: "every other", 3: "every third", 4: "every fourth"}
# The time range: two clock times joined by a dash, an en or em dash, or "to".
_TIME = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
_RANGE = re.compile(rf"(?<![\d:/.\-])({_TIME})\s*(?:-|–|—|to\b)\s*({_TIME})(?![\d:/\-])", re.IGNORECASE)
_MERIDIEM = re.compile(r"[ap]\.?\s?m\.?$", re.IGNORECASE)
_LONGEST_MEETING = timedelta(hours=12)
_LONGEST_LINE = 200
_LONGEST_SERIES_DAYS = 731


@dataclass(frozen=True)
class Meeting:
    """One meeting, or the first of a series: local start and end in the programme's time
    zone, and for a series its RRULE (RFC 5545, as Calendar takes it) and last day."""

    start: datetime
    end: datetime
    rule: str | None = None
    until: date | None = None
    line: str = ""

    @property
    def repeats(self) -> str:
        """How the meeting repeats, in words ("" for a single meeting)."""
        return "" if self.rule is None else describe_rule(self.rule, self.start.date(), self.until)

    def occurrences(self) -> Iterator[datetime]:
        """Every start of the meeting, in order."""
        if self.rule is None:
            yield self.start
            return
        yield from rrule.rrulestr(self.rule, dtstart=self.start)

    def next_start(self, after: datetime) -> datetime | None:
        """The first start at or after `after` (local, naive), or None when all are past."""
        if self.rule is None:
            return self.start if self.start >= after else None
        return rrule.rrulestr(self.rule, dtstart=self.start).after(after, inc=True)


@dataclass(frozen=True)
class Unreadable:
    """A line that names no meeting PLT Sync can put on a calendar, and why."""

    line: str
    reason: str


@dataclass(frozen=True)
class Year:
    """The days a series without its own "from … to …" runs: the school year."""

    start: date
    end: date


def parse_meetings(text: str, year: Year | None = None) -> tuple[list[Meeting], list[Unreadable]]:
    """Every meeting of a dates answer, one a line (blank lines skipped), and every line
    that could not be read."""
    meetings: list[Meeting] = []
    unreadable: list[Unreadable] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        found = parse_line(line, year)
        (meetings if isinstance(found, Meeting) else unreadable).append(found)
    return meetings, unreadable


@lru_cache(maxsize=4096)
def parse_line(line: str, year: Year | None = None) -> Meeting | Unreadable:
    """One meeting line read, or why it cannot be. Remembered: every run reads every
    unit's lines again, and a district's groups often share one ("every other Tuesday …")."""
    if len(line) > _LONGEST_LINE:
        return Unreadable(line, f"is longer than {_LONGEST_LINE} characters; write one meeting a line")
    match = _RANGE.search(line)
    if match is None:
        return Unreadable(line, "has no time range like 15:30-16:15 or 3:30-4:15 pm")
    times = _time_range(match.group(1), match.group(2))
    if isinstance(times, str):
        return Unreadable(line, times)
    before, after = line[:match.start()].strip(" ,;"), line[match.end():].strip(" ,;")
    words = before.lower()
    if words.startswith("every ") or _ordinal_phrase(words) is not None:
        return _series(line, words, after, times, year)
    return _single(line, f"{before} {after}".strip(), times, year)


def _single(line: str, day_text: str, times: tuple[time, time], year: Year | None) -> Meeting | Unreadable:
    day = _date(day_text, year)
    if day is None:
        return Unreadable(line, "has no date like 2017-09-12 or Sept 12 2017 (or a series like "
                                "'every Tuesday … from 2017-09-12 to 2018-05-15')")
    return Meeting(datetime.combine(day, times[0]), datetime.combine(day, times[1]), line=line)


def _series(line: str, words: str, after: str, times: tuple[time, time], year: Year | None) -> Meeting | Unreadable:
    pattern = _weekly(words) or _monthly(words)
    if pattern is None:
        return Unreadable(line, "names no weekday the way PLT Sync reads a series: 'every Tuesday', 'every other "
                                "Tuesday' or 'first Wednesday of each month'")
    span = _span(after, year)
    if isinstance(span, str):
        return Unreadable(line, span)
    first, last = span
    freq, interval, weekday = pattern
    rule = rrule.rrule(freq, interval=interval, byweekday=weekday, dtstart=datetime.combine(first, times[0]),
                       until=datetime.combine(last, time(23, 59, 59)))
    start = rule.after(datetime.combine(first, time.min), inc=True)
    if start is None:
        return Unreadable(line, f"has no {_day_name(weekday)} from {first} to {last}")
    text = rrule_text(freq, interval, weekday, last)
    return Meeting(start, datetime.combine(start.date(), times[1]), text, last, line)


def _weekly(words: str):
    for phrase, interval in sorted(_SPANS.items(), key=lambda item: -len(item[0])):
        if words.startswith(phrase + " "):
            weekday = _weekday(words[len(phrase):].strip())
            return (rrule.WEEKLY, interval, _RRULE_DAYS[weekday]) if weekday is not None else None
    return None


def _ordinal_phrase(words: str) -> tuple[int, str] | None:
    head, _, rest = words.partition(" ")
    return (_ORDINALS[head], rest) if head in _ORDINALS else None


def _monthly(words: str):
    found = _ordinal_phrase(words.removeprefix("every ").removeprefix("the "))
    if found is None:
        return None
    nth, rest = found
    day, _, tail = rest.partition(" ")
    weekday = _weekday(day)
    if weekday is None or tail.strip() not in ("of each month", "of every month", "of the month", "each month",
                                               "every month", "monthly"):
        return None
    return rrule.MONTHLY, 1, _RRULE_DAYS[weekday](nth)


def _weekday(word: str) -> int | None:
    word = word.strip().rstrip("s").lower()
    matches = [i for i, name in enumerate(WEEKDAYS) if len(word) >= 3 and name.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def _span(after: str, year: Year | None) -> tuple[date, date] | str:
    """The first and last day of a series: "from D to D" (or "until D"), else the year."""
    words = after.lower()
    if not words:
        if year is None:
            return "repeats without 'from <date> to <date>' and the programme sets no school year"
        return year.start, year.end
    if not words.startswith("from "):
        return f"has {after!r} where 'from <date> to <date>' was expected"
    rest = after[len("from "):]
    parts = re.split(r"\s+(?:to|until|through|-|–)\s+", rest, maxsplit=1, flags=re.IGNORECASE)
    first = _date(parts[0], year)
    last = _date(parts[1], year) if len(parts) == 2 else (year.end if year else None)
    if first is None or last is None:
        return "has no dates like 'from 2017-09-12 to 2018-05-15'"
    if last < first:
        return f"ends ({last}) before it starts ({first})"
    if (last - first).days > _LONGEST_SERIES_DAYS:
        return f"runs from {first} to {last}, longer than two years"
    return first, last


def _date(text: str, year: Year | None = None) -> date | None:
    """A date ("2017-09-12", "Sept 12 2017", "Tuesday, September 12, 2017"); one written
    without its year ("Sept 12") is the one within the school year, when there is one."""
    text = text.strip(" ,;")
    has_year = re.search(r"\d{4}|\d{1,2}/\d{1,2}/\d{2}\b", text)
    if not text or not re.search(r"\d", text) or (not has_year and year is None):
        return None
    default = datetime(1900 if has_year or year is None else year.start.year, 1, 1)
    try:
        parsed = dateparser.parse(text, default=default)
    except (ValueError, OverflowError):
        return None
    if parsed.hour or parsed.minute or parsed.year < 1900:
        return None
    if not has_year and year is not None and parsed.date() < year.start:
        parsed = parsed.replace(year=year.end.year) if parsed.month != 2 or parsed.day != 29 else parsed
    return parsed.date()


def _time_range(start_text: str, end_text: str) -> tuple[time, time] | str:
    """The two ends of "3:30-4:15 pm": the end's am/pm also holds for the start unless
    that would put the start after the end (11:30-1 pm)."""
    end = _clock(end_text)
    start = _clock(start_text)
    if start is None or end is None:
        return f"has a time range {start_text}-{end_text} that is not two clock times"
    if not _MERIDIEM.search(start_text.strip()) and _MERIDIEM.search(end_text.strip()):
        start = _with_meridiem(start, end)
    elif not _MERIDIEM.search(start_text.strip()) and not _MERIDIEM.search(end_text.strip()) and start > end:
        return f"has a time range {start_text}-{end_text} that ends before it starts"
    if end <= start:
        return f"has a time range {start_text}-{end_text} that ends before it starts"
    if _minutes(end) - _minutes(start) > _LONGEST_MEETING.total_seconds() / 60:
        return f"has a time range {start_text}-{end_text} longer than 12 hours"
    return start, end


def _clock(text: str) -> time | None:
    text = text.strip()
    if not re.fullmatch(_TIME, text, re.IGNORECASE):
        return None
    text = re.sub(r"^(\d{1,2})(?![\d:])", r"\1:00", text)     # "3 pm": dateutil would read a bare 3 as a day
    try:
        parsed = dateparser.parse(text.replace(".", ""), default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parsed.time() if parsed.date() == date(2000, 1, 1) else None


def _with_meridiem(start: time, end: time) -> time:
    if end.hour >= 12 and start.hour < 12 and start.replace(hour=start.hour + 12) < end:
        return start.replace(hour=start.hour + 12)
    return start


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _day_name(weekday) -> str:
    return WEEKDAYS[weekday.weekday].capitalize()


def rrule_text(freq: int, interval: int, weekday, last: date) -> str:
    """The RRULE of a series (RFC 5545, as Calendar's `recurrence` takes it)."""
    parts = ["FREQ=WEEKLY" if freq == rrule.WEEKLY else "FREQ=MONTHLY"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    parts.append(f"BYDAY={weekday.n or ''}{_DAY_CODES[weekday.weekday]}")
    parts.append(f"UNTIL={last:%Y%m%d}T235959")
    return "RRULE:" + ";".join(parts)


def _rule_parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.removeprefix("RRULE:").split(";"))


def describe_rule(rule: str, first: date, until: date | None) -> str:
    """A series in the words a plan would use: "every other Tuesday from 2017-09-12 to 2018-05-15"."""
    parts = _rule_parts(rule)
    day = parts["BYDAY"]
    name = WEEKDAYS[_DAY_CODES.index(day[-2:])].capitalize()
    if parts["FREQ"] == "MONTHLY":
        nth = int(day[:-2] or "1")
        phrase = f"{_ORDINAL_NAMES[nth]} {name} of each month"
    else:
        phrase = f"{_SPAN_NAMES[int(parts.get('INTERVAL', '1'))]} {name}"
    return f"{phrase} from {first.isoformat()} to {(until or first).isoformat()}"


def render(meeting: Meeting) -> str:
    """A meeting as a line `parse_line` reads back to the same meeting."""
    hours = f"{meeting.start:%H:%M}-{meeting.end:%H:%M}"
    if meeting.rule is None:
        return f"{meeting.start:%Y-%m-%d} {hours}"
    words, _, span = meeting.repeats.partition(" from ")
    return f"{words} {hours} from {span}"


def meeting_keys(meetings: list[Meeting]) -> list[str]:
    """A stable key per meeting of one unit: its first day (and "r" for a series), so a
    changed time keeps the key (the calendar event is changed, not made again). Two
    meetings starting on one day are told apart by their order that day."""
    keys: list[str] = []
    for meeting in meetings:
        base = f"{meeting.start:%Y%m%d}" + ("r" if meeting.rule else "")
        key, n = base, 1
        while key in keys:
            n += 1
            key = f"{base}{n}"
        keys.append(key)
    return keys

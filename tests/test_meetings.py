"""Meeting dates as work groups write them: one meeting a line, read with dateutil."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, strategies as st

from sync.core.meetings import (Meeting, Unreadable, Year, meeting_keys, parse_line, parse_meetings, render)
from tests.hostile_corpus import MEETING_LINES

YEAR = Year(date(2017, 8, 28), date(2018, 6, 15))


def at(day: str, clock: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))


@pytest.mark.parametrize("line", ["2017-09-12 15:30-16:15", "Sept 12 2017 3:30–4:15 pm", "9/12/2017 3:30-4:15pm",
                                  "Tuesday, September 12, 2017, 3:30 pm to 4:15 pm", "Sept 12 3:30-4:15 p.m."])
def test_one_meeting_written_many_ways_is_the_same_meeting(line):
    meeting = parse_line(line, YEAR)
    assert isinstance(meeting, Meeting)
    assert (meeting.start, meeting.end, meeting.rule) == (at("2017-09-12", "15:30"), at("2017-09-12", "16:15"), None)
    assert meeting.line == line


def test_the_end_times_pm_holds_for_the_start_unless_the_start_would_follow_the_end():
    assert parse_line("2017-09-12 3-4 pm").start == at("2017-09-12", "15:00")
    noon = parse_line("2017-09-12 11:30-1 pm")
    assert (noon.start, noon.end) == (at("2017-09-12", "11:30"), at("2017-09-12", "13:00"))


def test_every_other_tuesday_is_a_fortnightly_series_from_its_first_day_to_its_last():
    meeting = parse_line("every other Tuesday 15:30–16:15 from 2017-09-12 to 2018-05-15", YEAR)
    assert meeting.rule == "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20180515T235959"
    assert (meeting.start, meeting.end, meeting.until) == (at("2017-09-12", "15:30"), at("2017-09-12", "16:15"),
                                                           date(2018, 5, 15))
    starts = list(meeting.occurrences())
    assert starts[:2] == [at("2017-09-12", "15:30"), at("2017-09-26", "15:30")]
    assert starts[-1] == at("2018-05-08", "15:30") and len(starts) == 18     # 05-15 is an off week
    assert meeting.repeats == "every other Tuesday from 2017-09-12 to 2018-05-15"


def test_a_series_without_dates_runs_the_school_year_from_its_first_weekday():
    meeting = parse_line("every Monday 7:45-8:15 am", YEAR)
    assert meeting.start == at("2017-08-28", "07:45") and meeting.until == YEAR.end
    assert isinstance(parse_line("every Monday 7:45-8:15 am"), Unreadable)


def test_first_wednesday_of_each_month_is_a_monthly_series():
    meeting = parse_line("first Wednesday of each month 3:30-4:30 pm", YEAR)
    assert meeting.rule == "RRULE:FREQ=MONTHLY;BYDAY=1WE;UNTIL=20180615T235959"
    assert [s.date() for s in meeting.occurrences()][:3] == [date(2017, 9, 6), date(2017, 10, 4), date(2017, 11, 1)]
    last = parse_line("last Friday of the month 2-3 pm from 2017-09-01 to 2017-12-31")
    assert [s.day for s in last.occurrences()] == [29, 27, 24, 29]


def test_next_start_is_the_first_meeting_not_yet_begun():
    series = parse_line("every Tuesday 15:30-16:15 from 2017-09-12 to 2017-10-03")
    assert series.next_start(at("2017-09-13", "09:00")) == at("2017-09-19", "15:30")
    assert series.next_start(at("2017-10-04", "09:00")) is None
    single = parse_line("2017-09-12 15:30-16:15")
    assert single.next_start(at("2017-09-12", "15:30")) == single.start


def test_an_answer_is_read_line_by_line_and_every_unreadable_line_is_quoted():
    meetings, unreadable = parse_meetings("2017-09-12 15:30-16:15\n\n  TBD  \nevery Tuesday 3-4 pm", YEAR)
    assert [m.line for m in meetings] == ["2017-09-12 15:30-16:15", "every Tuesday 3-4 pm"]
    assert unreadable == [Unreadable("TBD", "has no time range like 15:30-16:15 or 3:30-4:15 pm")]


@pytest.mark.parametrize("hostile", MEETING_LINES, ids=lambda h: h.why)
def test_a_hostile_line_is_unreadable_with_its_reason(hostile):
    meetings, unreadable = parse_meetings(hostile.line, YEAR)
    assert meetings == []
    assert len(unreadable) == 1 and hostile.because in unreadable[0].reason


def test_meeting_keys_follow_the_first_day_so_a_changed_time_keeps_its_key():
    first, _ = parse_meetings("2017-09-12 15:30-16:15\n2017-09-12 7:00-7:30\nevery Tuesday 3-4 pm from 2017-09-12 "
                              "to 2017-12-19", YEAR)
    moved, _ = parse_meetings("2017-09-12 16:00-16:45\n2017-09-12 7:00-7:30\nevery Tuesday 3:15-4 pm from "
                              "2017-09-12 to 2017-12-19", YEAR)
    assert meeting_keys(first) == ["20170912", "201709122", "20170912r"] == meeting_keys(moved)


_WEEKLY = st.sampled_from(["every", "every other", "every third", "every fourth"])
_MONTHLY = st.sampled_from(["first", "second", "third", "fourth", "last"])
_DAY = st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])


@st.composite
def meetings(draw):
    """Any meeting a work group could write: a single one, or a weekly or monthly series."""
    first = draw(st.dates(min_value=date(2017, 8, 1), max_value=date(2018, 6, 30)))
    start = time(draw(st.integers(6, 20)), draw(st.sampled_from([0, 15, 30, 45])))
    length = timedelta(minutes=draw(st.integers(1, 3 * 60 // 15)) * 15)
    kind = draw(st.sampled_from(["single", "weekly", "monthly"]))
    if kind == "single":
        return parse_line(f"{first} {start:%H:%M}-{(datetime.combine(first, start) + length):%H:%M}")
    phrase = (f"{draw(_WEEKLY)} {draw(_DAY)}" if kind == "weekly"
              else f"{draw(_MONTHLY)} {draw(_DAY)} of each month")
    last = first + timedelta(days=draw(st.integers(35, 365)))
    return parse_line(f"{phrase} {start:%H:%M}-{(datetime.combine(first, start) + length):%H:%M} "
                      f"from {first} to {last}")


@given(meetings())
def test_a_meeting_rendered_as_a_line_reads_back_as_the_same_meeting(meeting):
    if isinstance(meeting, Unreadable):      # a late start running past midnight
        assert "ends before it starts" in meeting.reason
        return
    again = parse_line(render(meeting), YEAR)
    assert (again.start, again.end, again.rule, again.until) == (meeting.start, meeting.end, meeting.rule,
                                                                meeting.until)
    assert again.start <= next(again.occurrences()) == again.start

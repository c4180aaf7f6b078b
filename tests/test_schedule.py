"""When charter reminders go out: the full timeline of one milestone, gaps in the cron,
quiet hours, weekends and the switch from summer to winter time."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.schedule import ReminderPolicy, due_step, milestone_status, steps

BOSTON = ZoneInfo("America/New_York")
# Belmont: the signed team charter is due Friday, November 17 (2017).
CHARTER_DUE = date(2017, 11, 17)


def local(year, month, day, hour=9, minute=0, tz=BOSTON) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def policy(**overrides) -> ReminderPolicy:
    return ReminderPolicy(**{"tz": BOSTON, **overrides})


def test_default_policy_reminds_a_week_and_a_day_before_then_every_three_days_up_to_four():
    timeline = steps(CHARTER_DUE, policy())

    assert [name for name, _moment in timeline] == ["before-7", "before-1", "after-3", "after-6"]
    assert [moment for _name, moment in timeline] == [
        local(2017, 11, 10, 8), local(2017, 11, 16, 8), local(2017, 11, 20, 8), local(2017, 11, 23, 8)]


def test_steps_are_capped_in_total_even_when_before_steps_alone_exceed_the_cap():
    timeline = steps(CHARTER_DUE, policy(days_before=(14, 7, 1), max_reminders=2))

    assert [name for name, _moment in timeline] == ["before-14", "before-7"]


def test_after_steps_repeat_until_the_maximum():
    timeline = steps(CHARTER_DUE, policy(days_before=(), every_days_after=2, max_reminders=5))

    assert [name for name, _moment in timeline] == ["after-2", "after-4", "after-6", "after-8", "after-10"]


def test_step_moments_stay_at_eight_local_across_the_end_of_summer_time():
    # Summer time ended on Sunday, November 5, 2017 in Boston.
    timeline = dict(steps(date(2017, 11, 8), policy(days_before=(7, 1), max_reminders=2)))

    assert timeline["before-7"].astimezone(timezone.utc) == datetime(2017, 11, 1, 12, tzinfo=timezone.utc)
    assert timeline["before-1"].astimezone(timezone.utc) == datetime(2017, 11, 7, 13, tzinfo=timezone.utc)


def test_reminder_is_not_due_an_hour_early_after_the_clocks_go_back():
    due = date(2017, 11, 8)
    just_before_eight_local = datetime(2017, 11, 7, 12, 30, tzinfo=timezone.utc)  # 07:30 EST

    assert due_step(due, policy(), just_before_eight_local, already={"before-7"}) is None
    assert due_step(due, policy(), just_before_eight_local + timedelta(hours=1), {"before-7"}) == "before-1"


def test_nothing_is_due_before_the_first_step():
    assert due_step(CHARTER_DUE, policy(), local(2017, 11, 10, 7, 59), already=()) is None


def test_first_step_is_due_at_its_moment():
    assert due_step(CHARTER_DUE, policy(), local(2017, 11, 10, 8, 0), already=()) == "before-7"


def test_a_step_falls_due_at_the_configured_send_time():
    seven = policy(send_at=time(7, 0))

    assert due_step(CHARTER_DUE, seven, local(2017, 11, 10, 7, 0), already=()) == "before-7"
    assert due_step(CHARTER_DUE, seven, local(2017, 11, 10, 6, 59), already=()) is None


def test_a_step_already_sent_is_not_sent_again():
    assert due_step(CHARTER_DUE, policy(), local(2017, 11, 10, 15), already={"before-7"}) is None


def test_after_a_gap_only_the_latest_missed_step_is_sent():
    rules = policy(days_before=(), every_days_after=1, max_reminders=4)
    # Monday the 20th: after-1 (Sat), after-2 (Sun) and after-3 (Mon) have all come.
    assert due_step(CHARTER_DUE, rules, local(2017, 11, 20, 9), already=()) == "after-3"


def test_an_earlier_missed_step_is_never_sent_once_a_later_one_was():
    assert due_step(CHARTER_DUE, policy(), local(2017, 11, 21, 9), already={"after-3"}) is None


def test_no_reminder_on_a_weekend_then_the_step_goes_out_on_monday():
    rules = policy(days_before=(), every_days_after=1, max_reminders=4)
    saturday = local(2017, 11, 18, 10)

    assert due_step(CHARTER_DUE, rules, saturday, already=()) is None
    assert due_step(CHARTER_DUE, policy(days_before=(), every_days_after=1, skip_weekends=False),
                    saturday, already=()) == "after-1"


def test_weekend_is_judged_in_the_district_time_zone_not_utc():
    friday_evening_boston = datetime(2017, 11, 18, 1, 0, tzinfo=timezone.utc)  # Fri 20:00 EST

    assert due_step(CHARTER_DUE, policy(), friday_evening_boston, already={"before-7"}) == "before-1"


def test_quiet_hours_across_midnight_hold_reminders_until_they_end():
    rules = policy(quiet_hours=(time(20, 0), time(8, 30)))

    assert due_step(CHARTER_DUE, rules, local(2017, 11, 16, 8, 15), already={"before-7"}) is None
    assert due_step(CHARTER_DUE, rules, local(2017, 11, 15, 21, 0), already=()) is None
    assert due_step(CHARTER_DUE, rules, local(2017, 11, 16, 8, 30), already={"before-7"}) == "before-1"


def test_quiet_hours_within_one_day():
    rules = policy(quiet_hours=(time(12, 0), time(13, 0)))

    assert due_step(CHARTER_DUE, rules, local(2017, 11, 16, 12, 30), already=()) is None
    assert due_step(CHARTER_DUE, rules, local(2017, 11, 16, 13, 0), already=()) == "before-1"


# Belmont: the SMART goal is due Wednesday, November 1 (2017); 3 days after is a Saturday.
SMART_GOAL_DUE = date(2017, 11, 1)
BEFORE_AND_AFTER_3 = {"before-7", "before-1", "after-3"}


def test_a_step_the_day_after_a_reminder_waits_for_the_gap_then_goes_out():
    # after-3 (Sat the 4th) went out on Monday the 6th; after-6 comes on Tuesday the 7th.
    monday = date(2017, 11, 6)

    assert due_step(SMART_GOAL_DUE, policy(), local(2017, 11, 7), BEFORE_AND_AFTER_3, last_sent=monday) is None
    assert due_step(SMART_GOAL_DUE, policy(), local(2017, 11, 8), BEFORE_AND_AFTER_3, last_sent=monday) == "after-6"
    assert due_step(SMART_GOAL_DUE, policy(min_gap_days=1), local(2017, 11, 7), BEFORE_AND_AFTER_3,
                    last_sent=monday) == "after-6"


def test_the_gap_counts_local_calendar_days_not_hours():
    # Sent Monday 17:00; Wednesday 08:00 is under 48 hours later but two calendar days.
    rules = policy(days_before=(), every_days_after=1, max_reminders=5, min_gap_days=2)

    assert due_step(CHARTER_DUE, rules, local(2017, 11, 22, 8), {"after-3"}, last_sent=date(2017, 11, 20)) \
        == "after-5"


def test_a_step_held_back_by_the_gap_gives_way_to_a_later_one_never_both():
    rules = policy(days_before=(), every_days_after=1, max_reminders=6, min_gap_days=3)
    # after-3 went Monday the 20th; after-4 (Tue) and after-5 (Wed) are held; Thursday sends after-6 only.
    assert due_step(CHARTER_DUE, rules, local(2017, 11, 23), {"after-3"}, last_sent=date(2017, 11, 20)) == "after-6"


def test_nothing_more_once_the_maximum_was_sent():
    sent = {"before-7", "before-1", "after-3", "after-6"}

    assert due_step(CHARTER_DUE, policy(), local(2017, 12, 20, 9), already=sent) is None
    assert due_step(CHARTER_DUE, policy(max_reminders=2), local(2017, 11, 20, 9),
                    already={"before-7", "before-1"}) is None


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        due_step(CHARTER_DUE, policy(), datetime(2017, 11, 20, 9), already=())


@pytest.mark.parametrize("overrides, field", [
    ({"days_before": (7, 7)}, "days_before"),
    ({"days_before": (-1,)}, "days_before"),
    ({"every_days_after": 0}, "every_days_after"),
    ({"max_reminders": -1}, "max_reminders"),
    ({"quiet_hours": (time(8), time(8))}, "quiet_hours"),
    ({"min_gap_days": 0}, "min_gap_days"),
])
def test_policy_refuses_rules_that_make_no_sense(overrides, field):
    with pytest.raises(ValueError, match=field):
        policy(**overrides)


def hourly_cron(start: datetime, end: datetime, due: date, rules: ReminderPolicy) -> list[tuple[str, datetime]]:
    """What an hourly `plt sync` would send for one team that never hands in its charter."""
    sent: list[tuple[str, datetime]] = []
    now = start
    while now < end:
        last = sent[-1][1].astimezone(rules.tz).date() if sent else None
        step = due_step(due, rules, now, {name for name, _when in sent}, last)
        if step is not None:
            sent.append((step, now))
        now += timedelta(hours=1)
    return sent


def test_hourly_cron_over_the_whole_term_sends_each_step_once_on_school_days():
    rules = policy(quiet_hours=(time(18), time(7)))
    start = datetime(2017, 10, 20, tzinfo=timezone.utc)
    sent = hourly_cron(start, start + timedelta(days=60), CHARTER_DUE, rules)

    assert [name for name, _when in sent] == ["before-7", "before-1", "after-3", "after-6"]
    # after-3 falls on Monday the 20th, after-6 on Thursday the 23rd.
    assert [when.astimezone(BOSTON).date() for _name, when in sent] == [
        date(2017, 11, 10), date(2017, 11, 16), date(2017, 11, 20), date(2017, 11, 23)]
    assert all(when.astimezone(BOSTON).hour == 8 for _name, when in sent)


def test_hourly_cron_never_sends_one_milestone_on_consecutive_days():
    # The SMART goal: after-3 falls on Saturday the 4th and goes out on Monday the 6th;
    # after-6 falls on Tuesday the 7th and waits for Wednesday the 8th.
    rules = policy(quiet_hours=(time(18), time(7)))
    start = datetime(2017, 10, 20, tzinfo=timezone.utc)
    sent = hourly_cron(start, start + timedelta(days=40), SMART_GOAL_DUE, rules)

    days = [when.astimezone(BOSTON).date() for _name, when in sent]
    assert [name for name, _when in sent] == ["before-7", "before-1", "after-3", "after-6"]
    assert days == [date(2017, 10, 25), date(2017, 10, 31), date(2017, 11, 6), date(2017, 11, 8)]


def test_cron_that_stops_for_a_week_sends_only_the_latest_step_when_it_resumes():
    rules = policy(days_before=(7, 1), every_days_after=2, max_reminders=6)
    before_gap = hourly_cron(local(2017, 11, 1), local(2017, 11, 13), CHARTER_DUE, rules)
    after_gap = hourly_cron(local(2017, 11, 23, 12), local(2017, 11, 23, 14), CHARTER_DUE, rules)

    assert [name for name, _when in before_gap] == ["before-7"]
    # Missed: before-1, after-2, after-4. Resumed on Thursday the 23rd: after-6 only.
    assert [name for name, _when in after_gap] == ["after-6"]


moments = st.datetimes(min_value=datetime(2017, 9, 1), max_value=datetime(2018, 2, 1),
                       timezones=st.just(timezone.utc))
step_names = st.sampled_from(["before-7", "before-1", "after-3", "after-6"])


@settings(max_examples=300, deadline=None)
@given(now=moments, already=st.frozensets(step_names),
       quiet=st.none() | st.tuples(st.times(), st.times()).filter(lambda q: q[0] != q[1]),
       last_sent=st.none() | st.dates(date(2017, 9, 1), date(2018, 2, 1)), gap=st.integers(1, 5))
def test_any_step_returned_has_come_was_not_sent_and_is_the_latest_that_has_come(now, already, quiet, last_sent,
                                                                                   gap):
    rules = policy(quiet_hours=quiet, min_gap_days=gap)
    step = due_step(CHARTER_DUE, rules, now, already, last_sent)
    if step is None:
        return
    timeline = steps(CHARTER_DUE, rules)
    position = [name for name, _moment in timeline].index(step)
    local_now = now.astimezone(BOSTON)

    assert step not in already and len(already) < rules.max_reminders
    assert last_sent is None or (local_now.date() - last_sent).days >= gap
    assert timeline[position][1] <= now
    assert all(moment > now for _name, moment in timeline[position + 1:])
    assert local_now.weekday() < 5
    if quiet is not None:
        start, end = quiet
        in_quiet = start <= local_now.time() < end if start < end else not end <= local_now.time() < start
        assert not in_quiet


@pytest.mark.parametrize("now, received, expected", [
    (local(2017, 11, 1), False, "missing"),
    (local(2017, 11, 10), False, "due soon"),
    (local(2017, 11, 17, 23, 59), False, "due soon"),
    (local(2017, 11, 18, 0, 1), False, "overdue"),
    (local(2017, 11, 30), True, "received"),
])
def test_milestone_status_follows_the_local_calendar(now, received, expected):
    assert milestone_status(CHARTER_DUE, received, now, BOSTON) == expected


def test_milestone_is_not_overdue_while_it_is_still_the_due_day_in_the_district():
    late_friday_in_boston = datetime(2017, 11, 18, 3, 0, tzinfo=timezone.utc)  # Fri 22:00 EST

    assert milestone_status(CHARTER_DUE, False, late_friday_in_boston, BOSTON) == "due soon"

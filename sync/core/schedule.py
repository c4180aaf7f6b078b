"""When reminders go out: a pure decision about dates, with no clock and no I/O.

A milestone's reminder steps are "before-N" (N days before the due date) and "after-N" (N
days after it, every `every_days_after` days), at most `max_reminders` in all. Every step
becomes due at `send_at` (`[mail] send_time`, 08:00 by default) local time in the
district's time zone, so a reminder lands at the start of a school day whatever the season:
the moment is built from the local wall clock each day, never by adding 24-hour periods
across a DST change.

`due_step` sends at most one reminder per run and never catches up: after a gap (a missed
cron, a weekend) only the latest step that has come is sent, not every step missed. Two
reminders of one milestone to one unit are at least `min_gap_days` local calendar days
apart: a step held over a weekend must not land on Monday with the next one on Tuesday.
A step the gap holds back goes out once the gap has passed, unless a later step has come
by then (only that one goes).
"""
from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

RECEIVED, MISSING, DUE_SOON, OVERDUE = "received", "missing", "due soon", "overdue"


@dataclass(frozen=True, kw_only=True)
class ReminderPolicy:
    """A milestone's reminder rules, from the `[[milestone]]` and `[mail]` config.

    `quiet_hours` is (start, end) local time, possibly across midnight (20:00 to 07:00);
    no reminder is sent from start up to, not including, end (a step that falls due in
    them waits until they end; the config refuses a `send_time` inside them).
    """

    days_before: tuple[int, ...] = (7, 1)
    every_days_after: int = 3
    max_reminders: int = 4
    quiet_hours: tuple[time, time] | None = None
    skip_weekends: bool = True
    tz: ZoneInfo
    send_at: time = time(8, 0)
    min_gap_days: int = 2

    def __post_init__(self):
        if any(days < 0 for days in self.days_before) or len(set(self.days_before)) != len(self.days_before):
            raise ValueError("days_before: each must be a different number of days, 0 or more")
        if self.every_days_after < 1:
            raise ValueError("every_days_after: must be at least 1 day")
        if self.max_reminders < 0:
            raise ValueError("max_reminders: cannot be negative")
        if self.min_gap_days < 1:
            raise ValueError("min_gap_days: must be at least 1 day")
        if self.quiet_hours is not None and self.quiet_hours[0] == self.quiet_hours[1]:
            raise ValueError("quiet_hours: start and end are the same time")


@functools.lru_cache(maxsize=256)
def steps(due: date, policy: ReminderPolicy) -> tuple[tuple[str, datetime], ...]:
    """Every reminder step of a milestone due on `due`, in time order, with the local moment
    it becomes due: the before steps, then the after steps, `max_reminders` in all."""
    before = [(f"before-{days}", due - timedelta(days=days)) for days in sorted(policy.days_before, reverse=True)]
    after_count = max(policy.max_reminders - len(before), 0)
    after = [(f"after-{days}", due + timedelta(days=days))
             for days in range(policy.every_days_after, policy.every_days_after * after_count + 1,
                               policy.every_days_after)]
    timeline = (before + after)[: policy.max_reminders]
    return tuple((name, datetime.combine(day, policy.send_at, tzinfo=policy.tz)) for name, day in timeline)


def due_step(due: date, policy: ReminderPolicy, now: datetime, already: Collection[str],
             last_sent: date | None = None) -> str | None:
    """The step to send now, or None.

    The answer is the latest step whose moment has come, unless it was already sent;
    earlier missed steps are skipped. Nothing is sent in quiet hours, on a weekend when
    the policy skips them, once `max_reminders` were sent, or fewer than `min_gap_days`
    after `last_sent` (the local date of this milestone's last reminder to the unit).
    """
    now_utc = _utc(now)
    local = now_utc.astimezone(policy.tz)
    if len(already) >= policy.max_reminders or not _may_send_at(local, policy):
        return None
    if last_sent is not None and (local.date() - last_sent).days < policy.min_gap_days:
        return None
    come = [name for name, moment in steps(due, policy) if moment.astimezone(timezone.utc) <= now_utc]
    if not come or come[-1] in already:
        return None
    return come[-1]


def milestone_status(due: date, received: bool, now: datetime, tz: ZoneInfo, due_soon_days: int = 7) -> str:
    """The roster's word for a milestone: "received", "overdue" once its local due date has
    passed, "due soon" within `due_soon_days` of it, otherwise "missing"."""
    today = _utc(now).astimezone(tz).date()
    if received:
        return RECEIVED
    if today > due:
        return OVERDUE
    if (due - today).days <= due_soon_days:
        return DUE_SOON
    return MISSING


def _may_send_at(local: datetime, policy: ReminderPolicy) -> bool:
    if policy.skip_weekends and local.weekday() >= 5:
        return False
    return policy.quiet_hours is None or not _in_quiet_hours(local.time(), policy.quiet_hours)


def _in_quiet_hours(moment: time, quiet_hours: tuple[time, time]) -> bool:
    start, end = quiet_hours
    if start < end:
        return start <= moment < end
    # Quiet hours across midnight, e.g. 20:00 to 07:00.
    return moment >= start or moment < end


def _utc(now: datetime) -> datetime:
    """`now` in UTC; comparing aware datetimes that share a tzinfo would ignore DST offsets."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must carry a time zone")
    return now.astimezone(timezone.utc)

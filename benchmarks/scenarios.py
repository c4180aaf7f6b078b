"""PLT Sync itself through the four scenarios, paced, on a quota-enforcing emulator."""
from __future__ import annotations

from dataclasses import dataclass, field

from sync.run import SyncOptions, run
from sync.google.metering import Meter
from sync.google.pacing import Pacer
from sync.senders import sender_from_settings
from sync.google.workspace import connect

from . import bounds
from .measure import Cost, measured
from .programme import CHANGED_SYNC, FIRST_SYNC, MEMBERS, QUIET_SYNC, REMINDER_DAY, Programme

SHARES_PER_TEAM = MEMBERS + 1        # the facilitator and five members
CHANGED_SHARES_PER_TEAM = 2          # one member replaced: one access added, one removed
NOTES = 10                           # coordinator notes written before the changed re-sync


@dataclass
class Outcome:
    """One scenario, measured: calls by method, its cost, the 429s met and its lower bound."""

    scenario: str
    teams: int
    by_method: dict[str, int]
    cost: Cost
    rate_limited: int
    bound: dict[str, int]
    notes: dict = field(default_factory=dict)

    @property
    def calls(self) -> int:
        return sum(self.by_method.values())

    @property
    def writes(self) -> dict[str, int]:
        return {m: n for m, n in self.by_method.items() if _is_write(m)}


def _is_write(method_id: str) -> bool:
    return method_id.rsplit(".", 1)[-1] in {"batchUpdate", "batch", "send", "create", "update", "append", "delete",
                                           "clear"}


class Runner:
    """Runs PLT Sync on one programme, paced as the job paces a large run."""

    def __init__(self, emulator, programme: Programme, time_scale: float):
        self.emulator = emulator
        self.programme = programme
        self.time_scale = time_scale

    def sync(self, scenario: str, teams: int, now, work: bounds.Work) -> Outcome:
        settings = self.programme.settings()
        meter = Meter()
        workspace = connect(None, self.programme.endpoint, meter, Pacer(time_scale=self.time_scale))
        sender = sender_from_settings(settings, workspace, {})
        self.emulator.admin("DELETE", "/_emulator/stats")
        with measured() as cost:
            report = run(settings, workspace, meter, now=now, options=SyncOptions(), sender=sender)
        if report.exit_code:
            raise RuntimeError(f"{scenario}: the sync failed: {report.failures[:3]}")
        stats = self.emulator.admin("GET", "/_emulator/stats")
        return Outcome(scenario, teams, meter.snapshot()["by_method"], cost, stats["rate_limited"],
                       bounds.lower_bound(work))


def run_all(emulator, programme: Programme, teams: int, time_scale: float, coordinator) -> list[Outcome]:
    """First sync, a quiet re-sync, 10% of teams changed, then a reminder day."""
    runner = Runner(emulator, programme, time_scale)
    out = [runner.sync("first sync", teams, FIRST_SYNC, bounds.first_sync(teams, SHARES_PER_TEAM)),
           runner.sync("re-sync, nothing new", teams, QUIET_SYNC, bounds.quiet_sync(teams))]
    written = coordinator.write_notes(programme, NOTES)
    changed = list(range(0, teams, 10))
    programme.edit(changed)
    outcome = runner.sync("re-sync, 10% changed", teams, CHANGED_SYNC,
                          bounds.changed_sync(teams, len(changed), CHANGED_SHARES_PER_TEAM))
    outcome.notes["coordinator notes kept"] = f"{coordinator.notes_kept(programme, written)}/{len(written)}"
    out.append(outcome)
    out.append(runner.sync("reminder day", teams, REMINDER_DAY, bounds.reminder_day(teams)))
    return out

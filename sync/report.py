"""The sync report: one object for `--json`, a short summary for people."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def _zero(*keys: str) -> dict[str, int]:
    return {k: 0 for k in keys}


@dataclass
class Report:
    run_id: str
    started_at: str
    now: str
    dry_run: bool
    finished_at: str = ""
    exit_code: int = 0
    teams: dict[str, int] = field(default_factory=lambda: _zero("total", "new", "updated", "unchanged", "withdrawn"))
    problems: dict[str, int] = field(default_factory=lambda: _zero("open", "new", "resolved"))
    folders: dict[str, int] = field(default_factory=lambda: _zero("created", "renamed", "existing"))
    sharing: dict[str, int] = field(default_factory=lambda: _zero("added", "removed", "blocked"))
    # confirmed: found in sent mail after an interrupted run; unconfirmed: left for a coordinator to ask about.
    reminders: dict[str, int] = field(default_factory=lambda: _zero("sent", "skipped", "failed", "confirmed",
                                                                    "unconfirmed"))
    api_calls: dict[str, Any] = field(default_factory=lambda: {"read": 0, "write": 0, "total": 0, "by_method": {}})
    actions: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary_line(self) -> str:
        t, p = self.teams, self.problems
        parts = [f"{t['total']} teams ({t['new']} new, {t['updated']} updated, {t['withdrawn']} withdrawn)",
                 f"{p['open']} open problems ({p['new']} new, {p['resolved']} resolved)"]
        if any(self.folders.values()):
            parts.append(f"{self.folders['created']} folders created")
        if any(self.reminders.values()):
            parts.append(f"{self.reminders['sent']} reminders sent")
        if self.failures:
            parts.append(f"{len(self.failures)} failed")
        return "; ".join(parts)

    def human(self) -> str:
        mode = "dry run, nothing written" if self.dry_run else "done"
        lines = [f"plt sync {self.run_id} ({mode}) at {self.now}", f"  {self.summary_line()}",
                 f"  API calls: {self.api_calls['total']} ({self.api_calls['read']} read, "
                 f"{self.api_calls['write']} write)"]
        if self.dry_run:
            lines += [f"  would {a['describe']}" for a in self.actions]
        if self.reminders["unconfirmed"]:
            lines.append(f"  {self.reminders['unconfirmed']} reminder(s) an interrupted run may have sent: marked "
                         "`unconfirmed` on the Reminders tab for a coordinator, never sent again")
        lines += [f"  failed: {f}" for f in self.failures[:10]]
        return "\n".join(lines)

"""How `plt status` looks: rich tables on a terminal, plain aligned text when the output
goes to a file, a pipe or a cron mail, and one JSON object with `--json`."""
from __future__ import annotations

import json
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sync.commands.status import MilestoneCount, ProgrammeStatus, SchoolStatus


def show(status: ProgrammeStatus, stream: TextIO, *, as_json: bool = False, terminal: bool | None = None) -> None:
    """Print `status` on `stream`; `terminal` overrides the check whether it is a TTY."""
    if as_json:
        print(json.dumps(status.to_json(), indent=2), file=stream)
        return
    if terminal is None:
        terminal = stream.isatty()
    if terminal:
        _rich(status, Console(file=stream, highlight=False))
    else:
        print(plain_text(status), file=stream)


def cell(count: MilestoneCount) -> str:
    """One school's standing on one milestone, e.g. `3/4 received (75%), 1 overdue`."""
    text = f"{count.received}/{count.teams} received ({count.received_percent}%)"
    extras = [f"{n} {word}" for n, word in ((count.overdue, "overdue"), (count.due_soon, "due soon"),
                                           (count.missing, "missing"), (count.not_checked, "not checked yet"))
              if n]
    return ", ".join([text, *extras]) if count.teams else "no teams"


def _header(status: ProgrammeStatus) -> str:
    when = status.last_sync or "never (run `plt sync` first)"
    return f"{status.programme}\nLast sync: {when}"


def plain_text(status: ProgrammeStatus) -> str:
    """Aligned text that reads well in a cron mail or a log."""
    rows = [*status.schools, status.total]
    width = max(len(s.school) for s in rows)
    lines = [_header(status)]
    for index, title in enumerate(m.title for m in status.total.milestones):
        lines += ["", title]
        lines += [f"  {s.school:<{width}}  {cell(s.milestones[index])}" for s in rows]
    lines += ["", "Teams and people"]
    lines += [f"  {s.school:<{width}}  {_plural(s.teams, 'team')}, {_plural(s.people, 'person')}" for s in rows]
    if status.has_targets:
        lines += ["", "Participation against targets"]
        lines += [f"  {s.school:<{width}}  {participation_text(s)}" for s in status.schools]
        lines += ["", _behind_heading(status)]
    lines += ["", _overdue_heading(status)]
    lines += [f"  {t.school} | {t.team} | {t.whose_turn} | {', '.join(t.milestones)}"
              for t in status.overdue]
    return "\n".join(lines)


def participation_text(school: SchoolStatus) -> str:
    """E.g. `12% of 8 staff, target 25% by 2017-10-31: behind`."""
    p = school.participation
    if p.target_percent is None:
        return "no target"
    target = f"target {p.target_percent}%" + (f" by {p.target_by}" if p.target_by else "")
    if p.percent is None:
        return f"{target} (no staff to count on the Staff tab)"
    return f"{p.percent}% of {p.staff} staff, {target}: {'on track' if p.on_track else 'behind'}"


def _behind_heading(status: ProgrammeStatus) -> str:
    return f"Behind target: {', '.join(status.behind_target) or 'none'}"


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {'people' if noun == 'person' else noun + 's'}"


def _overdue_heading(status: ProgrammeStatus) -> str:
    return f"Overdue teams: {len(status.overdue)}" if status.overdue else "Overdue teams: none"


def _rich(status: ProgrammeStatus, console: Console) -> None:
    console.print(f"[bold]{escape(status.programme)}[/bold]")
    console.print(escape(f"Last sync: {status.last_sync or 'never (run `plt sync` first)'}"))
    table = Table(title="Teams and milestones per school", title_justify="left")
    for name in ("School", "Teams", "People", *(m.title for m in status.total.milestones)):
        table.add_column(name, justify="right" if name in ("Teams", "People") else "left", overflow="fold")
    for school in status.schools:
        table.add_row(*_row(school))
    table.add_row(*_row(status.total), style="bold", end_section=True)
    console.print(table)
    if status.has_targets:
        targets = Table(title="Participation against targets", title_justify="left")
        for name in ("School", "Participation"):
            targets.add_column(name, overflow="fold")
        for school in status.schools:
            text = escape(participation_text(school))
            targets.add_row(escape(school.school),
                            f"[red]{text}[/red]" if school.participation.on_track is False else text)
        console.print(targets)
        console.print(escape(_behind_heading(status)))
    if not status.overdue:
        console.print("Overdue teams: none")
        return
    late = Table(title=_overdue_heading(status), title_justify="left")
    for name in ("School", "Team", "Whose turn", "Overdue"):
        late.add_column(name, overflow="fold")
    for team in status.overdue:
        late.add_row(*(escape(text) for text in (team.school, team.team, team.whose_turn, ", ".join(team.milestones))))
    console.print(late)


def _row(school: SchoolStatus) -> list[str]:
    cells = []
    for count in school.milestones:
        text = cell(count)
        cells.append(f"[red]{text}[/red]" if count.overdue else text)
    return [escape(school.school), str(school.teams), str(school.people), *cells]

"""Progress for runs long enough to wonder about: a live spinner and bar when a person
watches a terminal, nothing at all under cron, a pipe or a log collector (whose output
must stay plain lines a mail or a log search can read).

Callers use one small interface whatever the destination: `advance()` after each unit of
work, `describe()` when a new phase starts, and `say()` for a line that must stay on the
screen (it is printed above the live display, or plainly when there is none).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Mapping, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class Quiet:
    """No live display: lines from `say` are printed as they are, nothing else."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def describe(self, description: str) -> None:
        """A new phase began; nobody is watching, so nothing is shown."""

    def advance(self, steps: int = 1) -> None:
        """One more unit done; nobody is watching, so nothing is shown."""

    def say(self, line: str) -> None:
        print(line, file=self._stream, flush=True)


class Live:
    """A rich progress line on a terminal, cleared when the work ends."""

    def __init__(self, progress: Progress, task):
        self._progress = progress
        self._task = task

    def describe(self, description: str) -> None:
        self._progress.update(self._task, description=description)

    def advance(self, steps: int = 1) -> None:
        self._progress.advance(self._task, steps)

    def say(self, line: str) -> None:
        self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)


def watched(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """A person is watching `stream`: it is a terminal that can redraw a line."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and environ.get("TERM", "") != "dumb"


@contextmanager
def progress(stream: TextIO, description: str, total: int | None, environ: Mapping[str, str]) -> Iterator[Quiet | Live]:
    """Track `total` units of work (None when unknown) on `stream`, live only if watched."""
    if not watched(stream, environ):
        yield Quiet(stream)
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    with Progress(*columns, console=Console(file=stream), transient=True) as live:
        yield Live(live, live.add_task(description, total=total))

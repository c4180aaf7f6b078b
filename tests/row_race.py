"""A coordinator sorts, inserts or deletes rows between a run's read and its write: how
often does a unit's cell land in another unit's row?

Each interleaving resubmits a few teams under a new name ("T3 r7": team 3, round 7) and
enrols a new one, arms one coordinator edit on the Roster or Members tab through the
emulator's admin API (it lands just before the run's first sheet write), runs the sync
and then looks at every row: a team name of team i in a row whose Team ID is not team
i's is a cell written into the wrong row. Only wrong cells the interleaving added count.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import timedelta

import requests

from sheets import layout as L

from programme import Programme, at

EDITS = ("sort", "insert", "delete")
_MARK = re.compile(r"^T(\d+) r\d+$")


@dataclass
class RaceFigures:
    interleavings: int = 0
    wrong: int = 0                                   # interleavings that wrote a wrong row
    wrong_cells: int = 0
    by_edit: dict[str, list[int]] = field(default_factory=dict)   # edit -> [wrong, of]

    def line(self) -> str:
        parts = ", ".join(f"{kind} {w}/{n}" for kind, (w, n) in sorted(self.by_edit.items()))
        return (f"wrong-row writes: {self.wrong} of {self.interleavings} faulted interleavings "
                f"({self.wrong_cells} cells; {parts})")


class RowRace:
    """One programme on the emulator, raced round after round."""

    def __init__(self, programme: Programme, teams: int = 6, seed: int = 0):
        self.programme, self.rng = programme, random.Random(seed)
        self.teams, self.round = 0, 0
        self.owner: dict[str, int] = {}     # Team ID -> team number, learnt from the Roster as rows appear
        self.now = at("2017-10-03 06:00")
        for _ in range(teams):
            self._enrol()
        programme.sync(self.now)

    def _enrol(self) -> None:
        i = self.teams
        self.programme.submit(f"F{i}", "Race", team=f"T{i} r0", school="Chenery Middle School",
                              members=f"M{i} Race <m{i}.race@belmont.example.org>")
        self.teams += 1

    def interleave(self, edit: str, figures: RaceFigures) -> None:
        self.round += 1
        for i in self.rng.sample(range(self.teams), k=min(3, self.teams)):
            self.programme.submit(f"F{i}", "Race", team=f"T{i} r{self.round}", school="Chenery Middle School",
                                  members=f"M{i} Race <m{i}.race@belmont.example.org>")
        self._enrol()
        before = self.wrong_cells()
        self.arm(edit)
        self.now += timedelta(hours=1)
        self.programme.sync(self.now)
        self.disarm()
        added = self.wrong_cells() - before
        figures.interleavings += 1
        figures.wrong += bool(added)
        figures.wrong_cells += len(added)
        tally = figures.by_edit.setdefault(edit, [0, 0])
        tally[0] += bool(added)
        tally[1] += 1

    def arm(self, edit: str) -> None:
        book = self.programme.book()
        tab = book.tab(self.rng.choice((L.ROSTER, L.MEMBERS)))
        rows = tab.used_rows()
        if edit == "sort":
            column = self.rng.choice([c for c, h in enumerate(tab.header) if h])
            request = {"sortRange": {"range": {"sheetId": tab.sheet_id, "startRowIndex": 1},
                                     "sortSpecs": [{"dimensionIndex": column,
                                                    "sortOrder": self.rng.choice(("ASCENDING", "DESCENDING"))}]}}
        elif edit == "insert":
            start = self.rng.randrange(1, rows + 1)
            request = {"insertDimension": {"range": {"sheetId": tab.sheet_id, "dimension": "ROWS",
                                                     "startIndex": start, "endIndex": start + self.rng.randint(1, 2)}}}
        else:
            row = self.rng.randrange(1, rows)
            request = {"deleteDimension": {"range": {"sheetId": tab.sheet_id, "dimension": "ROWS",
                                                     "startIndex": row, "endIndex": row + 1}}}
        response = requests.post(self._edits_url(), json={"requests": [request]}, timeout=30)
        response.raise_for_status()

    def disarm(self) -> None:
        requests.delete(self._edits_url(), timeout=30).raise_for_status()

    def _edits_url(self) -> str:
        return f"{self.programme.endpoint}/_emulator/sheets/{self.programme.settings().roster.spreadsheet_id}/edits"

    def wrong_cells(self) -> set[tuple[str, str, str]]:
        """(tab, Team ID of the row, team name found there) for each team name in a row of another team."""
        book = self.programme.book()
        owner = self.owner
        roster = book.tab(L.ROSTER)
        for row in roster.data_rows():
            match = _MARK.match(str(roster.value(row, "Team name")))
            email = str(roster.value(row, "Facilitator email"))
            if match and email.startswith("f") and str(roster.value(row, L.TEAM_ID)):
                owner.setdefault(str(roster.value(row, L.TEAM_ID)), int(email[1:].split(".")[0]))
        wrong = set()
        for name in (L.ROSTER, L.MEMBERS):
            tab = book.tab(name)
            for row in tab.data_rows():
                match = _MARK.match(str(tab.value(row, "Team name")))
                tid = str(tab.value(row, L.TEAM_ID))
                if match and owner.get(tid, -1) != int(match.group(1)):
                    wrong.add((name, tid, str(tab.value(row, "Team name"))))
        return wrong


def measure(programme: Programme, interleavings: int, seed: int = 0) -> RaceFigures:
    race, figures = RowRace(programme, seed=seed), RaceFigures()
    for n in range(interleavings):
        race.interleave(EDITS[n % len(EDITS)], figures)
    return figures


def main() -> None:
    """`python tests/row_race.py [interleavings] [seed]`: the figure on a fresh emulator."""
    import sys
    import tempfile
    from pathlib import Path

    from emulator.core import Emulator
    from emulator.server import EmulatorServer

    count, seed = (int(a) for a in (sys.argv[1:] + ["30", "0"])[:2])
    with EmulatorServer(Emulator()) as server, tempfile.TemporaryDirectory() as folder:
        print(measure(Programme.create(server.url, Path(folder)), count, seed).line())


if __name__ == "__main__":
    main()

"""A coordinator at work in a roster: notes typed next to some teams, looked for later."""
from __future__ import annotations

from gspread.utils import rowcol_to_a1

from sync.google.workspace import connect

NOTES_HEADER = "Notes"
TEAM_HEADER = "Team name"


class Coordinator:
    """Writes notes in the roster tab of one spreadsheet, straight through gspread."""

    def __init__(self, endpoint: str, spreadsheet_id_of, tab: str = "Roster"):
        self.sheet_id_of = spreadsheet_id_of
        self.client = connect(None, endpoint).gspread
        self.tab = tab

    def _rows(self, programme):
        worksheet = self.client.open_by_key(self.sheet_id_of(programme)).worksheet(self.tab)
        return worksheet, worksheet.get_all_values()

    def write_notes(self, programme, count: int) -> dict[str, str]:
        """Team name -> the note written in that team's row."""
        worksheet, rows = self._rows(programme)
        header = rows[0]
        team, notes = header.index(TEAM_HEADER), header.index(NOTES_HEADER)
        written = {row[team]: f"Met with principal ({row[team]})" for row in rows[1:count + 1]}
        cells = [[written[row[team]]] for row in rows[1:count + 1]]
        span = f"{rowcol_to_a1(2, notes + 1)}:{rowcol_to_a1(count + 1, notes + 1)}"
        worksheet.update(cells, span, raw=True)
        return written

    def notes_kept(self, programme, written: dict[str, str]) -> int:
        _worksheet, rows = self._rows(programme)
        header = rows[0]
        team, notes = header.index(TEAM_HEADER), header.index(NOTES_HEADER)
        found = {row[team]: row[notes] if notes < len(row) else "" for row in rows[1:]}
        return sum(found.get(name) == note for name, note in written.items())

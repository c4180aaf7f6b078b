"""Where values.append writes: the "table" Google finds from the range it is given.

Google's reference for spreadsheets.values.append explains it with a sheet holding two
tables, A1:C2 and B4:D6 (row 4 holds B4 and C4, row 5 C5 and D5, row 6 B6 to D6): values
go to B7 for the ranges `Sheet1`, `B4`, `C5:D5`, `B2:D4` and `A3:G10` (the last table in
the range, even one reaching outside it), to A3 for `A1`, and to `E4` or `A4`, which are in
no table. So a table is a block of cells holding values, each touching another on a side
(A1 and C1 with B1 empty are two tables, as the recorded traffic shows), taken as its
bounding rectangle, with rectangles that overlap joined into one. The table appended to
is the one ending lowest among those the range overlaps (the leftmost when two end on
the same row); values start on the row after it, in its first column. A range that
overlaps no table is written at its own top-left cell.
"""
from __future__ import annotations

from .sheets_model import iter_cells

Box = tuple[int, int, int, int]  # row0, row1, col0, col1 (end-exclusive)


def find_table(sheet: dict, row0: int, row1: int, col0: int, col1: int) -> Box | None:
    """The table values.append writes after, for the range (row0, row1, col0, col1)."""
    touched = [box for box in tables(sheet)
               if box[0] < row1 and row0 < box[1] and box[2] < col1 and col0 < box[3]]
    if not touched:
        return None
    return max(touched, key=lambda box: (box[1], -box[2]))


def tables(sheet: dict) -> list[Box]:
    """Every table of the sheet: runs of values in a row, joined to the runs they touch in
    the next row, as rectangles, overlapping rectangles merged."""
    boxes = [_box(group) for group in _connected(_runs(sheet))]
    return _merged(boxes)


def _runs(sheet: dict) -> list[tuple[int, int, int]]:
    """(row, first column, end column) of each run of side-by-side cells holding values."""
    runs: list[tuple[int, int, int]] = []
    for row, col, cell in iter_cells(sheet, 0, len(sheet["rows"]), 0, 1 << 30):
        if isinstance(cell, dict) and "v" not in cell and "f" not in cell:
            continue  # a note or a format alone is not data
        if runs and runs[-1][0] == row and runs[-1][2] == col:
            runs[-1] = (row, runs[-1][1], col + 1)
        else:
            runs.append((row, col, col + 1))
    return runs


def _connected(runs: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Runs grouped by touching: a run joins those of the row above sharing a column."""
    parent = list(range(len(runs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_row: dict[int, list[int]] = {}
    for index, (row, _, _) in enumerate(runs):
        by_row.setdefault(row, []).append(index)
    for index, (row, first, end) in enumerate(runs):
        for above in by_row.get(row - 1, []):
            if runs[above][1] < end and first < runs[above][2]:
                parent[root(index)] = root(above)
    groups: dict[int, list] = {}
    for index, run in enumerate(runs):
        groups.setdefault(root(index), []).append(run)
    return list(groups.values())


def _box(group: list[tuple[int, int, int]]) -> Box:
    return (min(r for r, _, _ in group), max(r for r, _, _ in group) + 1,
            min(f for _, f, _ in group), max(e for _, _, e in group))


def _merged(boxes: list[Box]) -> list[Box]:
    """Join overlapping rectangles until none overlap (sorted by first row, a rectangle is
    compared only with those starting above its end)."""
    while True:
        boxes.sort()
        for i, a in enumerate(boxes):
            j = i + 1
            while j < len(boxes) and boxes[j][0] < a[1]:
                b = boxes[j]
                if a[2] < b[3] and b[2] < a[3]:
                    boxes[i] = (a[0], max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))
                    del boxes[j]
                    break
                j += 1
            else:
                continue
            break
        else:
            return boxes

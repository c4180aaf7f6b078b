"""The report as files: one CSV per table, one XLSX workbook with a sheet per table (frozen
header row, columns as wide as their text), and one self-contained HTML page.

CSV is written as pandas reads it back (UTF-8, a header row, no index), so a coordinator's
own spreadsheet or script gets the same table. Cells are data, never formulas: a unit
name starting with "=" stays text in the XLSX (openpyxl's string cell type)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sync.core.report_tables import ReportTables
from sync.reporting.charts import Chart
from sync.reporting.html import report_html

FORMATS = ("html", "csv", "xlsx")
MAX_WIDTH = 60


def write_report(tables: ReportTables, charts: Sequence[Chart], title: str, out: Path,
                 formats: Iterable[str], stem: str = "report") -> list[Path]:
    """Write the report in each of `formats` into the folder `out`; returns the files made."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in formats:
        if kind == "csv":
            written += write_csv(tables, out, stem)
        elif kind == "xlsx":
            written.append(write_xlsx(tables, out / f"{stem}.xlsx"))
        elif kind == "html":
            path = out / f"{stem}.html"
            path.write_text(report_html(tables, charts, title), encoding="utf-8")
            written.append(path)
    return written


def write_csv(tables: ReportTables, out: Path, stem: str) -> list[Path]:
    paths = []
    for name, frame in tables.named().items():
        path = out / f"{stem}-{name.lower()}.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    return paths


def write_xlsx(tables: ReportTables, path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.named().items():
        fill_sheet(book.create_sheet(name), frame)
    book.save(path)
    return path


def fill_sheet(sheet, frame: pd.DataFrame) -> None:
    """A header row in bold, frozen; the values as numbers or text; each column as wide as
    its longest text (capped)."""
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([_value(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in frame[column] if not pd.isna(v))])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)


def _value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value

"""The report as one self-contained HTML page (styles inline, charts as data: images) and
the digest's HTML body (charts as cid: images the email carries). Every value is escaped:
a unit name is text, never markup."""
from __future__ import annotations

import base64
from typing import Callable, Sequence

import pandas as pd
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from sync.core.report_tables import ReportTables
from sync.reporting.charts import Chart

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; color: #202124; margin: 24px; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; }
table.report { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
table.report th, table.report td { border: 1px solid #dadce0; padding: 4px 8px; text-align: left; }
table.report th { background: #f1f3f4; }
table.report td.number { text-align: right; }
img.chart { max-width: 100%; border: 1px solid #dadce0; margin: 8px 0; }
p.note { color: #5f6368; font-size: 13px; }
</style></head>
<body>
<h1>{{ title }}</h1>
<p class="note">{{ as_of }}</p>
{% for chart in charts %}
<h2>{{ chart.title }}</h2>
<img class="chart" id="chart-{{ chart.name }}" src="{{ source(chart) }}" alt="{{ chart.text }}">
{% endfor %}
{% for name, table in tables %}
<h2>{{ name }}</h2>
{{ table }}
{% endfor %}
</body></html>
"""

_TEMPLATE = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(_PAGE)


def data_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def table_html(name: str, frame: pd.DataFrame) -> Markup:
    """A table with an id from its name (`table-milestones`), numbers right-aligned, blanks empty."""
    if frame.empty:
        return Markup('<p class="note" id="table-{}">None.</p>').format(name.lower())
    head = Markup("").join(Markup("<th>{}</th>").format(c) for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = [Markup('<td class="number">{}</td>').format(_text(v)) if _numeric(v)
                 else Markup("<td>{}</td>").format(_text(v)) for v in row]
        rows.append(Markup("<tr>") + Markup("").join(cells) + Markup("</tr>"))
    return (Markup('<table class="report" id="table-{}"><thead><tr>').format(name.lower()) + head
            + Markup("</tr></thead><tbody>") + Markup("\n").join(rows) + Markup("</tbody></table>"))


def _numeric(value) -> bool:
    return not isinstance(value, str) and not pd.isna(value)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def as_of_line(tables: ReportTables) -> str:
    return f"As of the last sync, {tables.as_of.isoformat()}." if tables.as_of else "No sync has run yet."


def report_html(tables: ReportTables, charts: Sequence[Chart], title: str,
                source: Callable[[Chart], str] = data_uri) -> str:
    """The page: its title, the charts, then each table."""
    return _TEMPLATE.render(title=title, as_of=as_of_line(tables), charts=charts, source=source,
                            tables=[(name, table_html(name, frame)) for name, frame in tables.named().items()])

"""The report's charts, drawn with matplotlib as PNG images: milestone completion by site,
and participation against the target over time. Each comes with a text alternative, the
same numbers in words, for a screen reader or a mail client that shows no images."""
from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")   # no display: images only, on a server or in cron

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import pandas as pd  # noqa: E402

from sync.core.report_tables import ReportTables  # noqa: E402

COMPLETION_TITLE = "Milestone completion by site"
PARTICIPATION_TITLE = "Participation against target over time"


@dataclass(frozen=True)
class Chart:
    name: str          # a file-name-safe name: "completion", "participation"
    title: str
    png: bytes
    text: str          # the text alternative


def charts(tables: ReportTables, site_label: str = "School") -> list[Chart]:
    """The charts of a report: completion always, participation when there are targets."""
    out = [completion_chart(tables, site_label)]
    if tables.has_targets and not tables.over_time.empty:
        out.append(participation_chart(tables))
    return out


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def completion_chart(tables: ReportTables, site_label: str) -> Chart:
    """% of units with each milestone received, one group of bars per site (no total)."""
    frame = tables.milestones
    frame = frame[frame[site_label] != "All schools"]
    wide = frame.pivot_table(index=site_label, columns="Milestone", values="% received", sort=False)
    figure, axes = plt.subplots(figsize=(9, 4.2))
    if wide.empty:
        axes.text(0.5, 0.5, "No milestones yet", ha="center", va="center")
    else:
        wide.plot.bar(ax=axes, rot=0, width=0.8)
        axes.set_ylim(0, 100)
        axes.set_ylabel("% received")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(3, len(wide.columns)), frameon=False)
        axes.set_xticks(range(len(wide.index)), [_wrap(s) for s in wide.index])
    axes.set_xlabel("")
    axes.set_title(COMPLETION_TITLE)
    lines = [f"{site}: " + "; ".join(f"{m} {int(v)}% received" for m, v in row.items())
             for site, row in wide.iterrows()]
    return Chart("completion", COMPLETION_TITLE, _png(figure), "\n".join(lines) or "No milestones yet")


def participation_chart(tables: ReportTables) -> Chart:
    """People in the programme per site over time (as % of staff when staff are known),
    with each site's target in force as a dashed line."""
    over_time, staff = tables.over_time, tables.participation.set_index(tables.participation.columns[0])["Staff"]
    as_percent = tables.has_staff
    figure, axes = plt.subplots(figsize=(9, 4.2))
    lines = []
    for site in over_time.columns:
        series = over_time[site]
        known = staff.get(site)
        if as_percent:
            if pd.isna(known) or not known:
                continue
            series = (100 * series / float(known)).round()
        drawn = axes.step(series.index, series.values, where="post", label=site)
        target = tables.targets.get(site)
        if as_percent and target is not None and not pd.isna(target):
            axes.axhline(float(target), linestyle="--", color=drawn[0].get_color(), linewidth=1)
        lines.append(f"{site}: {int(series.iloc[-1])}{'%' if as_percent else ' people'}"
                     + (f" against a target of {int(target)}%" if target is not None and not pd.isna(target) else ""))
    axes.set_ylabel("% of staff" if as_percent else "people")
    axes.set_title(PARTICIPATION_TITLE)
    if lines:
        axes.legend(loc="upper left", frameon=False, fontsize="small")
    figure.autofmt_xdate()
    return Chart("participation", PARTICIPATION_TITLE, _png(figure), "\n".join(lines) or "No participation yet")


def _wrap(text: str, width: int = 16) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])

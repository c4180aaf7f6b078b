"""Printing the benchmark's figures as plain tables."""
from __future__ import annotations

from .scenarios import Outcome


def short(method_id: str) -> str:
    """"drive.permissions.create" stays; "forms.forms.responses.list" reads "forms.responses.list"."""
    for noise in ("forms.forms.", "gmail.users.", "sheets.spreadsheets."):
        if method_id.startswith(noise):
            return noise.split(".")[0] + "." + method_id[len(noise):]
    return method_id


def outcome_lines(outcomes: list[Outcome]) -> list[str]:
    head = f"{'N':>6}  {'scenario':<22} {'calls':>6} {'L':>5} {'calls/L':>7} {'429s':>4} {'wall s':>7} " \
           f"{'CPU s':>6} {'peak MB':>7}  calls by method"
    lines = [head, "-" * len(head)]
    for o in outcomes:
        methods = ", ".join(f"{short(m)} {n}" for m, n in sorted(o.by_method.items()))
        extra = "".join(f"  [{k}: {v}]" for k, v in o.notes.items())
        lines.append(f"{o.teams:>6}  {o.scenario:<22} {o.calls:>6} {o.bound['total']:>5} "
                     f"{o.calls / o.bound['total']:>7.2f} {o.rate_limited:>4} {o.cost.wall_s:>7.1f} "
                     f"{o.cost.cpu_s:>6.2f} {o.cost.peak_mb:>7.0f}  {methods}{extra}")
    return lines


def bound_lines(outcomes: list[Outcome]) -> list[str]:
    lines = ["Lower bound L, part by part:"]
    for o in outcomes:
        parts = ", ".join(f"{k} {v}" for k, v in o.bound.items() if k != "total" and v)
        lines.append(f"{o.teams:>6}  {o.scenario:<22} L = {o.bound['total']:>5} = {parts}")
    return lines


def verdict(label: str, ok: bool, detail: str) -> str:
    return f"  [{'met' if ok else 'NOT MET'}] {label}: {detail}"

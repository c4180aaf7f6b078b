"""The Groups tab: proposed and approved affinity groups, and who could not be placed.

Pure. One row per group (Group ID, Topic, Facilitator, Members one per line, each
member's choice rank on the matching line, Size, an Approved tick box) and one row per
person left out, with the Reason. A coordinator may edit a proposed group's members and
then tick Approved: an approved row is fixed input to the next proposal and is never
written again. Every other row is the previous proposal's, rewritten in place by the new
one; a cell already right is not written, so proposing again with nothing new writes nothing.
"""
from __future__ import annotations

import re
from typing import Sequence

from forms.validate import normalise_email, split_name_and_email
from sheets.book import Tab

from .grouping import Group, Proposal, group_id

GROUPS = "Groups"
HEADERS = ("Group ID", "Topic", "Facilitator", "Members", "Choice ranks", "Size", "Approved", "Reason")
APPROVED = "Approved"
NOT_A_CHOICE = "-"          # a member placed by hand in a topic they did not choose
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
_SEPARATORS = re.compile(r"[\n,;]+")


def approved_groups(tab: Tab | None) -> list[Group]:
    """The groups a coordinator approved, as the sheet holds them (members as edited)."""
    if tab is None or tab.column(APPROVED) is None:
        return []
    groups = []
    for row in _approved_rows(tab):
        topic, leader = str(tab.value(row, "Topic") or "").strip(), str(tab.value(row, "Facilitator") or "")
        members = tuple(_emails(str(tab.value(row, "Members") or "")))
        leader = (_emails(leader) or [leader.strip()])[0]
        gid = str(tab.value(row, "Group ID") or "").strip() or group_id(topic, leader)
        groups.append(Group(gid, topic, leader, members, approved=True))
    return groups


def _approved_rows(tab: Tab) -> list[int]:
    return [row for row in tab.data_rows() if tab.value(row, APPROVED) is True
            and (tab.value(row, "Topic") or tab.value(row, "Facilitator"))]


def _emails(text: str) -> list[str]:
    """The addresses a Members cell lists, one per line (or separated by commas), each as
    written or as "Name <email>"; anything not an address is kept as written."""
    found = []
    for entry in (e.strip() for e in _SEPARATORS.split(text)):
        if not entry:
            continue
        _name, written = split_name_and_email(entry)
        email, fault = normalise_email(written or entry)
        found.append(email if fault is None else entry)
    return found


def proposal_rows(proposal: Proposal) -> list[dict[str, object]]:
    """The rows of the proposed (not yet approved) groups, then of everyone left out."""
    rows: list[dict[str, object]] = []
    for group in proposal.groups:
        if group.approved:
            continue
        ranks = [_ORDINALS.get(proposal.ranks.get(m) or 0, NOT_A_CHOICE) for m in group.members]
        rows.append({"Group ID": group.group_id, "Topic": group.topic, "Facilitator": group.facilitator,
                     "Members": "\n".join(group.members), "Choice ranks": "\n".join(ranks),
                     "Size": len(group.members), APPROVED: False, "Reason": ""})
    for person in proposal.unassigned:
        rows.append({"Group ID": "", "Topic": "", "Facilitator": "", "Members": person.email, "Choice ranks": "",
                     "Size": "", APPROVED: False, "Reason": f"unassigned: {person.reason}"})
    return rows


def plan_rows(tab: Tab, proposal: Proposal) -> list[tuple[int, dict[str, object]]]:
    """The cells to write, (row, {header: value}) in row order: the new proposal over the
    old one's rows (any row ticked Approved left alone), extra rows added below, and rows
    the proposal no longer needs emptied."""
    ticked = {row for row in tab.data_rows() if tab.value(row, APPROVED) is True}
    free = [row for row in tab.data_rows() if row not in ticked]
    wanted = proposal_rows(proposal)
    next_row = tab.used_rows()
    writes = []
    empty = {h: ("" if h != APPROVED else False) for h in HEADERS}
    for index in range(max(len(wanted), len(free))):
        row = free[index] if index < len(free) else next_row + index - len(free)
        values = wanted[index] if index < len(wanted) else empty
        changed = {h: v for h, v in values.items() if not _same(tab, row, h, v)}
        if changed:
            writes.append((row, changed))
    return writes


def _same(tab: Tab, row: int, header: str, value: object) -> bool:
    current = tab.value(row, header)
    if isinstance(value, bool):
        return current is value         # a tick box reads True or False once it is there
    return str(current if current is not None else "") == str(value)


def summary_rows(proposal: Proposal) -> Sequence[str]:
    """The lines `plt groups propose` prints."""
    kept = sum(1 for g in proposal.groups if g.approved)
    proposed = len(proposal.groups) - kept
    return [f"Groups: {proposed} proposed, {kept} approved kept; "
            f"{'proven optimal' if proposal.optimal else 'NOT proven optimal (the solver ran out of time)'}",
            f"1st choice {proposal.share_at(1):.1%}, 2nd {proposal.share_at(2):.1%}, 3rd {proposal.share_at(3):.1%}, "
            f"unassigned {len(proposal.unassigned)} of {proposal.respondents} respondents"]

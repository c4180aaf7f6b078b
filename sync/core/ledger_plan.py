"""Reminders in the plan: their ledger rows on the Reminders tab, and the emails.

Pure. Each reminder's row goes in as `sending` with the run's sheet write, before its email
leaves; a row a crashed run left `sending` is checked before anything new is sent.
"""
from __future__ import annotations

from mail.message import message_id
from sheets import layout as L

from sync.core.milestones import SENDING, MilestonePlan
from sync.core.model import Action, AddRow, ResolveSending, SendReminder, UpdateRow
from sync.core.tables import SheetPlanner


def plan_ledger(p: SheetPlanner, milestones: MilestonePlan, mail_domain: str, stamp: str) -> list[Action]:
    """Adds the ledger rows to `p`; returns the emails: checks of interrupted sends first,
    then the reminders."""
    emails: list[Action] = [ResolveSending(entry.key, entry.message_id) for entry in milestones.unresolved]
    ledger = p.index(L.REMINDERS)
    for reminder in milestones.reminders:
        mid = message_id(reminder.key, mail_domain)
        values = (("Key", reminder.key), ("Team ID", reminder.team_id), ("Team name", reminder.unit_name),
                  ("Milestone", reminder.milestone_title), ("Step", reminder.step),
                  ("Recipients", ", ".join(reminder.to + reminder.cc)), ("Message-ID", mid), ("Status", SENDING),
                  ("Time", stamp), ("Sent ID", ""), ("Detail", ""))
        retry = (reminder.key,) in ledger   # a failed send, tried again
        if retry:
            tab = p.tab(L.REMINDERS)
            row = ledger[(reminder.key,)]
            p.actions.append(UpdateRow(L.REMINDERS, (reminder.key,),
                                       tuple((h, tab.value(row, h), v) for h, v in values), reminder.team_id))
        else:
            p.actions.append(AddRow(L.REMINDERS, values, reminder.team_id))
        emails.append(SendReminder(reminder, mid, retry))
    return emails

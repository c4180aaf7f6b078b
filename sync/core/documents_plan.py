"""Document templates in the plan: which copies a run makes and fills. Pure.

Every live unit gets one copy of each configured template (by its key) in its folder, once:
a unit whose copy Drive lists is left alone when the copy is filled, and only filled when an
earlier run made it but could not fill it (its tag says "pending"). A copy is never made
twice, whatever a unit's answers become later: a filled document is the team's to edit.

The values: every field of the enrol form by its key (people by name, one a line), every
role by its key (its people's names), `unit_id`, and `signatures`, one line per person of
the unit to sign on (the signing itself is a sign-off, not this document's).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from documents.model import DocumentCopy, Fill, copy_tags
from drive.model import CopyTemplate, Folder

from sync.core.model import Team
from sync.core.units import UnitRules

SIGNATURE_LINE = "{name} ({role}) ______________________________  Date __________"


@dataclass(frozen=True)
class TemplateRule:
    key: str
    title: str
    name: str            # each copy's file name, a name template
    template_id: str


def plan_documents(teams: Mapping[str, Team], folders: Mapping[str, Folder],
                   copies: Mapping[tuple[str, str], DocumentCopy], templates: tuple[TemplateRule, ...],
                   units: UnitRules) -> tuple[list[CopyTemplate], list[Fill]]:
    """The copies to make (into a folder made this run when the unit has none yet) and
    every fill, in unit order."""
    made: list[CopyTemplate] = []
    fills: list[Fill] = []
    for tid, team in sorted(teams.items()):
        folder = folders.get(tid)
        folder_id = folder.folder_id if folder else None
        for template in templates:
            copy = copies.get((tid, template.key))
            values = unit_values(team, units)
            if copy is None:
                made.append(CopyTemplate(tid, folder_id, template.template_id, units.fill(template.name, team),
                                         copy_tags(template.template_id, template.key, tid)))
                fills.append(Fill(tid, template.key, template.template_id, None, values, folder_id))
            elif not copy.filled:
                fills.append(Fill(tid, template.key, copy.template_id, copy.file_id, values, copy.folder_id,
                                  check_first=True))
    return made, fills


def unit_values(team: Team, units: UnitRules) -> tuple[tuple[str, str], ...]:
    """Each placeholder's value for `team`, as (key, text) pairs."""
    values = dict(team.submission.values)
    for key, members in team.submission.people.items():
        values[key] = "\n".join(member.name or member.email or "" for member in members)
    people = list(units.people(team))
    for role in units.roles:
        values.setdefault(role.key, "\n".join(m.name or m.email or "" for r, m in people if r.key == role.key))
    values["unit_id"] = team.team_id
    values["signatures"] = "\n".join(SIGNATURE_LINE.format(name=m.name or m.email or "", role=role.key)
                                     for role, m in people)
    return tuple(sorted((key, str(value)) for key, value in values.items()))

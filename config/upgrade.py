"""The first config format, read as the programme model.

The first format described one kind of programme: one facilitator form with fixed
questions (`[form.questions]`), teams keyed by the facilitator's email, a checkbox or a
file as a milestone's evidence, and `[targets]` per school. `upgrade` restates such a
file in the programme model, so an old config keeps loading unchanged, and
`plt config upgrade F` rewrites the file itself (see `config.rewrite`).
"""
from __future__ import annotations

from typing import Any

# The first format's questions, in the order its form asked them, with the field each fills.
FIRST_FORMAT_QUESTIONS = {
    "facilitator_name": "Facilitator name", "facilitator_email": "Facilitator email", "team_name": "PLT name",
    "school": "School", "topic": "PLT topic", "members": "PLT members (one per line: name, email)",
    "goal_type": "Goal type", "meeting_time": "Regular meeting time", "training": "Facilitator training",
}
FIRST_FORMAT_CHOICES = {
    "goal_types": ["Professional Practice", "Student Learning"],
    "training_options": ["Enrolled in the facilitator training course", "Requesting an exemption",
                         "Completed training in a previous year"],
}
# Roster columns of the first format, in the order it created them.
ROSTER_COLUMNS = ["Team name", "School", "Topic", "Goal type", "Facilitator", "Facilitator email", "Members",
                  "Member count", "Meeting time", "Training"]
# Sections only the programme model has.
MODEL_ONLY_SECTIONS = ("unit", "target", "cycle", "calendar", "grouping", "digest")
# The first format's folder-name placeholder for the team's id, and the model's for a unit's.
RENAMED_PLACEHOLDER = ("{team_id}", "{unit_id}")
HELP = {
    "facilitator_email": "Your school email address: reminders and the team folder go to it.",
    "members": "One person per line, as Name <email> (for example: Ann Lee <alee@school.org>). "
               "Leave yourself out; you are on the team as its facilitator.",
    "meeting_time": "When the team usually meets, for example: Wednesdays 3:30-5:30 p.m.",
}


def is_first_format(raw: dict[str, Any]) -> bool:
    """A first-format file has one `[form]` table (the model has `[[form]]`), `[targets]` or
    a `team_key`, and no section only the programme model has: a file with a `[unit]` is
    read in the model's terms even when its form is written `[form]` by mistake."""
    if any(name in raw for name in MODEL_ONLY_SECTIONS):
        return False
    return isinstance(raw.get("form"), dict) or isinstance(raw.get("targets"), dict) or (
        isinstance(raw.get("roster"), dict) and "team_key" in raw["roster"])


def upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """The programme model's tables for a first-format config (parsed TOML). Values of
    the wrong type are carried over as they are, for the schema to report."""
    form = _table(raw, "form")
    out = {key: value for key, value in raw.items() if key not in ("form", "targets", "roster", "drive", "mail",
                                                                     "milestone", "programme")}
    programme = dict(_table(raw, "programme"))
    programme.setdefault("short_name", "PLTs")
    if "schools" in form:
        programme["sites"] = form["schools"]
    out["programme"] = programme
    out["form"] = [_enrol_form(form)]
    out["unit"] = _unit(raw)
    out["roster"] = {k: v for k, v in _table(raw, "roster").items() if k not in ("team_key", "max_people")}
    out["roster"].setdefault("columns", list(ROSTER_COLUMNS))
    out["drive"] = _drive(_table(raw, "drive"))
    if "milestone" in raw:
        out["milestone"] = [_milestone(m) if isinstance(m, dict) else m for m in _list(raw["milestone"])]
    out["mail"] = {k: v for k, v in _table(raw, "mail").items() if k != "cc_members"}
    targets = _targets(raw.get("targets"))
    if targets:
        out["target"] = targets
    return out


def _table(raw: Any, name: str) -> dict[str, Any]:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _enrol_form(form: dict[str, Any]) -> dict[str, Any]:
    titles = {**FIRST_FORMAT_QUESTIONS, **_table(form, "questions")}
    carried = ("id", "title", "description", "collect_verified_email", "allow_unverified_responses")
    enrol = {k: form[k] for k in carried if k in form}
    enrol.setdefault("title", "PLT facilitator submission")
    return {"key": "enrol", "purpose": "enrol", **enrol, "field": first_format_fields(titles, form)}


def first_format_fields(titles: dict[str, Any], form: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of the first format's facilitator form, worded with `titles`."""
    goal_types = form.get("goal_types", FIRST_FORMAT_CHOICES["goal_types"])
    training = form.get("training_options", FIRST_FORMAT_CHOICES["training_options"])
    shapes = {
        "facilitator_name": {"type": "text", "ask": "required", "column": "Facilitator"},
        "facilitator_email": {"type": "respondent", "required": True, "column": "Facilitator email"},
        "team_name": {"type": "text", "required": True, "column": "Team name"},
        "school": {"type": "dropdown", "required": True, "choices": "sites", "column": "School"},
        "topic": {"type": "paragraph", "ask": "required", "column": "Topic"},
        "members": {"type": "people", "required": True, "column": "Members", "count_column": "Member count"},
        "goal_type": {"type": "choice", "choices": goal_types, "column": "Goal type"},
        "meeting_time": {"type": "text", "column": "Meeting time"},
        "training": {"type": "choice", "choices": training, "column": "Training"},
    }
    out = []
    for key, shape in shapes.items():
        field = {"key": key, "title": titles.get(key, ""), **shape}
        if key in HELP:
            field["help"] = HELP[key]
        out.append(field)
    return out


def _unit(raw: dict[str, Any]) -> dict[str, Any]:
    drive, mail, roster = _table(raw, "drive"), _table(raw, "mail"), _table(raw, "roster")
    key = ["facilitator_email"]
    if roster.get("team_key") == "facilitator_email+team_name":
        key.append("team_name")
    cap = {"max_people": roster["max_people"]} if "max_people" in roster else {}
    return {
        "noun": "team", "id_prefix": "PLT", "key": key, "name": "{team_name}", "site": "school", "source": "enrol",
        **cap, "role": [
            {"key": "facilitator", "field": "facilitator_email", "name_field": "facilitator_name",
             "access": drive.get("facilitator_role", "writer"), "remind": "to"},
            {"key": "member", "field": "members", "access": drive.get("member_role", "writer"),
             "remind": "cc" if mail.get("cc_members") is True else "no"},
        ],
    }


def _drive(drive: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in drive.items() if k not in ("facilitator_role", "member_role")}
    if isinstance(out.get("folder_name"), str):
        out["folder_name"] = out["folder_name"].replace(*RENAMED_PLACEHOLDER)
    return out


def _milestone(milestone: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in milestone.items() if k not in ("evidence_checkbox", "evidence_file_pattern")}
    evidence = {"checkbox": milestone.get("evidence_checkbox", True)}
    if milestone.get("evidence_file_pattern") is not None:
        evidence["file"] = milestone["evidence_file_pattern"]
    out["evidence"] = evidence
    return out


def _targets(targets: Any) -> list[dict[str, Any]]:
    """`{"School" = 0.8}` becomes one `[[target]]` per share, listing its schools."""
    if not isinstance(targets, dict):
        return []
    by_share: dict[Any, list[str]] = {}
    for school, share in targets.items():
        by_share.setdefault(share, []).append(school)
    return [{"share": share, "sites": schools} for share, schools in by_share.items()]

"""The first programme's facilitator form as config fields, and its submissions read back
field by field, for tests written in that programme's words."""
from __future__ import annotations

from typing import Mapping, Sequence

from config.schema import FormField
from config.upgrade import FIRST_FORMAT_QUESTIONS, first_format_fields
from forms.model import Submission

NAMES = {"facilitator_email": "facilitator_name"}


def fields(titles: Mapping[str, str] = FIRST_FORMAT_QUESTIONS, *, goal_types: Sequence[str] | None = None,
           training: Sequence[str] | None = None) -> list[FormField]:
    """Belmont's fields with these question titles (a field whose title is missing from
    `titles` is asked with an empty title, as when a coordinator leaves it out)."""
    form = {}
    if goal_types is not None:
        form["goal_types"] = list(goal_types)
    if training is not None:
        form["training_options"] = list(training)
    raw = first_format_fields({key: titles.get(key, "") for key in FIRST_FORMAT_QUESTIONS}, form)
    return [FormField.model_validate({k: v for k, v in field.items()}) if field["title"] else
            FormField.model_construct(**field) for field in raw]


class Team:
    """A submission in the first programme's words: `team.facilitator_email`, `team.members`."""

    def __init__(self, submission: Submission):
        self.submission = submission

    def __getattr__(self, name: str):
        sub = self.submission
        if name == "facilitator_email":
            person = sub.person("facilitator_email")
            return person.email if person else None
        if name == "members":
            return sub.people.get("members", ())
        if name in sub.values:
            return sub.values[name]
        return getattr(sub, name)


def belmont_units(*, key: str = "facilitator_email"):
    """The unit rules of the example (Belmont) config; `key` as its first-format `team_key`."""
    import tomllib
    from importlib import resources

    from config.load import settings_from_toml
    from sync.core.units import unit_rules

    raw = tomllib.loads(resources.files("config").joinpath("example.toml").read_text(encoding="utf-8"))
    raw["roster"]["team_key"] = key
    return unit_rules(settings_from_toml(raw, "example.toml", {}))


def belmont_submission(rid: str, at, *, name: str, email: str, team: str, school: str, members, topic: str = "",
                       goal_type: str = "", meeting_time: str = "", training: str = "") -> Submission:
    """A usable response to Belmont's facilitator form."""
    from forms.model import Member

    values = {"facilitator_name": name, "team_name": team, "school": school, "topic": topic,
              "goal_type": goal_type, "meeting_time": meeting_time, "training": training}
    return Submission(rid, at, values, {"facilitator_email": (Member(name, email),), "members": tuple(members)})

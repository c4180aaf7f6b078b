"""The first config format, validated in its own terms.

A file in the first format is checked against these models first, so a mistake in it is
reported at the key the coordinator wrote (`form.questions.team_name`), then restated in
the programme model by `config.upgrade`. Sections the two formats share come from
`config.schema`.
"""
from __future__ import annotations

import string
from typing import Annotated, Any, Iterator, Literal

from pydantic import Field

from . import schema as model
from .errors import ConfigProblem
from .model_checks import unverified_problem
from .problems import shown, toml_path
from .types import DueDate, Domain, Slug, Text, TimeZoneName, rule

Role = Literal["writer", "commenter", "reader"]
FOLDER_NAME_PLACEHOLDERS = ("school", "team_name", "team_id", "facilitator_name")


def _is_folder_name(template: str) -> bool:
    """Only the known placeholders, written plainly as `{name}`, and balanced braces."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return False
    fields = [(name, spec, conv) for _text, name, spec, conv in parts if name is not None]
    return bool(template.strip()) and all(
        name in FOLDER_NAME_PLACEHOLDERS and not spec and conv is None for name, spec, conv in fields)


FolderName = Annotated[str, rule(
    "folder_name",
    "expected a folder name using only the placeholders " + ", ".join("{%s}" % p for p in FOLDER_NAME_PLACEHOLDERS),
    _is_folder_name)]


class Programme(model.Section):
    name: Text
    time_zone: TimeZoneName = "America/New_York"


class FormQuestions(model.Section):
    """The title of the form question that holds each field of a team's submission."""

    facilitator_name: Text = "Facilitator name"
    facilitator_email: Text = "Facilitator email"
    team_name: Text = "PLT name"
    school: Text = "School"
    topic: Text = "PLT topic"
    members: Text = "PLT members (one per line: name, email)"
    goal_type: Text = "Goal type"
    meeting_time: Text = "Regular meeting time"
    training: Text = "Facilitator training"


class Form(model.Section):
    id: str = ""
    title: Text = "PLT facilitator submission"
    description: str | None = None
    questions: FormQuestions = FormQuestions()
    schools: Annotated[list[Text], Field(min_length=1)]
    goal_types: Annotated[list[Text], Field(min_length=1)] = ["Professional Practice", "Student Learning"]
    training_options: Annotated[list[Text], Field(min_length=1)] = [
        "Enrolled in the facilitator training course",
        "Requesting an exemption",
        "Completed training in a previous year",
    ]
    collect_verified_email: bool = True
    allow_unverified_responses: bool = False


class Roster(model.Section):
    spreadsheet_id: str = ""
    title: Text = "PLT master roster"
    team_key: Literal["facilitator_email", "facilitator_email+team_name"] = "facilitator_email"
    shrink_threshold: model.Fraction = 0.5
    max_people: Annotated[int, Field(ge=1)] = 30


class Drive(model.Section):
    parent_folder_id: str = ""
    parent_folder_name: Text = "Professional Learning Teams"
    folder_name: FolderName = "{school} – {team_name}"
    facilitator_role: Role = "writer"
    member_role: Role = "writer"
    allowed_domains: Annotated[list[Domain], Field(min_length=1)]
    send_notification_emails: bool = False
    template_file_ids: list[Text] = []
    withdrawn_access: model.WithdrawnAccess = "keep"


class Milestone(model.Section):
    key: Slug
    title: Text
    due: DueDate
    evidence_checkbox: bool = True
    evidence_file_pattern: Text | None = None
    template: Text = "reminder"
    reminders: model.Reminders = model.Reminders()


class Mail(model.Mail):
    cc_members: bool = False


class FirstFormat(model.Section):
    """A whole first-format file."""

    programme: Programme
    google: model.Google = model.Google()
    form: Form
    roster: Roster = Roster()
    drive: Drive
    milestones: list[Milestone] = Field(default=[], alias="milestone")
    mail: Mail
    targets: dict[Text, model.Fraction] = {}


def first_format_problems(raw: dict) -> Iterator[ConfigProblem]:
    """The checks spanning keys that only the first format needs."""
    form = raw.get("form") if isinstance(raw.get("form"), dict) else {}
    questions = form.get("questions") if isinstance(form.get("questions"), dict) else {}
    yield from _question_problems(questions)
    if (problem := unverified_problem(form, "form")) is not None:
        yield problem
    targets = raw.get("targets") if isinstance(raw.get("targets"), dict) else {}
    yield from _target_problems(targets, form.get("schools"))


def _question_problems(questions: dict) -> Iterator[ConfigProblem]:
    # Defaults first, so the title the coordinator wrote is the one reported.
    defaults = {k: v for k, v in FormQuestions().model_dump().items() if k not in questions}
    first_field: dict[str, str] = {}
    for field, title in {**defaults, **questions}.items():
        if not isinstance(title, str):
            continue
        if title.strip() in first_field:
            yield ConfigProblem(f"form.questions.{field}",
                                f"expected a question title of its own; form.questions.{first_field[title.strip()]} "
                                f"has the same title {shown(title)}")
        else:
            first_field[title.strip()] = field


def _target_problems(targets: dict, schools: Any) -> Iterator[ConfigProblem]:
    if not isinstance(schools, list):
        return
    for school in targets:
        if school not in schools:
            yield ConfigProblem(toml_path(("targets", school)), "expected a school listed in form.schools")

"""The shape of a programme's configuration: one model per TOML section.

Models are frozen (a run never changes its settings), strict (TOML already has real types:
`due = 2017-11-17` is a date, `true` a boolean) and forbid unknown keys, so a misspelt key
is reported instead of silently ignored. Checks that span several keys or sections live in
`config.checks`, so they are reported even when some other value is wrong.
"""
from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .types import (Address, DueDate, Domain, Email, EnvName, FolderName, HttpUrl,
                    QuietHours, Slug, Text, TimeZoneName)

Role = Literal["writer", "commenter", "reader"]
Fraction = Annotated[float, Field(ge=0, le=1)]
FilePath = Annotated[Path, Field(strict=False)]
CREDENTIAL_KINDS = ("service_account", "oauth", "application_default")


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Programme(Section):
    """Which programme this is, and the time zone its deadlines and quiet hours are in."""

    name: Text
    time_zone: TimeZoneName = "America/New_York"


class Google(Section):
    """How PLT Sync signs in to Google Workspace, or which local endpoint it talks to."""

    credentials: Literal["service_account", "oauth", "application_default"] = "application_default"
    credentials_file: FilePath | None = None
    subject: Email | None = None
    endpoint: HttpUrl | None = None


class FormQuestions(Section):
    """The title of the form question that holds each field of a team's submission.

    Answers are matched to fields by these titles, so a coordinator may reword a question
    in the form only together with this table."""

    facilitator_name: Text = "Facilitator name"
    facilitator_email: Text = "Facilitator email"
    team_name: Text = "PLT name"
    school: Text = "School"
    topic: Text = "PLT topic"
    members: Text = "PLT members (one per line: name, email)"
    goal_type: Text = "Goal type"
    meeting_time: Text = "Regular meeting time"
    training: Text = "Facilitator training"


class Form(Section):
    """The facilitators' Google Form: its id once created, and its questions and choices."""

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


class Roster(Section):
    """The master roster spreadsheet coordinators work in."""

    spreadsheet_id: str = ""
    title: Text = "PLT master roster"
    team_key: Literal["facilitator_email", "facilitator_email+team_name"] = "facilitator_email"
    # Stop (exit 5) when the form yields fewer teams than this fraction of the roster.
    shrink_threshold: Fraction = 0.5


class Drive(Section):
    """Team folders: where they live, what they are called, and who may be given access."""

    parent_folder_id: str = ""
    parent_folder_name: Text = "Professional Learning Teams"
    folder_name: FolderName = "{school} – {team_name}"
    facilitator_role: Role = "writer"
    member_role: Role = "writer"
    allowed_domains: Annotated[list[Domain], Field(min_length=1)]
    send_notification_emails: bool = False
    template_file_ids: list[Text] = []


class Reminders(Section):
    """When a facilitator is reminded of a missing milestone."""

    days_before: list[Annotated[int, Field(ge=1)]] = [7, 1]
    every_days_after: Annotated[int, Field(ge=1)] = 3
    max_reminders: Annotated[int, Field(ge=1)] = 4


class Milestone(Section):
    """Something each team must deliver by a date, such as the signed team charter."""

    key: Slug
    title: Text
    due: DueDate
    # Evidence: a coordinator ticks the roster checkbox, and/or a file whose name matches
    # the pattern appears in the team folder.
    evidence_checkbox: bool = True
    evidence_file_pattern: Text | None = None
    template: Text = "reminder"
    reminders: Reminders = Reminders()


class Smtp(Section):
    """An SMTP relay; the credentials are read from the named environment variables."""

    host: Text
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username_env: EnvName | None = None
    password_env: EnvName | None = None


class Mail(Section):
    """Reminder emails: how they are sent, from whom, and when not to send them."""

    backend: Literal["gmail", "smtp"] = "gmail"
    from_address: Address
    reply_to: Address | None = None
    coordinator_email: Email
    cc_members: bool = False
    cc_coordinator: bool = False
    quiet_hours: QuietHours | None = None
    skip_weekends: bool = True
    templates_dir: FilePath | None = None
    smtp: Smtp | None = None

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        """`quiet_hours` as (start, end) times; the window may run past midnight."""
        if self.quiet_hours is None:
            return None
        start, end = self.quiet_hours.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)


class Settings(Section):
    """Everything one programme's `plt` commands need, validated before any API call."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    programme: Programme
    google: Google = Google()
    form: Form
    roster: Roster = Roster()
    drive: Drive
    milestones: list[Milestone] = Field(default=[], alias="milestone")
    mail: Mail
    targets: dict[Text, Fraction] = {}

    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The config file these settings were read from (None when built in code)."""
        return self._path

    def milestone(self, key: str) -> Milestone:
        """The milestone named `key`; KeyError when the config has none by that key."""
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

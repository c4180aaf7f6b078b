"""The shape of a programme's configuration (the programme model of DESIGN.md): one model
per TOML section.

Models are frozen (a run never changes its settings), strict (TOML already has real types:
`due = 2017-11-17` is a date, `true` a boolean) and forbid unknown keys, so a misspelt key
is reported instead of silently ignored. Checks that span several keys or sections live in
`config.checks`, so they are reported even when some other value is wrong; so does the
refusal of the parts of the model this release does not carry out yet.
"""
from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .types import (Address, ClockTime, DueDate, Domain, Email, EnvName, HttpUrl, IdPrefix, NameTemplate,
                    QuietHours, Slug, Text, TimeZoneName)

Role = Literal["writer", "commenter", "reader"]
Access = Literal["writer", "commenter", "reader", "none"]
WithdrawnAccess = Literal["keep", "reader", "remove"]     # what a withdrawn unit's people keep of its folder
Fraction = Annotated[float, Field(ge=0, le=1)]
FilePath = Annotated[Path, Field(strict=False)]
CREDENTIAL_KINDS = ("service_account", "oauth", "application_default")
FIELD_TYPES = ("text", "paragraph", "choice", "checkboxes", "dropdown", "date", "time", "email", "person", "people",
               "respondent", "dates")
PERSON_TYPES = ("email", "person", "people", "respondent")
FORM_PURPOSES = ("enrol", "evidence", "signoff", "survey", "application")


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, validate_by_name=True,
                              validate_by_alias=True)


class SchoolYear(Section):
    start: DueDate
    end: DueDate


class Programme(Section):
    """Which programme this is, its sites, and the time zone its deadlines are in."""

    name: Text
    # How the programme calls its units in a phrase like "People in PLTs" on the Dashboard.
    short_name: Text | None = None
    time_zone: TimeZoneName = "America/New_York"
    school_year: SchoolYear | None = None
    sites: Annotated[list[Text], Field(min_length=1)]
    # What a site is called on the sheet and in emails ("School", "Site", "Building").
    site_noun: Text = "School"


class Google(Section):
    """How PLT Sync signs in to Google Workspace, or which local endpoint it talks to."""

    credentials: Literal["service_account", "oauth", "application_default"] = "application_default"
    credentials_file: FilePath | None = None
    subject: Email | None = None
    endpoint: HttpUrl | None = None


class FormField(Section):
    """One question of a form and the field its answer fills.

    `column` names the Roster column the answer is shown in (none: not on the roster).
    A `people` field may also name a `count_column` (how many people it lists)."""

    key: Slug
    title: Text
    type: Literal["text", "paragraph", "choice", "checkboxes", "dropdown", "date", "time", "email", "person",
                  "people", "respondent", "dates"] = "text"
    # A response without an answer here cannot make a unit.
    required: bool = False
    # Whether the form marks the question required (default: as `required`).
    ask: Literal["required", "optional"] | None = None
    choices: list[Text] | Literal["sites"] | None = None
    column: Text | None = None
    count_column: Text | None = None
    help: str | None = None


class Repeat(Section):
    """One unit per filled group of questions (`{n}` in titles), up to `count` groups."""

    count: Annotated[int, Field(ge=1, le=50)]
    # The roster column showing a group's number (none: the number shows only in names).
    column: Text | None = None


class Form(Section):
    """A Google Form of the programme and what its responses mean (`purpose`)."""

    key: Slug
    purpose: Literal["enrol", "evidence", "signoff", "survey", "application"]
    id: str = ""
    title: Text
    description: str | None = None
    collect_verified_email: bool = True
    # An enrol form without verified emails is refused unless this says the risk is accepted.
    allow_unverified_responses: bool = False
    fields: Annotated[list[FormField], Field(min_length=1, alias="field")]
    repeat: Repeat | None = None

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def titles(self) -> dict[str, str]:
        """Each field's question title, by field key."""
        return {f.key: f.title for f in self.fields}


class UnitRole(Section):
    """People of a unit: the field that names them, their folder access, and whether
    reminders go to them (`to`), copy them (`cc`) or leave them out (`no`)."""

    key: Slug
    field: Slug
    # For a field holding only an email: the field holding the person's name.
    name_field: Slug | None = None
    access: Access = "writer"
    remind: Literal["to", "cc", "no"] = "no"


class Unit(Section):
    """What one unit of the programme is: a team, a work group, an individual plan."""

    noun: Text = "team"
    plural: Text | None = None
    id_prefix: IdPrefix = "PLT"
    # The fields that identify a unit across resubmissions; the latest response per key wins.
    key: Annotated[list[Slug], Field(min_length=1)]
    name: NameTemplate
    site: Slug
    # The enrol form whose responses make units, or "groups" (approved rows of the Groups tab).
    source: Slug
    roles: Annotated[list[UnitRole], Field(min_length=1, alias="role")]
    # The most people one unit may have; a response naming more is refused (a pasted directory).
    max_people: Annotated[int, Field(ge=1)] = 30
    # The role whose people may change a unit's people with a verified response (default:
    # the first role reminded "to", the facilitator); anyone else's change waits for approval.
    owner: Slug | None = None

    @property
    def owner_role(self) -> str:
        """The key of the role that owns a unit: `owner`, or the first role reminded "to"."""
        if self.owner:
            return self.owner
        return next((r.key for r in self.roles if r.remind == "to"), self.roles[0].key)

    @property
    def plural_noun(self) -> str:
        return self.plural or f"{self.noun}s"


class Roster(Section):
    """The master spreadsheet coordinators work in."""

    spreadsheet_id: str = ""
    title: Text = "PLT master roster"
    # The order of the field columns on a new Roster (default: the enrol form's order).
    columns: list[Text] = []
    # Stop (exit 5) when the forms yield fewer units than this fraction of the roster.
    shrink_threshold: Fraction = 0.5


class Drive(Section):
    """Unit folders: where they live, what they are called, and who may be given access."""

    parent_folder_id: str = ""
    parent_folder_name: Text = "Professional Learning Teams"
    folder_name: NameTemplate = "{school} – {team_name}"
    allowed_domains: Annotated[list[Domain], Field(min_length=1)]
    send_notification_emails: bool = False
    template_file_ids: list[Text] = []
    withdrawn_access: WithdrawnAccess = "keep"


class Template(Section):
    """A Google Doc copied into every unit folder and filled from the unit's answers: each
    `{{placeholder}}` in its text (a field key, a role key, unit_id or signatures) becomes
    the unit's value. `plt templates add FILE.docx` uploads it and writes its id here."""

    key: Slug
    title: Text
    # Each copy's file name; placeholders name fields of the enrol form, or {unit_id}.
    name: NameTemplate
    id: str = ""


class Reminders(Section):
    """When the people whose turn it is are reminded of a missing milestone."""

    days_before: list[Annotated[int, Field(ge=1)]] = [7, 1]
    every_days_after: Annotated[int, Field(ge=1)] = 3
    max_reminders: Annotated[int, Field(ge=1)] = 4


class Evidence(Section):
    """What counts as a milestone done; any one of the ways given is enough. With none,
    the unit's enrol response itself is the evidence."""

    checkbox: bool = False
    file: Text | None = None
    form: Slug | None = None
    signoff: list[Slug] | Literal["all members"] | None = None
    choice: list[Text] | None = None

    @property
    def given(self) -> bool:
        return bool(self.checkbox or self.file or self.form or self.signoff or self.choice)


class After(Section):
    """Due a number of days after another milestone falls due."""

    milestone: Slug
    days: Annotated[int, Field(ge=0)] = 0


class Milestone(Section):
    """Something each unit (or site) must deliver, and when."""

    key: Slug
    title: Text
    level: Literal["unit", "site"] = "unit"
    due: DueDate | None = None
    after: After | None = None
    days_after_start: Annotated[int, Field(ge=0)] | None = None
    evidence: Evidence = Evidence()
    template: Text = "reminder"
    reminders: Reminders = Reminders()


class CycleStep(Section):
    key: Slug
    title: Text
    offset_days: Annotated[int, Field(ge=0)] = 0
    evidence: Evidence = Evidence()


class Cycle(Section):
    """A set of steps repeated from each start date (WSFCS's improvement cycle)."""

    key: Slug
    title: Text
    starts: list[DueDate] = []
    steps: list[CycleStep] = Field(default=[], alias="step")


class CalendarSession(Section):
    """A fixed event on the programme calendar (Belmont's training course dates)."""

    title: Text
    date: DueDate
    start: ClockTime
    end: ClockTime
    # What the session stands for, so moving it to another day moves its event (default: its date).
    key: Slug | None = None

    @property
    def stable_key(self) -> str:
        return self.key or self.date.isoformat()


class CalendarInvite(Section):
    """Who the sessions invite: the people of `role` in each unit whose `field` answer is one
    of `answers`."""

    role: Slug
    field: Slug
    answers: Annotated[list[Text], Field(min_length=1)]


class Calendar(Section):
    """The programme calendar `plt init` creates, and the events sync keeps on it."""

    id: str = ""
    title: Text
    # The enrol form's dates field whose meetings go on the calendar, one event per meeting
    # or series, inviting the unit's people (South Dakota's CWG meetings).
    meetings_field: Slug | None = None
    # Whether Google emails invitations and updates when something changed for people:
    # "all", "external_only" (people outside the account's domain) or "none".
    send_updates: Literal["all", "external_only", "none"] = "all"
    invite: CalendarInvite | None = None
    sessions: list[CalendarSession] = Field(default=[], alias="session")


class Grouping(Section):
    """Affinity groups proposed from an interest survey (`plt groups propose`)."""

    survey: Slug
    # The survey fields holding the 1st, 2nd and 3rd topic choice, in that order.
    choices: Annotated[list[Slug], Field(min_length=1, max_length=3)]
    # The survey field naming the respondent's school.
    school: Slug
    # The survey field where someone offers to facilitate a topic.
    facilitate: Slug | None = None
    # Who may lead a group: "volunteers" (the facilitate field; a coordinator accepts a
    # facilitator by approving their group) or "applications" (accepted applications).
    facilitators: Literal["volunteers", "applications"] = "volunteers"
    min_size: Annotated[int, Field(ge=1)] = 3
    max_size: Annotated[int, Field(ge=1)] = 12
    # "ranked": most 1st choices, then 2nd, then 3rd; "fairness": fewest left out, then
    # fewest in their 3rd choice, then in their 2nd.
    objective: Literal["ranked", "fairness"] = "ranked"
    # Deal each school's people across a topic's groups (otherwise colleagues stay together).
    spread: bool = False
    # The most seconds the solver may take; past it the best groups found are proposed, marked not proven optimal.
    time_limit: Annotated[int, Field(ge=1, le=3600)] = 60


class Target(Section):
    """A participation target: the share of each listed site's staff (all sites when
    none are listed; only those of `role` when one is named) expected in the programme,
    optionally by a date."""

    share: Fraction
    sites: list[Text] = []
    by: DueDate | None = None
    role: Text | None = None


STAFF_COLUMNS = ("name", "email", "site", "role", "evaluator")


class Staff(Section):
    """The coordinator-owned Staff tab (name, email, site, role, evaluator, assigned) that
    `plt staff import` fills from the district's HR or SIS export and targets count."""

    # More header names an export may use, by column ("email" = ["Courriel"]), besides
    # the usual ones `plt staff import` already recognises.
    aliases: dict[Literal["name", "email", "site", "role", "evaluator"], list[Text]] = {}


Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Digest(Section):
    """The weekly digest: the programme's tables and charts by email, from `day` at `time`
    (local), once a week to each recipient: the coordinator all sites, each site leader
    their own site. Site leaders come from `site_leaders` and from the Staff tab's people
    whose role is `staff_role`."""

    day: Weekday = "Monday"
    time: ClockTime = "07:30"
    coordinator: bool = True
    site_leaders: dict[Text, list[Email]] = {}
    staff_role: Text | None = "Site leader"


class Smtp(Section):
    """An SMTP relay; the credentials are read from the named environment variables."""

    host: Text
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username_env: EnvName | None = None
    password_env: EnvName | None = None


class Mail(Section):
    """Emails: how they are sent, from whom, and when not to send them."""

    backend: Literal["gmail", "smtp"] = "gmail"
    from_address: Address
    reply_to: Address | None = None
    coordinator_email: Email
    cc_coordinator: bool = False
    quiet_hours: QuietHours | None = None
    # When reminders become due each day, local time: the cron must run at or after it.
    send_time: ClockTime = "08:00"
    # The fewest calendar days between two reminders of one milestone to one unit.
    min_gap_days: Annotated[int, Field(ge=1)] = 2
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

    @property
    def send_clock(self) -> time:
        """`send_time` as a time of day."""
        return time.fromisoformat(self.send_time)


class Settings(Section):
    """Everything one programme's `plt` commands need, validated before any API call."""

    programme: Programme
    google: Google = Google()
    forms: Annotated[list[Form], Field(min_length=1, alias="form")]
    unit: Unit
    roster: Roster = Roster()
    drive: Drive
    milestones: list[Milestone] = Field(default=[], alias="milestone")
    templates: list[Template] = Field(default=[], alias="template")
    cycles: list[Cycle] = Field(default=[], alias="cycle")
    calendar: Calendar | None = None
    grouping: Grouping | None = None
    targets: list[Target] = Field(default=[], alias="target")
    staff: Staff | None = None
    digest: Digest | None = None
    mail: Mail

    _path: Path | None = PrivateAttr(default=None)
    _upgraded_from: int | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The config file these settings were read from (None when built in code)."""
        return self._path

    @property
    def upgraded_from(self) -> int | None:
        """1 when the file is in the first config format, read through `config.upgrade`."""
        return self._upgraded_from

    @property
    def form(self) -> Form:
        """The enrol form whose responses make the units."""
        return self.form_by_key(self.unit.source)

    def form_by_key(self, key: str) -> Form:
        for form in self.forms:
            if form.key == key:
                return form
        raise KeyError(key)

    @property
    def fields(self) -> dict[str, FormField]:
        """The enrol form's fields by key."""
        return {f.key: f for f in self.form.fields}

    def milestone(self, key: str) -> Milestone:
        """The milestone named `key`; KeyError when the config has none by that key."""
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

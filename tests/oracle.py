"""What a coordinator should see, worked out from what facilitators and coordinators did,
never from the sync code: the independent half of the state-machine test.

The machine tells the oracle every submission, edit and deletion of a form response and
every hand-made change a coordinator makes; the oracle says which teams are live with
which answers, who should have access to each team folder, which responses need a
Problems row and which coordinator cells must still hold what was typed; and, of the
reminders that went out, which came too close together.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

DOMAIN = "belmont.example.org"
SHRINK_THRESHOLD = 0.5    # the example config's [roster].shrink_threshold
FACILITATOR_ROLE = "writer"
MEMBER_ROLE = "writer"
HAND_ROLE = "reader"
MIN_GAP_DAYS = 2          # the example config's [mail].min_gap_days
TIME_ZONE = ZoneInfo("America/New_York")   # the example config's [programme].time_zone


def team_id(email: str) -> str:
    """The documented Team ID contract ("a stable hash of the key"): `PLT-` and the first
    8 base32 characters of the SHA-256 of the lower-cased facilitator email."""
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).digest()
    return "PLT-" + base64.b32encode(digest)[:8].decode("ascii")


# Belmont's [[calendar.session]] days: each is one event on the programme calendar, ever.
TRAINING_DAYS = ("2017-10-16", "2017-11-13", "2017-12-04", "2018-01-08", "2018-02-05", "2018-03-19")


def reminders_too_close(sent: Iterable[tuple[str, str, date]]) -> list[tuple[str, str, date, date]]:
    """Of the reminders sent, as (team id, milestone, local date sent), each two of one
    team's milestone fewer than MIN_GAP_DAYS calendar days apart, as the programme's
    coordinators were promised never happens."""
    days: dict[tuple[str, str], list[date]] = {}
    for tid, milestone, day in sent:
        days.setdefault((tid, milestone), []).append(day)
    return [(tid, milestone, first, second) for (tid, milestone), found in days.items()
            for first, second in zip(sorted(found), sorted(found)[1:]) if (second - first).days < MIN_GAP_DAYS]


@dataclass(frozen=True)
class Answers:
    """One facilitator's answers. `members` holds (name, email) pairs; none at all makes
    the response unusable (the form's members question is required)."""

    team_name: str
    topic: str
    members: tuple[tuple[str, str], ...]
    enrolled: bool = True    # in the facilitator training course: invited to its sessions

    @property
    def usable(self) -> bool:
        return bool(self.members)


Person = tuple[str, str]     # (role, email) as the Members tab holds a team's people


@dataclass
class Response:
    response_id: str
    email: str              # the facilitator's email, as typed in the response: names the team
    name: str
    answers: Answers
    submitted: str          # RFC 3339; strictly increasing over the whole run
    live: bool = True
    sender: str = ""        # the verified respondent; the facilitator themself when blank

    @property
    def from_facilitator(self) -> bool:
        return (self.sender or self.email) == self.email

    def people(self) -> frozenset[Person]:
        """The team this response names: its facilitator, and each member once."""
        members = {("member", e.lower()) for _n, e in self.answers.members if e.lower() != self.email}
        return frozenset({("facilitator", self.email), *members})

    def emails(self) -> set[str]:
        return {email for _role, email in self.people()}


@dataclass(frozen=True)
class Approval:
    """A coordinator ticked Approve on a held response's row, which described changing the
    team from `before` to `people`."""

    response_id: str
    people: frozenset[Person]
    before: frozenset[Person]


@dataclass(frozen=True)
class Checkpoint:
    """One answer to the checkpoint evidence form: who sent it and the Unit ID it gives
    (as typed: any case, or blank)."""

    response_id: str
    email: str
    unit_id: str
    submitted: str


@dataclass
class Oracle:
    responses: dict[str, Response] = field(default_factory=dict)
    hand_shares: dict[str, set[str]] = field(default_factory=dict)     # team id -> emails shared by hand
    notes: dict[tuple[str, str], object] = field(default_factory=dict)  # (team id, header) -> coordinator value
    once_usable: set[str] = field(default_factory=set)  # team ids some response was ever usable for
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # Team id -> every response id and submission time (as the roster shows it) the team ever had.
    marks: dict[str, set[str]] = field(default_factory=dict)
    # Team id -> the people the Members tab holds (on the team, or when it was withdrawn),
    # as read just before a run: what responses are judged against.
    baseline: dict[str, frozenset[Person]] = field(default_factory=dict)
    approvals: list[Approval] = field(default_factory=list)
    # Team id -> everyone an entitled person (the facilitator, or whoever created the team)
    # or an approving coordinator ever named: nobody else may get access to its folder.
    entitled: dict[str, set[str]] = field(default_factory=dict)

    # What happened.
    def submitted(self, response: Response, creates: bool = False) -> None:
        """`creates`: the team had no people on the Members tab yet, so whoever sent this
        response may name its first people."""
        self.responses[response.response_id] = response
        self._mark(response)
        if response.answers.usable:
            self.once_usable.add(team_id(response.email))
        self._entitle(response, creates)

    def edited(self, response_id: str, answers: Answers, submitted: str, creates: bool = False) -> None:
        response = self.responses[response_id]
        response.answers, response.submitted = answers, submitted
        self._mark(response)
        if answers.usable:
            self.once_usable.add(team_id(response.email))
        self._entitle(response, creates)

    def _entitle(self, response: Response, creates: bool) -> None:
        if response.from_facilitator or creates:
            self.entitled.setdefault(team_id(response.email), set()).update(response.emails())

    def approved(self, response_id: str) -> None:
        """A coordinator ticked Approve on the held response's row: the change it describes,
        from the people before it as the next run judges them."""
        response = self.responses[response_id]
        tid = team_id(response.email)
        _applied, before = self._judged(tid).get(response_id, (None, None))
        if before is not None:
            self.approvals.append(Approval(response_id, response.people(), before))
        self.entitled.setdefault(tid, set()).update(response.emails())

    def _mark(self, response: Response) -> None:
        shown = datetime.fromisoformat(response.submitted.replace("Z", "+00:00")).astimezone(TIME_ZONE)
        self.marks.setdefault(team_id(response.email), set()).update(
            {response.response_id, shown.strftime("%Y-%m-%d %H:%M")})

    def deleted(self, response_id: str) -> None:
        self.responses[response_id].live = False

    def answered_checkpoint(self, answer: Checkpoint) -> None:
        self.checkpoints.append(answer)

    def typed(self, tid: str, header: str, value: object) -> None:
        self.notes[(tid, header)] = value

    def row_deleted(self, tid: str) -> None:
        """A coordinator deleted the team's roster row, and their cells with it."""
        for key in [k for k in self.notes if k[0] == tid]:
            del self.notes[key]

    def shared_by_hand(self, tid: str, email: str) -> None:
        self.hand_shares.setdefault(tid, set()).add(email)

    # What should be.
    def live(self) -> list[Response]:
        return [r for r in self.responses.values() if r.live]

    def _usable_by_team(self) -> dict[str, list[Response]]:
        by_team: dict[str, list[Response]] = {}
        for response in sorted(self.live(), key=lambda r: r.submitted):
            if response.answers.usable:
                by_team.setdefault(team_id(response.email), []).append(response)
        return by_team

    def _judged(self, tid: str) -> dict[str, tuple[bool, frozenset[Person] | None]]:
        """Each usable live response of the team, oldest first: whether it may be applied,
        and the people it is judged against (those of the last one applied before it, or
        the Members tab's): the documented rule of who may change a team's people."""
        known = self.baseline.get(tid)
        out = {}
        for response in self._usable_by_team().get(tid, []):
            people = response.people()
            ok = (known is None or people == known or response.from_facilitator
                  or Approval(response.response_id, people, known) in self.approvals)
            out[response.response_id] = (ok, known)
            known = people if ok else known
        return out

    def _applied(self) -> dict[str, Response | None]:
        """Team id -> the latest response that may be applied; None when none may."""
        out = {}
        for tid in self._usable_by_team():
            judged = self._judged(tid)
            out[tid] = next((self.responses[rid] for rid in reversed(list(judged)) if judged[rid][0]), None)
        return out

    def teams(self) -> dict[str, Response]:
        """Team id -> the response the roster shows: each facilitator's latest usable one
        that may change the team's people."""
        return {tid: response for tid, response in self._applied().items() if response is not None}

    def frozen(self) -> set[str]:
        """Teams none of whose responses may be applied: the sheet keeps them as they were."""
        return {tid for tid, response in self._applied().items() if response is None}

    def held(self) -> set[str]:
        """Live responses waiting for a coordinator's approval: each later than the one its
        team shows."""
        out = set()
        for tid, applied in self._applied().items():
            after = "" if applied is None else applied.submitted
            out |= {r.response_id for r in self._usable_by_team()[tid] if r.submitted > after}
        return out

    def ever_usable(self) -> set[str]:
        """Team ids that may have a roster row at all: live now, or once (an edit that
        empties a response's members withdraws its team, as deleting it does)."""
        return set(self.once_usable)

    def problem_responses(self) -> set[str]:
        """Unusable live responses no later usable response of the same facilitator replaced."""
        teams = {r.email: r for r in self.teams().values()}
        return {r.response_id for r in self.live() if not r.answers.usable
                and not (r.email in teams and teams[r.email].submitted > r.submitted)} | self.held()

    def folder_access(self, tid: str) -> dict[str, str]:
        """Email -> role on the team's folder: the team's people plus whatever was shared by hand."""
        response = self.teams()[tid]
        access = {email: HAND_ROLE for email in self.hand_shares.get(tid, ())}
        access.update({email.lower(): MEMBER_ROLE for _name, email in response.answers.members})
        access[response.email] = FACILITATOR_ROLE
        return access

    def checkpoint_places(self) -> dict[str, str | None]:
        """Checkpoint response id -> the live team it counts for, or None. The documented
        rule: the team whose id it gives; without one, the one team its sender is in."""
        teams = self.teams()
        homes: dict[str, set[str]] = {}
        for tid, response in teams.items():
            for email in {response.email, *(e.lower() for _n, e in response.answers.members)}:
                homes.setdefault(email, set()).add(tid)
        places = {}
        for answer in self.checkpoints:
            given = answer.unit_id.strip().upper()
            if given:
                places[answer.response_id] = given if given in teams else None
            else:
                found = homes.get(answer.email.lower(), set())
                places[answer.response_id] = next(iter(found)) if len(found) == 1 else None
        return places

    def checkpoint_received(self) -> set[str]:
        """Live teams some checkpoint answer counts for."""
        return {tid for tid in self.checkpoint_places().values() if tid}

    def checkpoint_problems(self) -> set[str]:
        """Checkpoint answers that count for no team, unless their sender later sent one that does."""
        places = self.checkpoint_places()
        placed_later = {(a.email.lower(), a.submitted) for a in self.checkpoints if places[a.response_id]}
        return {a.response_id for a in self.checkpoints if places[a.response_id] is None
                and not any(email == a.email.lower() and when > a.submitted for email, when in placed_later)}

    def foreign_cells(self, rows: Iterable[dict]) -> list[tuple[str, str, str]]:
        """(row's Team ID, header, value) for each cell of a roster row that holds a
        response id or submission time only other teams ever had: one team's cell written
        into another team's row (or into a row that is no team's)."""
        owners: dict[str, set[str]] = {}
        for tid, marks in self.marks.items():
            for mark in marks:
                owners.setdefault(mark, set()).add(tid)
        found = []
        for row in rows:
            tid = str(row.get("Team ID", ""))
            for header in ("Response ID", "Submitted"):
                value = str(row.get(header, ""))
                if value in owners and tid not in owners[value]:
                    found.append((tid, header, value))
        return found

    def expects_safety_stop(self, active_rows: int) -> bool:
        """The shrink guard: a roster holding teams, a form holding none or far fewer."""
        if active_rows == 0:
            return False
        return not self.live() or len(self.teams()) + len(self.frozen()) < SHRINK_THRESHOLD * active_rows

    def unnamed_access(self, tid: str, emails: Iterable[str]) -> set[str]:
        """Of those with access to the team's folder, anyone no entitled person, approving
        coordinator or hand share named."""
        return set(emails) - self.entitled.get(tid, set()) - self.hand_shares.get(tid, set())

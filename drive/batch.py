"""Applying Drive changes a hundred to a call, retrying what is worth retrying.

Changes run in rounds. Within a team they keep their order: a folder is created before it
is shared, the granted set is recorded before new access is given and settled after
removals. Across teams they run side by side, so a hundred new teams cost one batch of
creates, one of records and a few of permissions, not hundreds of calls.

One team's failure never stops another's. A team whose folder could not be made, or
whose granted set could not be recorded, gets nothing further this run (sharing without
a record would be access PLT Sync could never take back). A removal that failed keeps its
email in the record, so a later run tries again.

Creating a folder or copying a template is not idempotent: after an answer that may hide
a change already made (5xx, a dropped connection, "commit then fail"), the folder or copy
is looked up by its tag before trying again, so a lost answer never yields a second one.
Which failures are worth another try, and which may hide a change, is not decided here:
the caller hands in the one classifier PLT Sync keeps for every Google call.
"""
from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Sequence

from googleapiclient.errors import BatchError, HttpError

from .api_calls import DriveRequests, answer_value
from .model import (ChangeResult, Classify, CopyTemplate, CreateFolder, DriveChange, Failure, RecordGrants,
                    RemovePermission)
from .recovery import Pending, look_again
from .tags import GrantsTooLarge, granted_properties

DRIVE_BATCH_LIMIT = 100  # Drive refuses batches of more than 100 calls
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 32.0
# A change the batch answer left out is read like an answer that could not be read.
_NO_ANSWER = BatchError("the batch answer left this change out")


def apply_changes(drive, changes: Sequence[DriveChange], *, classify: Classify, max_per_batch: int = 100,
                  retries: int = 4, sleep: Callable[[float], None] = time.sleep) -> tuple[list[ChangeResult], int]:
    """Make `changes` in Drive. Returns one result per change, in the order given (with
    the folder id filled in where it was None), and the number of HTTP calls made.
    `classify` reads a failed call (transient? may it have been made?).

    Never raises for a failed change: it comes back `ok=False` with a plain reason."""
    run = _Run(drive, classify, min(max(1, max_per_batch), DRIVE_BATCH_LIMIT), max(0, retries), sleep)
    for round_indexes in plan_rounds(changes):
        run.do_round([(index, changes[index]) for index in round_indexes])
    return [run.results[index] for index in range(len(changes))], run.calls


def plan_rounds(changes: Sequence[DriveChange]) -> list[list[int]]:
    """Indexes of `changes` grouped into rounds run one after the other.

    A team's next change joins a new round when it is of another kind than the one
    before (create / record / everything else) or follows a create."""
    round_of: list[int] = []
    last: dict[str, tuple[int, str]] = {}
    for change in changes:
        kind = _kind(change)
        number, previous = last.get(change.team_id, (-1, ""))
        if kind != previous or kind == "create":
            number += 1
        last[change.team_id] = (number, kind)
        round_of.append(number)
    rounds: list[list[int]] = [[] for _ in range(max(round_of, default=-1) + 1)]
    for index, number in enumerate(round_of):
        rounds[number].append(index)
    return rounds


def _kind(change: DriveChange) -> str:
    if isinstance(change, CreateFolder):
        return "create"
    return "record" if isinstance(change, RecordGrants) else "other"


def backoff_delay(attempt: int, retry_after: float | None = None, jitter: Callable[[], float] = random.random) -> float:
    """Seconds to wait before try `attempt + 1`: doubling from 1 s, capped, with jitter,
    and never less than a Retry-After Google asked for (itself capped)."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1) + jitter())
    return max(delay, min(retry_after or 0.0, BACKOFF_CAP_S))


class _Run:
    """The state of one `apply_changes`: results so far, folders made, teams stopped."""

    def __init__(self, drive, classify: Classify, per_batch: int, retries: int, sleep):
        self.drive = drive
        self.classify = classify
        self.requests = DriveRequests(drive)
        self.per_batch = per_batch
        self.retries = retries
        self.sleep = sleep
        self.calls = 0
        self.results: dict[int, ChangeResult] = {}
        self.created: dict[str, str] = {}             # team -> folder id made or found this run
        self.stopped: dict[str, ChangeResult] = {}    # team -> the failure that stops its later changes
        self.unremoved: dict[str, set[str]] = {}      # team -> emails whose removal failed

    def do_round(self, items: list[tuple[int, DriveChange]]) -> None:
        pending = []
        for index, change in items:
            change, refusal = self._prepare(change)
            if refusal is not None:
                self.results[index] = refusal
            else:
                pending.append(Pending(index, change))
        self._settle(pending)
        for index, _change in items:
            self._remember(self.results[index])

    def _prepare(self, change: DriveChange) -> tuple[DriveChange, ChangeResult | None]:
        """The change with its folder id and granted set completed, or why it cannot run."""
        earlier = self.stopped.get(change.team_id)
        if earlier is not None:
            why = f"not done because an earlier change for this team failed: {earlier.error}"
            return change, ChangeResult(change, False, why, earlier.transient)
        if not isinstance(change, CreateFolder) and change.folder_id is None:
            if change.team_id not in self.created:
                return change, ChangeResult(change, False, "the team has no folder yet", False)
            change = dataclasses.replace(change, folder_id=self.created[change.team_id])
        if isinstance(change, RecordGrants):
            change = dataclasses.replace(change, granted=change.granted | self.unremoved.get(change.team_id, set()))
            try:
                granted_properties(change.granted)
            except GrantsTooLarge as error:
                return change, ChangeResult(change, False, str(error), False)
        return change, None

    def _settle(self, pending: list[Pending]) -> None:
        """Try, back off and try again until each change succeeded, failed for good, or
        ran out of tries."""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(backoff_delay(attempt, max((p.failure.retry_after or 0.0 for p in pending), default=0.0)))
            pending = self._look_again(pending)
            self._send([p for p in pending if not p.look_first])
            pending = [p for p in pending if p.index not in self.results]
            if not pending:
                return
        for p in self._look_again(pending):
            tries = self.retries + 1
            self.results[p.index] = ChangeResult(p.change, False, f"{p.failure} (gave up after {tries} tries)", True)

    def _look_again(self, pending: list[Pending]) -> list[Pending]:
        found, calls = look_again(self.drive, [p for p in pending if p.look_first], self.classify)
        self.calls += calls
        for p in pending:
            if p.index in found:
                self.results[p.index] = ChangeResult(p.change, True, value=found[p.index])
                self._note_created(p.change, found[p.index])
        return [p for p in pending if p.index not in found]

    def _send(self, pending: list[Pending]) -> None:
        for start in range(0, len(pending), self.per_batch):
            self._send_batch(pending[start:start + self.per_batch])

    def _send_batch(self, chunk: list[Pending]) -> None:
        answers: dict[str, tuple[object, HttpError | None]] = {}

        def keep(request_id: str, response, error: HttpError | None) -> None:
            answers[request_id] = (response, error)

        batch = self.drive.new_batch_http_request()
        for p in chunk:
            batch.add(self.requests.build(p.change), request_id=str(p.index), callback=keep)
        whole: Failure | None = None
        self.calls += 1
        try:
            batch.execute()
        except KeyError:  # googleapiclient's way of saying the answer left some calls out
            pass
        except Exception as error:
            whole = self.classify(error)
            if whole is None:
                raise
        unanswered = whole or self.classify(_NO_ANSWER)
        for p in chunk:
            self._outcome(p, answers.get(str(p.index)), unanswered)

    def _outcome(self, p: Pending, answer: tuple[object, HttpError | None] | None, unanswered: Failure) -> None:
        if answer is not None and answer[1] is None:
            value = answer_value(p.change, answer[0])
            self.results[p.index] = ChangeResult(p.change, True, value=value)
            self._note_created(p.change, value)
            return
        failure = self.classify(answer[1]) if answer is not None else unanswered
        if isinstance(p.change, RemovePermission) and failure.status == 404:
            self.results[p.index] = ChangeResult(p.change, True)  # already gone: what was wanted
        elif failure.transient:
            p.failure = failure
            p.look_first = failure.uncertain and isinstance(p.change, (CreateFolder, CopyTemplate))
        else:
            self.results[p.index] = ChangeResult(p.change, False, str(failure), False)

    def _note_created(self, change: DriveChange, value: dict | None) -> None:
        if isinstance(change, CreateFolder) and value:
            self.created[change.team_id] = value["id"]

    def _remember(self, result: ChangeResult) -> None:
        """What later rounds of the same team must know about this result."""
        change = result.change
        if result.ok:
            return
        if isinstance(change, (CreateFolder, RecordGrants)):
            self.stopped.setdefault(change.team_id, result)
        elif isinstance(change, RemovePermission):
            self.unremoved.setdefault(change.team_id, set()).add(change.email)

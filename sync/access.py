"""A call to Google on something the config names: refused access becomes one AccessError
that names the resource and the fix, and an unreachable Google one that says so."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

from sync.errors import AccessError
from sync.google.errors import AccessRefused, ConnectionLost, NotFound, classify, with_retries

T = TypeVar("T")


def google_call(resource: str, hint: str, call: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
    """`call` with retries; Google refusing access to `resource` becomes an AccessError."""
    try:
        return with_retries(call, sleep=sleep)
    except Exception as error:
        failure = classify(error)
        if isinstance(failure, (AccessRefused, NotFound)) and failure.status:  # Google answered "no"
            raise AccessError(resource, failure.status, failure.message, hint) from error
        if isinstance(failure, ConnectionLost):
            raise AccessError(resource, None, f"could not connect to Google ({failure.message})",
                              "check this machine's network, DNS and proxy settings; nothing was written") from error
        raise


def spreadsheet(spreadsheet_id: str) -> tuple[str, str]:
    """The resource and hint of the master spreadsheet, for `google_call`."""
    return f"the master spreadsheet {spreadsheet_id}", "share the spreadsheet with the account PLT Sync uses (Editor)"


def programme_calendar(calendar_id: str) -> tuple[str, str]:
    """The resource and hint of the programme calendar, for `google_call`."""
    return (f"the programme calendar {calendar_id}",
            "PLT Sync reaches only calendars it created: leave [calendar].id empty and run `plt init`")


def parent_folder(parent_id: str) -> tuple[str, str]:
    """The resource and hint of the Drive folder that holds the team folders, for `google_call`."""
    return f"the parent folder {parent_id}", "share the folder with the account PLT Sync uses (Editor)"

"""A call to Google on something the config names: refused access becomes one AccessError
that names the resource and the fix, and an unreachable Google one that says so."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

import google.auth.exceptions
import gspread
import httplib2
import requests
from googleapiclient.errors import HttpError

from sync.errors import AccessError
from sync.google.errors import reason_of, status_of, with_retries

T = TypeVar("T")


def google_call(resource: str, hint: str, call: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
    """`call` with retries; Google refusing access to `resource` becomes an AccessError."""
    try:
        return with_retries(call, sleep=sleep)
    except (HttpError, gspread.exceptions.APIError) as error:
        status = status_of(error)
        if status in (401, 403, 404):
            raise AccessError(resource, status, reason_of(error), hint) from error
        raise
    except (google.auth.exceptions.TransportError, httplib2.HttpLib2Error, requests.ConnectionError,
            OSError) as error:
        raise AccessError(resource, None, f"could not connect to Google ({type(error).__name__})",
                          "check this machine's network, DNS and proxy settings; nothing was written") from error


def spreadsheet(spreadsheet_id: str) -> tuple[str, str]:
    """The resource and hint of the master spreadsheet, for `google_call`."""
    return f"the master spreadsheet {spreadsheet_id}", "share the spreadsheet with the account PLT Sync uses (Editor)"


def parent_folder(parent_id: str) -> tuple[str, str]:
    """The resource and hint of the Drive folder that holds the team folders, for `google_call`."""
    return f"the parent folder {parent_id}", "share the folder with the account PLT Sync uses (Editor)"

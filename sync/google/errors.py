"""What a failed Google call means: its HTTP status, whether trying again can help, and
the plain reason to show. Covers both client libraries PLT Sync uses."""
from __future__ import annotations

import json
import socket
import time
from typing import Callable, TypeVar

import gspread
import httplib2
import requests
from googleapiclient.errors import HttpError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

T = TypeVar("T")
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded",
                 "RATE_LIMIT_EXCEEDED", "quotaExceeded"}


def status_of(error: BaseException) -> int | None:
    if isinstance(error, HttpError):
        return int(error.resp.status)
    if isinstance(error, gspread.exceptions.APIError):
        return int(error.response.status_code)
    return None


def _body(error: BaseException) -> dict:
    try:
        if isinstance(error, HttpError):
            return json.loads(error.content.decode("utf-8")).get("error", {})
        if isinstance(error, gspread.exceptions.APIError):
            return error.response.json().get("error", {})
    except (ValueError, AttributeError):
        pass
    return {}


def reason_of(error: BaseException) -> str:
    body = _body(error)
    if body.get("message"):
        return str(body["message"])
    if isinstance(error, (socket.error, httplib2.HttpLib2Error, requests.ConnectionError)):
        return f"connection failed ({type(error).__name__})"
    return str(error) or type(error).__name__


def is_transient(error: BaseException) -> bool:
    """429, 5xx, rate-limit 403s and dropped connections: worth another try."""
    if isinstance(error, (ConnectionError, socket.timeout, TimeoutError, httplib2.HttpLib2Error,
                          requests.ConnectionError, requests.Timeout)):
        return True
    status = status_of(error)
    if status is None:
        return False
    if status == 429 or status >= 500:
        return True
    if status == 403:
        reasons = {e.get("reason") for e in _body(error).get("errors", [])} | {_body(error).get("status")}
        return bool(reasons & _RATE_REASONS)
    return False


def with_retries(call: Callable[[], T], *, attempts: int = 5, max_wait: float = 32.0,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run an idempotent call, retrying transient failures with capped exponential backoff and jitter."""
    retrying = Retrying(retry=retry_if_exception(is_transient), stop=stop_after_attempt(attempts),
                        wait=wait_random_exponential(multiplier=0.5, max=max_wait), sleep=sleep, reraise=True)
    return retrying(call)

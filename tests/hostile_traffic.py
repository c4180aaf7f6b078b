"""Every request PLT Sync sends, captured where it leaves the process: the requests session
(gspread) and httplib2 (google-api-python-client). Both are wrapped, never replaced, so
the traffic still reaches the endpoint unchanged."""
from __future__ import annotations

from dataclasses import dataclass

import httplib2
import pytest
import requests

SHEETS_WRITES = (":batchUpdate", "/values", ":append", ":clear")


@dataclass(frozen=True)
class Sent:
    method: str
    url: str
    body: str


def _text(body) -> str:
    if body is None:
        return ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


class SheetTraffic:
    """`with SheetTraffic() as traffic:` records every request sent inside the block."""

    def __init__(self):
        self.sent: list[Sent] = []
        self._patch = pytest.MonkeyPatch()

    def __enter__(self) -> "SheetTraffic":
        send, request = requests.Session.send, httplib2.Http.request

        def recording_send(session, prepared, **kwargs):
            self.sent.append(Sent(prepared.method, prepared.url, _text(prepared.body)))
            return send(session, prepared, **kwargs)

        def recording_request(http, uri, method="GET", body=None, *args, **kwargs):
            self.sent.append(Sent(method, uri, _text(body)))
            return request(http, uri, method, body, *args, **kwargs)

        self._patch.setattr(requests.Session, "send", recording_send)
        self._patch.setattr(httplib2.Http, "request", recording_request)
        return self

    def __exit__(self, *exc_info) -> None:
        self._patch.undo()

    def sheet_writes(self) -> list[Sent]:
        """Requests that change a spreadsheet (Sheets API, any method but GET)."""
        return [s for s in self.sent if "/spreadsheets" in s.url and s.method.upper() != "GET"]

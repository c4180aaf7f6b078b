"""Counting the API calls a run makes, by discovery method id, on the client side.

The count is taken where requests leave the process (httplib2 for google-api-python-client,
the requests session for gspread), so it is the same against Google and the emulator.
A Drive batch request is one call, as Google's HTTP traffic sees it.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit


class Meter:
    def __init__(self):
        self._lock = threading.Lock()
        self.by_method: Counter[str] = Counter()
        self.reads = 0
        self.writes = 0

    def record(self, http_method: str, url: str) -> None:
        method_id = classify(http_method.upper(), urlsplit(url).path)
        with self._lock:
            self.by_method[method_id] += 1
            if http_method.upper() == "GET":
                self.reads += 1
            else:
                self.writes += 1

    @property
    def total(self) -> int:
        return self.reads + self.writes

    def snapshot(self) -> dict:
        with self._lock:
            return {"read": self.reads, "write": self.writes, "total": self.reads + self.writes,
                    "by_method": dict(sorted(self.by_method.items()))}


def classify(http_method: str, path: str) -> str:
    """The discovery method id of a request, e.g. "sheets.spreadsheets.batchUpdate"."""
    for method, pattern, method_id in _patterns():
        if method == http_method and pattern.fullmatch(path):
            return method_id
    return f"other:{http_method} {path.split('?')[0][:60]}"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern, str]]:
    from sync.google.workspace import API_VERSIONS, discovery_document

    found = []
    for api in API_VERSIONS:
        doc = discovery_document(api)
        service_path = doc.get("servicePath", "")
        for method in _methods(doc):
            found.append((method["httpMethod"], "/" + service_path + method["path"], method["id"]))
            upload = method.get("mediaUpload", {}).get("protocols", {}).get("simple", {}).get("path")
            if upload:
                found.append((method["httpMethod"], upload, method["id"]))
        if doc.get("batchPath"):
            found.append(("POST", "/" + doc["batchPath"], f"{api}.batch"))
    compiled = [(m, _template_regex(t), i) for m, t, i in found]
    # Literal-rich templates first, so `values:batchGet` wins over `values/{range}`.
    compiled.sort(key=lambda item: -len(re.sub(r"\{[^}]*\}", "", item[1].pattern)))
    return compiled


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{\+?[^}]+\})", template)
    out = []
    for part in parts:
        if part.startswith("{+"):
            out.append(".+")
        elif part.startswith("{"):
            out.append("[^/]+")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


def _methods(node: dict):
    for method in node.get("methods", {}).values():
        yield method
    for resource in node.get("resources", {}).values():
        yield from _methods(resource)

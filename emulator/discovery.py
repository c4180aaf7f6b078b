"""The discovery documents google-api-python-client ships, as the emulator reads them.

They are the emulator's description of each API: which methods exist, what body each
takes (its request schema), what it answers, and which query parameters it declares. The
version of a route is the `/vN/` segment of its URL rule, so a Drive v2 route and a Drive
v3 route with the same method id are read against their own documents.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from googleapiclient.discovery_cache import get_static_doc

_VERSION = re.compile(r"/(v\d+)(?:/|$)")


@lru_cache(maxsize=None)
def document(api: str, version: str) -> dict | None:
    """The packaged discovery document of `api` `version`, or None when none is packaged."""
    text = get_static_doc(api, version)
    return json.loads(text) if text else None


def version_of(rule: str) -> str | None:
    """`/v4/spreadsheets/<id>` -> "v4"; `/upload/drive/v3/files` -> "v3"."""
    found = _VERSION.search(rule)
    return found.group(1) if found else None


@lru_cache(maxsize=None)
def methods_by_id(api: str, version: str) -> dict[str, dict]:
    """Every method of the document, nested resources included, by its id."""
    doc = document(api, version)
    found: dict[str, dict] = {}

    def walk(resources: dict) -> None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                found[method["id"]] = method
            walk(resource.get("resources", {}))
    if doc is not None:
        walk(doc.get("resources", {}))
        for method in doc.get("methods", {}).values():
            found[method["id"]] = method
    return found


def method_of(route) -> tuple[dict, dict] | None:
    """(document, method) describing a registered route; None for routes Google has no
    method for (the admin API, Drive's batch envelope) or whose document is not packaged."""
    version = version_of(route.rule)
    if version is None:
        return None
    doc = document(route.api, version)
    method = methods_by_id(route.api, version).get(route.method_id) if doc else None
    return (doc, method) if method is not None else None

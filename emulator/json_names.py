"""Field names as Google's JSON mapping knows them, and the 400 that refuses a field.

Every field has a lowerCamelCase JSON name (`updateSheetProperties`) and its original
proto name (`update_sheet_properties`); Google reads either. Errors name a field by its
proto path (`requests[0].update_sheet_properties.properties.sheet_id`), as Google's do.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .core import ApiError

_UPPER = re.compile(r"(?<!^)([A-Z])")
_UNDERSCORE = re.compile(r"_([A-Za-z0-9])")
# One Platform APIs read bodies as proto messages: unknown names are refused and `null`
# means "not set". Drive v3 ignores names it does not know and reads `null` as "clear".
STRICT_APIS = ("sheets", "forms", "gmail", "docs")
_PACKAGES = {"sheets": "google.apps.sheets.v4", "forms": "google.apps.forms.v1", "gmail": "google.apps.gmail.v1",
             "docs": "google.apps.docs.v1"}


def proto_name(json_name: str) -> str:
    """`frozenRowCount` -> `frozen_row_count`."""
    return _UPPER.sub(r"_\1", json_name).lower()


def json_name(name: str) -> str:
    """`frozen_row_count` -> `frozenRowCount` (a lowerCamelCase name is left as it is)."""
    return _UNDERSCORE.sub(lambda found: found.group(1).upper(), name)


@lru_cache(maxsize=4096)
def _names(properties: tuple[str, ...]) -> dict[str, str]:
    names = {proto_name(name): name for name in properties}
    names.update({name: name for name in properties})
    return names


def known_name(properties: dict, given: str) -> str | None:
    """The JSON name of the field `given` names (by either name), or None."""
    names = _names(tuple(properties))
    return names.get(given) or names.get(json_name(given))


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def type_name(api: str, schema_name: str) -> str:
    """How Google names a message type in an error: `type.googleapis.com/google.apps.sheets.v4.Request`."""
    return f"type.googleapis.com/{_PACKAGES.get(api, api)}.{schema_name}"


def refusal(api: str, message: str, field: str | None = None) -> ApiError:
    """Google's 400 for input it cannot read, in the shape the API answers errors in:
    Sheets names the field in a BadRequest detail (as the recorded traffic shows), Drive and
    Gmail add their `errors` list."""
    if api == "sheets":
        from .sheets_model import SheetsError

        details = None
        if field is not None:
            details = [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": field, "description": message}]}]
        return SheetsError(400, message, details)
    reason = {"drive": "invalid", "gmail": "invalidArgument"}.get(api)
    return ApiError(400, message, reason=reason)

"""Comparing a recorded Google answer with the emulator's, and carrying ids between them.

Google and the emulator hand out different ids, clocks and accounts, so the comparison
learns a mapping as it goes: the first time a recorded id (a file or spreadsheet id, a
sheetId, a protected range id, the recording account's email...) meets the emulator's
value at the same place, the two are bound; from then on the recorded id must always meet
the same emulator id, and later requests are rewritten to use it. Timestamps only need to
be timestamps. A few lists come in no fixed order and are compared as sets. Everything
else (structure, keys, every other value) must be equal.
"""
from __future__ import annotations

import json
import re
from typing import Any

STRING_ID_KEYS = frozenset({"id", "spreadsheetId", "fileId", "permissionId", "driveId", "namedRangeId"})
NUMERIC_ID_KEYS = frozenset({"sheetId", "protectedRangeId", "chartId", "metadataId", "objectId",
                             "filterViewId", "bandedRangeId", "sourceSheetId", "newSheetId"})
OPAQUE_KEYS = frozenset({"nextPageToken", "etag"})
# Lists Google returns in no fixed order (the same call twice gives two orders), compared
# sorted by the member's key.
UNORDERED_LISTS = {"themeColors": "colorType"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class IdMap:
    """Recorded value -> emulator value, learned from answers, used to rewrite requests."""

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.numbers: dict[tuple[str, int], int] = {}

    def bind(self, recorded: Any, actual: Any, kind: str | None = None) -> bool:
        """Bind a recorded id to the emulator's; False when it is already bound elsewhere."""
        if kind is not None:
            return self.numbers.setdefault((kind, recorded), actual) == actual
        return self.strings.setdefault(recorded, actual) == actual

    def text(self, value: str) -> str:
        """`value` with every known recorded string id replaced by the emulator's."""
        for recorded in sorted(self.strings, key=len, reverse=True):
            if len(recorded) >= 8 and recorded in value:
                value = value.replace(recorded, self.strings[recorded])
        return value

    def body(self, value: Any, key: str | None = None) -> Any:
        """A request body (parsed JSON) with recorded ids replaced."""
        if isinstance(value, dict):
            return {k: self.body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v, key) for v in value]
        if isinstance(value, str):
            return self.strings.get(value, self.text(value))
        key = _camel(key) if key else key
        if key in NUMERIC_ID_KEYS and isinstance(value, int) and not isinstance(value, bool):
            return self.numbers.get((_kind(key), value), value)
        return value


def _camel(key: str) -> str:
    """A field's lowerCamelCase name; requests may name it by its proto name (`sheet_id`)."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


def _kind(key: str) -> str:
    return "sheetId" if key in ("sourceSheetId", "newSheetId") else key


def rewrite_body(raw: str | None, ids: IdMap) -> bytes:
    if not raw:
        return b""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return ids.text(raw).encode("utf-8")
    return json.dumps(ids.body(parsed), ensure_ascii=False).encode("utf-8")


def compare(recorded: Any, actual: Any, ids: IdMap, path: str = "$", key: str | None = None) -> list[str]:
    """The differences between a recorded and an emulator answer (empty: they match)."""
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {_short(actual)}"]
        problems = [f"{path}.{k}: missing" for k in recorded if k not in actual]
        problems += [f"{path}.{k}: not in the recording ({_short(actual[k])})" for k in actual if k not in recorded]
        for k in recorded:
            if k in actual:
                problems += compare(recorded[k], actual[k], ids, f"{path}.{k}", k)
        return problems
    if isinstance(recorded, list):
        if not isinstance(actual, list) or len(actual) != len(recorded):
            return [f"{path}: expected {len(recorded)} items, got {_short(actual)}"]
        if key in UNORDERED_LISTS:
            recorded, actual = _sorted(recorded, UNORDERED_LISTS[key]), _sorted(actual, UNORDERED_LISTS[key])
        return [p for i, (r, a) in enumerate(zip(recorded, actual)) for p in compare(r, a, ids, f"{path}[{i}]", key)]
    return _compare_value(recorded, actual, ids, path, key)


def _sorted(items: list, member_key: str) -> list:
    return sorted(items, key=lambda item: str(item.get(member_key)) if isinstance(item, dict) else str(item))


def _compare_value(recorded: Any, actual: Any, ids: IdMap, path: str, key: str | None) -> list[str]:
    if isinstance(recorded, str) and isinstance(actual, str):
        if key in OPAQUE_KEYS:
            ok = bool(recorded) == bool(actual)
        elif key in STRING_ID_KEYS:
            ok = ids.bind(recorded, actual)
        elif _TIMESTAMP.match(recorded):
            ok = bool(_TIMESTAMP.match(actual))
        elif _EMAIL.match(recorded):
            ok = bool(_EMAIL.match(actual)) and ids.bind(recorded, actual)
        else:
            ok = ids.text(recorded) == actual
    elif key in NUMERIC_ID_KEYS and _is_int(recorded) and _is_int(actual):
        ok = ids.bind(recorded, actual, _kind(key))
    else:
        ok = type(recorded) is type(actual) and recorded == actual or _same_number(recorded, actual)
    return [] if ok else [f"{path}: expected {_short(recorded)}, got {_short(actual)}"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    return (isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool)
            and not isinstance(b, bool) and a == b)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."

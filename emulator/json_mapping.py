"""Google's JSON mapping of request bodies, applied once, at the edge, to every call.

Google's front end reads a JSON body into the method's request message before the API
sees it. The emulator does the same with the request schema of the method's discovery
document, so no handler meets a wrong type, an unknown field or a second spelling:

- a field may be named in lowerCamelCase or by its proto name (`update_sheet_properties`);
- a repeated field given one value reads as a list of that one value, and a repeated
  message field given lists of messages reads them in order as one list;
- numbers may be written as strings (`"5"`), enum values by name or number, as proto3
  JSON allows; integers must fit their type (int32, uint32, int64);
- a `float` field (a colour component) holds what a float32 holds: 1/3 reads back as
  0.33333334, 0.33 and 0.6 as themselves (the shortest decimal naming the same float32),
  and a red, green or blue of 0 is left out, as Google leaves out a proto3 zero (black
  reads back as `{}`; alpha, which has presence, is kept);
- masks (`fields`, `updateMask`) become lowerCamelCase dotted paths, each checked against
  the message it masks (emulator/field_masks.py);
- anything else is Google's 400 naming the field by its proto path: an unknown name, a
  wrong type, a list where one value belongs, a number out of range, a null list element.

The One Platform APIs (Sheets, Forms, Gmail) refuse unknown names and read `null` as "not
set". Drive v3 ignores names it does not know (a v2 `title` sent to v3 changes nothing)
and reads `null` as "clear this", so there unknown names are dropped and nulls kept.
"""
from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass
from typing import Any

from . import discovery, field_masks
from .json_names import STRICT_APIS, join, known_name, proto_name, refusal, type_name

_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1), "int64": (-2**63, 2**63 - 1),
               "uint64": (0, 2**64 - 1)}
_SCALAR_TYPES = {("integer", "int32"): "TYPE_INT32", ("integer", "uint32"): "TYPE_UINT32",
                 ("string", "int64"): "TYPE_INT64", ("string", "uint64"): "TYPE_UINT64",
                 ("number", "double"): "TYPE_DOUBLE", ("number", "float"): "TYPE_FLOAT",
                 ("string", "byte"): "TYPE_BYTES", ("boolean", None): "TYPE_BOOL",
                 ("string", "google-datetime"): "type.googleapis.com/google.protobuf.Timestamp",
                 ("string", "google-duration"): "type.googleapis.com/google.protobuf.Duration"}
_INTEGER_TEXT = re.compile(r"^-?\d+$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_LIST_VALUE = "type.googleapis.com/google.protobuf.ListValue"
_EXACT_INTEGERS = 2**53  # beyond this a JSON number is a double, as google.protobuf.Value holds it
# The body field of methods whose body is one field of the request message (errors name it).
_BODY_FIELDS = {"sheets.spreadsheets.create": "spreadsheet", "sheets.spreadsheets.values.update": "data",
                "sheets.spreadsheets.values.append": "data", "forms.forms.create": "form",
                "gmail.users.messages.send": "message", "docs.documents.create": "document"}


class _Refused(Exception):
    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.message, self.field = message, field


def request_body(route, value: Any) -> Any:
    """The body of a call to `route` as its handler may read it, or Google's 400."""
    described = discovery.method_of(route)
    if not isinstance(value, dict):
        raise refusal(route.api, 'Invalid JSON payload received. Unknown name "": Root element must be a message.')
    if described is None or "request" not in described[1]:
        return value
    doc, method = described
    reader = _Reader(route.api, doc["schemas"], route.api in STRICT_APIS)
    name = method["request"]["$ref"]
    try:
        return reader.message(value, doc["schemas"][name], name, _BODY_FIELDS.get(route.method_id, ""))
    except _Refused as refused:
        raise refusal(route.api, refused.message, refused.field) from None


def reads_json_body(route) -> bool:
    """Whether the method's body is a JSON request message (not media, not a batch)."""
    described = discovery.method_of(route)
    return described is not None and "request" in described[1] and not route.rule.startswith("/upload")


def invalid(path: str, kind: str, value: Any, why: str = "") -> _Refused:
    shown = json.dumps(value, ensure_ascii=False)
    return _Refused(f"Invalid value at '{path}' ({kind}), {shown}{why}", path)


@dataclass(frozen=True)
class _Reader:
    api: str
    schemas: dict
    strict: bool

    def message(self, value: Any, schema: dict, name: str, path: str) -> dict:
        if isinstance(value, list):
            raise _Refused(f"Invalid JSON payload received. Proto field is not repeating, cannot start list "
                           f"(at '{path or name}').", path or None)
        if not isinstance(value, dict):
            raise invalid(path, type_name(self.api, name), value)
        properties = schema.get("properties", {})
        out: dict = {}
        for key, item in value.items():
            field = known_name(properties, key)
            if field is None:
                if self.strict:
                    where = f" at '{path}'" if path else ""
                    raise _Refused(f'Invalid JSON payload received. Unknown name "{key}"{where}: '
                                   "Cannot find field.", path or None)
                continue
            if field in out:
                raise _Refused(f'Invalid JSON payload received. "{key}" names the field {field} a second time'
                               f"{' at ' + repr(path) if path else ''}.", path or None)
            if item is None and self.strict:
                continue
            out[field] = None if item is None else self.value(item, properties[field], join(path, proto_name(field)))
            if name == "Color" and field != "alpha" and out[field] == 0:
                del out[field]  # a proto3 float at zero is not sent: black is {}
        self._masks(out, properties, name, path)
        return out

    def _masks(self, out: dict, properties: dict, name: str, path: str) -> None:
        for field, prop in properties.items():
            if prop.get("format") != "google-fieldmask" or not isinstance(out.get(field), str):
                continue
            target = field_masks.masked_schema(name, self.schemas)
            if target is None:
                continue
            try:
                out[field] = field_masks.normalised(out[field], target, self.schemas, through_lists=False)
            except field_masks.MaskError as err:
                raise invalid(join(path, proto_name(field)), "type.googleapis.com/google.protobuf.FieldMask",
                              out[field], f": {err}") from None

    def value(self, value: Any, schema: dict, path: str) -> Any:
        if "$ref" in schema:
            return self.message(value, self.schemas[schema["$ref"]], schema["$ref"], path)
        kind = schema.get("type")
        if kind == "array":
            return self.repeated(value, schema.get("items", {}), path)
        if kind == "object":
            return self.object(value, schema, path)
        if kind == "any":
            return _any_value(value, path)
        return self.scalar(value, schema, path)

    def repeated(self, value: Any, items: dict, path: str) -> list:
        """A list; one value stands for a list of it, except where a list of lists is due. A
        list of messages may come in lists of its own (gspread-pandas sends batchUpdate
        `requests: [[merge, merge]]`): Google reads them in order as one list."""
        if not isinstance(value, list):
            if items.get("type") == "array":
                raise invalid(path, _LIST_VALUE, value)
            return [self.value(value, items, path)]
        if "$ref" in items:
            value = _flattened(value)
        out = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if item is None and items.get("type") != "any":
                raise invalid(where, "repeated field", item, ": a list may not hold null.")
            if items.get("type") == "array" and not isinstance(item, list):
                raise invalid(where, _LIST_VALUE, item)
            out.append(None if item is None else self.value(item, items, where))
        return out

    def object(self, value: Any, schema: dict, path: str) -> dict:
        """An inline message (Drive's `capabilities`) or a map (`appProperties`)."""
        if "properties" in schema:
            return self.message(value, schema, "object", path)
        if not isinstance(value, dict):
            raise invalid(path, "map", value)
        inner = schema.get("additionalProperties")
        if not inner:
            return _any_value(value, path)
        return {key: None if item is None else self.value(item, inner, f'{path}["{key}"]')
                for key, item in value.items()}

    def scalar(self, value: Any, schema: dict, path: str) -> Any:
        kind, form = schema.get("type"), schema.get("format")
        if "enum" in schema:
            return _enum(value, schema["enum"], path)
        label = _SCALAR_TYPES.get((kind, form), f"TYPE_{(kind or 'string').upper()}")
        if kind == "boolean":
            if not isinstance(value, bool):
                raise invalid(path, label, value)
            return value
        if kind == "integer" or form in ("int64", "uint64"):
            number = _integer(value, form or "int32")
            if number is None:
                raise invalid(path, label, value)
            return str(number) if kind == "string" else number
        if kind == "number":
            number = _number(value)
            if number is None:
                raise invalid(path, label, value)
            return _float32(number) if form == "float" else number
        if not isinstance(value, str):
            raise invalid(path, label, value)
        if form == "google-datetime" and not _TIMESTAMP.match(value):
            raise invalid(path, label, value)
        return value


def _flattened(items: list) -> list:
    return [inner for item in items for inner in (_flattened(item) if isinstance(item, list) else [item])]


def _enum(value: Any, names: list[str], path: str) -> str:
    if isinstance(value, str) and value in names:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    raise invalid(path, "TYPE_ENUM", value, f"; expected one of {', '.join(names)}")


def _integer(value: Any, form: str) -> int | None:
    """An integer as proto3 JSON writes one (a number, or a string of digits) within its type."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and _INTEGER_TEXT.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        return None
    low, high = _INT_RANGES.get(form, _INT_RANGES["int32"])
    return value if low <= value <= high else None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int):
        return value if abs(value) <= _EXACT_INTEGERS else _finite(value)
    return value if isinstance(value, float) and math.isfinite(value) else None


def _finite(value: int) -> float | None:
    try:
        return float(value)
    except OverflowError:
        return None


def _float32(value: int | float) -> int | float:
    """The shortest decimal that names the same float32 as `value`: Google stores colour
    components as float32 and answers them that way (1/3 -> 0.33333334, 0.6 -> 0.6)."""
    single = struct.unpack("f", struct.pack("f", value))[0] if abs(value) < 3.4e38 else value
    for digits in range(1, 10):
        shown = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shown))[0] == single:
            return int(shown) if shown.is_integer() else shown
    return single


def _any_value(value: Any, path: str) -> Any:
    """A google.protobuf.Value: any JSON, its numbers doubles (so finite)."""
    if isinstance(value, dict):
        return {key: _any_value(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_any_value(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _EXACT_INTEGERS:
        number = _finite(value)
        if number is None:
            raise invalid(path, "type.googleapis.com/google.protobuf.Value", value, ": out of range for a number.")
        return number
    return value

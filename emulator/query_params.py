"""Query parameters, read against the method's declared parameters before any handler runs.

A parameter may be named in lowerCamelCase or by its proto name (`value_input_option`), as
Google binds either. A value must fit the declared type: one of the enum's names, an
integer, or a boolean (`true`/`false` in any case, which gspread writes as `False`).
`fields` is checked against the method's response schema (emulator/field_masks.py). The
One Platform APIs refuse a parameter the method does not declare, with Google's message;
Drive ignores it, as Drive does.
"""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from . import discovery, field_masks
from .json_names import STRICT_APIS, known_name, proto_name, refusal

_BOOLEANS = {"true": "true", "false": "false", "1": "true", "0": "false"}


def normalised(route, query: MultiDict) -> MultiDict:
    """`query` with every name in lowerCamelCase and every value checked, or Google's 400."""
    described = discovery.method_of(route)
    if described is None:
        return query
    doc, method = described
    declared = {**doc.get("parameters", {}), **method.get("parameters", {})}
    out: MultiDict = MultiDict()
    for key, value in query.items(multi=True):
        name = known_name(declared, key)
        if name is None:
            if route.api in STRICT_APIS:
                raise refusal(route.api, f'Invalid JSON payload received. Unknown name "{key}": Cannot bind query '
                                         f"parameter. Field '{key}' could not be found in request message.")
            out.add(key, value)
            continue
        out.add(name, _checked(route.api, name, declared[name], value))
    if out.get("fields") and "response" in method:
        out.setlist("fields", [_response_fields(route.api, out["fields"], method["response"]["$ref"], doc)])
    return out


def _checked(api: str, name: str, spec: dict, value: str) -> str:
    kind = spec.get("type")
    if "enum" in spec and value not in spec["enum"]:
        raise _invalid(api, name, "TYPE_ENUM", value, f"; expected one of {', '.join(spec['enum'])}")
    if kind == "boolean":
        if value.lower() not in _BOOLEANS:
            raise _invalid(api, name, "TYPE_BOOL", value)
        return _BOOLEANS[value.lower()]
    if kind == "integer":
        try:
            int(value)
        except ValueError:
            raise _invalid(api, name, f"TYPE_{spec.get('format', 'int32').upper()}", value) from None
    return value


def _invalid(api: str, name: str, kind: str, value: str, why: str = ""):
    field = proto_name(name)
    return refusal(api, f"Invalid value at '{field}' ({kind}), \"{value}\"{why}", field)


def _response_fields(api: str, text: str, schema_name: str, doc: dict) -> str:
    try:
        return field_masks.normalised(text, schema_name, doc["schemas"])
    except field_masks.MaskError as err:
        raise refusal(api, f"Invalid field selection {text}: {err}", "fields") from None

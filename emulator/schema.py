"""Checks the emulator's answers against Google's own response schemas.

PLT Sync is only as right as the emulator it is tested against. Each method's `response`
schema in the packaged discovery document is turned into JSON Schema, and an answer that
does not fit (a property Google never sends, a wrong type, a value outside an enum, a
timestamp that is not RFC 3339) is reported with the method id and the path of the
offending value, so the test that met it fails loudly instead of passing against an
emulator that drifted from Google.

Discovery schemas use a small vocabulary: `type`, `properties`, `items`,
`additionalProperties`, `$ref` (a schema name), `format` and `enum`. Objects with
`properties` allow nothing else; `additionalProperties` describes map values; 64-bit
integers travel as decimal strings, as Google sends them.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterator

from jsonschema import Draft202012Validator

_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_STRING_FORMATS = {"int64": r"^-?\d+$", "uint64": r"^\d+$", "google-datetime": _TIMESTAMP,
                   "date-time": _TIMESTAMP}
_DISCOVERY_APIS = ("forms", "sheets", "drive", "gmail", "docs", "calendar")


def to_json_schema(schema: dict) -> dict:
    """One discovery schema (or property) as JSON Schema; `$ref`s point into `#/$defs`."""
    if "$ref" in schema:
        return {"$ref": f"#/$defs/{schema['$ref']}"}
    kind = schema.get("type")
    out: dict[str, Any] = {}
    if kind == "object":
        out["type"] = "object"
        out["properties"] = {name: to_json_schema(prop) for name, prop in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        out["additionalProperties"] = to_json_schema(extra) if extra else False
    elif kind == "array":
        out["type"] = "array"
        out["items"] = to_json_schema(schema.get("items", {}))
    elif kind in ("string", "integer", "number", "boolean"):
        out["type"] = kind
    if kind == "string" and schema.get("format") in _STRING_FORMATS:
        out["pattern"] = _STRING_FORMATS[schema["format"]]
    if "enum" in schema:
        out["enum"] = schema["enum"]
    return out


def methods(document: dict) -> Iterator[dict]:
    """Every method of a discovery document, nested resources included."""
    def walk(resources: dict) -> Iterator[dict]:
        for resource in resources.values():
            yield from resource.get("methods", {}).values()
            yield from walk(resource.get("resources", {}))
    yield from walk(document.get("resources", {}))
    yield from document.get("methods", {}).values()


@lru_cache(maxsize=None)
def document(api: str, version: str | None = None) -> dict:
    """The packaged discovery document of `api`: the version PLT Sync uses, or `version`
    (Drive v2, which the emulator also serves)."""
    if version is None:
        from sync.google.workspace import discovery_document

        return discovery_document(api)
    from googleapiclient.discovery_cache import get_static_doc

    return json.loads(get_static_doc(api, version))


@lru_cache(maxsize=None)
def method_index(api: str, version: str | None = None) -> dict[str, str | None]:
    """Method id -> the name of its response schema (None when it answers nothing)."""
    return {method["id"]: method.get("response", {}).get("$ref") for method in methods(document(api, version))}


@lru_cache(maxsize=None)
def _definitions(api: str, version: str | None = None) -> dict:
    return {name: to_json_schema(schema) for name, schema in document(api, version)["schemas"].items()}


@lru_cache(maxsize=None)
def validator(api: str, schema_name: str, version: str | None = None) -> Draft202012Validator:
    definitions = _definitions(api, version)
    return Draft202012Validator({**_inlined(definitions, schema_name, {}, set()), "$defs": definitions})


def _inlined(definitions: dict, name: str, done: dict, open_names: set) -> dict:
    """`name`'s schema with its `$ref`s replaced by the schemas they name (shared, not copied),
    except those that recurse. Resolving `$ref`s one value at a time is what makes jsonschema
    slow; a page of 5,000 form responses validates about twice as fast inlined."""
    if name in done:
        return done[name]
    open_names.add(name)

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "").rsplit("/", 1)[-1]
            if ref:
                return node if ref in open_names else _inlined(definitions, ref, done, open_names)
            return {key: walk(value) for key, value in node.items()}
        return node
    done[name] = walk(definitions[name])
    open_names.discard(name)
    return done[name]


def check(api: str, method_id: str, payload: Any, version: str | None = None) -> str | None:
    """A sentence naming the method and the path of the first offending value, or None."""
    schema_name = method_index(api, version).get(method_id)
    if schema_name is None:
        return None
    errors = sorted(validator(api, schema_name, version).iter_errors(payload),
                    key=lambda error: [str(part) for part in error.absolute_path])
    if not errors:
        return None
    error = errors[0]
    where = "/".join(str(part) for part in error.absolute_path) or "(the whole answer)"
    return (f"The emulator's answer to {method_id} is not what Google sends ({schema_name} schema): "
            f"at {where}: {error.message}")


def violation(route, payload: Any) -> str | None:
    """`check` for a registered route; the admin routes are not checked."""
    if route.api not in _DISCOVERY_APIS:
        return None
    return check(route.api, route.method_id, payload, route.version)

"""Field masks, read against the message they mask.

Two kinds reach the emulator: the masks inside request bodies (`fields` of
updateSheetProperties, `updateMask` of a Forms updateItem) that say which fields a write
sets, and the `fields` parameter of any call that trims its answer. Both may name fields
in lowerCamelCase or by proto name, with `/` or `.` between parts and `a(b,c)` groups.
Each is rewritten once to lowerCamelCase dotted paths (`gridProperties.frozenRowCount`)
so handlers read one spelling, and a part that names no field of its message is refused
with a 400 naming it: Google never lets a mask silently select or change nothing.
"""
from __future__ import annotations

from .core import ApiError, parse_fields
from .json_names import known_name

# The message a body mask applies to, when it is not the one other message field of its
# request (updateCells and appendCells mask each CellData of their rows).
_MASKED = {"UpdateCellsRequest": "CellData", "AppendCellsRequest": "CellData"}
_NOT_MASKED = ("range", "location", "dataSourceSheetRange")


class MaskError(ValueError):
    """A mask that names something its message does not have; the text says what."""


def masked_schema(request_name: str, schemas: dict) -> str | None:
    """The schema a request's mask field applies to (`UpdateSheetPropertiesRequest` -> SheetProperties)."""
    if request_name in _MASKED:
        return _MASKED[request_name]
    properties = schemas[request_name].get("properties", {})
    refs = [prop["$ref"] for name, prop in properties.items() if "$ref" in prop and name not in _NOT_MASKED]
    return refs[0] if len(refs) == 1 else None


def normalised(text: str, schema_name: str, schemas: dict, *, through_lists: bool = True) -> str:
    """`text` as lowerCamelCase dotted paths, each checked against `schema_name`. A mask
    saying what a write sets (`through_lists=False`) may end at a list but not reach into
    one, as FieldMask defines; a mask trimming an answer may (`files(id,name)`)."""
    try:
        tree = parse_fields(text)
    except ApiError as err:
        raise MaskError(err.message) from None
    return ",".join(_paths(tree, schemas[schema_name], schema_name, schemas, "", through_lists))


def _paths(tree: dict, schema: dict, schema_name: str, schemas: dict, prefix: str, through_lists: bool) -> list[str]:
    out = []
    for name, sub in tree.items():
        if name == "*":
            out.append(prefix + "*")
            continue
        if "additionalProperties" in schema:  # a map: its keys are data, not field names
            field = name
            inner, inner_name = _inner(schema["additionalProperties"], schemas)
        else:
            field = known_name(schema.get("properties", {}), name)
            if field is None:
                raise MaskError(f'{schema_name} has no field "{name}".')
            if sub and not through_lists and schema["properties"][field].get("type") == "array":
                raise MaskError(f"{schema_name}.{field} is a list; a mask may name it but not parts of its items.")
            inner, inner_name = _inner(schema["properties"][field], schemas)
        if not sub:
            out.append(prefix + field)
        elif inner is None:
            raise MaskError(f'{schema_name}.{field} has no fields to select inside it.')
        else:
            out += _paths(sub, inner, inner_name, schemas, f"{prefix}{field}.", through_lists)
    return out


def _inner(prop: dict, schemas: dict) -> tuple[dict | None, str]:
    """The message (or map) a field holds, seen through lists; (None, "") for plain values."""
    while prop.get("type") == "array":
        prop = prop.get("items", {})
    if "$ref" in prop:
        return schemas[prop["$ref"]], prop["$ref"]
    if prop.get("type") == "object" and ("properties" in prop or "additionalProperties" in prop):
        return prop, "object"
    return None, ""

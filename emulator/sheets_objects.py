"""spreadsheets.batchUpdate kinds that attach things to a spreadsheet or a sheet:
protected ranges, named ranges, data validation, conditional formats, charts, borders,
row/column groups and developer metadata.

A protected range is kept with its owner listed as editor, as Google shows it on `get`,
while the `addProtectedRange` reply lists only the editors the request named.
"""
from __future__ import annotations

import copy

from . import sheets_grid as grid
from .sheets_a1 import valid_range_name
from .sheets_limits import dimension_span, in_grid, position
from .sheets_model import compact, new_numeric_id, parts, put_cell, sheet_by_id, cell_at
from .sheets_requests import Context, RequestError, handles, masked_update, sheet_of


def _taken_ids(ctx: Context, key: str, id_key: str) -> set:
    return {item[id_key] for sheet in ctx.doc["sheets"] for item in sheet.get(key, [])}


# Protected ranges.
@handles("addProtectedRange")
def add_protected_range(ctx: Context, body: dict) -> dict:
    wanted = body.get("protectedRange", {})
    sheet = sheet_of(ctx, wanted.get("range", {}))
    sheet_id = sheet["properties"]["sheetId"]
    taken = _taken_ids(ctx, "protectedRanges", "protectedRangeId")
    if wanted.get("protectedRangeId") in taken:
        raise RequestError(f"A protected range with id {wanted['protectedRangeId']} already exists.")
    protected = {"protectedRangeId": wanted.get("protectedRangeId") or new_numeric_id(taken),
                 "range": grid.stored_range(wanted.get("range", {}))}
    if wanted.get("description"):
        protected["description"] = wanted["description"]
    if wanted.get("warningOnly"):
        protected["warningOnly"] = True
    protected["requestingUserCanEdit"] = True
    named = [u for u in (wanted.get("editors") or {}).get("users") or [] if u != ctx.user_email]
    reply = {**copy.deepcopy(protected), "range": grid.answered_range(protected["range"], sheet_id),
             "editors": {"users": named} if named else {}}
    protected["editors"] = {"users": [ctx.user_email, *named]}
    sheet.setdefault("protectedRanges", []).append(protected)
    return {"protectedRange": reply}


def _protected(ctx: Context, protected_id: int) -> tuple[dict, dict]:
    for sheet in ctx.doc["sheets"]:
        for protected in sheet.get("protectedRanges", []):
            if protected["protectedRangeId"] == protected_id:
                return sheet, protected
    raise RequestError(f"No protected range with id: {protected_id}")


@handles("updateProtectedRange")
def update_protected_range(ctx: Context, body: dict) -> None:
    wanted = copy.deepcopy(body.get("protectedRange", {}))
    _, protected = _protected(ctx, wanted.get("protectedRangeId"))
    if "range" in wanted:
        wanted["range"] = grid.stored_range(wanted["range"])
    masked_update(protected, wanted, body.get("fields", ""))


@handles("deleteProtectedRange")
def delete_protected_range(ctx: Context, body: dict) -> None:
    sheet, protected = _protected(ctx, body.get("protectedRangeId"))
    sheet["protectedRanges"].remove(protected)
    if not sheet["protectedRanges"]:
        del sheet["protectedRanges"]


# Named ranges.
@handles("addNamedRange")
def add_named_range(ctx: Context, body: dict) -> dict:
    wanted = body.get("namedRange", {})
    name = _checked_name(wanted.get("name", ""))
    if any(n["name"].lower() == name.lower() for n in ctx.doc["namedRanges"]):
        raise RequestError(f"Named range with name \"{name}\" already exists.")
    sheet = sheet_of(ctx, wanted.get("range", {}))
    taken = {int(n["namedRangeId"]) for n in ctx.doc["namedRanges"] if str(n["namedRangeId"]).isdigit()}
    if any(n["namedRangeId"] == wanted.get("namedRangeId") for n in ctx.doc["namedRanges"]):
        raise RequestError(f"A named range with id {wanted['namedRangeId']} already exists.")
    named = {"namedRangeId": wanted.get("namedRangeId") or str(new_numeric_id(taken)), "name": name,
             "range": grid.answered_range(grid.stored_range(wanted.get("range", {})), sheet["properties"]["sheetId"])}
    ctx.doc["namedRanges"].append(named)
    return {"namedRange": copy.deepcopy(named)}


def _checked_name(name: str) -> str:
    if not valid_range_name(name):
        raise RequestError(f'"{name}" is not a valid name for a named range: a name holds letters, digits and '
                           "underscores, starts with a letter or an underscore, has at most 250 characters and "
                           "is neither TRUE, FALSE nor a cell reference such as A1 or R1C1.")
    return name


def _named(ctx: Context, named_id: str) -> dict:
    for named in ctx.doc["namedRanges"]:
        if named["namedRangeId"] == named_id:
            return named
    raise RequestError(f"No named range with id: {named_id}")


@handles("deleteNamedRange")
def delete_named_range(ctx: Context, body: dict) -> None:
    ctx.doc["namedRanges"].remove(_named(ctx, body.get("namedRangeId")))


@handles("updateNamedRange")
def update_named_range(ctx: Context, body: dict) -> None:
    wanted = copy.deepcopy(body.get("namedRange", {}))
    named = _named(ctx, wanted.get("namedRangeId"))
    if "name" in wanted:
        name = _checked_name(wanted["name"]).lower()
        if any(other is not named and other["name"].lower() == name for other in ctx.doc["namedRanges"]):
            raise RequestError(f"Named range with name \"{wanted['name']}\" already exists.")
    if "range" in wanted:
        wanted["range"] = grid.answered_range(grid.stored_range(wanted["range"]), wanted["range"].get("sheetId", 0))
    masked_update(named, wanted, body.get("fields", ""))


# Cells' attachments.
@handles("setDataValidation")
def set_data_validation(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body.get("range", {}))
    row0, row1, col0, col1 = grid.bounds(sheet, body.get("range", {}))
    for r in range(row0, row1):
        for c in range(col0, col1):
            stored = parts(cell_at(sheet, r, c))
            stored["dv"] = copy.deepcopy(body.get("rule")) or None
            put_cell(sheet, r, c, compact(stored))


@handles("updateBorders")
def update_borders(ctx: Context, body: dict) -> None:
    sheet = sheet_of(ctx, body.get("range", {}))
    row0, row1, col0, col1 = grid.bounds(sheet, body.get("range", {}))
    for r in range(row0, row1):
        for c in range(col0, col1):
            sides = {"top": body.get("top") if r == row0 else body.get("innerHorizontal"),
                     "bottom": body.get("bottom") if r == row1 - 1 else body.get("innerHorizontal"),
                     "left": body.get("left") if c == col0 else body.get("innerVertical"),
                     "right": body.get("right") if c == col1 - 1 else body.get("innerVertical")}
            sides = {k: copy.deepcopy(v) for k, v in sides.items() if v}
            if sides:
                stored = parts(cell_at(sheet, r, c))
                stored.setdefault("fmt", {}).setdefault("borders", {}).update(sides)
                put_cell(sheet, r, c, compact(stored))


@handles("copyPaste")
def copy_paste(ctx: Context, body: dict) -> None:
    source, target = body.get("source", {}), body.get("destination", {})
    from_sheet, to_sheet = sheet_of(ctx, source), sheet_of(ctx, target)
    row0, row1, col0, col1 = grid.bounds(from_sheet, source)
    block = grid.copy_block(from_sheet, row0, row1, col0, col1)
    if body.get("pasteOrientation") == "TRANSPOSE":
        block = [list(column) for column in zip(*block)]
    t_row0, t_row1, t_col0, t_col1 = grid.bounds(to_sheet, target)
    grid.paste_block(to_sheet, block, t_row0, t_col0, body.get("pasteType", "PASTE_NORMAL"),
                     t_row1 - t_row0, t_col1 - t_col0)


@handles("cutPaste")
def cut_paste(ctx: Context, body: dict) -> None:
    source, target = body.get("source", {}), body.get("destination", {})
    from_sheet, to_sheet = sheet_of(ctx, source), sheet_of(ctx, target)
    row0, row1, col0, col1 = grid.bounds(from_sheet, source)
    in_grid(to_sheet, target.get("rowIndex", 0), target.get("columnIndex", 0))
    block = grid.copy_block(from_sheet, row0, row1, col0, col1)
    for r in range(row0, row1):
        for c in range(col0, col1):
            put_cell(from_sheet, r, c, None)
    grid.paste_block(to_sheet, block, target.get("rowIndex", 0), target.get("columnIndex", 0),
                     body.get("pasteType", "PASTE_NORMAL"))


# Conditional formats and charts.
@handles("addConditionalFormatRule")
def add_conditional_format_rule(ctx: Context, body: dict) -> None:
    rule = copy.deepcopy(body.get("rule", {}))
    ranges = rule.get("ranges") or [{}]
    sheet = sheet_of(ctx, ranges[0])
    rule["ranges"] = [grid.stored_range(r) for r in ranges]
    rules = sheet.setdefault("conditionalFormats", [])
    rules.insert(position(body.get("index", len(rules)), len(rules), "index"), rule)


@handles("deleteConditionalFormatRule")
def delete_conditional_format_rule(ctx: Context, body: dict) -> dict:
    sheet = sheet_by_id(ctx.doc, body.get("sheetId", 0))
    rules = sheet.get("conditionalFormats", [])
    index = body.get("index", 0)
    if not 0 <= index < len(rules):
        raise RequestError(f"No conditional format on sheet: {body.get('sheetId', 0)} at index: {index}")
    rule = rules.pop(index)
    rule["ranges"] = [grid.answered_range(r, sheet["properties"]["sheetId"]) for r in rule["ranges"]]
    return {"rule": rule}


@handles("addChart")
def add_chart(ctx: Context, body: dict) -> dict:
    chart = copy.deepcopy(body.get("chart", {}))
    position = chart.get("position", {})
    anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {"sheetId": position.get("sheetId", 0)}
    sheet = sheet_of(ctx, anchor)
    taken = _taken_ids(ctx, "charts", "chartId")
    if chart.get("chartId") in taken:
        raise RequestError(f"A chart with id {chart['chartId']} already exists.")
    chart["chartId"] = chart.get("chartId") or new_numeric_id(taken)
    sheet.setdefault("charts", []).append(chart)
    return {"chart": copy.deepcopy(chart)}


def _chart(ctx: Context, chart_id: int) -> tuple[dict, dict]:
    for sheet in ctx.doc["sheets"]:
        for chart in sheet.get("charts", []):
            if chart["chartId"] == chart_id:
                return sheet, chart
    raise RequestError(f"No chart with id: {chart_id}")


@handles("updateChartSpec")
def update_chart_spec(ctx: Context, body: dict) -> None:
    _, chart = _chart(ctx, body.get("chartId"))
    chart["spec"] = copy.deepcopy(body.get("spec", {}))


@handles("deleteEmbeddedObject")
def delete_embedded_object(ctx: Context, body: dict) -> None:
    sheet, chart = _chart(ctx, body.get("objectId"))
    sheet["charts"].remove(chart)


# Row and column groups.
def _groups(ctx: Context, body: dict) -> tuple[dict, list, dict]:
    wanted = body.get("range", {})
    sheet = sheet_of(ctx, wanted)
    dimension, start, end = dimension_span(sheet, wanted)
    key = "rowGroups" if dimension == "ROWS" else "columnGroups"
    span = {"dimension": dimension, "startIndex": start, "endIndex": end}
    return sheet, sheet.setdefault(key, []), span


@handles("addDimensionGroup")
def add_dimension_group(ctx: Context, body: dict) -> dict:
    sheet, groups, span = _groups(ctx, body)
    depth = 1 + sum(1 for g in groups if g["range"]["startIndex"] <= span["startIndex"]
                    and g["range"]["endIndex"] >= span["endIndex"])
    groups.append({"range": span, "depth": depth})
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    control = "rowGroupControlAfter" if span["dimension"] == "ROWS" else "columnGroupControlAfter"
    sheet["properties"]["gridProperties"][control] = True
    return {"dimensionGroups": copy.deepcopy(groups)}


@handles("deleteDimensionGroup")
def delete_dimension_group(ctx: Context, body: dict) -> dict:
    sheet, groups, span = _groups(ctx, body)
    match = [g for g in groups if g["range"] == span]
    if not match:
        raise RequestError("No dimension group exists for the given range.")
    groups.remove(match[-1])
    key = "rowGroups" if span["dimension"] == "ROWS" else "columnGroups"
    if not groups:
        del sheet[key]
    return {"dimensionGroups": copy.deepcopy(groups)} if groups else {}

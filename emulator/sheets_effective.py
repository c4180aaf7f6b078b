"""What a cell effectively shows: the effectiveValue and effectiveFormat of CellData.

A cell's effective format is the spreadsheet's default format with the cell's own
(userEnteredFormat) laid over it, part by part, plus what Google decides itself: the
horizontal alignment a value gets when none was set (text left, numbers and dates right,
TRUE/FALSE centred), `hyperlinkDisplayType: PLAIN_TEXT`, and the theme's font (Arial)
where the default names a font list. Conditional formats are not applied. A cell with
neither a value nor a format of its own has no effective format, as in Google's answers.
The effective value is the value a formula computed (or its error), else the value entered.
"""
from __future__ import annotations

import copy

from . import sheets_cells as cells

_DEFAULT_FONT = "Arial"


def effective_value(stored: dict) -> dict | None:
    return cells.extended_value(stored.get("v"))


def effective_format(default_format: dict, stored: dict) -> dict | None:
    own = stored.get("fmt") or {}
    if not own and stored.get("v") is None:
        return None
    merged = _laid_over(copy.deepcopy(default_format), own)
    text = merged.setdefault("textFormat", {})
    if "," in text.get("fontFamily", ""):
        text["fontFamily"] = _DEFAULT_FONT
    if "horizontalAlignment" not in merged and stored.get("v") is not None:
        merged["horizontalAlignment"] = _alignment(stored["v"])
    merged.setdefault("hyperlinkDisplayType", "PLAIN_TEXT")
    if "backgroundColor" in merged:
        merged["backgroundColorStyle"] = {"rgbColor": copy.deepcopy(merged["backgroundColor"])}
    if "foregroundColor" in text:
        text["foregroundColorStyle"] = {"rgbColor": copy.deepcopy(text["foregroundColor"])}
    return merged


def _laid_over(base: dict, own: dict) -> dict:
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict) and not key.endswith("Color"):
            _laid_over(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _alignment(value) -> str:
    if isinstance(value, bool):
        return "CENTER"
    if isinstance(value, (int, float)):
        return "RIGHT"
    return "CENTER" if isinstance(value, dict) else "LEFT"

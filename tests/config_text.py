"""Reading a config file's text as a coordinator does: its tables in order, and the
comment lines above each key."""
from __future__ import annotations

import re
from collections import Counter


def tables(text: str, runs: bool = True) -> list[tuple[str, dict[str, list[str]]]]:
    """Each table of a TOML text in order: its header, and for each key the comment lines
    right above it (or, for a key in a run of keys, above the run, unless not `runs`)."""
    found: list[tuple[str, dict[str, list[str]]]] = [("", {})]
    pending: list[str] = []
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        header = re.match(r"^(\[\[?[^\]]+\]\]?)", stripped)
        key = re.match(r'^([A-Za-z0-9_-]+|"[^"]+")\s*=', stripped)
        if stripped.startswith("#"):
            pending = [*pending, stripped] if previous.startswith("#") else [stripped]
        elif header:
            found.append((header[1], {}))
            pending = []
        elif key:
            found[-1][1][key[1]] = pending
            pending = pending if runs else []
        else:
            pending = []
        previous = stripped
    return found


def comment_of(text: str, header: str, key: str, nth: int = 0) -> list[str]:
    return [keys for name, keys in tables(text) if name == header][nth][key]


def comment_lines(text: str) -> Counter:
    return Counter(line.strip() for line in text.splitlines() if line.strip().startswith("#"))

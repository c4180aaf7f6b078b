"""Where `plt`'s log lines go and how they look: plain text for a terminal, or one JSON
object per line for a scheduler's log collector (Cloud Logging, Kubernetes)."""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator, TextIO

_TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "severity": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _PltHandler(logging.StreamHandler):
    """Marks the handler `plt` installed, so a second run in one process replaces it."""


def configure_logging(stream: TextIO, verbose: bool, log_format: str) -> None:
    """Warnings and errors by default; everything with -v."""
    handler = _PltHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(_TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _PltHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


@contextmanager
def logging_scope() -> Iterator[None]:
    """Undo `configure_logging` when a command ends, so one process can run several
    commands (tests, the demo) without their log lines going to a finished command's stream."""
    root = logging.getLogger()
    level = root.level
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if isinstance(h, _PltHandler)]:
            root.removeHandler(handler)
        root.setLevel(level)

"""Replacing a file in one step: a crash leaves either the old file or the new one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

OWNER_ONLY = 0o600


def replace_file(path: str | os.PathLike, text: str, mode: int = OWNER_ONLY,
                 owner: tuple[int, int] | None = None) -> None:
    """Write `text` beside `path`, give it `mode`, then swap it in. The new file is created
    readable by its owner only (mkstemp), so a token is never readable by others, even briefly.
    `owner` (user and group ids) is given to the new file when running as root, so a file
    rewritten with sudo stays readable by the account whose cron job reads it; others can
    only make files of their own."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        if owner is not None and os.geteuid() == 0:
            os.chown(temporary, *owner)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise

"""`plt emulator serve`: the emulator as a standalone local server.

District IT and developers point a config's `[google] endpoint` (or `PLT_GOOGLE_ENDPOINT`)
at it to try `plt init` and `plt sync` without touching a real Google Workspace, and any
script using Google's client libraries can use it the same way (README, "Using the
emulator for your own scripts"). With a data file the forms, sheets, folders and sent mail
survive a restart. At start it prints where it listens and its admin routes.
"""
from __future__ import annotations

import re
import threading
from typing import Callable, Iterable

from .core import Emulator
from .scopes import GOOGLE
from .server import EmulatorServer
from .store import Store

# What `--fault-rate` injects: every failure a sync run must survive.
FAULT_KINDS = [429, 500, 503, "reset", "commit_then_fail"]
_PLACEHOLDER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")  # werkzeug's <form_id>, shown as {form_id}


def _braced(match: re.Match) -> str:
    return "{" + match.group(1) + "}"


def serve(port: int = 8765, data: str | None = None, latency_ms: float = 0, fault_rate: float = 0.0,
          seed: int | None = None, out: Callable[[str], None] = print, *, scopes: Iterable[str] | None = None,
          stop: threading.Event | None = None) -> None:
    """Serve until interrupted (Ctrl-C), or until `stop` is set when one is given. `scopes`
    are what a request without an emulator token may do (None: everything)."""
    emulator = Emulator(Store(data) if data else Store(), latency_ms=latency_ms, scopes=scopes)
    if fault_rate:
        emulator.faults.add({"kinds": FAULT_KINDS, "rate": fault_rate, "seed": seed})
    server = EmulatorServer(emulator, port=port)
    out(banner(server.url, emulator))
    try:
        if stop is None:
            server.serve_forever()
        else:
            server.start()
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        emulator.store.close()


def banner(url: str, emulator: Emulator) -> str:
    """What `serve` prints at start: the endpoint, how to use it, the scopes, the admin routes."""
    scopes = (", ".join(sorted(s.removeprefix(GOOGLE) for s in emulator.scopes)) if emulator.scopes is not None
              else "every scope (start with --scopes to grant fewer)")
    lines = [f"Emulator running at {url} (Forms v1, Sheets v4, Drive v3 and a v2 subset, Gmail v1, Docs v1, "
             "Calendar v3)",
             f'  in a config: [google] endpoint = "{url}"; or set PLT_GOOGLE_ENDPOINT={url}',
             f"  the view of its data: {url}/",
             f"  OAuth scopes granted: {scopes}; a bearer token \"emulator:<scope> ...\" carries its own",
             "Admin routes (not Google's):"]
    admin = sorted((r.rule, r.http_method) for r in emulator.routes if r.api == "admin" and r.rule != "/")
    lines += [f"  {method:<6} {_PLACEHOLDER.sub(_braced, rule)}" for rule, method in admin]
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)

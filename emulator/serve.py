"""`plt emulator serve`: the emulator as a standalone local server.

District IT and developers point a config's `[google] endpoint` (or `PLT_GOOGLE_ENDPOINT`)
at it to try `plt init` and `plt sync` without touching a real Google Workspace. With a
data file the forms, sheets, folders and sent mail survive a restart.
"""
from __future__ import annotations

import threading
from typing import Callable

from .core import Emulator
from .server import EmulatorServer
from .store import Store

# What `--fault-rate` injects: every failure a sync run must survive.
FAULT_KINDS = [429, 500, 503, "reset", "commit_then_fail"]


def serve(port: int = 8765, data: str | None = None, latency_ms: float = 0, fault_rate: float = 0.0,
          seed: int | None = None, out: Callable[[str], None] = print, *,
          stop: threading.Event | None = None) -> None:
    """Serve until interrupted (Ctrl-C), or until `stop` is set when one is given."""
    emulator = Emulator(Store(data) if data else Store(), latency_ms=latency_ms)
    if fault_rate:
        emulator.faults.add({"kinds": FAULT_KINDS, "rate": fault_rate, "seed": seed})
    server = EmulatorServer(emulator, port=port)
    out(f'Emulator running. In your config: [google] endpoint = "{server.url}"')
    out(f"or set PLT_GOOGLE_ENDPOINT={server.url} ; the view is at {server.url}/ ; Ctrl-C stops it.")
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

"""The emulator's own admin API (not Google's), under /_emulator/."""
from __future__ import annotations

from .core import Api, Call

api = Api("admin")


@api.route("GET", "/_emulator/stats", "admin.stats")
def stats(call: Call) -> dict:
    return call.emulator.stats.snapshot()


@api.route("DELETE", "/_emulator/stats", "admin.stats.reset")
def reset_stats(call: Call) -> dict:
    call.emulator.stats.reset()
    return {}


@api.route("POST", "/_emulator/reset", "admin.reset")
def reset(call: Call) -> dict:
    call.emulator.store.reset()
    call.emulator.stats.reset()
    return {}

"""The emulator's own admin API (not Google's), under /_emulator/, plus the HTML view at `/`.

Tests and benchmarks use it to look at what a sync run cost, to make Google misbehave on
purpose, and to start over. Admin calls are never counted, delayed, charged or failed.

    GET    /_emulator/stats     -> Stats.snapshot(); DELETE resets the counts
    GET    /_emulator/faults    -> {"rules": [rule with "matched", "injected"]}
    POST   /_emulator/faults    one rule or {"rules": [...]} (emulator/faults.py), added
    DELETE /_emulator/faults    removes every rule
    POST   /_emulator/quotas    {"enabled", "time_scale", "limits": {bucket: n}}, all optional
                                -> {"enabled", "time_scale", "window", "window_seconds", "limits"}
    POST   /_emulator/latency   {"latency_ms": n} -> {"latency_ms": n}
    POST   /_emulator/reset     forgets every document, count, fault rule, quota charge and
                                armed edit; keeps latency and whether quotas are enforced
    .../sheets/{id}/edits       a coordinator's edit before the next write (sheets_admin.py)
"""
from __future__ import annotations

from .core import Api, ApiError, Call, Raw

api = Api("admin")


@api.route("GET", "/_emulator/stats", "admin.stats")
def stats(call: Call) -> dict:
    return call.emulator.stats.snapshot()


@api.route("DELETE", "/_emulator/stats", "admin.stats.reset")
def reset_stats(call: Call) -> dict:
    call.emulator.stats.reset()
    return {}


@api.route("GET", "/_emulator/faults", "admin.faults")
def list_faults(call: Call) -> dict:
    return {"rules": call.emulator.faults.describe()}


@api.route("POST", "/_emulator/faults", "admin.faults.add")
def add_faults(call: Call) -> dict:
    body = call.json()
    specs = body.get("rules") if isinstance(body, dict) and "rules" in body else [body]
    if not isinstance(specs, list):
        raise ApiError(400, "rules must be a list of fault rules.")
    for spec in specs:
        call.emulator.faults.add(spec)
    return {"rules": call.emulator.faults.describe()}


@api.route("DELETE", "/_emulator/faults", "admin.faults.clear")
def clear_faults(call: Call) -> dict:
    call.emulator.faults.clear()
    return {"rules": []}


@api.route("POST", "/_emulator/quotas", "admin.quotas")
def configure_quotas(call: Call) -> dict:
    body = call.json()
    unknown = set(body) - {"enabled", "time_scale", "limits"}
    if unknown:
        raise ApiError(400, f"Unknown quota settings: {', '.join(sorted(unknown))}.")
    return call.emulator.quotas.configure(enabled=body.get("enabled"), time_scale=body.get("time_scale"),
                                          limits=body.get("limits"))


@api.route("POST", "/_emulator/latency", "admin.latency")
def set_latency(call: Call) -> dict:
    latency = call.json().get("latency_ms")
    if not isinstance(latency, (int, float)) or isinstance(latency, bool) or latency < 0:
        raise ApiError(400, f"latency_ms must be a number of milliseconds >= 0; got {latency!r}.")
    call.emulator.latency_ms = latency
    return {"latency_ms": latency}


@api.route("POST", "/_emulator/reset", "admin.reset")
def reset(call: Call) -> dict:
    call.emulator.store.reset()
    call.emulator.stats.reset()
    call.emulator.faults.clear()
    call.emulator.quotas.clear_usage()
    call.emulator.armed_edits.clear()
    return {}


@api.route("GET", "/", "admin.view")
def view(call: Call) -> Raw:
    from .view import render

    return Raw(render(call.emulator).encode("utf-8"), "text/html; charset=utf-8")

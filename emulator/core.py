"""The emulator's request pipeline, shared by every API it serves.

Each API module declares its methods with `@api.route(...)`; `Emulator.handle` matches a
request, counts it under its discovery method id (`drive.files.list`), applies latency,
quotas and injected faults, then runs the handler inside one store transaction.
Handlers receive a `Call` and return a JSON-able dict, `(status, dict)`, or a `Raw`.
"""
from __future__ import annotations

import json
import logging
import math
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any, Callable

from werkzeug.datastructures import Headers, MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from .store import Store

_STATUS = {
    400: ("INVALID_ARGUMENT", "badRequest"),
    401: ("UNAUTHENTICATED", "authError"),
    403: ("PERMISSION_DENIED", "forbidden"),
    404: ("NOT_FOUND", "notFound"),
    409: ("ALREADY_EXISTS", "conflict"),
    429: ("RESOURCE_EXHAUSTED", "rateLimitExceeded"),
    500: ("INTERNAL", "backendError"),
    501: ("UNIMPLEMENTED", "notImplemented"),
    503: ("UNAVAILABLE", "backendError"),
}


class ApiError(Exception):
    """An error answered the way Google answers it: `{"error": {code, message, status, errors}}`."""

    def __init__(self, code: int, message: str, status: str | None = None, reason: str | None = None,
                 headers: dict[str, str] | None = None, details: list[dict] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS.get(code, ("UNKNOWN", "unknown"))[0]
        self.reason = reason or _STATUS.get(code, ("UNKNOWN", "unknown"))[1]
        self.headers = headers or {}
        self.details = details  # google.rpc error details (ErrorInfo), when Google sends them

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message, "status": self.status,
                 "errors": [{"message": self.message, "domain": "global", "reason": self.reason}]}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class ConnectionReset(Exception):
    """Raised to make the server drop the connection without an answer."""


@dataclass
class Raw:
    """A non-JSON answer (media, multipart batch responses)."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    api: str            # forms | sheets | drive | gmail | admin
    method_id: str      # the discovery id, e.g. "sheets.spreadsheets.values.batchGet"
    http_method: str
    rule: str
    handler: Callable[..., Any]
    write: bool         # counts against write quotas
    units: int = 1      # quota units (Gmail send = 100)
    counted: bool = True  # False for envelopes (batch) whose parts are counted one by one
    version: str | None = None  # the discovery document's version when not the one PLT Sync uses (Drive v2)


class Api:
    """A group of routes for one API; modules create one and decorate handlers with it."""

    def __init__(self, name: str, version: str | None = None):
        self.name = name
        self.version = version
        self.routes: list[Route] = []

    def route(self, http_method: str, rule: str, method_id: str, *, write: bool = False, units: int = 1,
              counted: bool = True):
        def register(fn):
            self.routes.append(Route(self.name, method_id, http_method, rule, fn, write, units, counted,
                                     self.version))
            return fn
        return register


@dataclass
class Call:
    """Everything a handler may look at: the request and the emulator's state."""

    emulator: "Emulator"
    method: str
    path: str
    query: MultiDict
    headers: Headers
    body: bytes
    route: Route
    _read: Any = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        return self.emulator.store

    def json(self) -> Any:
        """The body as the method's request message (emulator/json_mapping.py): one
        spelling, checked types, or Google's 400 before the handler sees anything."""
        if self._read is None:
            from .json_mapping import request_body

            self._read = request_body(self.route, parse_json(self.body) if self.body else {})
        return self._read

    @cached_property
    def scopes(self) -> frozenset[str] | None:
        """The OAuth scopes this request carries (emulator/scopes.py); None grants everything."""
        from .scopes import request_scopes

        return request_scopes(self.emulator.scopes, self.headers)

    def arg(self, name: str, default: Any = None) -> Any:
        return self.query.get(name, default)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.query.get(name)
        return default if value is None else value.lower() == "true"

    def int_arg(self, name: str, default: int) -> int:
        value = self.query.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, f"Invalid value for {name}: {value}") from None


DEFAULT_USER = "plt.coordinator@belmont.example.org"
# werkzeug compiles each route with `ast.parse`, which CPython 3.11 does not make safe to
# run on several threads at once ("AST constructor recursion depth mismatch"): routing
# tables are compiled one at a time here.
_COMPILING = threading.Lock()
_VERB_SUFFIX = re.compile(r":([A-Za-z]+)$")


class _Routing:
    """The routes matched by URL path. Compiling them costs about a third of a second, so
    every emulator serving only the built-in routes shares one table (matching only reads it)."""

    def __init__(self, routes: Iterable[Route]):
        self.routes: list[Route] = []
        self.map = Map(strict_slashes=False, merge_slashes=False)
        self.verbs: set[str] = set()
        self.by_endpoint: dict[str, Route] = {}
        for route in routes:
            self.add(route)

    def add(self, route: Route) -> None:
        rule = route.rule
        verb = _VERB_SUFFIX.search(rule)
        if verb:
            self.verbs.add(verb.group(1))
            rule = rule[: verb.start()] + "/@" + verb.group(1)
        endpoint = f"{route.method_id}#{route.http_method}#{len(self.routes)}"
        self.by_endpoint[endpoint] = route
        self.routes.append(route)
        self.map.add(Rule(rule, endpoint=endpoint, methods=[route.http_method]))


_BUILTIN: list[_Routing] = []
_BUILTIN_LOCK = threading.Lock()


def _builtin_routing() -> _Routing:
    """The shared table of every API module's routes, compiled on first use."""
    with _BUILTIN_LOCK:
        if not _BUILTIN:
            with _COMPILING:
                _BUILTIN.append(_Routing(route for api in _all_apis() for route in api.routes))
        return _BUILTIN[0]


class Emulator:
    """One emulated Google Workspace: a store, the routes of every API, and the hooks."""

    def __init__(self, store: Store | None = None, *, latency_ms: float = 0.0,
                 clock: Callable[[], datetime] | None = None, user_email: str = DEFAULT_USER,
                 validate_responses: bool = False, scopes: Iterable[str] | None = None):
        from . import hooks  # faults, quotas, statistics
        from .scopes import parse_scopes

        self.store = store or Store()
        self.user_email = user_email  # the account every call is made as
        # The scopes a request without an emulator token carries; None grants everything.
        self.scopes = parse_scopes(scopes)
        self.latency_ms = latency_ms
        self.validate_responses = validate_responses  # check answers against discovery schemas
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.stats = hooks.Stats()
        self.faults = hooks.Faults()
        self.quotas = hooks.Quotas()
        self.armed_edits: dict[str, list[dict]] = {}   # spreadsheet id -> a coordinator's edit before its next write
        self._routing = _builtin_routing()

    @property
    def routes(self) -> list[Route]:
        return self._routing.routes

    def add_route(self, route: Route) -> None:
        """Serve one more route; this emulator stops sharing the built-in table."""
        shared = _builtin_routing()
        with _COMPILING:
            if self._routing is shared:
                self._routing = _Routing(shared.routes)
            self._routing.add(route)

    # Identity and time.
    def now(self) -> datetime:
        return self.clock()

    def now_rfc3339(self) -> str:
        return rfc3339(self.now())

    @staticmethod
    def new_id(length: int = 44) -> str:
        return secrets.token_urlsafe(length)[:length].replace("-", "x").replace("_", "y")

    # The pipeline.
    def match(self, method: str, raw_path: str) -> tuple[Route, dict[str, str]]:
        path = raw_path
        last = path.rsplit("/", 1)[-1]
        verb = _VERB_SUFFIX.search(last)
        if verb and verb.group(1) in self._routing.verbs:
            path = path[: len(path) - len(verb.group(0))] + "/@" + verb.group(1)
        adapter = self._routing.map.bind("emulator", "/")
        try:
            endpoint, args = adapter.match(path, method=method)
        except MethodNotAllowed:
            raise ApiError(405, f"Method {method} is not allowed on {raw_path}", "METHOD_NOT_ALLOWED",
                           "methodNotAllowed") from None
        except NotFound:
            raise ApiError(404, f"The requested URL {raw_path} was not found on this server.") from None
        route = self._routing.by_endpoint[endpoint]
        return route, {k: urllib.parse.unquote(v) for k, v in args.items()}

    def handle(self, method: str, raw_path: str, query_string: str, headers: Headers | dict,
               body: bytes, *, in_batch: bool = False) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: (status, headers, body). Raises ConnectionReset.
        A part of a batch (`in_batch`) is not delayed again: the batch's one round trip was."""
        from .scopes import check_scopes

        method, query_string, body = _method_override(method, query_string, Headers(headers), body)
        try:
            route, args = self.match(method, raw_path)
        except ApiError as err:
            return _json_answer(err.code, err.body(), err.headers)
        query = MultiDict(urllib.parse.parse_qsl(query_string, keep_blank_values=True))
        call = Call(self, method, raw_path, query, Headers(headers), body, route)
        if route.api == "admin" or not route.counted:
            return self._run(call, args)
        self.stats.count(route)
        if self.latency_ms and not in_batch:
            time.sleep(self.latency_ms / 1000.0)
        try:
            check_scopes(call, args)
            self.quotas.charge(route, call)
            fault = self.faults.pick(route, raw_path)
            if fault is not None:
                self.stats.fault(fault)
            if fault is not None and fault.kind == "status":
                raise fault.error()
            if fault is not None and fault.kind == "reset":
                raise ConnectionReset()
        except ApiError as err:
            self.stats.error(route, err.code)
            return _json_answer(err.code, err.body(), err.headers)
        status, out_headers, out_body = self._run(call, args)
        if fault is not None and fault.kind == "commit_then_fail":
            err = fault.error()
            self.stats.error(route, err.code)
            return _json_answer(err.code, err.body(), err.headers)
        if self.validate_responses and 200 <= status < 300:
            status, out_headers, out_body = _validated(route, status, out_headers, out_body)
        if status >= 400:
            self.stats.error(route, status)
        return status, out_headers, out_body

    def _run(self, call: Call, args: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        from .json_mapping import reads_json_body
        from .query_params import normalised

        try:
            call.query = normalised(call.route, call.query)
            if reads_json_body(call.route):
                call.json()  # Google's front end reads the body before the API looks at anything
            with self.store.transaction():
                result = call.route.handler(call, **args)
        except ApiError as err:
            return _json_answer(err.code, err.body(), err.headers)
        except Exception:  # a defect of the emulator, answered the way Google answers its own
            logging.getLogger("emulator").exception("%s failed", call.route.method_id)
            err = ApiError(500, "Internal error encountered.")
            return _json_answer(err.code, err.body())
        if isinstance(result, Raw):
            return result.status, {"Content-Type": result.content_type, **result.headers}, result.body
        status, payload = result if isinstance(result, tuple) else (200, result)
        fields = call.query.get("fields")
        if fields and isinstance(payload, dict) and status < 300 and call.route.api != "admin":
            payload = apply_fields(payload, fields)
        return _json_answer(status, payload)


def parse_json(body: bytes) -> Any:
    """JSON as Google's front end reads it: UTF-8, finite numbers, no unpaired surrogates
    (which could be neither stored nor answered), nested at most 100 deep (as protobuf's
    parser), else a 400 saying what is wrong."""
    try:
        value = json.loads(body, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"Invalid JSON payload received. {exc}") from None
    if _deeper_than(value, MAX_NESTING):
        raise ApiError(400, f"Invalid JSON payload received. The JSON nests deeper than {MAX_NESTING} levels.")
    if _SURROGATE_ESCAPE.search(body):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(400, "Invalid JSON payload received. A string holds an unpaired UTF-16 "
                                "surrogate escape, which is not a character.") from None
    return value


_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")
MAX_NESTING = 100


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep (walked without recursion)."""
    pending = [(value, 1)] if isinstance(value, (dict, list)) else []
    while pending:
        item, depth = pending.pop()
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
                       if isinstance(child, (dict, list)))
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _validated(route: Route, status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    """The answer itself, or a 500 naming the method and the offending value when it is not
    something Google could have sent (see emulator/schema.py)."""
    from .schema import violation

    if not headers.get("Content-Type", "").startswith("application/json") or not body:
        return status, headers, body
    problem = violation(route, json.loads(body))
    if problem is None:
        return status, headers, body
    err = ApiError(500, problem)
    return _json_answer(err.code, err.body())


def _method_override(method: str, query_string: str, headers: Headers, body: bytes) -> tuple[str, str, bytes]:
    """Google's clients send a GET whose URL would be too long as a POST carrying
    `X-HTTP-Method-Override: GET` and the query in a form-encoded body; Google accepts it."""
    override = headers.get("X-HTTP-Method-Override")
    if method != "POST" or not override:
        return method, query_string, body
    if headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        extra = body.decode("utf-8")
        query_string = f"{query_string}&{extra}" if query_string and extra else (query_string or extra)
        body = b""
    return override.upper(), query_string, body


def _json_answer(status: int, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    out = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
    return status, out, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def rfc3339(moment: datetime) -> str:
    """Google's timestamp format: UTC with milliseconds and a Z."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_rfc3339(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# Partial responses: the `fields` parameter (`files(id,name),nextPageToken`, `sheets/properties`).
def parse_fields(text: str) -> dict:
    """Parse a field mask into a tree {name: subtree or {} for the whole value}."""
    tree: dict = {}
    pos = 0

    def parse_list(end_char: str | None) -> dict:
        nonlocal pos
        node: dict = {}
        while pos < len(text):
            if end_char and text[pos] == end_char:
                pos += 1
                return node
            # Google accepts both `sheets/data` and `sheets.data` as a path.
            match = re.compile(r"\s*([A-Za-z0-9_*]+(?:[/.][A-Za-z0-9_*]+)*)\s*").match(text, pos)
            if not match:
                raise ApiError(400, f"Invalid field selection {text}")
            pos = match.end()
            parts = re.split(r"[/.]", match.group(1))
            sub: dict = {}
            if pos < len(text) and text[pos] == "(":
                pos += 1
                sub = parse_list(")")
            cursor = node
            for part in parts[:-1]:
                cursor = cursor.setdefault(part, {})
                if cursor is None:
                    break
            if cursor is not None:
                _merge(cursor, parts[-1], sub)
            while pos < len(text) and text[pos] in " ,":
                pos += 1
        if end_char:
            raise ApiError(400, f"Invalid field selection {text}")
        return node

    tree = parse_list(None)
    return tree


def _merge(node: dict, name: str, sub: dict) -> None:
    if name in node and node[name] == {}:
        return
    if not sub:
        node[name] = {}
    else:
        existing = node.setdefault(name, {})
        existing.update(sub)


def apply_fields(payload: Any, fields: str | dict) -> Any:
    tree = parse_fields(fields) if isinstance(fields, str) else fields
    return _select(payload, tree)


def _select(value: Any, tree: dict) -> Any:
    if not tree or "*" in tree and len(tree) == 1:
        return value
    if isinstance(value, list):
        return [_select(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in tree:
        return value
    out = {}
    for name, sub in tree.items():
        if name in value:
            out[name] = _select(value[name], sub)
    return out


def _all_apis() -> list[Api]:
    """Every API module that exists in this build of the emulator."""
    import importlib

    apis = []
    for name in ("admin", "forms", "sheets", "drive", "drive_v2", "gmail", "docs", "calendar_api"):
        try:
            module = importlib.import_module(f"emulator.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"emulator.{name}":
                raise
            continue
        apis.append(module.api)
    return apis

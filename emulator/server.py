"""Serving an `Emulator` over loopback HTTP with werkzeug's threaded server."""
from __future__ import annotations

import logging
import os
import socket
import struct
import threading
from typing import Iterable

from werkzeug.datastructures import Headers
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request

from .core import ConnectionReset, Emulator
from .store import Store


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr: tests and the demo print their own summaries."""

    def log_request(self, *args, **kwargs) -> None:
        pass

    def connection_dropped(self, error, environ=None) -> None:
        self.close_connection = True  # an emulated reset: the socket is already closed

    def log(self, type: str, message: str, *args) -> None:
        if type == "error":
            logging.getLogger("emulator").debug(message, *args)


def wsgi_app(emulator: Emulator):
    def app(environ, start_response) -> Iterable[bytes]:
        request = Request(environ)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
        raw_path = raw.split("?", 1)[0]
        if "://" in raw_path:  # absolute-form request line
            raw_path = "/" + raw_path.split("://", 1)[1].split("/", 1)[-1]
        query = raw.split("?", 1)[1] if "?" in raw else ""
        body = request.get_data(cache=False)
        try:
            status, headers, payload = emulator.handle(request.method, raw_path, query, Headers(request.headers), body)
        except ConnectionReset:
            _reset(environ.get("werkzeug.socket"))
        start_response(f"{status} {_reason(status)}", list(headers.items()) + [("Content-Length", str(len(payload)))])
        return [payload]
    return app


def _reset(sock: socket.socket | None) -> None:
    """Close the client's connection abruptly (TCP RST), as a dropped connection looks, then
    tell werkzeug the connection is gone so it writes nothing more."""
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(sock.detach())  # sock.close() alone waits for the handler's file objects
    raise ConnectionResetError("emulated connection reset")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class EmulatorServer:
    """A running emulator on 127.0.0.1; use as a context manager or call start/stop."""

    def __init__(self, emulator: Emulator | None = None, *, port: int = 0, data: str = ":memory:",
                 latency_ms: float = 0.0, scopes: Iterable[str] | None = None):
        self.emulator = emulator or Emulator(Store(data), latency_ms=latency_ms, scopes=scopes)
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, wsgi_app(self.emulator), threaded=True,
                                                   request_handler=_QuietHandler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> "EmulatorServer":
        # A short poll: stopping waits for the serving loop's next poll (0.5 s by default).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

"""Shared fixtures: a live emulator on loopback for every test that talks to "Google"."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from emulator.core import Emulator
from emulator.server import EmulatorServer
from sync.google.workspace import SCOPES


@pytest.fixture
def emulator_server():
    """A fresh in-memory emulator served on 127.0.0.1 for one test. Every answer is checked
    against Google's response schemas, so a test never passes against a drifted emulator, and
    every call is allowed only what the OAuth scopes the README documents allow, so a call
    PLT Sync could not make on real Google fails here too."""
    with EmulatorServer(Emulator(validate_responses=True, scopes=SCOPES)) as server:
        yield server


@pytest.fixture
def endpoint(emulator_server) -> str:
    return emulator_server.url


@pytest.fixture
def admin(endpoint):
    """Calls the emulator's admin API over plain HTTP: `admin("POST", "/_emulator/faults", {...})`
    returns (status, parsed JSON body, headers)."""
    def call(method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read() or b"{}"), response.headers
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}"), err.headers
    return call


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The demo programme after its last run (12 teams, the charter deadline passed), made once."""
    from sync.commands.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo")).workdir


@pytest.fixture
def served_demo(demo_data, tmp_path):
    """A private copy of the demo's data served by an emulator; yields (config, endpoint)."""
    import shutil

    for name in ("plt.toml", "emulator.sqlite", "emulator.sqlite-wal"):
        if (demo_data / name).exists():
            shutil.copy(demo_data / name, tmp_path / name)
    with EmulatorServer(data=str(tmp_path / "emulator.sqlite"), scopes=SCOPES) as server:
        yield tmp_path / "plt.toml", server.url

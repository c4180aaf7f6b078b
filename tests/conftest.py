"""Shared fixtures: a live emulator on loopback for every test that talks to "Google"."""
from __future__ import annotations

import pytest

from emulator.server import EmulatorServer


@pytest.fixture
def emulator_server():
    """A fresh in-memory emulator served on 127.0.0.1 for one test."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def endpoint(emulator_server) -> str:
    return emulator_server.url

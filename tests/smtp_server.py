"""A real SMTP server (aiosmtpd) on loopback for the tests of the SMTP sender: it keeps
what arrived, and refuses recipients on request ("gone..." for good, "busy..." for now)."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what arrived and refuses recipients on request."""

    messages: list = field(default_factory=list)
    connections: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 mailbox does not exist"
        if address.startswith("busy"):
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if not any(known is session for known in self.connections):
            self.connections.append(session)
        login = session.auth_data.login if session.auth_data else None
        self.messages.append((login, envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_server():
    controllers = []

    def start(**smtp_options) -> tuple[Inbox, int]:
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **smtp_options)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()

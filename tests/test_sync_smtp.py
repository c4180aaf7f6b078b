"""Reminders through a real local SMTP server (aiosmtpd): one session per run, and a
server that cannot be reached leaves every reminder due for the next run, never lost."""
import socket

import pytest
import tomlkit
from aiosmtpd.controller import Controller

from sheets import layout as L
from programme import Programme, at


class Inbox:
    def __init__(self):
        self.messages = []
        self.sessions = set()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        self.sessions.add(id(session))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_config(port: int):
    def edit(text: str) -> str:
        document = tomlkit.parse(text)
        document["mail"]["backend"] = "smtp"
        document["mail"]["smtp"] = {"host": "127.0.0.1", "port": port, "security": "none"}
        return tomlkit.dumps(document)
    return edit


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_reminders_go_through_smtp_in_one_session(endpoint, tmp_path, inbox):
    handler, port = inbox
    programme = Programme.create(endpoint, tmp_path, edit=smtp_config(port))
    for first, last in (("Ana", "Lopez"), ("Ben", "Okafor")):
        programme.submit(first, last)
    report = programme.sync(at("2017-11-20 09:00"))
    assert report.reminders["sent"] >= 2
    assert len(handler.messages) == report.reminders["sent"]
    assert len(handler.sessions) == 1
    assert all(r["Status"] == "sent" for r in programme.records(L.REMINDERS))


def test_unreachable_smtp_server_leaves_reminders_due_and_sends_them_next_run(endpoint, tmp_path):
    port = free_port()
    programme = Programme.create(endpoint, tmp_path, edit=smtp_config(port))
    programme.submit("Ana", "Lopez")
    down = programme.sync(at("2017-11-20 09:00"))
    assert down.reminders["sent"] == 0 and down.reminders["failed"] > 0 and down.exit_code == 1
    assert {r["Status"] for r in programme.records(L.REMINDERS)} == {"failed"}
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = programme.sync(at("2017-11-20 10:00"))
    finally:
        controller.stop()
    assert up.reminders["sent"] == down.reminders["failed"]
    assert len(handler.messages) == up.reminders["sent"]
    assert {r["Status"] for r in programme.records(L.REMINDERS)} == {"sent"}

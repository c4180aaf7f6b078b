"""The contract every reminder sender keeps, whatever mail system is behind it: the Gmail
sender through the real Gmail client on the emulator, and the SMTP sender against a real
SMTP server on loopback. A reminder arrives as built with its Message-ID; a hostile team
or facilitator name adds no recipient and no header; a refusal says whether trying again
later may help, and sends nothing; a sent reminder is found again where the backend can
look into sent mail, and never claimed where it cannot."""
from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Callable

import pytest

from mail.gmail import GmailSender
from mail.message import Reminder, SendError, build_message, message_id
from mail.render import render_reminder
from mail.sender import Sender
from mail.smtp import SmtpSender
from smtp_server import start_server  # noqa: F401 (a fixture)
from sync.google.errors import classify
from sync.google.workspace import connect

DOMAIN = "belmont.k12.ma.us"
FACILITATOR, COORDINATOR = "jdoe@belmont.k12.ma.us", "jdarias@belmont.k12.ma.us"
HOSTILE = "Math\r\nBcc: evil@y.org\r\nX-Injected: 1 <script>{{ 7*7 }}"


def charter_reminder(**changes) -> Reminder:
    reminder = Reminder(
        key="t-4f2a:charter:before-1", team_id="t-4f2a", unit_name="Grade 3 Math Discourse", site="Winn Brook",
        milestone_key="charter", milestone_title="team charter", due=date(2017, 11, 17), step="before-1",
        to=(FACILITATOR,), cc=(COORDINATOR,), recipient_name="Jane Doe",
        folder_link="https://drive.google.com/drive/folders/1AbC", evidence="the signed PLT Charter",
        overdue_days=0)
    return dataclasses.replace(reminder, **changes)


def reminder_email(**changes) -> EmailMessage:
    reminder = charter_reminder(**changes)
    subject, text, html = render_reminder(reminder, programme="Belmont PLTs", coordinator="Janice Darias")
    return build_message(reminder, from_address=f"Janice Darias <{COORDINATOR}>", reply_to=None, subject=subject,
                         text=text, html=html, domain=DOMAIN, date=datetime(2017, 11, 16, 13, tzinfo=timezone.utc))


@dataclass
class Backend:
    """A sender on a live mail system, and what a test needs to see behind it."""

    sender: Sender
    # Every message that arrived: (the envelope's recipients, the message as stored).
    received: Callable[[], list[tuple[list[str], EmailMessage]]]
    # A sender and a message this mail system refuses: for now (True) or for good (False).
    refusing: Callable[[bool], tuple[Sender, EmailMessage]]


@pytest.fixture
def gmail_backend(endpoint, admin) -> Backend:
    gmail = connect(None, endpoint).gmail

    def received():
        _status, body, _headers = admin("GET", "/_emulator/mail")
        found = []
        for listed in body["messages"]:
            raw = gmail.users().messages().get(userId="me", id=listed["id"], format="raw").execute()["raw"]
            found.append((listed["to"] + listed["cc"] + listed["bcc"],
                          message_from_bytes(base64.urlsafe_b64decode(raw), policy=policy.default)))
        return found

    def refusing(for_now: bool):
        if for_now:
            admin("POST", "/_emulator/faults", {"kinds": [503], "count": 1, "methods": ["gmail.users.messages.send"]})
            return GmailSender(gmail, classify=classify), reminder_email()
        # Sending as another mailbox needs domain-wide delegation this account lacks.
        return GmailSender(gmail, classify=classify, user_id="someone-else@belmont.k12.ma.us"), reminder_email()

    return Backend(GmailSender(gmail, classify=classify), received, refusing)


@pytest.fixture
def smtp_backend(start_server) -> Backend:  # noqa: F811 (the fixture imported above)
    inbox, port = start_server()
    sender = SmtpSender("127.0.0.1", port, "none")

    def received():
        return [(recipients, message_from_bytes(content, policy=policy.default))
                for _login, _from, recipients, content in inbox.messages]

    def refusing(for_now: bool):
        mailbox = "busy" if for_now else "gone"  # 451 mailbox busy, or 550 no such mailbox
        return sender, reminder_email(to=(f"{mailbox}@belmont.k12.ma.us",), cc=())

    return Backend(sender, received, refusing)


@pytest.fixture(params=["gmail", "smtp"])
def backend(request) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


def test_every_backend_is_a_sender(backend):
    assert isinstance(backend.sender, Sender)


def test_a_reminder_arrives_as_built_with_its_message_id(backend):
    message = reminder_email()

    sent_id = backend.sender.send(message)

    [(recipients, arrived)] = backend.received()
    assert isinstance(sent_id, str) and sent_id
    assert arrived["Message-ID"] == message["Message-ID"] == message_id("t-4f2a:charter:before-1", DOMAIN)
    assert sorted(recipients) == sorted([FACILITATOR, COORDINATOR])
    assert arrived["Subject"] == "Reminder: team charter for Grade 3 Math Discourse due Nov 17"
    assert "Friday, November 17, 2017" in arrived.get_body(("plain",)).get_content()


def test_a_sent_reminder_is_found_again_only_where_the_backend_can_look(backend):
    sender = backend.sender
    sender.send(reminder_email(key="t-1:charter:before-7"))
    sent_id = sender.send(reminder_email(key="t-1:charter:before-1"))

    found = sender.find_sent(message_id("t-1:charter:before-1", DOMAIN))

    assert found == (sent_id if sender.at_least_once_safe else None)
    assert sender.find_sent(message_id("t-1:charter:after-3", DOMAIN)) is None


def test_hostile_team_and_facilitator_names_add_no_recipient_or_header(backend):
    backend.sender.send(reminder_email(unit_name=HOSTILE, recipient_name=HOSTILE))

    [(recipients, arrived)] = backend.received()
    assert sorted(recipients) == sorted([FACILITATOR, COORDINATOR])
    assert arrived["Bcc"] is None and arrived["X-Injected"] is None
    assert "\n" not in arrived["Subject"] and "Bcc: evil@y.org" in arrived["Subject"]
    html = arrived.get_body(("html",)).get_content()
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize("for_now", [True, False], ids=["for now", "for good"])
def test_a_refusal_says_whether_to_try_again_and_sends_nothing(backend, for_now):
    sender, message = backend.refusing(for_now)

    with pytest.raises(SendError) as refused:
        sender.send(message)

    assert refused.value.transient is for_now
    assert refused.value.reason and backend.received() == []


def test_a_run_of_reminders_goes_through_one_session(backend):
    steps = ("before-7", "before-1", "after-3")
    with backend.sender as sender:
        for step in steps:
            sender.send(reminder_email(key=f"t-4f2a:charter:{step}", step=step))

    arrived = [message["Message-ID"] for _recipients, message in backend.received()]
    assert sorted(arrived) == sorted(message_id(f"t-4f2a:charter:{step}", DOMAIN) for step in steps)

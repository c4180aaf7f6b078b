"""Reminders sent as the coordinator's Gmail account through the real Gmail client and the
emulator, and found again by Message-ID when an answer was lost."""
from __future__ import annotations

import base64
import dataclasses
from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from mail.gmail import GmailSender
from mail.message import Reminder, SendError, build_message, message_id
from mail.render import render_reminder
from sync.google.errors import classify
from sync.google.workspace import connect

DOMAIN = "belmont.k12.ma.us"


def charter_reminder(**changes) -> Reminder:
    reminder = Reminder(
        key="t-4f2a:charter:before-1", team_id="t-4f2a", unit_name="Grade 3 Math Discourse", site="Winn Brook",
        milestone_key="charter", milestone_title="team charter", due=date(2017, 11, 17), step="before-1",
        to=("jdoe@belmont.k12.ma.us",), cc=("jdarias@belmont.k12.ma.us",), recipient_name="Jane Doe",
        folder_link="https://drive.google.com/drive/folders/1AbC", evidence="the signed PLT Charter",
        overdue_days=0)
    return dataclasses.replace(reminder, **changes)


def reminder_email(reminder: Reminder | None = None) -> EmailMessage:
    reminder = reminder or charter_reminder()
    subject, text, html = render_reminder(reminder, programme="Belmont PLTs", coordinator="Janice Darias")
    return build_message(reminder, from_address="Janice Darias <jdarias@belmont.k12.ma.us>", reply_to=None,
                         subject=subject, text=text, html=html, domain=DOMAIN,
                         date=datetime(2017, 11, 16, 13, tzinfo=timezone.utc))


@pytest.fixture
def gmail(endpoint):
    return connect(None, endpoint).gmail


@pytest.fixture
def sender(gmail) -> GmailSender:
    return GmailSender(gmail, classify=classify)


def sent_mail(admin) -> list[dict]:
    status, body, _headers = admin("GET", "/_emulator/mail")
    assert status == 200
    return body["messages"]


def test_reminder_is_sent_as_written_and_listed_in_sent_mail(sender, gmail, admin):
    message = reminder_email()

    gmail_id = sender.send(message)

    [listed] = sent_mail(admin)
    assert listed["id"] == gmail_id
    assert listed["messageId"] == message_id("t-4f2a:charter:before-1", DOMAIN)
    assert listed["to"] == ["jdoe@belmont.k12.ma.us"] and listed["cc"] == ["jdarias@belmont.k12.ma.us"]
    assert listed["bcc"] == []
    assert listed["subject"] == "Reminder: team charter for Grade 3 Math Discourse due Nov 17"
    assert "Friday, November 17, 2017" in listed["text"] and "<bdi>Grade 3 Math Discourse</bdi>" in listed["html"]
    stored = gmail.users().messages().get(userId="me", id=gmail_id, format="raw").execute()
    raw = base64.urlsafe_b64decode(stored["raw"])
    message.set_boundary(message_from_bytes(raw, policy=policy.default).get_boundary())
    assert raw == message.as_bytes(policy=policy.SMTP)


def test_a_send_whose_answer_was_lost_is_found_in_sent_mail(sender, admin):
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                         "methods": ["gmail.users.messages.send"]})

    with pytest.raises(SendError) as failed:
        sender.send(reminder_email())

    assert failed.value.transient is True
    found = sender.find_sent(message_id("t-4f2a:charter:before-1", DOMAIN))
    assert found is not None and [m["id"] for m in sent_mail(admin)] == [found]


@pytest.mark.parametrize("kind", [429, 500, 503])
def test_rate_limits_and_server_errors_are_transient_and_send_nothing(sender, admin, kind):
    admin("POST", "/_emulator/faults", {"kinds": [kind], "count": 1, "methods": ["gmail.users.messages.send"]})

    with pytest.raises(SendError, match=f"HTTP {kind}") as failed:
        sender.send(reminder_email())

    assert failed.value.transient is True
    assert sent_mail(admin) == []


def test_a_failed_search_of_sent_mail_is_reported_as_transient(sender, admin):
    admin("POST", "/_emulator/faults", {"kinds": [503], "count": 1, "methods": ["gmail.users.messages.list"]})

    with pytest.raises(SendError, match="search sent mail") as failed:
        sender.find_sent(message_id("t-4f2a:charter:before-1", DOMAIN))

    assert failed.value.transient is True


def test_a_message_gmail_refuses_is_a_permanent_error(sender, admin):
    no_recipient = EmailMessage(policy=policy.SMTP)
    no_recipient["Subject"] = "Reminder"
    no_recipient["Message-ID"] = message_id("t-4f2a:charter:before-1", DOMAIN)
    no_recipient.set_content("Dear Jane Doe,\n")

    with pytest.raises(SendError, match="HTTP 400") as failed:
        sender.send(no_recipient)

    assert failed.value.transient is False


def test_sending_as_another_account_without_delegation_is_refused(gmail):
    with pytest.raises(SendError, match="HTTP 403") as failed:
        GmailSender(gmail, classify=classify, user_id="someone-else@belmont.k12.ma.us").send(reminder_email())

    assert failed.value.transient is False

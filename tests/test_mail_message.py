"""The reminder email as it leaves PLT Sync: deterministic Message-ID, text and HTML parts,
and headers no form answer can break out of."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from email import message_from_bytes, policy

import sys
import unicodedata

import pytest

from mail.message import UNSAFE_IN_HEADER, Reminder, build_message, message_id

SENT_AT = datetime(2017, 11, 20, 13, 0, tzinfo=timezone.utc)
EXPECTED_HEADERS = ["Subject", "From", "To", "Cc", "Reply-To", "Date", "Message-ID", "Auto-Submitted",
                    "MIME-Version", "Content-Type"]


def belmont_reminder(**changes) -> Reminder:
    reminder = Reminder(
        key="t-4f2a:charter:after-3", team_id="t-4f2a", unit_name="Grade 3 Math Discourse",
        site="Winn Brook", milestone_key="charter", milestone_title="team charter",
        due=date(2017, 11, 17), step="after-3", to=("jdoe@belmont.k12.ma.us",),
        cc=("jdarias@belmont.k12.ma.us",), recipient_name="Jane Doe",
        folder_link="https://drive.google.com/drive/folders/abc",
        evidence="the PLT Charter with all signatures", overdue_days=3)
    return dataclasses.replace(reminder, **changes)


def build(reminder: Reminder | None = None, **overrides):
    arguments = dict(from_address="Janice Darias <jdarias@belmont.k12.ma.us>",
                     reply_to="plt@belmont.k12.ma.us", subject="Reminder: team charter due Nov 17",
                     text="Dear Jane,\n", html="<p>Dear Jane,</p>\n", domain="belmont.k12.ma.us",
                     date=SENT_AT)
    arguments.update(overrides)
    return build_message(reminder or belmont_reminder(), **arguments)


def sent_back(message):
    """The message as a mail server would read it from the wire."""
    return message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)


def test_message_id_is_the_same_for_the_same_reminder_and_differs_between_reminders():
    first = message_id("t-4f2a:charter:after-3", "belmont.k12.ma.us")

    assert first == message_id("t-4f2a:charter:after-3", "belmont.k12.ma.us")
    assert first != message_id("t-4f2a:charter:after-6", "belmont.k12.ma.us")
    assert first.startswith("<plt-") and first.endswith("@belmont.k12.ma.us>")


def test_message_id_uses_only_safe_characters_whatever_the_key():
    identifier = message_id("team <\r\n>\"@:évil", "example.org")

    assert identifier[1:-1].replace("-", "").replace("@", "").replace(".", "").isalnum()
    assert identifier.isascii()


@pytest.mark.parametrize("domain", ["", "exa mple.org", "example.org>\r\nBcc: x@y.org", "-bad.org"])
def test_message_id_refuses_a_domain_that_is_not_a_host_name(domain):
    with pytest.raises(ValueError, match="domain"):
        message_id("t:charter:before-7", domain)


def test_reminder_email_has_every_header_and_text_and_html_alternatives():
    received = sent_back(build())

    assert list(received.keys()) == EXPECTED_HEADERS
    assert received["To"] == "Jane Doe <jdoe@belmont.k12.ma.us>"
    assert received["Cc"] == "jdarias@belmont.k12.ma.us"
    assert received["From"] == "Janice Darias <jdarias@belmont.k12.ma.us>"
    assert received["Reply-To"] == "plt@belmont.k12.ma.us"
    assert received["Message-ID"] == message_id("t-4f2a:charter:after-3", "belmont.k12.ma.us")
    assert received["Date"].datetime == SENT_AT
    assert received.get_content_type() == "multipart/alternative"
    assert received.get_body(("plain",)).get_content() == "Dear Jane,\r\n"
    assert received.get_body(("html",)).get_content() == "<p>Dear Jane,</p>\r\n"


def test_reply_to_and_cc_are_left_out_when_there_are_none():
    received = sent_back(build(belmont_reminder(cc=()), reply_to=None))

    assert "Cc" not in received and "Reply-To" not in received


def test_every_facilitator_address_is_a_recipient_and_only_the_first_carries_the_name():
    received = sent_back(build(belmont_reminder(to=("jdoe@belmont.k12.ma.us", "co-lead@belmont.k12.ma.us"))))

    assert [a.addr_spec for a in received["To"].addresses] == ["jdoe@belmont.k12.ma.us", "co-lead@belmont.k12.ma.us"]
    assert [a.display_name for a in received["To"].addresses] == ["Jane Doe", ""]


def test_line_breaks_in_the_subject_become_spaces_and_add_no_header():
    received = sent_back(build(subject="Reminder: Math\r\nBcc: evil@y.org\nX-Evil: 1\r\n\r\nbody"))

    assert list(received.keys()) == EXPECTED_HEADERS
    assert received["Subject"] == "Reminder: Math Bcc: evil@y.org X-Evil: 1 body"


def test_line_breaks_in_the_facilitator_name_stay_inside_the_display_name():
    reminder = belmont_reminder(recipient_name="Jane\r\nBcc: evil@y.org")
    received = sent_back(build(reminder))

    assert list(received.keys()) == EXPECTED_HEADERS
    assert [a.addr_spec for a in received["To"].addresses] == ["jdoe@belmont.k12.ma.us"]
    assert received["To"].addresses[0].display_name == "Jane Bcc: evil@y.org"


def test_direction_overrides_are_removed_from_the_subject_but_arabic_letters_stay():
    received = sent_back(build(subject="فريق الرياضيات \u202egnp.exe"))

    assert received["Subject"] == "فريق الرياضيات gnp.exe"


def test_the_header_pattern_catches_exactly_the_control_characters_separators_and_overrides():
    overrides = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    caught = {ch for ch in map(chr, range(sys.maxunicode + 1)) if UNSAFE_IN_HEADER.fullmatch(ch)}
    expected = {ch for ch in map(chr, range(sys.maxunicode + 1))
                if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in overrides}

    assert caught == expected and len(caught) == 65 + 2 + 9


@pytest.mark.parametrize("field, changes", [
    ("to[0]", {"to": ("a@x.org\r\nBcc: evil@y.org",)}),
    ("to[0]", {"to": ("a@x.org, evil@y.org",)}),
    ("to[1]", {"to": ("jdoe@belmont.k12.ma.us", "not an address")}),
    ("cc[0]", {"cc": ("b@x.org\nBcc: evil@y.org",)}),
    ("to[0]", {"to": ("x@evil.org <jdoe@belmont.k12.ma.us>",)}),
    ("cc[0]", {"cc": ("Jane <jdoe@belmont.k12.ma.us>",)}),
    ("cc[0]", {"cc": ("x@evil.org (jdoe@belmont.k12.ma.us)",)}),
    ("to", {"to": ()}),
])
def test_a_recipient_that_is_not_one_clean_address_is_refused_naming_the_field(field, changes):
    with pytest.raises(ValueError) as refused:
        build(belmont_reminder(**changes))

    assert str(refused.value).startswith(field)


@pytest.mark.parametrize("field, overrides", [
    ("from", {"from_address": "coordinator@x.org\r\nBcc: evil@y.org"}),
    ("from", {"from_address": "nobody"}),
    ("reply_to", {"reply_to": "plt@x.org\nBcc: evil@y.org"}),
    ("reply_to", {"reply_to": "plt@"}),
])
def test_a_sender_address_that_is_not_one_clean_address_is_refused_naming_the_field(field, overrides):
    with pytest.raises(ValueError) as refused:
        build(**overrides)

    assert str(refused.value).startswith(field)


def test_a_send_time_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        build(date=datetime(2017, 11, 20, 8, 0))


def test_a_very_long_name_is_cut_in_the_address_and_every_header_line_stays_short():
    received_bytes = build(belmont_reminder(recipient_name="J" * 10_000), subject="S " * 5_000).as_bytes()
    header_block = received_bytes.split(b"\r\n\r\n", 1)[0]

    assert max(len(line) for line in header_block.split(b"\r\n")) <= 998
    received = message_from_bytes(received_bytes, policy=policy.default)
    assert received["To"].addresses[0].display_name == "J" * 100

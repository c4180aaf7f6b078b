"""The programme configuration: the shipped example, every problem at once, secrets kept
out of messages, the endpoint override and writing created ids back."""
from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pydantic
import pytest

from config import ConfigError, load_settings
from config.writeback import write_ids
from sync.rules import milestone_rules

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"

MINIMAL = """
[programme]
name = "Belmont PLTs"
[form]
schools = ["Belmont High School", "Chenery Middle School"]
[drive]
allowed_domains = ["belmont.example.org"]
[mail]
from_address = "plt-office@belmont.example.org"
coordinator_email = "pd-coordinator@belmont.example.org"
"""

SEVERAL_MISTAKES = """
[programme]
name = "Belmont PLTs"
time_zone = "America/Belmont"
[google]
credentials = "service_account"
[form]
schools = ["Belmont High School"]
[drive]
allowed_domains = ["belmont example org"]
member_role = "owner"
[[milestone]]
key = "signed_charter"
title = "Signed team charter"
due = 2017-11-17
[[milestone]]
key = "signed_charter"
title = "Signed team charter, again"
due = "Nov 17"
[mail]
backend = "smtp"
from_address = "plt-office@belmont.example.org"
coordinator_email = "pd-coordinator"
quite_hours = "20:00-07:00"
"""


def write(tmp_path: Path, text: str, name: str = "plt.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, environ=None) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ or {})
    return {problem.path: problem.message for problem in caught.value.problems}


def test_example_config_loads_with_no_problems_and_reads_like_belmont():
    settings = load_settings(EXAMPLE, {})
    assert settings.path == EXAMPLE
    assert settings.upgraded_from == 1
    assert "Belmont High School" in settings.programme.sites
    assert "Winn Brook Elementary School" in settings.programme.sites
    assert settings.fields["goal_type"].choices == ["Professional Practice", "Student Learning"]
    assert [(m.key, m.due) for m in settings.milestones] == [
        ("facilitator_submission", date(2017, 10, 6)),
        ("smart_goal", date(2017, 11, 1)),
        ("signed_charter", date(2017, 11, 17)),
    ]
    assert settings.milestone("signed_charter").evidence.file == "*charter*"
    assert settings.drive.allowed_domains == ["belmont.example.org"]
    assert settings.mail.quiet_window == (time(20, 0), time(7, 0))
    assert settings.google.credentials == "application_default"
    assert (settings.form.id, settings.roster.spreadsheet_id, settings.drive.parent_folder_id) == ("", "", "")


def test_every_key_of_the_example_config_is_explained_by_a_comment():
    """Each key's first appearance sits in a group of keys right under a comment."""
    seen, undocumented, documented, table = set(), [], False, ""
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        key = re.match(r'^([A-Za-z0-9_-]+|"[^"]+")\s*=', line)
        if stripped.startswith("#"):
            documented = True
        elif not stripped or stripped.startswith("["):
            documented = False
            table = stripped.strip("[]") if stripped.startswith("[") else table
        elif key and (table, key[1]) not in seen:
            seen.add((table, key[1]))
            if not documented:
                undocumented.append(f"{table}.{key[1]}")
    assert len(seen) > 40
    assert undocumented == []


def test_minimal_config_takes_defaults_that_read_like_belmonts_form(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), {})
    assert settings.programme.time_zone == "America/New_York"
    assert settings.fields["team_name"].title == "PLT name"
    assert settings.unit.key == ["facilitator_email"]
    assert settings.drive.folder_name == "{school} – {team_name}"
    assert settings.milestones == []
    assert settings.path == tmp_path / "plt.toml"


def test_config_with_several_mistakes_reports_all_of_them_in_one_error(tmp_path):
    problems = problems_of(write(tmp_path, SEVERAL_MISTAKES))
    assert problems["milestone[1].due"] == 'expected a date like 2017-11-17, got "Nov 17"'
    assert problems["programme.time_zone"].startswith("expected an IANA time zone")
    assert problems["google.credentials_file"] == 'required when credentials = "service_account"'
    assert problems["drive.allowed_domains[0]"].endswith('got "belmont example org"')
    assert "'writer', 'commenter' or 'reader'" in problems["drive.member_role"]
    assert "milestone[0] has the same one" in problems["milestone[1].key"]
    assert problems["mail.coordinator_email"].startswith("expected an email address")
    assert "did you mean quiet_hours?" in problems["mail.quite_hours"]
    assert problems["mail.smtp"].startswith('required when backend = "smtp"')
    assert len(problems) == 9


def test_a_first_format_form_without_verified_emails_is_listed_with_every_other_mistake(tmp_path):
    text = SEVERAL_MISTAKES.replace('schools = ["Belmont High School"]',
                                    'schools = ["Belmont High School"]\ncollect_verified_email = false')
    problems = problems_of(write(tmp_path, text))
    assert problems["form.collect_verified_email"].startswith("expected true for an enrol form: without verified "
                                                              "emails anyone who knows a facilitator's address")
    assert problems["form.collect_verified_email"].endswith("allow_unverified_responses = true")
    assert len(problems) == 10
    allowed = text.replace("collect_verified_email = false",
                           "collect_verified_email = false\nallow_unverified_responses = true")
    assert "form.collect_verified_email" not in problems_of(write(tmp_path, allowed))


def test_config_error_lists_problems_in_the_order_of_the_sections(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, SEVERAL_MISTAKES), {})
    heads = [re.split(r"[.\[]", p.path)[0] for p in caught.value.problems]
    order = ["programme", "google", "form", "roster", "drive", "milestone", "mail", "targets"]
    assert heads == sorted(heads, key=order.index)
    assert caught.value.describe().splitlines()[0].endswith("9 problems in the configuration")


def test_missing_sections_are_each_reported_as_required(tmp_path):
    """A file with nothing of the first format is read in the programme model's terms."""
    problems = problems_of(write(tmp_path, "[programme]\nname = \"Belmont PLTs\"\n"))
    assert problems == {"programme.sites": "required but missing", "form": "required but missing",
                        "unit": "required but missing", "drive": "required but missing",
                        "mail": "required but missing"}


def test_secret_in_the_config_is_refused_and_never_echoed(tmp_path):
    text = MINIMAL + (
        'backend = "smtp"\n'
        "[mail.smtp]\n"
        'host = "smtp.belmont.example.org"\n'
        'username_env = "PLT_SMTP_USERNAME"\n'
        'password_env = "hunter2 is my password"\n'
        'password = "hunter2-in-plain-sight"\n'
        "[google]\n"
        'private_key = "-----BEGIN PRIVATE KEY-----MIIEvg"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), {})
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems["mail.smtp.password"].startswith("put secrets in the environment")
    assert problems["google.private_key"].startswith("put secrets in the environment")
    assert problems["mail.smtp.password_env"].endswith("(value not shown)")
    printed = caught.value.describe()
    assert "hunter2" not in printed and "MIIEvg" not in printed


def test_toml_syntax_error_is_one_problem_with_line_and_column(tmp_path):
    problems = problems_of(write(tmp_path, '[programme]\nname = "Belmont PLTs"\ntime_zone = \n'))
    assert list(problems.values()) == ["not valid TOML at line 3, column 13: invalid value"]


def test_missing_config_file_is_a_config_error(tmp_path):
    assert problems_of(tmp_path / "absent.toml") == {"": "config file not found"}


def test_endpoint_variable_overrides_the_config_endpoint(tmp_path):
    path = write(tmp_path, MINIMAL + '[google]\nendpoint = "http://127.0.0.1:9"\n')
    assert load_settings(path, {}).google.endpoint == "http://127.0.0.1:9"
    overridden = load_settings(path, {"PLT_GOOGLE_ENDPOINT": "http://127.0.0.1:8765"})
    assert overridden.google.endpoint == "http://127.0.0.1:8765"


def test_bad_endpoint_variable_is_reported_under_its_own_name(tmp_path):
    problems = problems_of(write(tmp_path, MINIMAL), {"PLT_GOOGLE_ENDPOINT": "localhost:8765"})
    assert list(problems) == ["google.endpoint (from PLT_GOOGLE_ENDPOINT)"]


def test_credentials_file_is_read_from_the_config_folder(tmp_path):
    (tmp_path / "key.json").write_text("{}")
    text = MINIMAL + '[google]\ncredentials = "service_account"\ncredentials_file = "key.json"\n'
    settings = load_settings(write(tmp_path, text), {})
    assert settings.google.credentials_file == tmp_path / "key.json"


def test_absent_credentials_file_is_a_problem_unless_an_endpoint_is_used(tmp_path):
    text = MINIMAL + '[google]\ncredentials = "oauth"\ncredentials_file = "token.json"\n'
    path = write(tmp_path, text)
    assert "(not found)" in problems_of(path)["google.credentials_file"]
    assert load_settings(path, {"PLT_GOOGLE_ENDPOINT": "http://127.0.0.1:8765"}).google.credentials == "oauth"


def test_subject_without_a_service_account_is_a_problem(tmp_path):
    text = MINIMAL + '[google]\nsubject = "plt-office@belmont.example.org"\n'
    assert "domain-wide delegation" in problems_of(write(tmp_path, text))["google.subject"]


def test_question_titles_must_differ_and_targets_must_name_listed_schools(tmp_path):
    text = MINIMAL + '[form.questions]\ntopic = "PLT name"\n[targets]\n"Payson Park School" = 0.5\n'
    problems = problems_of(write(tmp_path, text))
    assert "form.questions.team_name has the same title" in problems["form.questions.topic"]
    assert problems['targets."Payson Park School"'] == "expected a school listed in form.schools"


def test_folder_name_accepts_only_known_placeholders(tmp_path):
    ok = load_settings(write(tmp_path, MINIMAL.replace(
        "[mail]", 'folder_name = "{team_id} {facilitator_name}"\n[mail]')), {})
    assert ok.drive.folder_name == "{unit_id} {facilitator_name}"
    bad = problems_of(write(tmp_path, MINIMAL.replace("[mail]", 'folder_name = "{school!r} {room}"\n[mail]')))
    assert "drive.folder_name" in bad


def test_withdrawn_access_defaults_to_keep_and_only_its_three_values_load(tmp_path):
    assert load_settings(write(tmp_path, MINIMAL), {}).drive.withdrawn_access == "keep"
    chosen = MINIMAL.replace("[mail]", 'withdrawn_access = "remove"\n[mail]')
    assert load_settings(write(tmp_path, chosen), {}).drive.withdrawn_access == "remove"
    bad = problems_of(write(tmp_path, MINIMAL.replace("[mail]", 'withdrawn_access = "revoke"\n[mail]')))
    assert bad == {"drive.withdrawn_access": "expected one of 'keep', 'reader' or 'remove', got \"revoke\""}
    programme = (Path(__file__).resolve().parent.parent / "config" / "programmes" / "belmont.toml").read_text()
    bad = problems_of(write(tmp_path, programme.replace('withdrawn_access = "keep"', 'withdrawn_access = true')))
    assert bad == {"drive.withdrawn_access": "expected one of 'keep', 'reader' or 'remove', got true"}


def test_domains_are_lower_cased(tmp_path):
    text = MINIMAL.replace('"belmont.example.org"]', '"Belmont.Example.ORG"]')
    assert load_settings(write(tmp_path, text), {}).drive.allowed_domains == ["belmont.example.org"]


def test_settings_cannot_be_changed_during_a_run():
    settings = load_settings(EXAMPLE, {})
    with pytest.raises(pydantic.ValidationError):
        settings.roster.shrink_threshold = 0.0


def test_write_ids_keeps_comments_and_the_ids_load_back(tmp_path):
    path = write(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    write_ids(path, {"form.id": "1FAIpQL-form", "roster.spreadsheet_id": "1BxiM-sheet",
                     "drive.parent_folder_id": "0ANp-folder"})
    text = path.read_text(encoding="utf-8")
    assert text.count("#") == EXAMPLE.read_text(encoding="utf-8").count("#")
    settings = load_settings(path, {})
    assert (settings.form.id, settings.roster.spreadsheet_id, settings.drive.parent_folder_id) == (
        "1FAIpQL-form", "1BxiM-sheet", "0ANp-folder")
    assert [m.key for m in settings.milestones] == ["facilitator_submission", "smart_goal", "signed_charter"]


def test_write_ids_adds_a_section_the_file_lacks(tmp_path):
    path = write(tmp_path, MINIMAL)
    write_ids(path, {"roster.spreadsheet_id": "1BxiM-sheet"})
    assert load_settings(path, {}).roster.spreadsheet_id == "1BxiM-sheet"
    assert path.read_text(encoding="utf-8").startswith(MINIMAL)


def test_plain_settings_named_key_show_what_was_typed(tmp_path):
    """A milestone key or the team key is no secret: the coordinator sees what they typed."""
    from importlib import resources

    import tomlkit

    from config import load_settings
    from sync.errors import ConfigError

    document = tomlkit.parse(resources.files("config").joinpath("example.toml").read_text(encoding="utf-8"))
    document["roster"]["team_key"] = "school"
    document["milestone"][0]["key"] = "Signed Charter!"
    path = tmp_path / "plt.toml"
    path.write_text(tomlkit.dumps(document))
    with pytest.raises(ConfigError) as caught:
        load_settings(path, {})
    text = caught.value.describe()
    assert '"school"' in text and "Signed Charter!" in text


@pytest.mark.parametrize("mail, problem", [
    ('send_time = "7am"', 'expected a time of day like "08:00" (24-hour, HH:MM), got "7am"'),
    ('send_time = "24:00"', 'expected a time of day like "08:00" (24-hour, HH:MM), got "24:00"'),
    ('quiet_hours = "20:00-07:00"\nsend_time = "06:30"',
     'expected a time outside quiet_hours (20:00-07:00), got "06:30": no reminder could ever be sent then'),
    ('quiet_hours = "12:00-13:00"\nsend_time = "12:00"',
     'expected a time outside quiet_hours (12:00-13:00), got "12:00": no reminder could ever be sent then'),
])
def test_a_send_time_that_is_no_time_or_falls_in_quiet_hours_is_refused(tmp_path, mail, problem):
    assert problems_of(write(tmp_path, MINIMAL + mail + "\n"))["mail.send_time"] == problem


def test_send_time_sets_when_reminder_steps_fall_due_and_defaults_to_eight(tmp_path):
    default = load_settings(EXAMPLE, {})
    seven = load_settings(write(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace(
        'send_time = "08:00"', 'send_time = "07:00"')), {})
    assert load_settings(write(tmp_path, MINIMAL, "minimal.toml"), {}).mail.send_time == "08:00"
    assert {rule.policy.send_at for rule in milestone_rules(default)} == {time(8, 0)}
    assert {rule.policy.send_at for rule in milestone_rules(seven)} == {time(7, 0)}
    # The end of quiet hours is not in them: 07:00 with quiet hours 20:00-07:00 is fine.
    assert seven.mail.quiet_hours == "20:00-07:00"


def test_a_gap_between_reminders_under_one_day_is_refused_and_two_is_the_default(tmp_path):
    problems = problems_of(write(tmp_path, MINIMAL + "min_gap_days = 0\n"))
    assert problems["mail.min_gap_days"] == "expected a number of at least 1, got 0"
    assert load_settings(write(tmp_path, MINIMAL, "minimal.toml"), {}).mail.min_gap_days == 2
    three = load_settings(write(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace(
        "min_gap_days = 2", "min_gap_days = 3"), "three.toml"), {})
    assert {rule.policy.min_gap_days for rule in milestone_rules(three)} == {3}

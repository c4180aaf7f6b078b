"""`plt config upgrade`: a first-format config rewritten in the programme model reads to
exactly the same settings, keeps the coordinator's comments next to the settings they
describe, and replaces the file in one step with its permissions; ids `plt init` creates
are written into the [[form]] they belong to."""
from __future__ import annotations

import io
import os
import re
import stat
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from config import ConfigError, load_settings
from config_text import comment_lines, comment_of, tables
from config.rewrite import changed_sections, upgraded_text, write_upgraded
from config.writeback import write_ids
from sync.commands.cli import run
from sync.environment import Environment
from sync.errors import ExitStatus

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"
BELMONT = EXAMPLE.parent / "programmes" / "belmont.toml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
SMTP_MAIL = """[mail.smtp]
host = "smtp.belmont.example.org"
port = 465
security = "ssl"
username_env = "PLT_SMTP_USERNAME"
password_env = "PLT_SMTP_PASSWORD"
"""
VARIANTS = {
    "one facilitator, several teams": [('team_key = "facilitator_email"', 'team_key = "facilitator_email+team_name"')],
    "members copied on reminders": [("cc_members = false", "cc_members = true")],
    "custom question titles": [('team_name = "PLT name"', '# Our form says "Team".\nteam_name = "Team"'),
                               ('topic = "PLT topic"', 'topic = "What will your team learn about?"')],
    "no targets": [(EXAMPLE_TEXT[EXAMPLE_TEXT.index("[targets]"):], "")],
    "smtp mail": [('backend = "gmail"', 'backend = "smtp"'),
                  ("# A folder of your own", SMTP_MAIL + "# A folder of your own")],
    "unverified responses allowed": [("collect_verified_email = true",
                                      "collect_verified_email = false\n# We accept the risk.\n"
                                      "allow_unverified_responses = true")],
    "team id in folder names": [('folder_name = "{school} – {team_name}"', 'folder_name = "{team_id} {school}"'),
                                ("facilitator_role = \"writer\"", "facilitator_role = \"commenter\"  # comments only")],
}


def variant(tmp_path: Path, name: str) -> Path:
    text = EXAMPLE_TEXT
    for old, new in VARIANTS[name]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "plt.toml"
    path.write_text(text, encoding="utf-8")
    return path


def copy_of(source: Path, tmp_path: Path, name: str = "plt.toml") -> Path:
    path = tmp_path / name
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def same_settings(first: Path, second: Path) -> bool:
    return load_settings(first, {}).model_dump() == load_settings(second, {}).model_dump()


def plt_run(*argv: str) -> tuple[int, str, str]:
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    status = run(list(argv), env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


def test_upgraded_example_loads_to_exactly_the_same_settings_in_the_programme_model(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    assert write_upgraded(path, {}) is True
    settings = load_settings(path, {})
    assert settings.upgraded_from is None
    assert settings.model_dump() == load_settings(EXAMPLE, {}).model_dump()
    text = path.read_text(encoding="utf-8")
    headers = Counter(header for header, _keys in tables(text))
    assert headers == Counter({"": 1, "[programme]": 1, "[google]": 1, "[[form]]": 1, "[[form.field]]": 9,
                               "[unit]": 1, "[[unit.role]]": 2, "[roster]": 1, "[drive]": 1, "[[milestone]]": 3,
                               "[milestone.evidence]": 3, "[milestone.reminders]": 3, "[mail]": 1,
                               "[[target]]": 1})
    for gone in ("schools", "goal_types", "training_options", "team_key", "facilitator_role", "member_role",
                 "evidence_checkbox", "evidence_file_pattern", "cc_members"):
        assert not re.search(rf"^{gone} *=", text, re.MULTILINE), gone


def test_comments_of_surviving_sections_stay_with_their_keys(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    write_upgraded(path, {})
    text = path.read_text(encoding="utf-8")
    old_tables, new_tables, checked = tables(EXAMPLE_TEXT, runs=False), tables(text, runs=False), 0
    for header in ("[programme]", "[google]", "[roster]", "[drive]", "[[milestone]]", "[milestone.reminders]",
                   "[mail]"):
        olds = [keys for name, keys in old_tables if name == header]
        for nth, old_keys in enumerate(olds):
            new_keys = [keys for name, keys in new_tables if name == header][nth]
            for key in old_keys.keys() & new_keys.keys():
                expected = [line.replace("{team_id}", "{unit_id}") for line in old_keys[key]]
                assert new_keys[key] == expected, f"{header}[{nth}].{key}"
                checked += 1
    assert checked > 30
    assert comment_of(text, "[[milestone]]", "key") == comment_of(EXAMPLE_TEXT, "[[milestone]]", "key")
    assert comment_of(text, "[drive]", "folder_name") == [
        "# Name of each team folder; placeholders: {school} {team_name} {unit_id} {facilitator_name}."]


def test_moved_values_take_their_comments_along(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    write_upgraded(path, {})
    text = path.read_text(encoding="utf-8")
    moves = [(("[form]", "schools"), ("[programme]", "sites", 0)),
             (("[form]", "goal_types"), ("[[form.field]]", "choices", 6)),
             (("[form]", "training_options"), ("[[form.field]]", "choices", 8)),
             (("[form.questions]", "facilitator_name"), ("[[form.field]]", "title", 0)),
             (("[drive]", "facilitator_role"), ("[[unit.role]]", "access", 0)),
             (("[targets]", '"Belmont High School"'), ("[[target]]", "share", 0))]
    for (old_header, old_key), (new_header, new_key, nth) in moves:
        assert comment_of(text, new_header, new_key, nth) == comment_of(EXAMPLE_TEXT, old_header, old_key)
    for nth in range(3):
        assert comment_of(text, "[milestone.evidence]", "checkbox", nth) == comment_of(
            EXAMPLE_TEXT, "[[milestone]]", "evidence_checkbox", nth)
    for header, key in (("[form]", "id"), ("[form]", "title"), ("[form]", "collect_verified_email")):
        assert comment_of(text, "[[form]]", key) == comment_of(EXAMPLE_TEXT, header, key)


def test_no_comment_is_lost_but_those_of_settings_that_changed_shape(tmp_path):
    """team_key and cc_members become unit.key and a role's remind, explained afresh."""
    path = copy_of(EXAMPLE, tmp_path)
    write_upgraded(path, {})
    text = path.read_text(encoding="utf-8")
    replaced = comment_of(EXAMPLE_TEXT, "[roster]", "team_key") + comment_of(EXAMPLE_TEXT, "[mail]", "cc_members")
    kept = comment_lines(EXAMPLE_TEXT.replace("{team_id}", "{unit_id}")) - Counter(replaced)
    assert not kept - comment_lines(text)
    assert not Counter(replaced) & comment_lines(text)
    assert comment_of(text, "[unit]", "key")[0].startswith("# The fields that make two submissions the same team")
    assert comment_of(text, "[[unit.role]]", "remind", 0)[0].startswith('# Reminders go "to" them')


def test_every_key_of_the_upgraded_example_is_explained_by_a_comment(tmp_path):
    """As in the example: each key's first appearance sits in a run of keys under a comment."""
    path = copy_of(EXAMPLE, tmp_path)
    write_upgraded(path, {})
    unexplained, seen = [], set()
    for header, keys in tables(path.read_text(encoding="utf-8")):
        for key, comment in keys.items():
            if (header, key) not in seen and not comment:
                unexplained.append(f"{header} {key}")
            seen.add((header, key))
    assert len(seen) > 50
    assert unexplained == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_of_the_example_upgrade_to_the_same_settings(tmp_path, name):
    path = variant(tmp_path, name)
    before = load_settings(path, {}).model_dump()
    original_comments = comment_lines(path.read_text(encoding="utf-8"))
    assert write_upgraded(path, {})
    assert load_settings(path, {}).upgraded_from is None
    assert load_settings(path, {}).model_dump() == before
    assert comment_lines(path.read_text(encoding="utf-8"))["# Our form says \"Team\"."] == original_comments[
        "# Our form says \"Team\"."]


def test_each_variant_reads_as_its_coordinator_meant_it(tmp_path):
    def upgraded(name: str):
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        path = variant(folder, name)
        write_upgraded(path, {})
        return load_settings(path, {}), path.read_text(encoding="utf-8")

    settings, _text = upgraded("one facilitator, several teams")
    assert settings.unit.key == ["facilitator_email", "team_name"]
    settings, _text = upgraded("members copied on reminders")
    assert [(r.key, r.remind) for r in settings.unit.roles] == [("facilitator", "to"), ("member", "cc")]
    settings, text = upgraded("custom question titles")
    assert (settings.fields["team_name"].title, settings.fields["topic"].title) == (
        "Team", "What will your team learn about?")
    assert comment_of(text, "[[form.field]]", "title", 2) == ['# Our form says "Team".']
    settings, text = upgraded("no targets")
    assert settings.targets == [] and "[[target]]" not in text
    settings, text = upgraded("smtp mail")
    assert (settings.mail.backend, settings.mail.smtp.port, settings.mail.smtp.security) == ("smtp", 465, "ssl")
    assert SMTP_MAIL in text
    settings, text = upgraded("unverified responses allowed")
    assert (settings.form.collect_verified_email, settings.form.allow_unverified_responses) == (False, True)
    assert comment_of(text, "[[form]]", "allow_unverified_responses") == ["# We accept the risk."]
    settings, text = upgraded("team id in folder names")
    assert settings.drive.folder_name == "{unit_id} {school}"
    assert 'access = "commenter"  # comments only' in text


def test_unusual_layouts_keep_their_comments_and_settings(tmp_path):
    """Questions in a table split from [form], dotted keys, end-of-line and header
    comments, and comments above no key."""
    path = tmp_path / "plt.toml"
    path.write_text("""# Belmont, written by hand
[programme]  # the district
name = "Belmont PLTs"

[form]
schools = [
  "Belmont High School",  # the big one
  "Chenery Middle School",
]

[drive]
allowed_domains = ["belmont.example.org"]

[form.questions]  # as the form asks them
team_name = "Team"

# Keep these in step with the form.

[[milestone]]
key = "signed_charter"
title = "Signed team charter"
due = 2017-11-17
evidence_file_pattern = "*charter*"  # scanned or typed
reminders.days_before = [2]

[mail]
from_address = "plt-office@belmont.example.org"
coordinator_email = "pd-coordinator@belmont.example.org"

[targets]  # agreed in June
# The high school first.
"Belmont High School" = 0.5
"Chenery Middle School" = 0.75
# "Butler Elementary School" = 0.5
""", encoding="utf-8")
    before = load_settings(path, {}).model_dump()
    original = path.read_text(encoding="utf-8")
    write_upgraded(path, {})
    text = path.read_text(encoding="utf-8")
    assert load_settings(path, {}).model_dump() == before
    assert not comment_lines(original) - comment_lines(text)
    for line in ('"Belmont High School",  # the big one', "[programme]  # the district", 'title = "Team"',
                 '[[form.field]]  # as the form asks them', 'file = "*charter*"  # scanned or typed',
                 "[[target]]  # agreed in June"):
        assert line in text
    assert comment_of(text, "[[target]]", "share") == ["# The high school first."]


def test_a_file_in_the_programme_model_is_left_alone_with_a_clear_message(tmp_path):
    path = copy_of(BELMONT, tmp_path)
    before = path.read_bytes()
    assert upgraded_text(path, {}) is None
    assert write_upgraded(path, {}) is False
    status, out, err = plt_run("config", "upgrade", str(path))
    assert (status, err) == (ExitStatus.OK, "")
    assert out == f"{path} is already in the programme model: nothing to upgrade\n"
    assert path.read_bytes() == before


def test_upgrading_twice_changes_nothing_the_second_time(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    write_upgraded(path, {})
    once = path.read_bytes()
    assert write_upgraded(path, {}) is False
    assert path.read_bytes() == once


def test_upgrade_keeps_the_file_permissions(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    path.chmod(0o640)
    write_upgraded(path, {})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_upgrade_run_as_root_keeps_the_files_owner(tmp_path):
    """Rewritten with sudo, the file stays readable by the account whose cron job reads it."""
    path = copy_of(EXAMPLE, tmp_path)
    path.chmod(0o600)
    os.chown(path, 65534, 65534)
    write_upgraded(path, {})
    assert (path.stat().st_uid, path.stat().st_gid, stat.S_IMODE(path.stat().st_mode)) == (65534, 65534, 0o600)


def test_a_linked_config_stays_a_link_and_the_file_it_points_to_is_upgraded(tmp_path):
    target = copy_of(EXAMPLE, tmp_path, "belmont-2017.toml")
    link = tmp_path / "plt.toml"
    link.symlink_to(target.name)
    write_upgraded(link, {})
    assert link.is_symlink() and link.resolve() == target
    assert "[[form.field]]" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["belmont-2017.toml", "plt.toml"]


def test_upgrade_replaces_the_file_in_one_step_leaving_no_temporary_file(tmp_path):
    """A second name for the old file still holds the old text: the new file was swapped
    in, never written over the old one, so a crash leaves one or the other whole."""
    path = copy_of(EXAMPLE, tmp_path)
    os.link(path, tmp_path / "old.toml")
    write_upgraded(path, {})
    assert (tmp_path / "old.toml").read_text(encoding="utf-8") == EXAMPLE_TEXT
    assert path.stat().st_ino != (tmp_path / "old.toml").stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.toml", "plt.toml"]


def test_a_config_with_problems_is_not_upgraded_and_every_problem_is_listed(tmp_path):
    path = tmp_path / "plt.toml"
    path.write_text(EXAMPLE_TEXT.replace("due = 2017-11-01", 'due = "Nov 1"').replace(
        'member_role = "writer"', 'member_role = "owner"'), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        write_upgraded(path, {})
    assert [p.path for p in caught.value.problems] == ["drive.member_role", "milestone[1].due"]
    status, out, err = plt_run("config", "upgrade", str(path))
    assert (status, out) == (ExitStatus.CONFIG, "")
    assert err.startswith(f"{path}: 2 problems in the configuration\n")
    assert path.read_bytes() == before


def test_a_missing_file_exits_2_with_one_line(tmp_path):
    status, out, err = plt_run("config", "upgrade", str(tmp_path / "absent.toml"))
    assert (status, out) == (ExitStatus.CONFIG, "")
    assert err == f"{tmp_path / 'absent.toml'}: 1 problem in the configuration\n  - config file not found\n"


def test_cli_upgrade_rewrites_the_file_and_says_so(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    status, out, err = plt_run("config", "upgrade", str(path))
    assert (status, err) == (ExitStatus.OK, "")
    assert out == (f"rewrote {path} in the programme model; its comments are kept and it reads to the same "
                   "settings\n")
    assert "[[form.field]]" in path.read_text(encoding="utf-8")
    assert same_settings(path, EXAMPLE)


def test_cli_dry_run_prints_the_new_file_and_writes_nothing(tmp_path):
    path = copy_of(EXAMPLE, tmp_path)
    status, out, err = plt_run("config", "upgrade", "--dry-run", str(path))
    assert (status, err) == (ExitStatus.OK, "")
    assert path.read_text(encoding="utf-8") == EXAMPLE_TEXT
    assert out == upgraded_text(path, {})
    assert "[unit]" in out and tomllib.loads(out)["unit"]["source"] == "enrol"


def test_a_rewrite_that_would_change_a_setting_is_named_by_its_sections():
    """The last check before a file is replaced: the new text must mean the same."""
    settings = load_settings(EXAMPLE, {})
    text = upgraded_text(EXAMPLE, {})
    assert changed_sections(settings, text, {}) == []
    assert changed_sections(settings, text.replace("due = 2017-11-17", "due = 2017-11-24"), {}) == ["milestones"]
    assert changed_sections(settings, text.replace("[unit]", "[unit"), {}) == ["the new text would not load"]


def test_write_ids_sets_the_id_of_the_form_named_by_its_key(tmp_path):
    path = copy_of(BELMONT, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("\n[unit]\n", """
# Teams upload their checkpoint here.
[[form]]
key = "checkpoint"
purpose = "evidence"
title = "PLT checkpoint"

[[form.field]]
key = "evidence"
title = "Checkpoint"
type = "paragraph"

[unit]
"""), encoding="utf-8")
    comments = comment_lines(path.read_text(encoding="utf-8"))
    write_ids(path, {"form[checkpoint].id": "1FAIpQL-checkpoint", "form[enrol].id": "1FAIpQL-enrol",
                     "roster.spreadsheet_id": "1BxiM-sheet"})
    settings = load_settings(path, {})
    assert [(f.key, f.id) for f in settings.forms] == [("enrol", "1FAIpQL-enrol"), ("checkpoint", "1FAIpQL-checkpoint")]
    assert settings.roster.spreadsheet_id == "1BxiM-sheet"
    assert comment_lines(path.read_text(encoding="utf-8")) == comments


def test_write_ids_refuses_a_form_the_file_does_not_have_and_writes_nothing(tmp_path):
    path = copy_of(BELMONT, tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r'no \[\[form\]\] table with key = "survey"'):
        write_ids(path, {"roster.spreadsheet_id": "1BxiM-sheet", "form[survey].id": "1FAIpQL-survey"})
    assert path.read_bytes() == before


def test_a_first_format_people_cap_loads_and_the_upgrade_moves_it_to_the_unit_with_its_comment(tmp_path):
    path = tmp_path / "plt.toml"
    path.write_text(EXAMPLE_TEXT.replace("max_people = 30", "max_people = 12"), encoding="utf-8")
    assert load_settings(path, {}).unit.max_people == 12
    text = upgraded_text(path, {})
    assert tomllib.loads(text)["unit"]["max_people"] == 12 and "max_people" not in tomllib.loads(text)["roster"]
    assert comment_of(text, "[unit]", "max_people") == comment_of(EXAMPLE_TEXT, "[roster]", "max_people")
    path.write_text(EXAMPLE_TEXT.replace("max_people = 30\n", ""), encoding="utf-8")
    assert load_settings(path, {}).unit.max_people == 30
    assert "max_people" not in tomllib.loads(upgraded_text(path, {}))["unit"]


def test_a_first_format_send_time_loads_and_the_upgrade_carries_it(tmp_path):
    path = tmp_path / "plt.toml"
    path.write_text(EXAMPLE_TEXT.replace('send_time = "08:00"', 'send_time = "07:15"'), encoding="utf-8")
    assert load_settings(path, {}).mail.send_time == "07:15"
    upgraded = tomllib.loads(upgraded_text(path, {}))
    assert upgraded["mail"]["send_time"] == "07:15"

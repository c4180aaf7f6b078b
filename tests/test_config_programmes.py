"""The programme files in config/programmes/: Belmont's is the example's programme in the
programme model, written for a coordinator to read, and the folder's README lists them."""
from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from config import load_settings
from config.rewrite import upgraded_text
from config_text import tables

CONFIG = Path(__file__).resolve().parent.parent / "config"
PROGRAMMES = CONFIG / "programmes"
BELMONT = PROGRAMMES / "belmont.toml"
BELMONT_TEXT = BELMONT.read_text(encoding="utf-8")


def test_belmont_loads_to_the_settings_of_the_example_in_its_school_year():
    belmont = load_settings(BELMONT, {})
    assert belmont.upgraded_from is None
    assert (belmont.programme.school_year.start, belmont.programme.school_year.end) == (
        date(2017, 8, 28), date(2018, 6, 15))
    assert belmont.programme.short_name == "PLTs"
    expected = load_settings(CONFIG / "example.toml", {}).model_dump()
    # The first format has no school year, calendar nor document templates: what Belmont's file adds.
    expected["programme"]["school_year"] = belmont.model_dump()["programme"]["school_year"]
    expected["calendar"] = belmont.model_dump()["calendar"]
    expected["templates"] = belmont.model_dump()["templates"]
    assert [(t.key, t.title, t.name, t.id) for t in belmont.templates] == [
        ("charter", "PLT Charter", "PLT Charter – {team_name}", "")]
    assert belmont.model_dump() == expected
    assert [s.date for s in belmont.calendar.sessions] == [date(2017, 10, 16), date(2017, 11, 13), date(2017, 12, 4),
                                                          date(2018, 1, 8), date(2018, 2, 5), date(2018, 3, 19)]
    assert {(s.start, s.end) for s in belmont.calendar.sessions} == {("15:30", "17:30")}


def test_belmont_holds_what_the_upgrade_of_the_example_holds():
    """Written from the upgrade's output: the same tables and values, in a reading order."""
    upgraded = tomllib.loads(upgraded_text(CONFIG / "example.toml", {}))
    belmont = tomllib.loads(BELMONT_TEXT)
    assert belmont["programme"].pop("school_year") == {"start": date(2017, 8, 28), "end": date(2018, 6, 15)}
    assert belmont.pop("calendar")["invite"]["field"] == "training"
    assert [t["key"] for t in belmont.pop("template")] == ["charter"]
    assert belmont == upgraded


def test_belmont_needs_no_upgrade():
    assert upgraded_text(BELMONT, {}) is None


def test_belmont_sections_come_in_the_order_the_model_reads_best():
    headers = [header for header, _keys in tables(BELMONT_TEXT)][1:]
    milestone = ["[[milestone]]", "[milestone.evidence]", "[milestone.reminders]"]
    assert headers == ["[programme]", "[google]", "[[form]]", *["[[form.field]]"] * 9, "[unit]",
                       "[[unit.role]]", "[[unit.role]]", "[roster]", "[drive]", "[[template]]", *milestone * 3,
                       "[calendar]", "[calendar.invite]", *["[[calendar.session]]"] * 6, "[mail]", "[[target]]"]
    assert list(tables(BELMONT_TEXT)[1][1]) == ["name", "short_name", "time_zone", "school_year", "sites"]


def test_every_key_of_belmont_is_explained_by_a_comment():
    """Each key's first appearance in a kind of table sits in a run of keys under a comment."""
    seen, unexplained = set(), []
    for header, keys in tables(BELMONT_TEXT):
        for key, comment in keys.items():
            if (header, key) not in seen and not comment:
                unexplained.append(f"{header} {key}")
            seen.add((header, key))
    assert len(seen) > 50
    assert unexplained == []


def test_every_section_of_belmont_opens_with_a_comment_or_follows_one():
    lines = BELMONT_TEXT.splitlines()
    bare = [f"line {n + 1}: {line}" for n, line in enumerate(lines) if line.startswith("[")
            and not lines[n - 1].startswith("#") and not lines[n + 1].startswith("#")]
    assert bare == []


def test_every_form_field_and_role_of_belmont_says_what_it_is():
    """Beyond the first one, whose keys are explained: a line above each further one."""
    lines = BELMONT_TEXT.splitlines()
    for header in ("[[form.field]]", "[[unit.role]]", "[[milestone]]"):
        above = [lines[n - 1] for n, line in enumerate(lines) if line == header]
        assert all(line.startswith("# ") for line in above), header


def test_programmes_readme_lists_every_programme_file_with_one_line_each():
    readme = (PROGRAMMES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| (.+) \|$", readme, re.MULTILINE)
    assert sorted(name for name, _what in rows) == sorted(p.name for p in PROGRAMMES.glob("*.toml"))
    assert all(len(what) > 40 for _name, what in rows)

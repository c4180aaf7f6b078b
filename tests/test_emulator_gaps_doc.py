"""docs/emulator-gaps.md lists the methods and Sheets request kinds the emulator does not
serve; it must stay true as methods are added."""
import re
from pathlib import Path

from emulator.core import Emulator
from emulator.docs_text import SERVED
from emulator.schema import document, methods
from emulator.sheets_requests import HANDLERS

DOC = (Path(__file__).parents[1] / "docs" / "emulator-gaps.md").read_text(encoding="utf-8")
APIS = [("sheets", None, "Sheets v4"), ("drive", None, "Drive v3"), ("drive", "v2", "Drive v2"),
        ("forms", None, "Forms v1"), ("gmail", None, "Gmail v1"), ("docs", None, "Docs v1"),
        ("calendar", None, "Calendar v3")]


def _listed_as_not_served(title: str) -> set[str]:
    section = DOC.split(f"### {title}:", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return {f"{title.split()[0].lower()}.{name}" for name in re.findall(r"^- \[`([\w.]+)`\]", section, re.M)}


def test_every_method_not_served_is_listed_and_no_served_one_is():
    served = {(r.api, r.version, r.method_id) for r in Emulator().routes}
    for api, version, title in APIS:
        everything = {m["id"] for m in methods(document(api, version))}
        missing = {m for m in everything if (api, version, m) not in served}
        assert _listed_as_not_served(title) == missing, title
        assert f"### {title}: {len(everything) - len(missing)} of {len(everything)} methods served" in DOC


def test_every_sheets_request_kind_the_emulator_lacks_is_listed():
    kinds = set(document("sheets")["schemas"]["Request"]["properties"])
    paragraph = DOC.split("**batchUpdate request kinds**", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`(\w+)`", paragraph)) == kinds - set(HANDLERS)


def test_every_docs_request_kind_the_emulator_lacks_is_listed():
    kinds = set(document("docs")["schemas"]["Request"]["properties"])
    section = DOC.split("## Docs v1", 1)[1]
    paragraph = section.split("**batchUpdate request kinds**", 1)[1].split("\n- ", 1)[0].split("naming\n  itself:")[1]
    assert set(re.findall(r"`(\w+)`", paragraph)) == kinds - set(SERVED)


def test_the_readme_links_the_page_from_the_emulator_section():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    emulator_section = readme.split("## Using the emulator for your own scripts", 1)[1].split("\n## ", 1)[0]
    assert "docs/emulator-gaps.md" in emulator_section

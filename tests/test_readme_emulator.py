"""The README's "Using the emulator for your own scripts" snippets, run as written against a
live emulator (only its address changed), so the README never shows code that fails."""
import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## Using the emulator for your own scripts"
ADDRESS = 'EMULATOR = "http://127.0.0.1:8765/"'


def snippets() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION):].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_snippets_run_against_the_emulator(endpoint):
    code = snippets()
    assert len(code) == 3 and ADDRESS in code[0]
    namespace, printed = {}, io.StringIO()
    with contextlib.redirect_stdout(printed):
        for snippet in code:
            exec(snippet.replace(ADDRESS, f'EMULATOR = "{endpoint}/"'), namespace)
    assert namespace["folder"]["name"] == "Reports"
    lines = printed.getvalue().splitlines()
    assert "'name': 'Reports'" in lines[0]
    assert lines[1] == "[['Item', 'Cost'], ['Books', '120']]"
    assert lines[2] == "403 Request had insufficient authentication scopes."

"""The emulator's page after `plt demo`, rendered by a real browser: the roster, the team
folders and the reminders sent are on the page a coordinator opens, and the screenshot is
a real picture, not a blank one. Uses Debian's Chromium (`.ci/browser-deps` installs it)."""
import html
import shutil
import struct
import subprocess
import zlib

import pytest

from emulator.server import EmulatorServer
from sheets import layout as L
from sheets.book import read_book
from sync.commands.demo import run_demo
from sync.google.workspace import connect

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed; run .ci/browser-deps")
FOLDER = "application/vnd.google-apps.folder"


def chromium(url, profile, *extra):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--window-size=1400,1000", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo kept in a folder, then served again from its saved data."""
    workdir = tmp_path_factory.mktemp("demo")
    result = run_demo(workdir)
    with EmulatorServer(data=str(workdir / "emulator.sqlite")) as server:
        yield result, server.url, workdir


def test_the_rendered_page_shows_the_roster_folders_and_mail(demo):
    result, url, workdir = demo
    workspace = connect(None, url)
    roster = read_book(workspace.gspread.http_client, result.spreadsheet_id).tab(L.ROSTER)
    teams = {str(roster.value(r, "Team name")) for r in roster.data_rows()}
    folders = {f["name"] for f in workspace.drive.files().list(q=f"mimeType='{FOLDER}'", fields="files(name)",
                                                              pageSize=1000).execute()["files"]}
    subjects = {m["subject"] for m in result.mail}
    assert len(teams) >= 10 and len(folders) > len(teams) and subjects

    dom = chromium(url, workdir / "profile-dom", "--dump-dom")

    assert "<h2>Spreadsheets</h2>" in dom and "<h2>Sent mail</h2>" in dom
    missing = [text for text in teams | folders | subjects if html.escape(text, quote=False) not in dom]
    assert missing == []


def test_the_screenshot_is_a_picture_of_the_page(demo):
    _result, url, workdir = demo
    png = workdir / "view.png"

    chromium(url, workdir / "profile-shot", f"--screenshot={png}")

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height, colours = png_colours(data, rows=400)
    assert (width, height) == (1400, 1000)
    assert len(colours) > 20        # text, headings, table rules: a blank page has one colour


def png_colours(data: bytes, rows: int) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixel colours of the first `rows` rows of an 8-bit
    RGB or RGBA PNG, decoded with the standard library only."""
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and kind in (2, 6)
    pixel = 3 if kind == 2 else 4
    raw, pos = b"", 8
    while pos < len(data):
        length, chunk = struct.unpack(">I4s", data[pos:pos + 8])
        if chunk == b"IDAT":
            raw += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    lines = zlib.decompress(raw)
    stride, previous, colours = width * pixel, bytearray(width * pixel), set()
    for row in range(min(rows, height)):
        start = row * (stride + 1)
        line = unfilter(lines[start], bytearray(lines[start + 1:start + 1 + stride]), previous, pixel)
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, pixel))
        previous = line
    return width, height, colours


def unfilter(kind: int, line: bytearray, above: bytearray, pixel: int) -> bytearray:
    for i in range(len(line)):
        left = line[i - pixel] if i >= pixel else 0
        up, corner = above[i], above[i - pixel] if i >= pixel else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            estimate = left + up - corner
            nearest = min((abs(estimate - left), 0, left), (abs(estimate - up), 1, up),
                          (abs(estimate - corner), 2, corner))[2]
            line[i] = (line[i] + nearest) & 0xFF
    return line

"""The HTML report of each shipped programme's demo, rendered by a real browser: its tables
hold the numbers of the CSV report, its charts load as real images, and the screenshot is
a picture, not a blank page. Uses Debian's Chromium (`.ci/browser-deps` installs it)."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from emulator.server import EmulatorServer
from sync.commands.cli import run
from sync.environment import Environment
from sync.google.workspace import SCOPES

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed; run .ci/browser-deps")
PROGRAMMES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "config" / "programmes").glob("*.toml"))
# Added to a copy of the page: once it has loaded, the body records each image's decoded width.
PROBE = ("<script>window.addEventListener('load', () => { document.body.dataset.widths = "
         "Array.from(document.images).map(i => i.naturalWidth).join(','); });</script>")


def cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if pd.isna(value) else str(value) for value in row] for row in frame.values.tolist()]


def chromium(url: str, profile: Path, *extra: str) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--virtual-time-budget=5000", "--window-size=1200,1500", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture(scope="module", params=PROGRAMMES)
def report(request, tmp_path_factory):
    """A programme's demo, then its report as HTML and CSV."""
    from sync.commands.demo import run_demo

    workdir = tmp_path_factory.mktemp(request.param)
    run_demo(workdir, request.param)
    with EmulatorServer(data=str(workdir / "emulator.sqlite"), scopes=SCOPES) as server:
        out, err = io.StringIO(), io.StringIO()
        status = run(["report", "--config", str(workdir / "plt.toml"), "--format", "html,csv",
                      "--out", str(workdir / "report")], Environment(stdout=out, stderr=err,
                                                                     environ={"PLT_GOOGLE_ENDPOINT": server.url}))
        assert status == 0, err.getvalue()
    return request.param, workdir / "report"


def test_the_rendered_tables_hold_the_reports_numbers_and_the_charts_load(report):
    _programme, folder = report
    page = (folder / "report.html").read_text(encoding="utf-8")
    probe = folder / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(probe.as_uri(), folder / "profile-dom", "--dump-dom")

    shown = pd.read_html(io.StringIO(dom), attrs={"class": "report"})
    for name, table in zip(("milestones", "participation", "overdue"), shown):
        csv = pd.read_csv(folder / f"report-{name}.csv")
        assert table.shape == csv.shape
        assert cells(table) == cells(csv)
    widths = [int(w) for w in dom.split('data-widths="', 1)[1].split('"', 1)[0].split(",")]
    assert widths and all(w > 300 for w in widths)
    assert 'id="chart-completion"' in dom


def test_the_screenshot_is_a_picture_of_the_report(report):
    programme, folder = report
    png = folder / "report.png"
    chromium((folder / "report.html").as_uri(), folder / "profile-shot", f"--screenshot={png}")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    if programme == "belmont" and (Path(__file__).resolve().parent.parent / "docs").is_dir():
        kept = Path(__file__).resolve().parent.parent / "docs" / "report.png"
        assert kept.exists() and kept.read_bytes().startswith(b"\x89PNG")

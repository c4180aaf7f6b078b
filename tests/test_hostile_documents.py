"""The hostile corpus's team names filled into Belmont's charter: each team's copy holds its
name exactly as the roster does (formula triggers, header injections, placeholders typed by
a facilitator), and a re-run makes no copy and no fill."""
from __future__ import annotations

import pytest
import requests

from emulator.core import Emulator
from emulator.server import EmulatorServer
from hostile_corpus import CORPUS, DOMAIN, REFUSED, Hostile, kept
from programme import Programme, at
from sync.commands.demo_charter import write_charter
from sync.google.workspace import SCOPES
from sync.templates import add_template
from test_hostile_corpus import BASE_ANSWERS

PLACEHOLDERS = (
    kept("p-cycle", "a placeholder typed as a team name must not be filled in", team_name="{{cycle}}"),
    kept("p-own", "the team name's own placeholder, typed as the team name", team_name="{{team_name}} {{school}}"),
    kept("p-private", "private-use characters, which Google strips from inserted text", team_name="\ue000school\ue001"),
    kept("p-token", "the fill's own token delimiters typed around a key", team_name="\u2e28school\u2e29 \u27e6cycle\u27e7"),
)
# Entries whose team name reaches the roster (a 50,000-character name is left to the roster tests).
NAMED = [e for e in (*CORPUS, *PLACEHOLDERS)
         if e.outcome != REFUSED and "Team name" in e.roster and len(e.roster["Team name"]) < 1000]


def submit(programme: Programme, entry: Hostile) -> str:
    q = programme.settings().form.titles
    answers = {**BASE_ANSWERS, "team_name": f"{entry.key} PLT",
               "members": f"Member {entry.key} <{entry.key}.m@{DOMAIN}>", **entry.answers}
    body = {"answers": {q[field]: text for field, text in answers.items()},
            "respondentEmail": entry.respondent, "submittedAt": "2017-10-02T14:00:00Z"}
    answer = requests.post(f"{programme.endpoint}/_emulator/forms/{programme.settings().form.id}/responses",
                           json=body, timeout=30)
    answer.raise_for_status()
    return answer.json()["responseId"]


def charters(programme: Programme) -> dict[str, str]:
    """{team id: the text of its charter copy}."""
    workspace = programme.workspace()
    files = workspace.drive.files().list(q="appProperties has { key='plt_doc' and value='1' }", pageSize=1000,
                                         fields="files(id,appProperties)").execute()["files"]
    texts = {}
    for file in files:
        document = workspace.docs.documents().get(documentId=file["id"]).execute()
        texts[file["appProperties"]["plt_unit_id"]] = "".join(
            e["textRun"]["content"] for s in document["body"]["content"] if "paragraph" in s
            for e in s["paragraph"]["elements"])
    return texts


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-documents")
    with EmulatorServer(Emulator(validate_responses=True, scopes=SCOPES)) as server:
        programme = Programme.create(server.url, folder, config="programmes/belmont.toml", templates=True)
        add_template(programme.settings(), programme.workspace(), write_charter(folder), "charter")
        responses = {entry.key: submit(programme, entry) for entry in NAMED}
        first = programme.sync(at("2017-10-10 06:00"))
        again = programme.sync(at("2017-10-10 06:15"))
        teams = {row["Response ID"]: row["Team ID"] for row in programme.records("Roster")}
        yield {"first": first, "again": again, "teams": {key: teams[rid] for key, rid in responses.items()},
               "charters": charters(programme)}


def test_every_team_gets_one_filled_charter_and_a_rerun_adds_none(run):
    assert len(NAMED) >= 20
    assert run["first"].documents == {"copied": len(NAMED), "filled": len(NAMED)}
    assert run["again"].documents == {"copied": 0, "filled": 0}
    assert set(run["charters"]) == set(run["teams"].values())


@pytest.mark.parametrize("entry", NAMED, ids=[e.key for e in NAMED])
def test_the_charter_holds_the_team_name_exactly_as_the_roster_does(run, entry):
    name = entry.roster["Team name"]
    text = run["charters"][run["teams"][entry.key]]
    shown = name.replace("\ue000", "").replace("\ue001", "")   # Google strips private-use characters
    assert f"PLT name: {shown}\n" in text

"""Belmont's PLT Charter through `plt sync`: uploaded once with `plt templates add`, copied
once into every team folder and filled with the team's name, school, facilitator, members
and a signature line each; exactly once when Drive or Docs commit and then fail; never
counted as the signed charter; and a quiet run makes no Docs call."""
import io

import pytest
import tomlkit

from programme import DOMAIN, Programme, at
from sheets import layout as L
from sync.commands.cli import run
from sync.commands.demo_charter import write_charter
from sync.environment import Environment
from sync.errors import ExitStatus

DOCUMENT = "application/vnd.google-apps.document"
CHARTER = "Signed team charter"


def plt(programme, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = run([*argv, "--config", str(programme.config_path)],
                 Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": programme.endpoint}))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def belmont(endpoint, tmp_path):
    """Belmont with its charter template uploaded as a coordinator does."""
    programme = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml", templates=True)
    status, out, err = plt(programme, "templates", "add", str(write_charter(tmp_path)), "--key", "charter")
    assert (status, err) == (ExitStatus.OK, ""), out
    return programme


def folder_documents(programme):
    """{team folder name: [(file name, text)]} of the Google Docs in every team folder."""
    workspace = programme.workspace()
    parent = programme.settings().drive.parent_folder_id
    folders = workspace.drive.files().list(q=f"'{parent}' in parents and mimeType='application/vnd.google-apps.folder'",
                                           fields="files(id,name)").execute()["files"]
    found = {}
    for folder in folders:
        files = workspace.drive.files().list(q=f"'{folder['id']}' in parents and trashed=false",
                                             fields="files(id,name,mimeType)").execute()["files"]
        found[folder["name"]] = [(f["name"], document_text(workspace, f["id"])) for f in files
                                 if f["mimeType"] == DOCUMENT]
    return found


def document_text(workspace, document_id):
    document = workspace.docs.documents().get(documentId=document_id).execute()
    return "".join(e["textRun"]["content"] for s in document["body"]["content"] if "paragraph" in s
                   for e in s["paragraph"]["elements"])


def test_templates_add_converts_the_docx_and_records_its_id_keeping_comments(belmont):
    text = belmont.config_path.read_text()
    (template,) = tomlkit.parse(text)["template"]
    assert template["key"] == "charter" and template["id"]
    assert "# The Google Doc's id. Under the drive.file scope" in text
    made = belmont.workspace().drive.files().get(fileId=template["id"], fields="name,mimeType,parents").execute()
    assert made == {"name": "PLT Charter", "mimeType": DOCUMENT,
                    "parents": [belmont.settings().drive.parent_folder_id]}
    assert "PLT name: {{team_name}}" in document_text(belmont.workspace(), template["id"])


def test_each_team_gets_one_filled_charter_with_a_signature_line_per_member(belmont):
    belmont.submit("Ana", "Lopez", team="Close Reading 7",
                   members=f"Sam Lee <sam.lee@{DOMAIN}>\nKim Park <kim.park@{DOMAIN}>")
    belmont.submit("Ben", "Okafor", team="Number Talks", school="Burbank Elementary School")

    report = belmont.sync(at("2017-10-10 06:00"))

    assert report.exit_code == ExitStatus.OK and report.documents == {"copied": 2, "filled": 2}
    documents = folder_documents(belmont)
    (name, text), = documents["Chenery Middle School – Close Reading 7"]
    assert name == "PLT Charter – Close Reading 7"
    assert "PLT name: Close Reading 7\nSchool: Chenery Middle School\nFacilitator: Ana Lopez\n" in text
    assert "Members:\nSam Lee\nKim Park\n" in text
    signatures = [line for line in text.splitlines() if "______" in line]
    assert [line.split(" (")[0] for line in signatures] == ["Ana Lopez", "Sam Lee", "Kim Park"]
    assert "{{" not in text
    assert [n for n, _t in documents["Burbank Elementary School – Number Talks"]] == ["PLT Charter – Number Talks"]


def test_the_charter_copy_is_not_the_signed_charter(belmont):
    belmont.submit("Ana", "Lopez", team="Close Reading 7")
    belmont.sync(at("2017-10-10 06:00"))
    report = belmont.sync(at("2017-11-20 08:30"))
    (row,) = belmont.records(L.ROSTER)
    assert row[f"{CHARTER} status"] != "received"
    assert row[f"{CHARTER} file"] == ""
    assert any(CHARTER in m["subject"] or "charter" in m["subject"].lower() for m in belmont.mail())
    assert report.documents == {"copied": 0, "filled": 0}


def test_reruns_make_no_new_copies_and_a_quiet_run_makes_no_docs_call(belmont):
    belmont.submit("Ana", "Lopez", team="Close Reading 7")
    belmont.sync(at("2017-10-10 06:00"))
    belmont.reset_stats()

    quiet = belmont.sync(at("2017-10-10 06:15"))

    calls = belmont.stats()["by_method"]
    assert quiet.documents == {"copied": 0, "filled": 0}
    assert not [m for m in calls if m.startswith("docs.")]
    assert calls.get("sheets.spreadsheets.batchUpdate") == 1
    assert sum(n for m, n in calls.items() if m.split(".")[-1] in ("create", "copy", "update", "batchUpdate")) == 1
    assert len(folder_documents(belmont)["Chenery Middle School – Close Reading 7"]) == 1


def test_a_copy_committed_but_answered_with_an_error_is_not_made_twice(belmont, admin):
    belmont.submit("Ana", "Lopez", team="Close Reading 7")
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1, "methods": ["drive.files.copy"]})

    report = belmont.sync(at("2017-10-10 06:00"))

    assert report.exit_code == ExitStatus.OK and report.documents == {"copied": 1, "filled": 1}
    ((name, text),) = folder_documents(belmont)["Chenery Middle School – Close Reading 7"]
    assert "PLT name: Close Reading 7" in text
    belmont.sync(at("2017-10-10 06:15"))
    assert len(folder_documents(belmont)["Chenery Middle School – Close Reading 7"]) == 1


def test_a_fill_committed_but_answered_with_an_error_is_not_expanded_twice(belmont, admin):
    belmont.submit("Ana", "Lopez", team="{{school}} {{cycle}}")
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                        "methods": ["docs.documents.batchUpdate"]})

    report = belmont.sync(at("2017-10-10 06:00"))

    assert report.exit_code == ExitStatus.OK and report.documents == {"copied": 1, "filled": 0}
    ((name, text),) = folder_documents(belmont)["Chenery Middle School – {{school}} {{cycle}}"]
    assert name == "PLT Charter – {{school}} {{cycle}}"
    assert "PLT name: {{school}} {{cycle}}\nSchool: Chenery Middle School\n" in text


def test_a_copy_left_unfilled_is_filled_by_the_next_run_and_never_copied_again(belmont, admin):
    belmont.submit("Ana", "Lopez", team="Close Reading 7")
    admin("POST", "/_emulator/faults", {"kinds": [503], "count": 5, "methods": ["docs.documents.batchUpdate"]})

    failed = belmont.sync(at("2017-10-10 06:00"))

    assert failed.exit_code == ExitStatus.PARTIAL and failed.documents == {"copied": 1, "filled": 0}
    (problem,) = belmont.records(L.PROBLEMS)
    assert problem["Value"] == "fill document charter"
    ((_name, unfilled),) = folder_documents(belmont)["Chenery Middle School – Close Reading 7"]
    assert "{{team_name}}" in unfilled

    again = belmont.sync(at("2017-10-10 06:15"))

    assert again.exit_code == ExitStatus.OK and again.documents == {"copied": 0, "filled": 1}
    ((_name, text),) = folder_documents(belmont)["Chenery Middle School – Close Reading 7"]
    assert "PLT name: Close Reading 7" in text


def test_a_template_uploaded_again_reaches_only_teams_without_a_charter(belmont, tmp_path):
    belmont.submit("Ana", "Lopez", team="Close Reading 7")
    belmont.sync(at("2017-10-10 06:00"))
    newer = tmp_path / "newer"
    newer.mkdir()
    status, _out, _err = plt(belmont, "templates", "add", str(write_charter(newer)), "--key", "charter")
    assert status == ExitStatus.OK
    belmont.submit("Ben", "Okafor", team="Number Talks", school="Burbank Elementary School")

    report = belmont.sync(at("2017-10-10 06:15"))

    assert report.documents == {"copied": 1, "filled": 1}
    documents = folder_documents(belmont)
    assert len(documents["Chenery Middle School – Close Reading 7"]) == 1
    assert len(documents["Burbank Elementary School – Number Talks"]) == 1


def test_a_template_not_uploaded_yet_stops_sync_with_a_clear_line(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml", templates=True)
    status, out, err = plt(programme, "sync")
    assert status == ExitStatus.CONFIG
    assert "template[charter] has no id yet: upload its .docx with `plt templates add FILE.docx --key charter" in err
    status, out, _err = plt(programme, "doctor")
    assert "✗ document templates fillable: not uploaded yet: charter" in out
    status, _out, err = plt(programme, "status")
    assert status == ExitStatus.OK and err == ""   # status and reports need no template


def test_doctor_checks_the_uploaded_template_can_be_copied_and_filled(belmont):
    status, out, _err = plt(belmont, "doctor")
    assert "✓ document templates fillable: all 1 are Google Docs PLT Sync can copy and fill" in out


def test_templates_add_refuses_a_file_google_cannot_convert(belmont, tmp_path):
    pdf = tmp_path / "charter.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    status, _out, err = plt(belmont, "templates", "add", str(pdf))
    assert status == ExitStatus.CONFIG and "expected a Word document (.docx)" in err


def test_first_sync_of_twenty_teams_fills_twenty_charters_within_two_calls_of_the_lower_bound(belmont):
    from benchmarks import bounds

    for i in range(20):
        belmont.submit(f"Fac{i}", f"Ilitator{i}", team=f"Team {i}",
                       members=f"Mem{i} One <mem{i}.one@{DOMAIN}>\nMem{i} Two <mem{i}.two@{DOMAIN}>")

    first = belmont.sync(at("2017-10-10 06:00"))
    quiet = belmont.sync(at("2017-10-10 06:15"))

    first_bound = bounds.lower_bound(bounds.first_sync(20, 3, templates=1))["total"]
    quiet_bound = bounds.lower_bound(bounds.quiet_sync(20, templates=1))["total"]
    assert first.documents == {"copied": 20, "filled": 20}
    assert first.api_calls["by_method"]["docs.documents.batchUpdate"] == 20 == first_bound - 7
    # Beyond the bound: the parent folder checked before creating folders, and the one
    # Drive batch recording the twenty copies as filled. (Belmont's training calendar is
    # counted by its own bound.)
    assert without_calendar(first) == first_bound + 2
    assert without_calendar(quiet) == quiet_bound == 5
    assert not [m for m in quiet.api_calls["by_method"] if m.startswith("docs.")]


def without_calendar(report) -> int:
    return sum(n for m, n in report.api_calls["by_method"].items() if not m.startswith("calendar."))

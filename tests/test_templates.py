"""Team-folder templates under the drive.file scope PLT Sync asks for: a template a
coordinator made in the Drive web UI cannot be copied, one made through PLT Sync can (the
document templates `plt templates add` uploads are tested in test_sync_documents.py), and
`plt doctor` says when a configured template cannot be copied."""
import io

import requests
import tomlkit
from googleapiclient.http import MediaInMemoryUpload

from drive.folders import list_team_folders
from programme import DOMAIN, Programme, at
from sync.commands.cli import run
from sync.environment import Environment
from sync.errors import ExitStatus
from sync.google.workspace import connect

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHARTER = b"PK\x03\x04 team charter template"


def plt(endpoint, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), Environment(stdout=out, stderr=err, environ={"PLT_GOOGLE_ENDPOINT": endpoint}))
    return status, out.getvalue(), err.getvalue()


def template_ids(config):
    return list(tomlkit.parse(config.read_text())["drive"]["template_file_ids"])


def team_folder_files(programme):
    """The names of the files in the (only) team folder."""
    drive = programme.workspace().drive
    folders, _ = list_team_folders(drive, programme.settings().drive.parent_folder_id)
    (folder,) = folders.values()
    inside = drive.files().list(q=f"'{folder.folder_id}' in parents", fields="files(name)").execute()["files"]
    return [f["name"] for f in inside]


def upload(programme, name="PLT charter.docx", content=CHARTER) -> str:
    """A file uploaded through PLT Sync's app into the parent folder, as it is (not converted)."""
    media = MediaInMemoryUpload(content, mimetype=DOCX)
    body = {"name": name, "parents": [programme.settings().drive.parent_folder_id]}
    return programme.workspace().drive.files().create(body=body, media_body=media, fields="id").execute()["id"]


def test_a_template_listed_by_id_is_copied_into_each_new_team_folder_and_is_no_charter(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    template_id = upload(programme)
    document = tomlkit.parse(programme.config_path.read_text())
    document["drive"]["template_file_ids"] = [template_id]
    programme.config_path.write_text(tomlkit.dumps(document))
    programme.submit("Ana", "Lopez", team="Close Reading 7", members=f"Sam Lee <sam.lee@{DOMAIN}>")

    report = programme.sync(at("2017-10-10 06:00"))

    assert report.failures == []
    assert team_folder_files(programme) == ["Copy of PLT charter.docx"]
    (row,) = programme.records("Roster")
    assert row["Signed team charter status"] != "received"   # the blank copy is not the signed charter


def test_templates_add_asks_to_upgrade_a_first_format_config(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    source = tmp_path / "PLT charter.docx"
    source.write_bytes(CHARTER)
    status, _out, err = plt(endpoint, "templates", "add", str(source), "--config", str(programme.config_path))
    assert status == ExitStatus.CONFIG
    assert "is in the first config format, which has no [[template]]: run `plt config upgrade" in err


def test_a_template_made_in_the_drive_ui_cannot_be_copied_into_a_team_folder(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    parent = programme.settings().drive.parent_folder_id
    made = requests.post(f"{endpoint}/_emulator/drive/files", timeout=30, json={
        "name": "Charter template", "mimeType": DOCX, "parents": [parent], "content": "charter"}).json()
    document = tomlkit.parse(programme.config_path.read_text())
    document["drive"]["template_file_ids"] = [made["id"]]
    programme.config_path.write_text(tomlkit.dumps(document))
    programme.submit("Ana", "Lopez", team="Close Reading 7", members=f"Sam Lee <sam.lee@{DOMAIN}>")

    report = programme.sync(at("2017-10-10 06:00"))

    assert report.exit_code == ExitStatus.PARTIAL and team_folder_files(programme) == []
    (problem,) = programme.records("Problems")
    assert (problem["Value"], problem["Reason"]) == ("copy template", (
        "Drive answered HTTP 403 (appNotAuthorizedToFile): The user has not granted the app 100000000001 read access "
        f"to the file {made['id']}."))


def test_doctor_warns_of_a_template_made_in_the_drive_ui(served_demo):
    config, endpoint = served_demo
    parent = tomlkit.parse(config.read_text())["drive"]["parent_folder_id"]
    made = requests.post(f"{endpoint}/_emulator/drive/files", timeout=30, json={
        "name": "Charter template", "mimeType": DOCX, "parents": [parent], "content": "charter"}).json()
    document = tomlkit.parse(config.read_text())
    document["drive"]["template_file_ids"] = [made["id"]]
    config.write_text(tomlkit.dumps(document))

    status, out, _err = plt(endpoint, "doctor", "--config", str(config))

    assert status == ExitStatus.OK   # a warning, not a failure
    lines = out.splitlines()
    warning = next(i for i, line in enumerate(lines) if line.startswith("! templates copyable: "))
    assert f"\"Charter template\" ({made['id']}) was made in Drive, not by PLT Sync" in lines[warning]
    assert lines[warning + 1] == (f"    fix: upload it with `plt templates add FILE --config {config}` and remove "
                                  "the old id from [drive] template_file_ids")


def test_doctor_warns_of_a_template_that_does_not_exist_and_passes_an_added_one(served_demo, tmp_path):
    config, endpoint = served_demo
    parent = tomlkit.parse(config.read_text())["drive"]["parent_folder_id"]
    drive = connect(None, endpoint).drive
    made = drive.files().create(body={"name": "charter.docx", "parents": [parent]}, fields="id",
                                media_body=MediaInMemoryUpload(CHARTER, mimetype=DOCX)).execute()
    document = tomlkit.parse(config.read_text())
    document["drive"]["template_file_ids"] = [made["id"]]
    config.write_text(tomlkit.dumps(document))
    assert "✓ templates copyable: all 1 can be copied into team folders" in plt(endpoint, "doctor", "--config",
                                                                                  str(config))[1]
    document = tomlkit.parse(config.read_text())
    document["drive"]["template_file_ids"].append("no-such-template")
    config.write_text(tomlkit.dumps(document))
    out = plt(endpoint, "doctor", "--config", str(config))[1]
    assert "! templates copyable: no-such-template cannot be reached by the emulator's user: " \
           "Drive answered HTTP 404 (notFound): File not found: no-such-template." in out


def test_a_parent_folder_made_in_the_drive_ui_fails_the_folder_check(served_demo):
    config, endpoint = served_demo
    folder = requests.post(f"{endpoint}/_emulator/drive/files", timeout=30, json={
        "name": "PLTs made by hand", "mimeType": "application/vnd.google-apps.folder"}).json()
    document = tomlkit.parse(config.read_text())
    document["drive"]["parent_folder_id"] = folder["id"]
    config.write_text(tomlkit.dumps(document))

    status, out, _err = plt(endpoint, "doctor", "--config", str(config))

    assert status == ExitStatus.ACCESS
    assert ("✗ parent folder listable and writable: \"PLTs made by hand\" was made in Drive, not by PLT Sync: "
            "under the drive.file scope PLT Sync cannot add team folders to it") in out


def test_adding_a_template_before_init_or_from_a_missing_file_exits_2(endpoint, tmp_path):
    programme = Programme.create(endpoint, tmp_path)
    status, _out, err = plt(endpoint, "templates", "add", str(tmp_path / "missing.docx"),
                            "--config", str(programme.config_path))
    assert status == ExitStatus.CONFIG and "missing.docx" in err and "does not exist" in err
    document = tomlkit.parse(programme.config_path.read_text())
    document["drive"]["parent_folder_id"] = ""
    programme.config_path.write_text(tomlkit.dumps(document))
    source = tmp_path / "charter.docx"
    source.write_bytes(CHARTER)
    status, _out, err = plt(endpoint, "templates", "add", str(source), "--config", str(programme.config_path))
    assert status == ExitStatus.CONFIG
    assert err.strip() == (f"[drive].parent_folder_id is not set yet: run `plt init --config "
                           f"{programme.config_path}` first")
    assert template_ids(programme.config_path) == []

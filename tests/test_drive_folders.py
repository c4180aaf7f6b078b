"""Team folders against the emulator through the real Drive client: reading them in one
call per thousand, creating them a hundred per call, and never twice after a lost answer."""
from __future__ import annotations

import time

import pytest

from drive.batch import apply_changes
from drive.folders import find_folder, list_team_folders
from drive.model import FOLDER_MIME, CreateFolder, RenameFolder
from sync.google.errors import classify
from sync.google.workspace import connect

from drive_env import DriveEnv


class FolderEnv(DriveEnv):
    def folders_named(self, team_id: str) -> list[dict]:
        q = f"appProperties has {{ key='plt_team_id' and value='{team_id}' }} and trashed=false"
        return self.drive.files().list(q=q, fields="files(id,name)").execute()["files"]


@pytest.fixture
def env(endpoint) -> FolderEnv:
    return FolderEnv(endpoint)


def creates(env: DriveEnv, count: int, prefix: str = "T") -> list[CreateFolder]:
    return [CreateFolder(f"{prefix}{n:04d}", f"PLT {n}: Grade 3 Literacy", env.parent) for n in range(count)]


def test_team_folders_are_read_with_tags_and_sharing_in_one_call(env):
    results, _ = env.apply(creates(env, 3))
    assert all(result.ok for result in results)
    env.new_folder("Coordinator notes", env.parent)
    env.new_folder("Elsewhere", app_properties={"plt_team": "1", "plt_team_id": "T9999"})
    trashed = env.new_folder("Old", env.parent, {"plt_team": "1", "plt_team_id": "T8888"})
    env.drive.files().update(fileId=trashed, body={"trashed": True}).execute()
    env.start_counting()

    folders, calls = list_team_folders(env.drive, env.parent)

    assert sorted(folders) == ["T0000", "T0001", "T0002"]
    assert calls == 1 and len(env.http.sent) == 1 and env.stats() == {"drive.files.list": 1}
    folder = folders["T0001"]
    assert folder.folder_id == results[1].value["id"] and folder.name == "PLT 1: Grade 3 Literacy"
    assert folder.link == f"https://drive.google.com/drive/folders/{folder.folder_id}"
    assert [p.role for p in folder.permissions] == ["owner"]
    assert folder.granted == frozenset() and folder.duplicate_ids == ()


def test_more_than_a_thousand_team_folders_cost_one_read_per_thousand(env):
    env.apply(creates(env, 1050))
    env.start_counting()
    folders, calls = list_team_folders(env.drive, env.parent)
    assert len(folders) == 1050
    assert calls == 2 and env.stats() == {"drive.files.list": 2}


def test_creating_250_folders_takes_three_batch_calls(env):
    env.start_counting()
    results, calls = env.apply(creates(env, 250))
    assert all(result.ok for result in results) and len({r.value["id"] for r in results}) == 250
    assert calls == 3
    assert [uri.rsplit("/", 3)[-3:] for _, uri in env.http.sent] == [["batch", "drive", "v3"]] * 3
    assert env.stats() == {"drive.files.create": 250}


def test_results_come_back_in_the_order_given_with_tagged_folders(env):
    results, _ = env.apply(creates(env, 5))
    assert [r.change.team_id for r in results] == ["T0000", "T0001", "T0002", "T0003", "T0004"]
    tags = env.drive.files().get(fileId=results[3].value["id"], fields="appProperties,parents").execute()
    assert tags == {"appProperties": {"plt_team": "1", "plt_team_id": "T0003"}, "parents": [env.parent]}


def test_folder_made_but_answer_lost_is_found_by_its_tag_not_made_again(env):
    env.fault(kinds=["commit_then_fail"], methods=["drive.files.create"], count=1)
    env.start_counting()
    results, calls = env.apply(creates(env, 1))
    assert results[0].ok and results[0].value["id"] == env.folders_named("T0000")[0]["id"]
    assert len(env.folders_named("T0000")) == 1
    assert calls == 2  # the batch, then the lookup that found the folder
    assert len(env.sleeps) == 1 and env.stats()["drive.files.create"] == 1


def test_rerun_after_a_run_that_lost_a_created_folder_yields_exactly_one_folder(env):
    env.fault(kinds=["commit_then_fail"], methods=["drive.files.create"], count=1)
    env.fault(kinds=["503"], methods=["drive.files.list"], count=5)
    first, _ = env.apply(creates(env, 2), retries=1)
    assert not first[0].ok and first[0].transient and "gave up after 2 tries" in first[0].error
    assert first[1].ok
    env.admin("DELETE", "/_emulator/faults")

    known, _ = list_team_folders(env.drive, env.parent)
    missing = [change for change in creates(env, 2) if change.team_id not in known]
    results, _ = env.apply(missing)

    assert missing == [] and results == []
    assert len(env.folders_named("T0000")) == 1 and len(env.folders_named("T0001")) == 1


def test_dropped_connection_mid_batch_makes_every_folder_once(env):
    env.fault(kinds=["reset"], methods=["drive.files.create"], count=1, after=2)
    results, _ = env.apply(creates(env, 5))
    assert all(result.ok for result in results)
    for n in range(5):
        assert len(env.folders_named(f"T{n:04d}")) == 1


def test_failures_of_one_team_leave_the_others_created(env):
    missing_parent = CreateFolder("T0100", "PLT with a deleted parent", "no-such-folder")
    results, _ = env.apply([missing_parent, *creates(env, 2)])
    assert not results[0].ok and not results[0].transient and "404" in results[0].error
    assert results[1].ok and results[2].ok
    assert env.sleeps == []  # a missing parent is not worth retrying


def test_two_folders_for_one_team_keep_the_oldest_and_name_the_other(env):
    tags = {"plt_team": "1", "plt_team_id": "T0042"}
    oldest = env.new_folder("PLT 42", env.parent, tags)
    time.sleep(0.01)
    newer = env.new_folder("PLT 42 (copy)", env.parent, tags)
    folders, _ = list_team_folders(env.drive, env.parent)
    assert folders["T0042"].folder_id == oldest and folders["T0042"].duplicate_ids == (newer,)
    assert find_folder(env.drive, env.parent, "T0042").folder_id == oldest
    assert len(env.folders_named("T0042")) == 2  # nothing deleted


def test_find_folder_looks_only_under_the_parent_and_copes_with_quotes(env):
    other = env.new_folder("Last year's PLTs")
    results, _ = env.apply([CreateFolder("O'Brien's team", "O'Brien's PLT", other)])
    assert results[0].ok
    assert find_folder(env.drive, env.parent, "O'Brien's team") is None
    found = find_folder(env.drive, other, "O'Brien's team")
    assert found is not None and found.name == "O'Brien's PLT"


def test_renamed_team_gets_its_folder_renamed(env):
    created, _ = env.apply(creates(env, 1))
    folder_id = created[0].value["id"]
    results, _ = env.apply([RenameFolder("T0000", folder_id, "PLT 0: Grade 4 Literacy")])
    assert results[0].ok
    assert find_folder(env.drive, env.parent, "T0000").name == "PLT 0: Grade 4 Literacy"


def test_the_workspace_drive_client_reads_and_creates_team_folders(endpoint):
    drive = connect(None, endpoint).drive
    parent = drive.files().create(body={"name": "PLTs", "mimeType": FOLDER_MIME}, fields="id").execute()["id"]
    results, calls = apply_changes(drive, [CreateFolder("T1", "PLT 1", parent)], classify=classify)
    folders, _ = list_team_folders(drive, parent)
    assert results[0].ok and calls == 1
    assert folders["T1"].folder_id == results[0].value["id"]

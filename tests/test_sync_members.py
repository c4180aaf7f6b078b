"""The Members tab through `plt sync`: someone who leaves a team keeps their row, which says
they left, when, and what folder access they have now."""
import pytest
import requests

from drive.folders import list_team_folders
from sheets import layout as L
from programme import DOMAIN, Programme, at

SAM, KIM = f"sam.lee@{DOMAIN}", f"kim.ng@{DOMAIN}"


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path)


def members(programme):
    return {r["Email"]: r for r in programme.records(L.MEMBERS)}


def only_folder(programme):
    (folder,) = list_team_folders(programme.workspace().drive, programme.settings().drive.parent_folder_id)[0].values()
    return folder


def test_member_left_off_a_resubmission_is_shown_removed_with_the_date_and_no_access(programme):
    programme.submit("Ana", "Lopez", team="Close Reading 7", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-10 06:00"))
    programme.submit("Ana", "Lopez", team="Close Reading Grade 7", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-11 06:00"))
    assert KIM not in {p.email for p in only_folder(programme).permissions}
    kim, sam = members(programme)[KIM], members(programme)[SAM]
    assert (kim["On team"], kim["Access"], kim["Team name"]) == ("removed 2017-10-11", "removed", "Close Reading Grade 7")
    assert kim["Access detail"] == "no longer on the team: no access to the folder"
    assert (sam["On team"], sam["Access"]) == ("yes", "shared")

    programme.reset_stats()
    programme.sync(at("2017-10-12 06:00"))
    assert members(programme)[KIM]["On team"] == "removed 2017-10-11"
    assert programme.stats()["by_method"].get("sheets.spreadsheets.values.batchUpdate") is None


def test_member_removed_whose_access_was_given_by_hand_is_told_apart(programme):
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-10 06:00"))
    folder = only_folder(programme)
    programme.workspace().drive.permissions().create(
        fileId=folder.folder_id, sendNotificationEmail=False,
        body={"type": "user", "role": "commenter", "emailAddress": KIM}).execute()
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-11 06:00"))
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-12 06:00"))
    kim = members(programme)[KIM]
    assert (kim["On team"], kim["Access"]) == ("removed 2017-10-12", "shared")
    assert kim["Access detail"].startswith("no longer on the team: writer access given by hand")


def test_member_who_comes_back_is_on_the_team_and_shared_again(programme):
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-10 06:00"))
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-11 06:00"))
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-12 06:00"))
    kim = members(programme)[KIM]
    assert (kim["On team"], kim["Access"], kim["Access detail"]) == ("yes", "shared", "")
    assert KIM in {p.email for p in only_folder(programme).permissions}


def test_access_that_could_not_be_removed_says_failed_until_it_is(programme, endpoint):
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>\nKim Ng <{KIM}>")
    programme.sync(at("2017-10-10 06:00"))
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": [500], "methods": ["drive.permissions.delete"],
                                                       "count": 1000}, timeout=10).raise_for_status()
    assert programme.sync(at("2017-10-11 06:00")).exit_code == 1
    kim = members(programme)[KIM]
    assert (kim["On team"], kim["Access"]) == ("removed 2017-10-11", "failed")
    assert kim["Access detail"].endswith("; will retry next run")
    requests.delete(f"{endpoint}/_emulator/faults", timeout=10)
    assert programme.sync(at("2017-10-12 06:00")).exit_code == 0
    assert (members(programme)[KIM]["Access"], KIM in {p.email for p in only_folder(programme).permissions}) == (
        "removed", False)

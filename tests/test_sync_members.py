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


def share_by_hand(programme, folder, email: str, role: str) -> None:
    """A coordinator shares the team folder in Drive itself, not through PLT Sync."""
    programme.workspace().drive.permissions().create(
        fileId=folder.folder_id, sendNotificationEmail=False,
        body={"type": "user", "role": role, "emailAddress": email}).execute()


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
    share_by_hand(programme, only_folder(programme), KIM, "commenter")
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


ANA, COACH = f"ana.lopez@{DOMAIN}", f"coach@{DOMAIN}"
WITHDRAWN_ACCESS = {  # setting -> (Ana's and Sam's role on the folder afterwards, their Access cell)
    "keep": ("writer", "shared"),
    "reader": ("reader", "reader"),
    "remove": (None, "removed"),
}


def withdrawn_access(value):
    return lambda text: text.replace('withdrawn_access = "keep"', f'withdrawn_access = "{value}"')


def roles(folder):
    return {p.email: p.role for p in folder.permissions if p.email}


@pytest.mark.parametrize("setting", sorted(WITHDRAWN_ACCESS))
def test_withdrawn_team_folder_access_follows_the_setting_once_and_comes_back_on_reenrolment(
        endpoint, tmp_path, setting):
    programme = Programme.create(endpoint, tmp_path, edit=withdrawn_access(setting))
    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-10 06:00"))
    share_by_hand(programme, only_folder(programme), COACH, "writer")
    owners = {p.permission_id for p in only_folder(programme).permissions if p.role == "owner"}
    programme.delete_response(ANA)
    report = programme.sync(at("2017-10-11 06:00"), allow_shrink=True)

    role, access = WITHDRAWN_ACCESS[setting]
    after = roles(only_folder(programme))
    assert (after.get(ANA), after.get(SAM), after[COACH]) == (role, role, "writer")
    assert owners and owners <= {p.permission_id for p in only_folder(programme).permissions if p.role == "owner"}
    assert report.teams["withdrawn"] == 1 and report.exit_code == 0
    rows = members(programme)
    assert {(rows[e]["On team"], rows[e]["Access"]) for e in (ANA, SAM)} == {("team withdrawn 2017-10-11", access)}
    assert rows[ANA]["Access detail"].startswith("team withdrawn: ")

    programme.reset_stats()
    programme.sync(at("2017-10-12 06:00"), allow_shrink=True)
    calls = programme.stats()["by_method"]
    assert {m for m in calls if m.startswith("drive.")} == {"drive.files.list"}
    assert "sheets.spreadsheets.values.batchUpdate" not in calls

    programme.submit("Ana", "Lopez", members=f"Sam Lee <{SAM}>")
    programme.sync(at("2017-10-13 06:00"))
    again = roles(only_folder(programme))
    assert (again[ANA], again[SAM], again[COACH]) == ("writer", "writer", "writer")
    rows = members(programme)
    assert {(rows[e]["On team"], rows[e]["Access"]) for e in (ANA, SAM)} == {("yes", "shared")}

"""Drive v3 in the emulator, through the real google-api-python-client and gspread clients:
team folders, their search by appProperties, paging, moves, copies, sharing and batches."""
import json
import urllib.request

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from emulator.core import Emulator
from emulator.server import EmulatorServer
from sync.google.workspace import connect

FOLDER = "application/vnd.google-apps.folder"


@pytest.fixture
def drive(endpoint):
    return connect(None, endpoint).drive


def _admin(endpoint, path):
    with urllib.request.urlopen(endpoint + path) as resp:
        return json.loads(resp.read())


def _folder(drive, name, parent=None, **extra):
    body = {"name": name, "mimeType": FOLDER, **extra}
    if parent:
        body["parents"] = [parent]
    return drive.files().create(body=body, fields="id,name,parents,appProperties").execute()


def _names(drive, q, **params):
    found = drive.files().list(q=q, fields="files(name)", **params).execute()["files"]
    return sorted(f["name"] for f in found)


def _error(excinfo):
    return excinfo.value.resp.status, json.loads(excinfo.value.content)["error"]


# files.create / get
def test_folder_without_fields_answers_google_default_fields(drive):
    created = drive.files().create(body={"name": "Belmont PLTs", "mimeType": FOLDER}).execute()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    full = drive.files().get(fileId=created["id"], fields="webViewLink,ownedByMe,parents,trashed").execute()
    assert full["webViewLink"] == f"https://drive.google.com/drive/folders/{created['id']}"
    assert full["ownedByMe"] is True and full["trashed"] is False
    assert drive.files().get(fileId="root", fields="id").execute()["id"] == full["parents"][0]


def test_unknown_file_answers_file_not_found(drive):
    with pytest.raises(HttpError) as excinfo:
        drive.files().get(fileId="no-such-folder").execute()
    status, error = _error(excinfo)
    assert status == 404
    assert error["message"] == "File not found: no-such-folder."


def test_create_in_a_missing_parent_answers_404(drive):
    with pytest.raises(HttpError) as excinfo:
        _folder(drive, "Team 1", parent="missing-parent")
    assert _error(excinfo)[0] == 404


def test_multipart_upload_lands_with_its_content(drive):
    parent = _folder(drive, "Team 7")
    media = MediaInMemoryUpload(b"Team charter\r\nGoal: reading\n", mimetype="text/plain")
    uploaded = drive.files().create(body={"name": "charter.txt", "parents": [parent["id"]]}, media_body=media,
                                    fields="id,name,size,mimeType,parents").execute()
    assert uploaded["size"] == str(len(b"Team charter\r\nGoal: reading\n"))
    assert uploaded["mimeType"] == "text/plain" and uploaded["parents"] == [parent["id"]]
    assert drive.files().get_media(fileId=uploaded["id"]).execute() == b"Team charter\r\nGoal: reading\n"


def test_single_request_resumable_upload_lands_with_its_content(drive):
    content = bytes(range(256)) * 40
    media = MediaInMemoryUpload(content, mimetype="application/pdf", resumable=True)
    uploaded = drive.files().create(body={"name": "agenda.pdf"}, media_body=media, fields="id,size").execute()
    assert drive.files().get_media(fileId=uploaded["id"]).execute() == content


def test_folder_cannot_be_downloaded_or_exported(drive):
    folder = _folder(drive, "Team 2")
    with pytest.raises(HttpError) as excinfo:
        drive.files().get_media(fileId=folder["id"]).execute()
    assert _error(excinfo)[1]["errors"][0]["reason"] == "fileNotDownloadable"
    with pytest.raises(HttpError) as excinfo:
        drive.files().export(fileId=folder["id"], mimeType="application/pdf").execute()
    assert _error(excinfo)[0] == 403


# files.list: the q grammar
def test_app_properties_has_finds_the_team_folder_and_nothing_else(drive):
    _folder(drive, "Team Alpha", appProperties={"plt_team_id": "T-1"})
    _folder(drive, "Team Beta", appProperties={"plt_team_id": "T-2"})
    _folder(drive, "Team Gamma", properties={"plt_team_id": "T-1"})
    assert _names(drive, "appProperties has { key='plt_team_id' and value='T-1' }") == ["Team Alpha"]
    assert _names(drive, "properties has { key='plt_team_id' and value='T-1' }") == ["Team Gamma"]
    listed = drive.files().list(q="appProperties has { key='plt_team_id' and value='T-2' }",
                                fields="files(id,name,appProperties,permissions(role,emailAddress))").execute()
    team = listed["files"][0]
    assert team["appProperties"] == {"plt_team_id": "T-2"}
    assert [p["role"] for p in team["permissions"]] == ["owner"]


def test_nested_and_or_not_with_parentheses(drive):
    parent = _folder(drive, "PLT 2025")
    for name in ("Math 1", "Math 2", "Reading 1"):
        _folder(drive, name, parent=parent["id"])
    _folder(drive, "Math elsewhere")
    q = (f"'{parent['id']}' in parents and (name = 'Math 1' or name = 'Reading 1') "
         f"and not name contains 'Reading'")
    assert _names(drive, q) == ["Math 1"]
    q = f"not ('{parent['id']}' in parents or name = 'PLT 2025') and mimeType = '{FOLDER}'"
    assert _names(drive, q) == ["Math elsewhere"]
    assert _names(drive, f"mimeType != '{FOLDER}'") == []


def test_escaped_quotes_and_gspread_double_quotes_match_names(drive):
    parent = _folder(drive, "O'Neil Elementary")
    _folder(drive, 'The "Readers" team', parent=parent["id"])
    assert _names(drive, r"name = 'O\'Neil Elementary'") == ["O'Neil Elementary"]
    assert _names(drive, f'name = "The \\"Readers\\" team" and parents in "{parent["id"]}"') == [
        'The "Readers" team']


def test_name_contains_matches_the_start_of_words_only(drive):
    _folder(drive, "Team Charter 2025")
    _folder(drive, "HelloWorld")
    assert _names(drive, "name contains 'chart'") == ["Team Charter 2025"]
    assert _names(drive, "name contains 'World'") == []
    assert _names(drive, "name contains 'hello'") == ["HelloWorld"]


def test_trashed_files_stay_listed_unless_the_query_excludes_them(drive):
    kept, binned = _folder(drive, "Kept"), _folder(drive, "Binned")
    drive.files().update(fileId=binned["id"], body={"trashed": True}).execute()
    assert _names(drive, "") == ["Binned", "Kept"]
    assert _names(drive, "trashed = false") == ["Kept"]
    assert _names(drive, "trashed = true") == ["Binned"]
    assert kept["id"] != binned["id"]


@pytest.mark.parametrize("q", ["name = ", "name == 'x'", "nonsense = 'x'", "(name = 'x'", "name = 'x' and",
                               "appProperties has { key='k' }", "trashed = maybe", "'x' in nowhere"])
def test_malformed_query_answers_invalid_value(drive, q):
    with pytest.raises(HttpError) as excinfo:
        drive.files().list(q=q).execute()
    status, error = _error(excinfo)
    assert (status, error["message"]) == (400, "Invalid Value")


# files.list: paging and order
def test_pages_of_page_size_cover_every_folder_once(drive):
    for i in range(7):
        _folder(drive, f"Team {i}")
    seen, token, pages = [], None, 0
    while True:
        page = drive.files().list(pageSize=3, pageToken=token, orderBy="name",
                                  fields="nextPageToken,files(name)").execute()
        seen += [f["name"] for f in page["files"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == 3
    assert seen == [f"Team {i}" for i in range(7)]


def test_order_by_created_time_descending(drive):
    for name in ("first", "second", "third"):
        _folder(drive, name)
    listed = drive.files().list(orderBy="createdTime desc,name", fields="files(name)").execute()["files"]
    assert [f["name"] for f in listed] == ["third", "second", "first"]


def test_page_size_above_one_thousand_is_refused(drive):
    with pytest.raises(HttpError) as excinfo:
        drive.files().list(pageSize=1001).execute()
    assert _error(excinfo)[0] == 400


def test_all_drives_flags_are_accepted(drive):
    _folder(drive, "Shared team")
    listed = drive.files().list(supportsAllDrives=True, includeItemsFromAllDrives=True, corpora="user").execute()
    assert [f["name"] for f in listed["files"]] == ["Shared team"]


# files.update / copy / delete
def test_update_renames_and_merges_app_properties_with_null_deleting(drive):
    folder = _folder(drive, "Team 3", appProperties={"plt_team_id": "T-3", "plt_granted": "a@x.org"})
    updated = drive.files().update(fileId=folder["id"], fields="name,appProperties", body={
        "name": "Team Three", "appProperties": {"plt_granted": None, "plt_school": "Belmont High"}}).execute()
    assert updated == {"name": "Team Three", "appProperties": {"plt_team_id": "T-3", "plt_school": "Belmont High"}}


def test_add_and_remove_parents_moves_a_file(drive):
    old, new = _folder(drive, "Old parent"), _folder(drive, "New parent")
    child = _folder(drive, "Team 4", parent=old["id"])
    moved = drive.files().update(fileId=child["id"], addParents=new["id"], removeParents=old["id"],
                                 fields="parents").execute()
    assert moved["parents"] == [new["id"]]
    with pytest.raises(HttpError) as excinfo:
        drive.files().update(fileId=child["id"], addParents=old["id"]).execute()
    assert _error(excinfo)[1]["errors"][0]["reason"] == "cannotAddParent"


def test_trashing_a_folder_trashes_what_is_inside(drive):
    parent = _folder(drive, "Retired teams")
    child = _folder(drive, "Team 5", parent=parent["id"])
    drive.files().update(fileId=parent["id"], body={"trashed": True}).execute()
    assert drive.files().get(fileId=child["id"], fields="trashed").execute()["trashed"] is True
    drive.files().update(fileId=parent["id"], body={"trashed": False}).execute()
    assert drive.files().get(fileId=child["id"], fields="trashed").execute()["trashed"] is False


def test_copy_keeps_content_and_takes_the_new_name(drive):
    media = MediaInMemoryUpload(b"Charter template", mimetype="text/plain")
    template = drive.files().create(body={"name": "Charter template"}, media_body=media).execute()
    target = _folder(drive, "Team 6")
    copied = drive.files().copy(fileId=template["id"], body={"name": "Team 6 charter", "parents": [target["id"]]},
                                fields="id,name,parents").execute()
    assert copied["name"] == "Team 6 charter" and copied["parents"] == [target["id"]]
    assert drive.files().get_media(fileId=copied["id"]).execute() == b"Charter template"
    unnamed = drive.files().copy(fileId=template["id"], body={}).execute()
    assert unnamed["name"] == "Copy of Charter template"


def test_copy_without_a_name_is_called_copy_of_whatever_the_client_sends(endpoint, drive):
    roster = connect(None, endpoint).gspread.create("PLT roster 2017-18")
    gspread_copy = connect(None, endpoint).gspread.copy(roster.id)  # sends "name": null
    assert gspread_copy.title == "Copy of PLT roster 2017-18"
    assert drive.files().copy(fileId=roster.id).execute()["name"] == "Copy of PLT roster 2017-18"


def test_created_and_modified_times_given_at_create_are_kept(drive):
    body = {"name": "Charter signed 2017", "createdTime": "2017-11-15T14:30:00-05:00",
            "modifiedTime": "2017-11-16T09:00:00.250Z"}
    created = drive.files().create(body=body, fields="createdTime,modifiedTime").execute()
    assert created == {"createdTime": "2017-11-15T19:30:00.000Z", "modifiedTime": "2017-11-16T09:00:00.250Z"}
    listed = drive.files().list(q="modifiedTime < '2018-01-01T00:00:00Z'", fields="files(name)").execute()
    assert listed["files"] == [{"name": "Charter signed 2017"}]
    with pytest.raises(HttpError) as excinfo:
        drive.files().create(body={"name": "Bad date", "createdTime": "Nov 15"}).execute()
    assert _error(excinfo)[0] == 400


def test_deleting_a_folder_deletes_what_is_inside(drive):
    parent = _folder(drive, "Old programme")
    child = _folder(drive, "Team 8", parent=parent["id"])
    drive.files().delete(fileId=parent["id"]).execute()
    for file_id in (parent["id"], child["id"]):
        with pytest.raises(HttpError) as excinfo:
            drive.files().get(fileId=file_id).execute()
        assert _error(excinfo)[0] == 404


def test_read_only_fields_are_refused(drive):
    folder = _folder(drive, "Team 9")
    with pytest.raises(HttpError) as excinfo:
        drive.files().update(fileId=folder["id"], body={"parents": ["elsewhere"]}).execute()
    assert _error(excinfo)[1]["errors"][0]["reason"] == "fieldNotWritable"


def test_spreadsheet_file_gets_a_sheets_document_in_step(endpoint):
    workspace = connect(None, endpoint)
    created = workspace.drive.files().create(
        body={"name": "PLT roster", "mimeType": "application/vnd.google-apps.spreadsheet"},
        fields="id,webViewLink").execute()
    assert created["webViewLink"] == f"https://docs.google.com/spreadsheets/d/{created['id']}/edit"
    assert workspace.gspread.open_by_key(created["id"]).sheet1.title == "Sheet1"
    workspace.drive.files().update(fileId=created["id"], body={"name": "Belmont roster"}).execute()
    assert workspace.sheets.spreadsheets().get(spreadsheetId=created["id"]).execute()[
        "properties"]["title"] == "Belmont roster"
    copied = workspace.drive.files().copy(fileId=created["id"], body={"name": "Roster backup"}).execute()
    assert workspace.gspread.open_by_key(copied["id"]).title == "Roster backup"
    workspace.drive.files().delete(fileId=created["id"]).execute()
    with pytest.raises(HttpError) as excinfo:
        workspace.sheets.spreadsheets().get(spreadsheetId=created["id"]).execute()
    assert excinfo.value.resp.status == 404


def test_another_accounts_folder_is_not_found_until_shared(emulator_server, drive):
    other = Emulator(emulator_server.emulator.store, user_email="principal@wsfcs.example.org")
    with EmulatorServer(other) as other_server:
        theirs = _folder(connect(None, other_server.url).drive, "Principal's folder")
        with pytest.raises(HttpError) as excinfo:
            drive.files().get(fileId=theirs["id"]).execute()
        assert _error(excinfo)[1]["message"] == f"File not found: {theirs['id']}."
        assert _names(drive, "") == []
        connect(None, other_server.url).drive.permissions().create(
            fileId=theirs["id"], sendNotificationEmail=False,
            body={"type": "user", "role": "reader", "emailAddress": "plt.coordinator@belmont.example.org"}).execute()
    assert _names(drive, "") == ["Principal's folder"]
    with pytest.raises(HttpError) as excinfo:
        drive.files().update(fileId=theirs["id"], body={"name": "Mine now"}).execute()
    assert _error(excinfo)[0] == 403


# permissions
def test_permission_lifecycle_and_the_owner_stays(endpoint, drive):
    folder = _folder(drive, "Team 10")
    perms = drive.permissions()
    granted = perms.create(fileId=folder["id"], body={"type": "user", "role": "writer",
                                                       "emailAddress": "facilitator@belmont.example.org"},
                           sendNotificationEmail=False, fields="id,role,emailAddress,type").execute()
    assert granted["id"].isdigit() and granted["role"] == "writer"
    listed = perms.list(fileId=folder["id"], fields="permissions(id,role,emailAddress)").execute()["permissions"]
    assert sorted(p["role"] for p in listed) == ["owner", "writer"]
    perms.update(fileId=folder["id"], permissionId=granted["id"], body={"role": "reader"}).execute()
    assert perms.get(fileId=folder["id"], permissionId=granted["id"]).execute()["role"] == "reader"
    perms.delete(fileId=folder["id"], permissionId=granted["id"]).execute()
    with pytest.raises(HttpError) as excinfo:
        perms.get(fileId=folder["id"], permissionId=granted["id"]).execute()
    assert _error(excinfo)[0] == 404
    owner = next(p for p in listed if p["role"] == "owner")
    with pytest.raises(HttpError) as excinfo:
        perms.delete(fileId=folder["id"], permissionId=owner["id"]).execute()
    assert _error(excinfo)[1]["errors"][0]["reason"] == "cannotRemoveOwner"
    assert _admin(endpoint, "/_emulator/drive/notifications")["notifications"] == []


def test_permission_ids_are_stable_per_email(drive):
    first, second = _folder(drive, "Team 11"), _folder(drive, "Team 12")
    ids = [drive.permissions().create(fileId=f["id"], sendNotificationEmail=False, body={
        "type": "user", "role": "reader", "emailAddress": "Member@Belmont.example.org"}).execute()["id"]
        for f in (first, second)]
    assert ids[0] == ids[1]


def test_notification_email_is_recorded_when_not_turned_off(endpoint, drive):
    folder = _folder(drive, "Team 13")
    drive.permissions().create(fileId=folder["id"], emailMessage="Welcome to your PLT folder", body={
        "type": "user", "role": "writer", "emailAddress": "teacher@belmont.example.org"}).execute()
    drive.permissions().create(fileId=folder["id"], body={"type": "domain", "role": "reader",
                                                          "domain": "belmont.example.org"}).execute()
    notes = _admin(endpoint, "/_emulator/drive/notifications")["notifications"]
    assert [(n["to"], n["role"], n["emailMessage"], n["fileId"]) for n in notes] == [
        ("teacher@belmont.example.org", "writer", "Welcome to your PLT folder", folder["id"])]


@pytest.mark.parametrize("body", [
    {"type": "user", "role": "writer", "emailAddress": "not-an-address"},
    {"type": "anyone", "role": "reader", "emailAddress": "someone@example.org"},
    {"type": "user", "role": "writer"},
    {"type": "user", "role": "boss", "emailAddress": "a@example.org"},
    {"role": "reader"},
])
def test_invalid_sharing_requests_answer_400(drive, body):
    folder = _folder(drive, "Team 14")
    with pytest.raises(HttpError) as excinfo:
        drive.permissions().create(fileId=folder["id"], body=body, sendNotificationEmail=False).execute()
    assert _error(excinfo)[0] == 400


def test_ownership_moves_only_with_transfer_ownership(drive):
    folder = _folder(drive, "Team 15")
    body = {"type": "user", "role": "owner", "emailAddress": "principal@belmont.example.org"}
    with pytest.raises(HttpError) as excinfo:
        drive.permissions().create(fileId=folder["id"], body=body).execute()
    assert _error(excinfo)[0] == 403
    drive.permissions().create(fileId=folder["id"], body=body, transferOwnership=True).execute()
    owners = drive.files().get(fileId=folder["id"], fields="owners,ownedByMe").execute()
    assert [o["emailAddress"] for o in owners["owners"]] == ["principal@belmont.example.org"]
    assert owners["ownedByMe"] is False


# batch
def test_batch_of_one_hundred_answers_every_callback_in_order(endpoint, drive):
    answers = {}
    batch = drive.new_batch_http_request(callback=lambda rid, resp, exc: answers.__setitem__(rid, (resp, exc)))
    for i in range(99):
        batch.add(drive.files().create(body={"name": f"Team {i}", "mimeType": FOLDER}, fields="id,name"),
                  request_id=f"team-{i}")
    batch.add(drive.files().get(fileId="missing"), request_id="lookup")
    batch.execute()
    assert all(answers[f"team-{i}"][0]["name"] == f"Team {i}" for i in range(99))
    missing_response, missing_error = answers["lookup"]
    assert missing_response is None and missing_error.resp.status == 404
    stats = _admin(endpoint, "/_emulator/stats")["by_method"]
    assert stats["drive.files.create"] == 99 and stats["drive.files.get"] == 1
    assert "drive.batch" not in stats


def test_batch_of_one_hundred_and_one_is_refused(drive):
    batch = drive.new_batch_http_request()
    for i in range(101):
        batch.add(drive.files().create(body={"name": f"Team {i}", "mimeType": FOLDER}))
    with pytest.raises(HttpError) as excinfo:
        batch.execute()
    assert excinfo.value.resp.status == 400
    assert drive.files().list().execute()["files"] == []


def test_batched_permissions_reach_their_folders(drive):
    folders = [_folder(drive, f"Team {i}") for i in range(3)]
    batch = drive.new_batch_http_request()
    for i, folder in enumerate(folders):
        batch.add(drive.permissions().create(fileId=folder["id"], sendNotificationEmail=False, body={
            "type": "user", "role": "writer", "emailAddress": f"facilitator{i}@belmont.example.org"}))
    batch.execute()
    for i, folder in enumerate(folders):
        emails = _names_of_grantees(drive, folder["id"])
        assert emails == sorted(["plt.coordinator@belmont.example.org", f"facilitator{i}@belmont.example.org"])


def _names_of_grantees(drive, file_id):
    listed = drive.permissions().list(fileId=file_id, fields="permissions(emailAddress)").execute()
    return sorted(p["emailAddress"] for p in listed["permissions"])


def test_gspread_creates_finds_shares_copies_and_deletes_a_roster(endpoint):
    workspace = connect(None, endpoint)
    parent = _folder(workspace.drive, "PLT programme")
    gc = workspace.gspread
    roster = gc.create("PLT roster", folder_id=parent["id"])
    assert gc.open("PLT roster").id == roster.id
    assert [f["id"] for f in gc.list_spreadsheet_files(folder_id=parent["id"])] == [roster.id]
    roster.share("facilitator@belmont.example.org", perm_type="user", role="writer", notify=False)
    assert "facilitator@belmont.example.org" in [p.get("emailAddress") for p in roster.list_permissions()]
    backup = gc.copy(roster.id, title="Roster backup")
    assert sorted(s.title for s in gc.openall()) == ["PLT roster", "Roster backup"]
    gc.del_spreadsheet(backup.id)
    assert [s.title for s in gc.openall()] == ["PLT roster"]


def test_new_content_for_a_file_through_update(drive):
    made = drive.files().create(body={"name": "notes.txt"}, media_body=MediaInMemoryUpload(b"first", "text/plain"),
                                fields="id").execute()
    changed = drive.files().update(fileId=made["id"], body={"description": "second draft"}, fields="size,description",
                                   media_body=MediaInMemoryUpload(b"second draft", "text/plain")).execute()
    assert changed == {"size": "12", "description": "second draft"}
    assert drive.files().get_media(fileId=made["id"]).execute() == b"second draft"


def test_only_csv_is_converted_onto_a_spreadsheet(drive):
    spreadsheet = "application/vnd.google-apps.spreadsheet"
    sheet = drive.files().create(body={"name": "Roster", "mimeType": spreadsheet}).execute()
    with pytest.raises(HttpError) as caught:
        drive.files().update(fileId=sheet["id"], media_body=MediaInMemoryUpload(b"hello", "text/plain")).execute()
    status, error = _error(caught)
    assert status == 400 and "converts only text/csv" in error["message"]

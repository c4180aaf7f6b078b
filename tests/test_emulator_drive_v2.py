"""Drive v2 in the emulator through google-api-python-client built from the v2 discovery
document it ships: the same files as Drive v3, with v2's names and shapes."""
import json

import httplib2
import pytest
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from sync.google.workspace import connect

FOLDER = "application/vnd.google-apps.folder"


@pytest.fixture
def v2(endpoint):
    document = json.loads(get_static_doc("drive", "v2"))
    document["rootUrl"] = document["mtlsRootUrl"] = endpoint + "/"
    document["baseUrl"] = endpoint + "/" + document["servicePath"]
    return build_from_document(document, http=httplib2.Http(timeout=30))


@pytest.fixture
def v3(endpoint):
    return connect(None, endpoint).drive


def _error(call):
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status, json.loads(caught.value.content)["error"]


def _folder(v2, title, parent=None):
    body = {"title": title, "mimeType": FOLDER, **({"parents": [{"id": parent}]} if parent else {})}
    return v2.files().insert(body=body).execute()


def test_a_folder_and_upload_made_through_v2_are_v3_files(v2, v3):
    folder = v2.files().insert(body={"title": "Team 7", "mimeType": FOLDER, "properties": [
        {"key": "plt_team_id", "value": "PLT-7"}, {"key": "school", "value": "Chenery", "visibility": "PUBLIC"}]}
    ).execute()
    media = MediaInMemoryUpload(b"Team charter", mimetype="text/plain")
    charter = v2.files().insert(body={"title": "charter.txt", "parents": [{"id": folder["id"]}]},
                                media_body=media).execute()
    assert charter["fileSize"] == "12" and charter["parents"][0]["id"] == folder["id"]
    seen = v3.files().get(fileId=folder["id"], fields="name,mimeType,appProperties,properties").execute()
    assert seen == {"name": "Team 7", "mimeType": FOLDER, "appProperties": {"plt_team_id": "PLT-7"},
                    "properties": {"school": "Chenery"}}
    inside = v3.files().list(q=f"'{folder['id']}' in parents", fields="files(name,mimeType,size)").execute()
    assert inside["files"] == [{"name": "charter.txt", "mimeType": "text/plain", "size": "12"}]
    assert v3.files().get_media(fileId=charter["id"]).execute() == b"Team charter"


def test_a_v3_file_reads_with_v2_names(v2, v3):
    parent = v3.files().create(body={"name": "Belmont PLTs", "mimeType": FOLDER}).execute()
    made = v3.files().create(body={"name": "Roster notes", "parents": [parent["id"]], "starred": True,
                                   "createdTime": "2017-10-02T14:00:00Z"},
                             fields="id,createdTime,modifiedTime,webViewLink").execute()
    got = v2.files().get(fileId=made["id"]).execute()
    assert got["title"] == "Roster notes" and got["labels"]["starred"] is True and got["labels"]["trashed"] is False
    assert got["parents"][0]["id"] == parent["id"] and got["parents"][0]["isRoot"] is False
    assert (got["createdDate"], got["modifiedDate"]) == (made["createdTime"], made["modifiedTime"])
    assert got["alternateLink"] == made["webViewLink"] and got["isAppAuthorized"] is True
    assert got["userPermission"]["role"] == "owner"
    assert v2.files().get(fileId=made["id"], fields="title").execute() == {"title": "Roster notes"}


def test_simple_and_resumable_uploads(v2):
    simple = v2.files().insert(media_body=MediaInMemoryUpload(b"%PDF-1.4", mimetype="application/pdf")).execute()
    assert (simple["title"], simple["mimeType"], simple["fileSize"]) == ("Untitled", "application/pdf", "8")
    content = bytes(range(256)) * 4
    resumable = MediaInMemoryUpload(content, mimetype="application/octet-stream", resumable=True, chunksize=256 * 1024)
    uploaded = v2.files().insert(body={"title": "agenda.bin"}, media_body=resumable).execute()
    assert v2.files().get_media(fileId=uploaded["id"]).execute() == content


def test_list_searches_v2_fields_and_pages_with_max_results(v2):
    parent = _folder(v2, "Programme")
    for n in range(5):
        _folder(v2, f"Team {n}", parent["id"])
    pages, token = [], None
    while True:
        page = v2.files().list(q=f"'{parent['id']}' in parents and title contains 'Team'", maxResults=2,
                               orderBy="title", pageToken=token).execute()
        pages.append([item["title"] for item in page["items"]])
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == [["Team 0", "Team 1"], ["Team 2", "Team 3"], ["Team 4"]]
    assert [i["title"] for i in v2.files().list(q="title = 'Team 3'").execute()["items"]] == ["Team 3"]
    assert _error(v2.files().list(q="name = 'Team 3'"))[0] == 400   # v3's field name is not v2's


def test_properties_search_by_visibility(v2):
    v2.files().insert(body={"title": "Private tag", "properties": [{"key": "plt", "value": "1"}]}).execute()
    v2.files().insert(body={"title": "Public tag", "properties": [
        {"key": "plt", "value": "1", "visibility": "PUBLIC"}]}).execute()
    private = v2.files().list(q="properties has { key='plt' and value='1' }").execute()["items"]
    public = v2.files().list(q="properties has { key='plt' and value='1' and visibility='PUBLIC' }").execute()
    assert [i["title"] for i in private] == ["Private tag"]
    assert [i["title"] for i in public["items"]] == ["Public tag"]


def test_patch_and_update_change_what_v2_may_write(v2, v3):
    old, new = _folder(v2, "Old"), _folder(v2, "New")
    team = _folder(v2, "Team 1", old["id"])
    patched = v2.files().patch(fileId=team["id"], body={"title": "Team One", "labels": {"starred": True}},
                               addParents=new["id"], removeParents=old["id"]).execute()
    assert patched["title"] == "Team One" and patched["labels"]["starred"] is True
    assert [p["id"] for p in patched["parents"]] == [new["id"]]
    dated = v2.files().update(fileId=team["id"], setModifiedDate=True,
                              body={**patched, "modifiedDate": "2017-11-17T12:00:00.000Z"}).execute()
    assert dated["modifiedDate"] == "2017-11-17T12:00:00.000Z"
    assert v3.files().get(fileId=team["id"], fields="modifiedTime").execute()["modifiedTime"] == dated["modifiedDate"]
    status, error = _error(v2.files().patch(fileId=team["id"], body={"parents": [{"id": old["id"]}]}))
    assert (status, error["errors"][0]["reason"]) == (403, "fieldNotWritable")


def test_copy_names_the_copy_and_keeps_its_content(v2):
    media = MediaInMemoryUpload(b"Charter template", mimetype="text/plain")
    template = v2.files().insert(body={"title": "Charter template"}, media_body=media).execute()
    unnamed = v2.files().copy(fileId=template["id"], body={}).execute()
    named = v2.files().copy(fileId=template["id"], body={"title": "Team 6 charter"}).execute()
    assert (unnamed["title"], named["title"]) == ("Copy of Charter template", "Team 6 charter")
    assert v2.files().get_media(fileId=named["id"]).execute() == b"Charter template"


def test_trash_untrash_and_delete(v2, v3):
    folder = _folder(v2, "Retired team")
    assert v2.files().trash(fileId=folder["id"]).execute()["labels"]["trashed"] is True
    assert v3.files().get(fileId=folder["id"], fields="trashed").execute() == {"trashed": True}
    assert v2.files().untrash(fileId=folder["id"]).execute()["labels"]["trashed"] is False
    v2.files().delete(fileId=folder["id"]).execute()
    status, error = _error(v2.files().get(fileId=folder["id"]))
    assert status == 404 and error["message"] == f"File not found: {folder['id']}."
    assert error["errors"][0]["reason"] == "notFound"


def test_children_list_pages_through_a_folder(v2):
    parent = _folder(v2, "Programme")
    made = {_folder(v2, f"Team {n}", parent["id"])["id"] for n in range(3)}
    _folder(v2, "Elsewhere")
    first = v2.children().list(folderId=parent["id"], maxResults=2).execute()
    second = v2.children().list(folderId=parent["id"], maxResults=2, pageToken=first["nextPageToken"]).execute()
    assert {c["id"] for c in first["items"] + second["items"]} == made and "nextPageToken" not in second
    assert first["items"][0]["kind"] == "drive#childReference"


def test_permissions_insert_list_and_delete(v2, v3):
    folder = _folder(v2, "Team 9")
    writer = v2.permissions().insert(fileId=folder["id"], sendNotificationEmails=False, body={
        "type": "user", "role": "writer", "value": "ana.lopez@belmont.example.org"}).execute()
    commenter = v2.permissions().insert(fileId=folder["id"], sendNotificationEmails=False, body={
        "type": "user", "role": "reader", "additionalRoles": ["commenter"], "value": "sam.lee@belmont.example.org"}
    ).execute()
    assert writer["emailAddress"] == "ana.lopez@belmont.example.org" and commenter["additionalRoles"] == ["commenter"]
    v3_roles = v3.permissions().list(fileId=folder["id"], fields="permissions(emailAddress,role)").execute()
    assert {p["emailAddress"]: p["role"] for p in v3_roles["permissions"]} == {
        "plt.coordinator@belmont.example.org": "owner", "ana.lopez@belmont.example.org": "writer",
        "sam.lee@belmont.example.org": "commenter"}
    v2.permissions().delete(fileId=folder["id"], permissionId=writer["id"]).execute()
    listed = v2.permissions().list(fileId=folder["id"]).execute()
    assert [p["role"] for p in listed["items"]] == ["owner", "reader"]
    status, error = _error(v2.permissions().insert(fileId=folder["id"], body={"type": "user", "role": "writer",
                                                                              "value": "not an email"}))
    assert status == 400


def test_a_v2_batch_reaches_every_file(v2):
    folders = [_folder(v2, f"Team {n}") for n in range(3)]
    titles = {}
    batch = v2.new_batch_http_request(callback=lambda request_id, response, error: titles.update(
        {request_id: response["title"]}))
    for n, folder in enumerate(folders):
        batch.add(v2.files().get(fileId=folder["id"]), request_id=str(n))
    batch.execute()
    assert titles == {"0": "Team 0", "1": "Team 1", "2": "Team 2"}


def test_gspread_import_csv_replaces_the_spreadsheet_with_one_sheet_of_the_rows(endpoint):
    """gspread's Client.import_csv uploads CSV onto the spreadsheet through Drive v2 with
    convert=true; Google leaves one sheet, named after the spreadsheet, holding the rows."""
    import gspread
    from google.auth.credentials import AnonymousCredentials

    from sync.google.workspace import endpoint_http_client

    client = gspread.Client(AnonymousCredentials(), http_client=endpoint_http_client(endpoint))
    spreadsheet = client.create("Budget")
    spreadsheet.add_worksheet("Old tab", 5, 5)
    client.import_csv(spreadsheet.id, "Item,Cost\nBooks,120\nGlue,3.5")
    reopened = client.open_by_key(spreadsheet.id)
    assert [ws.title for ws in reopened.worksheets()] == ["Budget"]
    assert reopened.sheet1.get_all_values() == [["Item", "Cost"], ["Books", "120"], ["Glue", "3.5"]]
    assert reopened.sheet1.get("B2", value_render_option="UNFORMATTED_VALUE") == [[120]]


def test_new_content_for_a_file_through_v2_update(v2):
    made = v2.files().insert(body={"title": "notes.txt", "mimeType": "text/plain"},
                             media_body=MediaInMemoryUpload(b"first", "text/plain")).execute()
    changed = v2.files().update(fileId=made["id"], body={"title": "notes v2.txt"},
                                media_body=MediaInMemoryUpload(b"second draft", "text/plain")).execute()
    assert (changed["title"], changed["fileSize"]) == ("notes v2.txt", "12")
    assert v2.files().get_media(fileId=made["id"]).execute() == b"second draft"

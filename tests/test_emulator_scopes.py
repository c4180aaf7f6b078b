"""OAuth scopes in the emulator as Google enforces them, through the real clients: what
drive.file, drive.metadata.readonly and the other scopes PLT Sync asks for let an app do
with the files it made and with the files people made in Drive themselves."""
import json

import gspread
import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from emulator.core import Emulator
from emulator.scopes import parse_scopes, token_for
from emulator.server import EmulatorServer
from sync.google.workspace import SCOPES, build_service, connect, endpoint_http_client

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"


def client(endpoint, api, *scopes):
    """A google-api-python-client service whose bearer token carries exactly `scopes`."""
    return build_service(api, Credentials(token=token_for(scopes)), endpoint)


def people_file(endpoint, **body):
    """A file a coordinator made in the Drive web UI, not through PLT Sync."""
    answer = requests.post(f"{endpoint}/_emulator/drive/files", json={"name": "Charter template", **body}, timeout=30)
    answer.raise_for_status()
    return answer.json()


def refusal(call):
    with pytest.raises(HttpError) as caught:
        call.execute()
    error = json.loads(caught.value.content)["error"]
    return caught.value.resp.status, error["errors"][0]["reason"], error


def test_standard_fixture_grants_exactly_the_readme_scopes(emulator_server):
    assert emulator_server.emulator.scopes == parse_scopes(SCOPES)


def test_a_template_made_in_drive_cannot_be_copied_under_the_readme_scopes(endpoint):
    drive = connect(None, endpoint).drive
    template = people_file(endpoint, content="Team charter: ____")
    team_folder = drive.files().create(body={"name": "Team 1", "mimeType": FOLDER}).execute()
    copying = drive.files().copy(fileId=template["id"], body={"parents": [team_folder["id"]]})
    status, reason, error = refusal(copying)
    assert (status, reason) == (403, "appNotAuthorizedToFile")
    assert error["message"].endswith(f"read access to the file {template['id']}.")
    seen = drive.files().get(fileId=template["id"], fields="name,isAppAuthorized").execute()
    assert seen == {"name": "Charter template", "isAppAuthorized": False}   # metadata.readonly sees it


def test_drive_file_alone_does_not_even_see_peoples_files(endpoint):
    template = people_file(endpoint)
    drive = client(endpoint, "drive", "drive.file")
    mine = drive.files().create(body={"name": "Made by the app"}).execute()
    assert refusal(drive.files().get(fileId=template["id"]))[:2] == (404, "notFound")
    assert [f["id"] for f in drive.files().list().execute()["files"]] == [mine["id"]]


def test_a_file_a_person_opens_with_the_app_can_be_copied(endpoint):
    template = people_file(endpoint, content="Team charter: ____")
    requests.post(f"{endpoint}/_emulator/drive/files/{template['id']}/open", timeout=30).raise_for_status()
    drive = connect(None, endpoint).drive
    copied = drive.files().copy(fileId=template["id"], body={}).execute()
    assert copied["name"] == "Copy of Charter template"
    assert drive.files().get_media(fileId=copied["id"]).execute() == b"Team charter: ____"


def test_metadata_readonly_lists_everything_but_reads_and_writes_nothing(endpoint):
    theirs = people_file(endpoint, content="members' notes")
    drive = client(endpoint, "drive", "drive.metadata.readonly")
    assert [f["name"] for f in drive.files().list().execute()["files"]] == ["Charter template"]
    assert drive.permissions().list(fileId=theirs["id"]).execute()["permissions"][0]["role"] == "owner"
    status, reason, error = refusal(drive.files().get_media(fileId=theirs["id"]))
    assert (status, reason) == (403, "insufficientPermissions")
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert refusal(drive.files().create(body={"name": "New"}))[:2] == (403, "insufficientPermissions")
    assert refusal(drive.files().update(fileId=theirs["id"], body={"name": "Mine"}))[:2] == (
        403, "insufficientPermissions")


def test_drive_file_with_metadata_readonly_cannot_change_peoples_files(endpoint):
    folder = people_file(endpoint, name="Programme folder", mimeType=FOLDER)
    drive = connect(None, endpoint).drive
    status, reason, error = refusal(drive.files().update(fileId=folder["id"], body={"name": "Renamed"}))
    assert (status, reason) == (403, "appNotAuthorizedToFile") and "write access" in error["message"]
    inside = drive.files().create(body={"name": "Team 1", "mimeType": FOLDER, "parents": [folder["id"]]})
    assert refusal(inside)[:2] == (403, "appNotAuthorizedToFile")
    sharing = drive.permissions().create(fileId=folder["id"], body={
        "type": "user", "role": "reader", "emailAddress": "ana.lopez@belmont.example.org"})
    assert refusal(sharing)[:2] == (403, "appNotAuthorizedToFile")


def test_drive_readonly_reads_every_file_and_changes_none(endpoint):
    theirs = people_file(endpoint, content="agenda")
    drive = client(endpoint, "drive", "drive.readonly")
    assert drive.files().get_media(fileId=theirs["id"]).execute() == b"agenda"
    assert refusal(drive.files().delete(fileId=theirs["id"]))[:2] == (403, "insufficientPermissions")


def test_the_full_drive_scope_copies_any_file(endpoint):
    theirs = people_file(endpoint, content="template")
    copied = client(endpoint, "drive", "drive").files().copy(fileId=theirs["id"], body={"name": "Team copy"})
    assert copied.execute()["name"] == "Team copy"


def test_gmail_send_alone_cannot_search_sent_mail(endpoint):
    gmail = client(endpoint, "gmail", "gmail.send")
    status, reason, error = refusal(gmail.users().messages().list(userId="me", q="rfc822msgid:<x@y>"))
    assert (status, reason) == (403, "insufficientPermissions")
    assert error["details"][0]["metadata"]["method"] == "gmail.users.messages.list"


def test_forms_body_alone_cannot_read_responses(endpoint):
    forms = client(endpoint, "forms", "forms.body")
    form = forms.forms().create(body={"info": {"title": "PLT sign-up"}}).execute()
    assert refusal(forms.forms().responses().list(formId=form["formId"]))[0] == 403
    reader = client(endpoint, "forms", "forms.responses.readonly")
    assert reader.forms().responses().list(formId=form["formId"]).execute() == {}


def test_sheets_through_drive_file_reach_only_the_apps_spreadsheets(endpoint):
    theirs = people_file(endpoint, name="Budget", mimeType=SPREADSHEET)
    narrow = client(endpoint, "sheets", "drive.file")
    mine = narrow.spreadsheets().create(body={"properties": {"title": "PLT roster"}}).execute()
    got = narrow.spreadsheets().get(spreadsheetId=mine["spreadsheetId"]).execute()
    assert got["properties"]["title"] == "PLT roster"
    assert refusal(narrow.spreadsheets().get(spreadsheetId=theirs["id"]))[0] == 404
    broad = gspread.Client(Credentials(token=token_for(["spreadsheets"])), http_client=endpoint_http_client(endpoint))
    assert broad.open_by_key(theirs["id"]).title == "Budget"


def test_a_batch_envelope_token_covers_parts_that_carry_none(endpoint):
    theirs = people_file(endpoint)
    part = (f"--b\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\n"
            f"GET /drive/v3/files/{theirs['id']} HTTP/1.1\r\n\r\n\r\n--b--\r\n")
    answer = requests.post(f"{endpoint}/batch/drive/v3", data=part.encode(), timeout=30, headers={
        "Content-Type": "multipart/mixed; boundary=b", "Authorization": f"Bearer {token_for(['drive.file'])}"})
    assert "HTTP/1.1 404 Not Found" in answer.text and f"File not found: {theirs['id']}." in answer.text


def test_a_token_naming_an_unknown_scope_is_refused(endpoint):
    answer = requests.get(f"{endpoint}/drive/v3/files", timeout=30,
                          headers={"Authorization": "Bearer emulator:drive.fil"})
    assert answer.status_code == 401 and "drive.fil" in answer.json()["error"]["message"]
    with pytest.raises(ValueError, match="drive.fil"):
        Emulator(scopes=["drive.fil"])


def test_calendar_and_docs_scope_names_are_accepted():
    names = ["calendar", "calendar.app.created", "calendar.events", "documents"]
    assert parse_scopes(names) == {f"https://www.googleapis.com/auth/{name}" for name in names}


def test_without_scope_information_everything_is_allowed():
    with EmulatorServer(Emulator()) as server:
        theirs = people_file(server.url, content="template")
        copied = connect(None, server.url).drive.files().copy(fileId=theirs["id"], body={}).execute()
        assert copied["name"] == "Copy of Charter template"


def test_a_person_uploads_into_a_folder_they_can_edit_and_shares_like_it(endpoint):
    drive = connect(None, endpoint).drive
    folder = drive.files().create(body={"name": "Team 2", "mimeType": FOLDER}).execute()
    refused = requests.post(f"{endpoint}/_emulator/drive/files", timeout=30, json={
        "name": "charter.pdf", "parents": [folder["id"]], "owner": "ana.lopez@belmont.example.org"})
    assert refused.status_code == 403
    drive.permissions().create(fileId=folder["id"], sendNotificationEmail=False, body={
        "type": "user", "role": "writer", "emailAddress": "ana.lopez@belmont.example.org"}).execute()
    charter = people_file(endpoint, name="charter.pdf", parents=[folder["id"]], owner="ana.lopez@belmont.example.org",
                          contentBase64="JVBERi0=")
    seen = drive.files().get(fileId=charter["id"], fields="owners(emailAddress),size,isAppAuthorized").execute()
    assert seen == {"owners": [{"emailAddress": "ana.lopez@belmont.example.org"}], "size": "5",
                    "isAppAuthorized": False}


def test_uploads_under_drive_file_are_the_apps_own(endpoint):
    drive = client(endpoint, "drive", "drive.file")
    media = MediaInMemoryUpload(b"charter", mimetype="text/plain")
    uploaded = drive.files().create(body={"name": "charter.txt"}, media_body=media, fields="id,isAppAuthorized")
    uploaded = uploaded.execute()
    assert uploaded["isAppAuthorized"] is True
    assert drive.files().get_media(fileId=uploaded["id"]).execute() == b"charter"


CALENDAR_AND_DOCS = ("calendar", "calendar.events", "calendar.readonly", "calendar.events.readonly",
                     "documents", "documents.readonly")


def unserved_client(endpoint, api, version, scopes):
    """A google-api-python-client service built from the discovery document the library
    ships, carrying a token with `scopes`."""
    import google_auth_httplib2
    import httplib2
    from googleapiclient.discovery import build_from_document
    from googleapiclient.discovery_cache import get_static_doc

    document = json.loads(get_static_doc(api, version))
    document["rootUrl"] = document["mtlsRootUrl"] = endpoint + "/"
    document["baseUrl"] = endpoint + "/" + document["servicePath"]
    http = google_auth_httplib2.AuthorizedHttp(Credentials(token=token_for(scopes)), http=httplib2.Http())
    return build_from_document(document, http=http)


def test_calendar_and_docs_scopes_are_recognised_in_a_token(endpoint):
    assert parse_scopes(CALENDAR_AND_DOCS) == {f"https://www.googleapis.com/auth/{s}" for s in CALENDAR_AND_DOCS}
    drive = client(endpoint, "drive", "drive.file", *CALENDAR_AND_DOCS)
    assert drive.files().create(body={"name": "Agenda"}).execute()["name"] == "Agenda"
    status, reason, _ = refusal(client(endpoint, "drive", *CALENDAR_AND_DOCS).files().list())
    assert (status, reason) == (403, "insufficientPermissions")   # recognised, yet they grant nothing in Drive


def test_a_calendar_method_the_emulator_lacks_answers_googles_json_404(endpoint):
    service = unserved_client(endpoint, "calendar", "v3", CALENDAR_AND_DOCS)
    with pytest.raises(HttpError) as caught:
        service.calendarList().list().execute()
    assert caught.value.resp.status == 404
    assert json.loads(caught.value.content)["error"]["status"] == "NOT_FOUND"


def test_calendar_events_scope_reaches_the_accounts_own_calendar(endpoint):
    service = unserved_client(endpoint, "calendar", "v3", ["calendar.events"])
    assert service.events().list(calendarId="primary").execute()["items"] == []
    narrow = unserved_client(endpoint, "calendar", "v3", ["calendar.app.created"])
    with pytest.raises(HttpError) as caught:
        narrow.events().list(calendarId="primary").execute()
    assert caught.value.resp.status == 404


def test_a_token_naming_an_unknown_calendar_scope_is_refused_before_the_api(endpoint):
    answer = requests.get(f"{endpoint}/calendar/v3/calendars/primary/events", timeout=30,
                          headers={"Authorization": "Bearer emulator:calendar.everything"})
    assert answer.status_code == 401 and "calendar.everything" in answer.json()["error"]["message"]


def test_the_scopes_setting_takes_calendar_and_docs_scopes():
    import threading

    from emulator.serve import serve

    printed, stop = [], threading.Event()
    serving = threading.Thread(target=serve, kwargs={"port": 0, "out": printed.append, "stop": stop,
                                                     "scopes": ",".join(CALENDAR_AND_DOCS)})
    serving.start()
    try:
        while not printed and serving.is_alive():
            serving.join(0.05)
        assert printed, "the emulator did not start"
        url = printed[0].split()[3]
        answer = requests.get(f"{url}/calendar/v3/calendars/primary/events", timeout=30)
        assert answer.status_code == 200 and answer.json()["items"] == []
        refused = requests.get(f"{url}/drive/v3/files", timeout=30)
        assert refused.status_code == 403
    finally:
        stop.set()
        serving.join(10)
    assert "calendar, calendar.events, calendar.events.readonly, calendar.readonly, documents, " \
           "documents.readonly;" in printed[0]

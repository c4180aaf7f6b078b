"""The HTML view at `/` shows every API's data (the roster, the team folders with who has
access, the forms and their responses, the sent reminders) with every value escaped, and
its one form uploads a file as a person would in Drive."""
import base64
import urllib.request
from email.message import EmailMessage

import requests

from sync.google.workspace import connect


def _page(endpoint) -> str:
    with urllib.request.urlopen(endpoint + "/") as response:
        assert response.headers["Content-Type"].startswith("text/html")
        return response.read().decode("utf-8")


def test_view_shows_roster_folders_forms_and_mail_escaped(endpoint):
    workspace = connect(None, endpoint)
    roster = workspace.gspread.create("PLT Master Roster")
    roster.sheet1.update([["Team name", "School"], ["<script>alert('x')</script>", "Belmont High"]], "A1")
    roster.add_worksheet("Problems", rows=10, cols=3).update([["Response ID", "Reason"]], "A1")
    folder = workspace.drive.files().create(body={"name": "T-0042 Literacy Leaders",
                                                  "mimeType": "application/vnd.google-apps.folder"}).execute()
    workspace.drive.permissions().create(fileId=folder["id"], sendNotificationEmail=False, body={
        "type": "user", "role": "writer", "emailAddress": "dreyes@belmont.example.org"}).execute()
    workspace.forms.forms().create(body={"info": {"title": "PLT sign-up 2024-25"}}).execute()
    reminder = EmailMessage()
    reminder["To"], reminder["Subject"] = "dreyes@belmont.example.org", "Team charter due Friday"
    reminder.set_content("Please upload your team charter to the team folder.")
    raw = base64.urlsafe_b64encode(reminder.as_bytes()).decode()
    workspace.gmail.users().messages().send(userId="me", body={"raw": raw}).execute()

    page = _page(endpoint)

    assert "PLT Master Roster" in page and "Belmont High" in page and "Problems" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "T-0042 Literacy Leaders" in page and "dreyes@belmont.example.org (writer)" in page
    assert "PLT sign-up 2024-25" in page
    assert "Team charter due Friday" in page and "Please upload your team charter" in page


def test_empty_view_says_nothing_exists_yet(endpoint):
    page = _page(endpoint)
    assert "No spreadsheets yet." in page and "No mail sent yet." in page and "No forms yet." in page


def test_view_shows_each_forms_responses_escaped(endpoint, admin):
    forms = connect(None, endpoint).forms
    form_id = forms.forms().create(body={"info": {"title": "PLT sign-up 2024-25"}}).execute()["formId"]
    forms.forms().batchUpdate(formId=form_id, body={"requests": [{"createItem": {"location": {"index": 0}, "item": {
        "title": "Team name", "questionItem": {"question": {"textQuestion": {}}}}}}]}).execute()
    admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {"Team name": "<b>Readers</b>"},
                                                              "submittedAt": "2017-10-02T14:00:00Z"})
    page = _page(endpoint)
    assert "<th>Team name</th>" in page and "2017-10-02T14:00:00.000Z" in page
    assert "&lt;b&gt;Readers&lt;/b&gt;" in page and "<b>Readers" not in page


def test_view_marks_peoples_and_trashed_files_and_lists_sharing_emails(endpoint, admin):
    drive = connect(None, endpoint).drive
    folder = drive.files().create(body={"name": "Team 7", "mimeType": "application/vnd.google-apps.folder"}).execute()
    drive.permissions().create(fileId=folder["id"], emailMessage="Welcome to Team 7", body={
        "type": "user", "role": "writer", "emailAddress": "ana.lopez@belmont.example.org"}).execute()
    admin("POST", "/_emulator/drive/files", {"name": "Charter template", "parents": [folder["id"]]})
    old = drive.files().create(body={"name": "Old agenda"}).execute()
    drive.files().update(fileId=old["id"], body={"trashed": True}).execute()
    page = _page(endpoint)
    assert "Charter template" in page and "made in Drive by a person" in page
    assert "Old agenda" in page and "in the trash" in page
    assert "shared “Team 7” with ana.lopez@belmont.example.org (writer): Welcome to Team 7" in page


def test_a_file_uploaded_from_the_page_is_a_persons_file_in_the_chosen_folder(endpoint):
    drive = connect(None, endpoint).drive
    folder = drive.files().create(body={"name": "Programme", "mimeType": "application/vnd.google-apps.folder"}).execute()
    assert f'<option value="{folder["id"]}">Programme</option>' in _page(endpoint)
    answer = requests.post(endpoint + "/_emulator/drive/upload", data={"parent": folder["id"]}, timeout=30,
                           files={"file": ("charter.docx", b"PK charter", "application/octet-stream")},
                           allow_redirects=False)
    assert (answer.status_code, answer.headers["Location"]) == (303, "/")
    (found,) = drive.files().list(q=f"'{folder['id']}' in parents", fields="files(name,isAppAuthorized,size)"
                                  ).execute()["files"]
    assert found == {"name": "charter.docx", "isAppAuthorized": False, "size": "10"}
    refused = requests.post(endpoint + "/_emulator/drive/upload", data={"parent": ""}, timeout=30,
                            files={"file": ("", b"", "application/octet-stream")})
    assert refused.status_code == 400

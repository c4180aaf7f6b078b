"""The read-only HTML view at `/` shows the roster, the team folders with who has access,
the forms and the sent reminders, with every value escaped."""
import base64
import urllib.request
from email.message import EmailMessage

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

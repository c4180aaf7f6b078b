"""Two common ways of doing the same job, run on the same form for comparison.

(a) Row by row, as tutorials and add-ons do it: one append per roster row and per team's
    members, one Drive call per folder and per permission, one search per team folder
    and one send per email; a 429 is met, waited out (Retry-After) and retried.
(b) A whole-sheet rewrite in the style of gspread-dataframe's `set_with_dataframe`: the
    roster is rebuilt from the responses and written over the old one in a few calls,
    which erases whatever coordinators typed into it.
Both run without the pacer, as those tools do.
"""
from __future__ import annotations

import time

import gspread
from googleapiclient.errors import HttpError

from forms.reader import read_form
from sheets.book import create_spreadsheet
from sync.google.metering import Meter
from sync.google.workspace import connect

from .measure import measured
from .programme import DOMAIN

ROSTER = ("Team name", "School", "Facilitator email", "Members", "Meeting time", "Folder", "Notes")
MEMBERS = ("Team name", "Member")
FOLDER_MIME = "application/vnd.google-apps.folder"


def patiently(call):
    """Tutorial-style: on a 429, wait what Google asks and try again."""
    while True:
        try:
            return call()
        except HttpError as error:
            if error.resp.status != 429:
                raise
            time.sleep(float(error.resp.get("retry-after", 1)))
        except gspread.exceptions.APIError as error:
            if error.response.status_code != 429:
                raise
            time.sleep(float(error.response.headers.get("Retry-After", 1)))


class Baseline:
    """Shared by both: the form as read, a spreadsheet of its own, a metered workspace."""

    def __init__(self, endpoint: str, settings):
        self.meter = Meter()
        self.workspace = connect(None, endpoint, self.meter)
        self.settings = settings
        self.spreadsheet_id = create_spreadsheet(self.workspace.gspread.http_client, "Baseline roster",
                                                 [("Roster", ROSTER), ("Members", MEMBERS)], "America/New_York")
        self.book = self.workspace.gspread.open_by_key(self.spreadsheet_id)
        for name, header in (("Roster", ROSTER), ("Members", MEMBERS)):
            self.book.worksheet(name).update([list(header)], "A1", raw=True)
        self.meter.by_method.clear()

    def responses(self) -> list[dict]:
        """Each response as {question title: text}, plus the facilitator's email."""
        snapshot = patiently(lambda: read_form(self.workspace.forms, self.settings.form.id))
        titles = {q.question_id: q.title for q in snapshot.questions}
        return [{**{titles[qid]: "\n".join(v) for qid, v in r.answers.items() if qid in titles},
                 "email": r.respondent_email} for r in snapshot.responses]

    def roster_row(self, answers: dict, folder: str = "") -> list[str]:
        q = self.settings.form.titles
        return [answers.get(q["team_name"], ""), answers.get(q["school"], ""), answers["email"],
                answers.get(q["members"], ""), answers.get(q["meeting_time"], ""), folder, ""]

    def measure(self, work):
        self.meter.by_method.clear()
        with measured() as cost:
            work()
        return dict(self.meter.by_method), cost


def member_emails(answers: dict, members_title: str) -> list[str]:
    return [line.split("<")[-1].rstrip(">").strip() for line in answers.get(members_title, "").splitlines()
            if f"@{DOMAIN}" in line]


class RowByRow(Baseline):
    """(a): a call per row, per folder, per permission, per search and per email."""

    def first_sync(self) -> None:
        files, permissions = self.collections()
        roster, members = self.book.worksheet("Roster"), self.book.worksheet("Members")
        self.meter.by_method.clear()
        known = set(patiently(lambda: roster.col_values(3)))
        for answers in self.responses():
            if answers["email"] in known:
                continue
            folder = patiently(lambda: files.create(body={
                "name": answers.get(self.settings.form.titles["team_name"]), "mimeType": FOLDER_MIME,
                "parents": [self.settings.drive.parent_folder_id]}).execute())["id"]
            for email in [answers["email"], *member_emails(answers, self.settings.form.titles["members"])]:
                patiently(lambda: permissions.create(fileId=folder, sendNotificationEmail=False, body={
                    "type": "user", "role": "writer", "emailAddress": email}).execute())
            patiently(lambda: roster.append_row(self.roster_row(answers, folder), value_input_option="RAW"))
            patiently(lambda: members.append_rows(
                [[answers.get(self.settings.form.titles["team_name"], ""), m]
                 for m in member_emails(answers, self.settings.form.titles["members"])], value_input_option="RAW"))

    def collections(self):
        """Drive's files and permissions collections, built once (the calls are the same
        either way; building them for each call only costs the benchmark CPU)."""
        return self.workspace.drive.files(), self.workspace.drive.permissions()

    def changed_sync(self) -> None:
        (_files, permissions), roster = self.collections(), self.book.worksheet("Roster")
        self.meter.by_method.clear()
        rows = patiently(roster.get_all_values)
        by_email = {row[2]: (index + 1, row) for index, row in enumerate(rows) if index}
        for answers in self.responses():
            number, row = by_email[answers["email"]]
            wanted = self.roster_row(answers, row[5])
            if wanted[:5] == row[:5]:
                continue
            patiently(lambda: roster.update([wanted[:5]], f"A{number}:E{number}", raw=True))
            self._reshare(permissions, row[5], answers)

    def _reshare(self, permissions, folder: str, answers: dict) -> None:
        wanted = {answers["email"], *member_emails(answers, self.settings.form.titles["members"])}
        granted = patiently(lambda: permissions.list(
            fileId=folder, fields="permissions(id,emailAddress,role)").execute())["permissions"]
        have = {p.get("emailAddress"): p["id"] for p in granted if p.get("role") != "owner"}
        for email in wanted - set(have):
            patiently(lambda: permissions.create(fileId=folder, sendNotificationEmail=False, body={
                "type": "user", "role": "writer", "emailAddress": email}).execute())
        for email in set(have) - wanted:
            patiently(lambda: permissions.delete(fileId=folder, permissionId=have[email]).execute())

    def reminder_day(self) -> None:
        from email.message import EmailMessage
        import base64

        (files, _permissions), roster = self.collections(), self.book.worksheet("Roster")
        messages = self.workspace.gmail.users().messages()
        self.meter.by_method.clear()
        for row in patiently(roster.get_all_values)[1:]:
            found = patiently(lambda: files.list(
                q=f"'{row[5]}' in parents and name contains 'charter' and trashed=false").execute())
            if found.get("files"):
                continue
            message = EmailMessage()
            message["To"], message["Subject"] = row[2], f"Your team charter for {row[0]} is overdue"
            message.set_content("Please upload your signed team charter to your team folder.")
            raw = base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")
            patiently(lambda: messages.send(userId="me", body={"raw": raw}).execute())


class WholeSheet(Baseline):
    """(b): the roster rebuilt from the responses and written over the old one."""

    def sync(self) -> None:
        answers = self.responses()
        book = patiently(lambda: self.workspace.gspread.open_by_key(self.spreadsheet_id))
        q = self.settings.form.titles
        tabs = {"Roster": [list(ROSTER), *[self.roster_row(a) for a in answers]],
                "Members": [list(MEMBERS), *[[a.get(q["team_name"], ""), m] for a in answers
                                             for m in member_emails(a, q["members"])]]}
        for name, rows in tabs.items():
            worksheet = patiently(lambda: book.worksheet(name))
            patiently(worksheet.clear)
            patiently(lambda: worksheet.resize(rows=len(rows)))   # as set_with_dataframe(resize=True) does
            patiently(lambda: worksheet.update(rows, "A1", raw=True))

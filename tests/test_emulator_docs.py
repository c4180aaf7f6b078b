"""Docs v1 in the emulator, through google-api-python-client built from its packaged docs.v1
discovery document: a charter template is made (by hand or converted from a .docx), copied
through Drive with its text, filled with one all-or-nothing batchUpdate, and refused the
way Google refuses a bad request."""
import io
import json

import docx
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from emulator.scopes import token_for
from sync.google.workspace import build_service, connect

DOCUMENT = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def workspace(endpoint):
    return connect(None, endpoint)


def text_of(document: dict) -> list[str]:
    """The paragraphs of a Document resource, as Google answers it."""
    body = document["body"] if "body" in document else document["tabs"][0]["documentTab"]["body"]
    return ["".join(e["textRun"]["content"] for e in element["paragraph"]["elements"])
            for element in body["content"] if "paragraph" in element]


def refusal(call):
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status, json.loads(caught.value.content)["error"]


def charter_docx(*paragraphs, signatures=("Name", "Signature")) -> bytes:
    made = docx.Document()
    for paragraph in paragraphs:
        made.add_paragraph(paragraph)
    table = made.add_table(rows=1, cols=len(signatures))
    for cell, text in zip(table.rows[0].cells, signatures):
        cell.text = text
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


def new_document(workspace, *lines, title="PLT Charter"):
    made = workspace.docs.documents().create(body={"title": title}).execute()
    if lines:
        workspace.docs.documents().batchUpdate(documentId=made["documentId"], body={"requests": [
            {"insertText": {"location": {"index": 1}, "text": "\n".join(lines)}}]}).execute()
    return made["documentId"]


def replace(placeholder, value, match_case=True):
    return {"replaceAllText": {"containsText": {"text": placeholder, "matchCase": match_case}, "replaceText": value}}


def test_a_created_document_is_a_blank_google_doc_in_my_drive(workspace):
    made = workspace.docs.documents().create(body={"title": "PLT Charter"}).execute()

    assert (made["title"], text_of(made)) == ("PLT Charter", ["\n"])
    assert made["body"]["content"][1]["endIndex"] == 2
    file = workspace.drive.files().get(fileId=made["documentId"], fields="name,mimeType").execute()
    assert file == {"name": "PLT Charter", "mimeType": DOCUMENT}


def test_insert_then_replace_all_text_fill_a_charter_in_one_batch(workspace):
    document_id = new_document(workspace)
    answer = workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Team: {{team_name}}\nSchool: {{School}}"}},
        replace("{{team_name}}", "Close Reading 7"),
        replace("{{school}}", "Chenery Middle School", match_case=False),
        replace("{{cycle}}", "2"),
        {"insertText": {"endOfSegmentLocation": {}, "text": "\nSigned:"}}]}).execute()

    assert answer["replies"] == [{}, {"replaceAllText": {"occurrencesChanged": 1}},
                                 {"replaceAllText": {"occurrencesChanged": 1}}, {"replaceAllText": {}}, {}]
    document = workspace.docs.documents().get(documentId=document_id).execute()
    assert text_of(document) == ["Team: Close Reading 7\n", "School: Chenery Middle School\n", "Signed:\n"]
    assert answer["writeControl"]["requiredRevisionId"] == document["revisionId"]


def test_indexes_count_utf16_units_as_google_does(workspace):
    document_id = new_document(workspace, "🙂 Team")
    workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        {"insertText": {"location": {"index": 3}, "text": "PLT"}}]}).execute()
    document = workspace.docs.documents().get(documentId=document_id).execute()
    assert text_of(document) == ["🙂PLT Team\n"]
    assert document["body"]["content"][-1]["endIndex"] == 1 + 2 + 3 + 5 + 1


def test_inserted_text_loses_the_characters_google_strips(workspace):
    document_id = new_document(workspace, "Team: {{team_name}}")
    workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        replace("{{team_name}}", "\ue000Owls\x01\ue001"),
        {"insertText": {"endOfSegmentLocation": {}, "text": "\tdone\ue123"}}]}).execute()
    assert text_of(workspace.docs.documents().get(documentId=document_id).execute()) == ["Team: Owls\tdone\n"]


def test_a_batch_with_one_bad_request_changes_nothing(workspace):
    document_id = new_document(workspace, "Team: {{team_name}}")
    before = workspace.docs.documents().get(documentId=document_id).execute()

    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        replace("{{team_name}}", "Close Reading 7"),
        {"insertText": {"location": {"index": 500}, "text": "x"}}]}))

    assert (status, error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Invalid requests[1].insertText: Index 500 must be less than the end index")
    after = workspace.docs.documents().get(documentId=document_id).execute()
    assert text_of(after) == ["Team: {{team_name}}\n"] and after["revisionId"] == before["revisionId"]


@pytest.mark.parametrize("request_, message", [
    ({"replaceAllText": {"containsText": {"text": ""}, "replaceText": "x"}},
     "Invalid requests[0].replaceAllText: The text to search for must not be empty."),
    ({}, "Invalid requests[0]: the request is empty: name one kind of request"),
    ({"insertText": {"location": {"index": 1}, "endOfSegmentLocation": {}, "text": "x"}},
     "Invalid requests[0].insertText: exactly one of location and endOfSegmentLocation must be set."),
    ({"insertText": {"location": {"index": 0}, "text": "x"}}, "Invalid requests[0].insertText: Index must be at least 1."),
])
def test_bad_requests_get_googles_400(workspace, request_, message):
    document_id = new_document(workspace, "Team")
    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id,
                                                                   body={"requests": [request_]}))
    assert (status, error["message"]) == (400, message)


def test_an_unknown_field_and_an_unserved_request_kind_are_named(workspace):
    document_id = new_document(workspace, "Team")
    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        {"replaceAllText": {"containsText": {"text": "a"}, "replaceWith": "b"}}]}))
    assert status == 400 and "replaceWith" in error["message"]
    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 2}}}]}))
    assert (status, error["status"]) == (501, "UNIMPLEMENTED") and "deleteContentRange" in error["message"]


def test_a_stale_required_revision_is_refused(workspace):
    document_id = new_document(workspace, "Team: {{team_name}}")
    stale = workspace.docs.documents().get(documentId=document_id).execute()["revisionId"]
    workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        replace("Team", "PLT")]}).execute()
    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body={
        "requests": [replace("{{team_name}}", "Owls")], "writeControl": {"requiredRevisionId": stale}}))
    assert (status, error["status"]) == (400, "FAILED_PRECONDITION")


def test_a_missing_document_and_a_spreadsheet_are_refused(workspace):
    status, error = refusal(workspace.docs.documents().get(documentId="no-such-document"))
    assert (status, error["status"]) == (404, "NOT_FOUND")
    sheet = workspace.sheets.spreadsheets().create(body={"properties": {"title": "Roster"}}).execute()
    status, _ = refusal(workspace.docs.documents().get(documentId=sheet["spreadsheetId"]))
    assert status == 400


def test_a_google_doc_copied_through_drive_keeps_its_text_under_the_copys_name(workspace):
    template_id = new_document(workspace, "PLT Charter", "Team: {{team_name}}")
    copied = workspace.drive.files().copy(fileId=template_id, body={"name": "PLT Charter – Owls"}).execute()
    workspace.docs.documents().batchUpdate(documentId=copied["id"], body={"requests": [
        replace("{{team_name}}", "Owls")]}).execute()

    copy = workspace.docs.documents().get(documentId=copied["id"], includeTabsContent=True).execute()
    assert copy["title"] == "PLT Charter – Owls" and "body" not in copy
    assert text_of(copy) == ["PLT Charter\n", "Team: Owls\n"]
    template = workspace.docs.documents().get(documentId=template_id).execute()
    assert text_of(template) == ["PLT Charter\n", "Team: {{team_name}}\n"]


def test_a_docx_uploaded_as_a_google_doc_is_converted_to_its_paragraphs(workspace):
    upload = MediaInMemoryUpload(charter_docx("PLT Charter", "Team: {{team_name}}"), mimetype=DOCX)
    made = workspace.drive.files().create(body={"name": "PLT Charter", "mimeType": DOCUMENT}, media_body=upload,
                                          fields="id,mimeType,size").execute()

    assert made["mimeType"] == DOCUMENT and "size" not in made
    document = workspace.docs.documents().get(documentId=made["id"]).execute()
    assert text_of(document) == ["PLT Charter\n", "Team: {{team_name}}\n", "Name\n", "Signature\n"]


def test_an_upload_the_emulator_cannot_convert_is_refused_by_type(workspace):
    upload = MediaInMemoryUpload(b"%PDF-1.4", mimetype="application/pdf")
    status, error = refusal(workspace.drive.files().create(body={"name": "Charter", "mimeType": DOCUMENT},
                                                           media_body=upload))
    assert status == 400 and "application/pdf" in error["message"]
    broken = MediaInMemoryUpload(b"PK\x03\x04 not really", mimetype=DOCX)
    status, _ = refusal(workspace.drive.files().create(body={"name": "Charter", "mimeType": DOCUMENT},
                                                       media_body=broken))
    assert status == 400


def test_drive_file_reaches_documents_the_app_made_but_not_one_made_in_drive(endpoint, workspace):
    import requests

    narrow = build_service("docs", Credentials(token=token_for(["drive.file"])), endpoint)
    mine = new_document(workspace, "Team")
    assert text_of(narrow.documents().get(documentId=mine).execute()) == ["Team\n"]
    theirs = requests.post(f"{endpoint}/_emulator/drive/files", timeout=30, json={
        "name": "Charter made in Drive", "mimeType": DOCUMENT}).json()
    status, _ = refusal(narrow.documents().get(documentId=theirs["id"]))
    assert status == 404
    gmail_only = build_service("docs", Credentials(token=token_for(["gmail.send"])), endpoint)
    status, error = refusal(gmail_only.documents().get(documentId=mine))
    assert (status, error["errors"][0]["reason"]) == (403, "insufficientPermissions")


def test_commit_then_fail_on_batch_update_keeps_the_fill(workspace, admin):
    document_id = new_document(workspace, "Team: {{team_name}}")
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                        "methods": ["docs.documents.batchUpdate"]})
    status, _ = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body={"requests": [
        replace("{{team_name}}", "Owls")]}))
    assert status == 500
    assert text_of(workspace.docs.documents().get(documentId=document_id).execute()) == ["Team: Owls\n"]


def test_docs_writes_have_their_own_per_minute_quota(workspace, admin):
    document_id = new_document(workspace, "Team")
    admin("POST", "/_emulator/quotas", {"enabled": True, "limits": {"docs.write": 2}})
    fill = {"requests": [replace("Team", "Team")]}
    workspace.docs.documents().batchUpdate(documentId=document_id, body=fill).execute()
    workspace.docs.documents().batchUpdate(documentId=document_id, body=fill).execute()
    status, error = refusal(workspace.docs.documents().batchUpdate(documentId=document_id, body=fill))
    assert (status, error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert workspace.docs.documents().get(documentId=document_id).execute()["documentId"] == document_id


def test_the_view_shows_a_documents_text(endpoint, workspace):
    import requests

    new_document(workspace, "Team: <b>Owls</b>")
    page = requests.get(endpoint + "/", timeout=30).text
    assert "PLT Charter" in page and "Team: &lt;b&gt;Owls&lt;/b&gt;" in page

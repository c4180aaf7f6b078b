"""The emulated Forms v1 API through google-api-python-client, with facilitators' responses
submitted through the admin API, as PLT Sync's facilitator form is used."""
import re

import pytest
from googleapiclient.errors import HttpError

from sync.google.workspace import connect

HEX8 = re.compile(r"^[0-9a-f]{8}$")

QUESTIONS = [
    {"title": "Facilitator name", "questionItem": {"question": {"required": True, "textQuestion": {}}}},
    {"title": "Team goal", "questionItem": {"question": {"textQuestion": {"paragraph": True}}}},
    {"title": "School", "questionItem": {"question": {"required": True, "choiceQuestion": {
        "type": "RADIO", "options": [{"value": "Belmont High"}, {"value": "Chenery Middle"}]}}}},
    {"title": "Topics", "questionItem": {"question": {"choiceQuestion": {
        "type": "CHECKBOX", "options": [{"value": "Literacy"}, {"value": "Math"}, {"value": "SEL"}]}}}},
    {"title": "Meeting time", "questionItem": {"question": {"choiceQuestion": {
        "type": "DROP_DOWN", "options": [{"value": "Monday"}, {"value": "Thursday"}]}}}},
]


@pytest.fixture
def forms(endpoint):
    return connect(None, endpoint).forms


def _new_form(forms, email_collection="DO_NOT_COLLECT"):
    form_id = forms.forms().create(body={"info": {"title": "PLT sign-up 2024-25"}}).execute()["formId"]
    requests = [{"createItem": {"item": item, "location": {"index": i}}} for i, item in enumerate(QUESTIONS)]
    requests.append({"updateSettings": {"settings": {"emailCollectionType": email_collection},
                                        "updateMask": "emailCollectionType"}})
    reply = forms.forms().batchUpdate(formId=form_id, body={"requests": requests}).execute()
    ids = {item["title"]: r["createItem"]["questionId"][0] for item, r in zip(QUESTIONS, reply["replies"])}
    return form_id, ids


def _submit(admin, form_id, answers, **extra):
    status, body, _ = admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": answers, **extra})
    assert status == 200, body
    return body["responseId"]


def _status(call) -> int:
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status


def test_created_form_has_title_and_untitled_document(forms):
    form = forms.forms().create(body={"info": {"title": "PLT sign-up"}}).execute()
    assert form["info"] == {"title": "PLT sign-up", "documentTitle": "Untitled form"}
    assert "items" not in form
    assert forms.forms().get(formId=form["formId"]).execute() == form


def test_create_refuses_description_and_items_like_google(forms):
    body = {"info": {"title": "PLT", "description": "For facilitators"}, "items": []}
    with pytest.raises(HttpError) as caught:
        forms.forms().create(body=body).execute()
    assert caught.value.resp.status == 400
    assert "info.description" in str(caught.value) and "items" in str(caught.value)


def test_questions_get_google_ids_and_shapes(forms):
    form_id, ids = _new_form(forms)
    form = forms.forms().get(formId=form_id).execute()
    items = form["items"]
    assert [item["title"] for item in items] == [q["title"] for q in QUESTIONS]
    assert all(HEX8.match(item["itemId"]) for item in items)
    assert all(HEX8.match(qid) for qid in ids.values())
    name, goal, school, topics, meeting = (item["questionItem"]["question"] for item in items)
    assert name == {"questionId": ids["Facilitator name"], "required": True, "textQuestion": {}}
    assert goal["textQuestion"] == {"paragraph": True} and "required" not in goal
    assert school["choiceQuestion"]["type"] == "RADIO" and school["required"] is True
    assert [o["value"] for o in topics["choiceQuestion"]["options"]] == ["Literacy", "Math", "SEL"]
    assert meeting["choiceQuestion"]["type"] == "DROP_DOWN"
    assert form["settings"]["emailCollectionType"] == "DO_NOT_COLLECT"


def test_info_and_settings_updates_move_the_revision(forms):
    form_id = forms.forms().create(body={"info": {"title": "PLT"}}).execute()["formId"]
    reply = forms.forms().batchUpdate(formId=form_id, body={"includeFormInResponse": True, "requests": [
        {"updateFormInfo": {"info": {"title": "PLT 2025", "description": "One per team"},
                            "updateMask": "title,description"}},
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"}, "updateMask": "emailCollectionType"}},
    ]}).execute()
    assert reply["replies"] == [{}, {}]
    assert reply["form"]["info"]["description"] == "One per team"
    assert reply["form"]["settings"]["emailCollectionType"] == "VERIFIED"
    assert reply["writeControl"]["requiredRevisionId"] == reply["form"]["revisionId"] != "00000001"


def test_stale_required_revision_is_refused_and_changes_nothing(forms):
    form = forms.forms().create(body={"info": {"title": "PLT"}}).execute()
    rename = {"updateFormInfo": {"info": {"title": "Renamed"}, "updateMask": "title"}}
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": [rename]}).execute()
    stale = {"requests": [rename], "writeControl": {"requiredRevisionId": form["revisionId"]}}
    assert _status(forms.forms().batchUpdate(formId=form["formId"], body=stale)) == 400
    assert forms.forms().get(formId=form["formId"]).execute()["revisionId"] == "00000002"


def test_invalid_request_rolls_back_the_whole_batch(forms):
    form_id = forms.forms().create(body={"info": {"title": "PLT"}}).execute()["formId"]
    bad = {"title": "School", "questionItem": {"question": {"choiceQuestion": {"type": "RADIO", "options": []}}}}
    body = {"requests": [{"createItem": {"item": QUESTIONS[0], "location": {"index": 0}}},
                         {"createItem": {"item": bad, "location": {"index": 1}}}]}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form_id, body=body).execute()
    assert "requests[1].createItem" in str(caught.value)
    assert "items" not in forms.forms().get(formId=form_id).execute()


def test_responses_carry_answers_keyed_by_question_id(forms, admin):
    form_id, ids = _new_form(forms, "VERIFIED")
    response_id = _submit(admin, form_id, {"Facilitator name": "Dana Reyes", "School": "Belmont High",
                                           ids["Topics"]: ["Literacy", "SEL"], "Team goal": ""},
                          respondentEmail="dreyes@belmont.example.org")
    listed = forms.forms().responses().list(formId=form_id).execute()
    assert [r["responseId"] for r in listed["responses"]] == [response_id]
    response = listed["responses"][0]
    assert response["respondentEmail"] == "dreyes@belmont.example.org"
    assert response["createTime"] == response["lastSubmittedTime"]
    assert response["answers"][ids["Topics"]] == {
        "questionId": ids["Topics"], "textAnswers": {"answers": [{"value": "Literacy"}, {"value": "SEL"}]}}
    assert response["answers"][ids["Facilitator name"]]["textAnswers"]["answers"] == [{"value": "Dana Reyes"}]
    assert ids["Team goal"] not in response["answers"]  # unanswered questions are left out
    got = forms.forms().responses().get(formId=form_id, responseId=response_id).execute()
    assert got == response


def test_form_without_email_collection_records_no_email(forms, admin):
    form_id, _ = _new_form(forms)
    _submit(admin, form_id, {"Facilitator name": "Lee"}, respondentEmail="lee@belmont.example.org")
    response = forms.forms().responses().list(formId=form_id).execute()["responses"][0]
    assert "respondentEmail" not in response


def test_timestamp_filters_follow_google_grammar(forms, admin):
    form_id, _ = _new_form(forms)
    for day in ("01", "02", "03"):
        _submit(admin, form_id, {"Facilitator name": f"F{day}"}, submittedAt=f"2024-09-{day}T12:00:00Z")

    def names(filter_text):
        page = forms.forms().responses().list(formId=form_id, filter=filter_text).execute()
        return [next(iter(r["answers"].values()))["textAnswers"]["answers"][0]["value"]
                for r in page.get("responses", [])]

    assert names("timestamp > 2024-09-02T12:00:00Z") == ["F03"]
    assert names("timestamp >= 2024-09-02T12:00:00Z") == ["F02", "F03"]
    assert names("timestamp > 2024-09-03T12:00:00Z") == []
    for bad in ("timestamp < 2024-09-02T12:00:00Z", "createTime > 2024-09-02T12:00:00Z",
                "timestamp > 2024-09-02T12:00:00+02:00", "timestamp > yesterday"):
        assert _status(forms.forms().responses().list(formId=form_id, filter=bad)) == 400


def test_pages_cover_every_response_once_and_tokens_keep_their_filter(forms, admin):
    form_id, _ = _new_form(forms)
    submitted = [_submit(admin, form_id, {"Facilitator name": f"F{i}"}, submittedAt=f"2024-10-01T08:0{i}:00Z")
                 for i in range(7)]
    seen, token, pages = [], None, 0
    while True:
        page = forms.forms().responses().list(formId=form_id, pageSize=3, pageToken=token).execute()
        seen += [r["responseId"] for r in page["responses"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen == submitted and pages == 3
    first = forms.forms().responses().list(formId=form_id, pageSize=3).execute()
    other_filter = forms.forms().responses().list(formId=form_id, pageSize=3, pageToken=first["nextPageToken"],
                                                  filter="timestamp > 2024-01-01T00:00:00Z")
    assert _status(other_filter) == 400


def test_edit_keeps_id_and_create_time_and_moves_last_submitted(forms, admin):
    form_id, ids = _new_form(forms)
    response_id = _submit(admin, form_id, {"Facilitator name": "Sam", "School": "Belmont High"},
                          submittedAt="2024-09-01T10:00:00Z")
    status, _, _ = admin("PUT", f"/_emulator/forms/{form_id}/responses/{response_id}",
                         {"answers": {"Facilitator name": "Sam Ortiz"}, "submittedAt": "2024-09-20T10:00:00Z"})
    assert status == 200
    edited = forms.forms().responses().get(formId=form_id, responseId=response_id).execute()
    assert edited["createTime"] == "2024-09-01T10:00:00.000Z"
    assert edited["lastSubmittedTime"] == "2024-09-20T10:00:00.000Z"
    assert list(edited["answers"]) == [ids["Facilitator name"]]  # answers replaced, School gone
    later = forms.forms().responses().list(formId=form_id, filter="timestamp > 2024-09-10T00:00:00Z").execute()
    assert [r["responseId"] for r in later["responses"]] == [response_id]


def test_deleted_response_is_gone(forms, admin):
    form_id, _ = _new_form(forms)
    keep = _submit(admin, form_id, {"Facilitator name": "Kept"})
    gone = _submit(admin, form_id, {"Facilitator name": "Withdrawn"})
    assert admin("DELETE", f"/_emulator/forms/{form_id}/responses/{gone}")[0] == 200
    listed = forms.forms().responses().list(formId=form_id).execute()["responses"]
    assert [r["responseId"] for r in listed] == [keep]
    assert _status(forms.forms().responses().get(formId=form_id, responseId=gone)) == 404


def test_renaming_and_removing_a_question_after_responses(forms, admin):
    form_id, ids = _new_form(forms)
    _submit(admin, form_id, {"Team goal": "Raise grade 9 reading", "School": "Chenery Middle"})
    rename = {"updateItem": {"item": {"title": "Team goal (SMART)"}, "location": {"index": 1}, "updateMask": "title"}}
    remove = {"deleteItem": {"location": {"index": 2}}}
    forms.forms().batchUpdate(formId=form_id, body={"requests": [rename, remove]}).execute()
    items = forms.forms().get(formId=form_id).execute()["items"]
    assert [item["title"] for item in items] == ["Facilitator name", "Team goal (SMART)", "Topics", "Meeting time"]
    assert items[1]["questionItem"]["question"]["questionId"] == ids["Team goal"]
    answers = forms.forms().responses().list(formId=form_id).execute()["responses"][0]["answers"]
    assert answers[ids["Team goal"]]["textAnswers"]["answers"] == [{"value": "Raise grade 9 reading"}]
    status, body, _ = admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {"School": "Chenery Middle"}})
    assert status == 400 and "School" in body["error"]["message"]


def test_admin_refuses_unknown_questions_and_choices(forms, admin):
    form_id, _ = _new_form(forms)
    path = f"/_emulator/forms/{form_id}/responses"
    status, body, _ = admin("POST", path, {"answers": {"Favourite colour": "blue"}})
    assert status == 400 and "Favourite colour" in body["error"]["message"]
    status, body, _ = admin("POST", path, {"answers": {"School": "Hogwarts"}})
    assert status == 400 and "Hogwarts" in body["error"]["message"]
    status, _, _ = admin("POST", path, {"answers": {"School": ["Belmont High", "Chenery Middle"]}})
    assert status == 400


def test_verified_form_requires_respondent_email(forms, admin):
    form_id, _ = _new_form(forms, "VERIFIED")
    status, body, _ = admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {"Facilitator name": "X"}})
    assert status == 400 and "respondentEmail" in body["error"]["message"]


def test_form_is_a_drive_file_and_gone_once_deleted_there(endpoint, admin):
    workspace = connect(None, endpoint)
    form_id, _ = _new_form(workspace.forms)
    response_id = _submit(admin, form_id, {"Facilitator name": "Ana"})
    drive_file = workspace.drive.files().get(fileId=form_id, fields="id,name,mimeType").execute()
    assert drive_file == {"id": form_id, "name": "Untitled form", "mimeType": "application/vnd.google-apps.form"}
    workspace.drive.files().update(fileId=form_id, body={"name": "PLT sign-up (Belmont)"}).execute()
    assert workspace.forms.forms().get(formId=form_id).execute()["info"]["documentTitle"] == "PLT sign-up (Belmont)"
    workspace.drive.files().delete(fileId=form_id).execute()
    assert _status(workspace.forms.forms().get(formId=form_id)) == 404
    assert _status(workspace.forms.forms().responses().list(formId=form_id)) == 404
    assert _status(workspace.forms.forms().responses().get(formId=form_id, responseId=response_id)) == 404


def test_unpublished_form_accepts_no_responses(forms, admin):
    form_id = forms.forms().create(body={"info": {"title": "Draft"}}, unpublished=True).execute()["formId"]
    status, _, _ = admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {}})
    assert status == 400


def test_default_page_holds_five_thousand_responses(forms, admin):
    form_id, _ = _new_form(forms)
    for i in range(5001):
        _submit(admin, form_id, {"Facilitator name": f"F{i}"})
    first = forms.forms().responses().list(formId=form_id).execute()
    assert len(first["responses"]) == 5000
    capped = forms.forms().responses().list(formId=form_id, pageSize=9000).execute()
    assert len(capped["responses"]) == 5000
    rest = forms.forms().responses().list(formId=form_id, pageToken=first["nextPageToken"]).execute()
    assert len(rest["responses"]) == 1 and "nextPageToken" not in rest

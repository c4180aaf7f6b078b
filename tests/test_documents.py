"""The documents/ adapter on the emulator with the real clients: a charter template copied
into a team folder (tagged with the template and the team), then filled with ONE
batchUpdate, exactly once under "commit, then fail", and never expanding a placeholder a
facilitator typed into an answer."""
import io

import docx
import pytest
from googleapiclient.http import MediaInMemoryUpload

from documents.fill import fill_documents, fill_requests
from documents.model import DONE, PENDING, Fill, copies_from_files, copy_tags, filled_tags
from drive.batch import apply_changes
from drive.model import FOLDER_MIME, CopyTemplate, TagFile
from sync.google.errors import classify
from sync.google.workspace import connect

DOCUMENT = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEAM = "PLT-OWLS0001"
VALUES = (("team_name", "Close Reading 7"), ("school", "Chenery Middle School"),
          ("members", "Sam Lee\nAna Lopez"))


@pytest.fixture
def workspace(endpoint):
    return connect(None, endpoint)


def charter(workspace, parent) -> str:
    made = docx.Document()
    for line in ("PLT Charter: {{team_name}}", "School: {{school}}", "Members:", "{{members}}"):
        made.add_paragraph(line)
    out = io.BytesIO()
    made.save(out)
    upload = MediaInMemoryUpload(out.getvalue(), mimetype=DOCX)
    return workspace.drive.files().create(body={"name": "PLT Charter", "mimeType": DOCUMENT, "parents": [parent]},
                                          media_body=upload, fields="id").execute()["id"]


def folder(workspace, name="Team folder") -> str:
    return workspace.drive.files().create(body={"name": name, "mimeType": FOLDER_MIME}, fields="id").execute()["id"]


def text(workspace, document_id) -> str:
    document = workspace.docs.documents().get(documentId=document_id).execute()
    return "".join(e["textRun"]["content"] for s in document["body"]["content"] if "paragraph" in s
                   for e in s["paragraph"]["elements"])


def copies_in(workspace, folder_id):
    files = workspace.drive.files().list(q=f"'{folder_id}' in parents and trashed=false",
                                         fields="files(id,name,parents,appProperties)").execute()["files"]
    return copies_from_files(files, {folder_id})


def copy_and_fill(workspace, template_id, folder_id, values=VALUES, check_first=False):
    """What a run does: copy (tagged) through a Drive batch, fill, record the fill."""
    change = CopyTemplate(TEAM, folder_id, template_id, "PLT Charter – Close Reading 7",
                          copy_tags(template_id, "charter", TEAM))
    (copied,), _ = apply_changes(workspace.drive, [change], classify=classify, sleep=lambda _s: None)
    assert copied.ok, copied.error
    fill = Fill(TEAM, "charter", template_id, copied.value["id"], values, folder_id, check_first)
    (filled,), calls = fill_documents(workspace.docs, [fill], classify=classify, sleep=lambda _s: None)
    assert filled.ok, filled.error
    (tagged,), _ = apply_changes(workspace.drive, [TagFile(TEAM, folder_id, copied.value["id"],
                                                           tuple(filled_tags().items()))],
                                 classify=classify, sleep=lambda _s: None)
    assert tagged.ok
    return copied.value["id"], filled, calls


def test_a_copy_is_tagged_named_and_filled_with_one_batch_update(workspace):
    template_id = charter(workspace, folder(workspace, "Templates"))
    team_folder = folder(workspace)

    copy_id, filled, calls = copy_and_fill(workspace, template_id, team_folder)

    assert calls == 1 and not filled.already
    assert text(workspace, copy_id) == ("PLT Charter: Close Reading 7\nSchool: Chenery Middle School\nMembers:\n"
                                        "Sam Lee\nAna Lopez\n")
    assert text(workspace, template_id).startswith("PLT Charter: {{team_name}}\n")
    (copy,) = copies_in(workspace, team_folder).values()
    assert (copy.file_id, copy.template_id, copy.template_key, copy.unit_id, copy.filled, copy.name) == (
        copy_id, template_id, "charter", TEAM, True, "PLT Charter – Close Reading 7")


def test_a_placeholder_typed_in_an_answer_is_never_expanded(workspace):
    template_id = charter(workspace, folder(workspace, "Templates"))
    values = (("team_name", "{{school}} and {{cycle}}"), ("school", "Chenery {{team_name}}"), ("members", ""),
              ("cycle", "2"))
    copy_id, _filled, _calls = copy_and_fill(workspace, template_id, folder(workspace), values)
    assert text(workspace, copy_id) == ("PLT Charter: {{school}} and {{cycle}}\nSchool: Chenery {{team_name}}\n"
                                        "Members:\n\n")


def test_fill_requests_turn_every_placeholder_into_a_token_before_any_value_goes_in():
    requests = fill_requests((("team_name", "{{cycle}} ⸨cycle⸩"), ("cycle", "2")))
    searched = [r["replaceAllText"]["containsText"]["text"] for r in requests]
    # "⸨" is in a value, so the next pair delimits the tokens: no value holds a token.
    assert searched == ["{{team_name}}", "{{cycle}}", "⟦team_name⟧", "⟦cycle⟧"]
    assert requests[2]["replaceAllText"]["replaceText"] == "{{cycle}} ⸨cycle⸩"   # as typed


def test_commit_then_fail_on_the_copy_makes_no_second_copy(workspace, admin):
    template_id = charter(workspace, folder(workspace, "Templates"))
    team_folder = folder(workspace)
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1, "methods": ["drive.files.copy"]})

    copy_id, _filled, _calls = copy_and_fill(workspace, template_id, team_folder)

    assert list(copies_in(workspace, team_folder)) == [(TEAM, "charter")]
    assert text(workspace, copy_id).startswith("PLT Charter: Close Reading 7\n")


def test_commit_then_fail_on_the_fill_is_not_filled_twice(workspace, admin):
    template_id = charter(workspace, folder(workspace, "Templates"))
    values = (("team_name", "{{school}}"), ("school", "Chenery"), ("members", "Sam Lee"))
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                        "methods": ["docs.documents.batchUpdate"]})

    copy_id, filled, calls = copy_and_fill(workspace, template_id, folder(workspace), values)

    assert filled.already and calls == 3   # the lost fill, then the template and the copy read
    assert text(workspace, copy_id) == "PLT Charter: {{school}}\nSchool: Chenery\nMembers:\nSam Lee\n"


def test_a_copy_left_pending_by_a_crash_is_filled_by_the_next_run(workspace):
    template_id = charter(workspace, folder(workspace, "Templates"))
    team_folder = folder(workspace)
    change = CopyTemplate(TEAM, team_folder, template_id, "PLT Charter", copy_tags(template_id, "charter", TEAM))
    apply_changes(workspace.drive, [change], classify=classify, sleep=lambda _s: None)
    (pending,) = copies_in(workspace, team_folder).values()
    assert not pending.filled

    fill = Fill(TEAM, "charter", template_id, pending.file_id, VALUES, team_folder, check_first=True)
    (filled,), calls = fill_documents(workspace.docs, [fill], classify=classify, sleep=lambda _s: None)
    (again,), again_calls = fill_documents(workspace.docs, [fill], classify=classify, sleep=lambda _s: None)

    assert (filled.ok, filled.already, calls) == (True, False, 3)
    assert (again.ok, again.already, again_calls) == (True, True, 2)
    assert text(workspace, pending.file_id).startswith("PLT Charter: Close Reading 7\n")


def test_a_fill_of_a_missing_copy_fails_plainly(workspace):
    fill = Fill(TEAM, "charter", "no-template", "no-such-copy", VALUES)
    (result,), _ = fill_documents(workspace.docs, [fill], classify=classify, sleep=lambda _s: None)
    assert (result.ok, result.transient) == (False, False) and "404" in result.error


def test_tags_say_pending_until_filled():
    assert dict(copy_tags("T1", "charter", TEAM))["plt_fill"] == PENDING and filled_tags() == {"plt_fill": DONE}

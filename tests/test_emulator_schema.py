"""The emulator's answers are held to Google's response schemas from the packaged discovery
documents, so a test cannot pass against an answer Google would never send."""
import json
import urllib.request

import pytest

from emulator.core import Emulator, Route
from emulator.schema import check, method_index
from emulator.server import EmulatorServer


def test_unknown_property_is_a_violation_naming_its_path():
    problem = check("forms", "forms.forms.responses.list",
                    {"responses": [{"responseId": "r1", "answers": {"q1": {"questionId": "q1", "score": 3}}}]})
    assert "forms.forms.responses.list" in problem
    assert "responses/0/answers/q1" in problem and "score" in problem


@pytest.mark.parametrize("answer, where", [
    ({"responses": [{"createTime": "yesterday"}]}, "responses/0/createTime"),
    ({"responses": {"responseId": "r1"}}, "responses"),
    ({"responses": [{"totalScore": "high"}]}, "responses/0/totalScore"),
])
def test_wrong_types_and_timestamps_are_violations(answer, where):
    assert f"at {where}:" in check("forms", "forms.forms.responses.list", answer)


def test_enum_and_int64_strings_are_checked():
    assert "emailCollectionType" in check("forms", "forms.forms.get",
                                          {"formId": "f", "settings": {"emailCollectionType": "SOMETIMES"}})
    assert check("drive", "drive.files.get", {"id": "f", "size": "1024"}) is None
    assert "size" in check("drive", "drive.files.get", {"id": "f", "size": 1024})


def test_a_valid_answer_passes():
    form = {"formId": "f", "info": {"title": "PLT", "documentTitle": "PLT"}, "revisionId": "00000001",
            "items": [{"itemId": "0a1b2c3d", "title": "School", "questionItem": {"question": {
                "questionId": "1a2b3c4d", "choiceQuestion": {"type": "RADIO", "options": [{"value": "A"}]}}}}]}
    assert check("forms", "forms.forms.get", form) is None


def test_validating_emulator_answers_500_for_a_wrong_answer():
    emulator = Emulator(validate_responses=True)
    wrong = Route("forms", "forms.forms.get", "GET", "/v1/drifted/<form_id>",
                  lambda call, form_id: {"formId": form_id, "owner": "someone"}, False)
    emulator.add_route(wrong)
    with EmulatorServer(emulator) as server:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.url + "/v1/drifted/f1")
    assert caught.value.code == 500
    message = json.loads(caught.value.read())["error"]["message"]
    assert "forms.forms.get" in message and "'owner' was unexpected" in message


def test_every_google_route_is_a_discovery_method():
    emulator = Emulator()
    google_routes = [r for r in emulator.routes if r.api != "admin" and r.counted]
    assert {r.api for r in google_routes} == {"forms", "sheets", "drive", "gmail", "docs", "calendar"}
    unknown = [(r.api, r.method_id) for r in google_routes if r.method_id not in method_index(r.api, r.version)]
    assert unknown == []

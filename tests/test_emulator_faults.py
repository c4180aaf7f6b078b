"""Injected faults and per-minute quotas, met through the real Google clients: what PLT
Sync's retries and idempotency keys are tested against."""
import json
import time

import pytest
from googleapiclient.errors import HttpError

from emulator.core import ApiError, Route
from emulator.quotas import Quotas
from sync.google.workspace import connect


@pytest.fixture
def forms(endpoint):
    return connect(None, endpoint).forms


def _form(forms) -> str:
    return forms.forms().create(body={"info": {"title": "PLT sign-up"}}).execute()["formId"]


def _outcomes(forms, form_id, calls: int) -> list:
    """The HTTP status of each of `calls` forms.get calls (200 when it worked)."""
    seen = []
    for _ in range(calls):
        try:
            forms.forms().get(formId=form_id).execute()
            seen.append(200)
        except HttpError as err:
            seen.append(err.resp.status)
    return seen


def test_429_fault_looks_like_googles_rate_limit(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/faults", {"kinds": [429], "count": 1})
    with pytest.raises(HttpError) as caught:
        forms.forms().get(formId=form_id).execute()
    error = json.loads(caught.value.content)["error"]
    assert caught.value.resp.status == 429 and int(caught.value.resp["retry-after"]) >= 1
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    stats = admin("GET", "/_emulator/stats")[1]
    assert stats["faults"] == {"429": 1} and stats["rate_limited"] == 1


def test_count_and_after_fail_exactly_the_chosen_calls(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/faults", {"kinds": [503, 500], "count": 2, "after": 2, "methods": ["forms.forms.get"]})
    assert _outcomes(forms, form_id, 6) == [200, 200, 503, 500, 200, 200]
    rule = admin("GET", "/_emulator/faults")[1]["rules"][0]
    assert rule["matched"] == 6 and rule["injected"] == 2


def test_rules_fire_only_on_their_methods_and_paths(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/faults", {"rules": [
        {"kinds": [500], "rate": 1, "methods": ["drive.files.create"]},
        {"kinds": [500], "rate": 1, "paths": ["/v1/forms/not-this-one"]}]})
    assert _outcomes(forms, form_id, 3) == [200, 200, 200]
    admin("POST", "/_emulator/faults", {"kinds": [500], "rate": 1, "paths": [f"/v1/forms/{form_id}"]})
    assert _outcomes(forms, form_id, 2) == [500, 500]


def test_same_seed_fails_the_same_calls(endpoint, admin):
    forms = connect(None, endpoint).forms
    form_id = _form(forms)
    runs = []
    for _ in range(2):
        admin("DELETE", "/_emulator/faults")
        admin("POST", "/_emulator/faults", {"kinds": [429, 500, 503], "rate": 0.4, "seed": 11,
                                            "methods": ["forms.forms.get"]})
        runs.append(_outcomes(forms, form_id, 25))
    assert runs[0] == runs[1]
    assert 200 in runs[0] and len(set(runs[0])) > 2


def test_reset_drops_the_connection_under_the_client(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/faults", {"kinds": ["reset"], "count": 1, "methods": ["forms.forms.get"]})
    with pytest.raises(ConnectionError):
        forms.forms().get(formId=form_id).execute()
    assert forms.forms().get(formId=form_id).execute()["formId"] == form_id
    assert admin("GET", "/_emulator/stats")[1]["faults"] == {"reset": 1}


def test_commit_then_fail_keeps_the_change_it_reported_as_failed(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/faults", {"kinds": ["commit_then_fail"], "count": 1,
                                        "methods": ["forms.forms.batchUpdate"]})
    rename = {"requests": [{"updateFormInfo": {"info": {"title": "PLT 2025"}, "updateMask": "title"}}]}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form_id, body=rename).execute()
    assert caught.value.resp.status == 500
    assert forms.forms().get(formId=form_id).execute()["info"]["title"] == "PLT 2025"


def test_faulty_rules_are_refused(admin):
    for rule in ({"kinds": [418], "rate": 0.5}, {"kinds": [500]}, {"kinds": [500], "rate": 2},
                 {"kinds": [500], "count": -1}, {"kinds": [500], "rate": 1, "method": ["x"]}):
        status, body, _ = admin("POST", "/_emulator/faults", rule)
        assert status == 400, rule
    assert admin("GET", "/_emulator/faults")[1] == {"rules": []}


def test_default_forms_list_quota_refuses_the_181st_call_in_a_minute(forms, admin):
    form_id = _form(forms)
    admin("POST", "/_emulator/quotas", {"enabled": True})
    for _ in range(180):
        forms.forms().responses().list(formId=form_id).execute()
    with pytest.raises(HttpError) as caught:
        forms.forms().responses().list(formId=form_id).execute()
    assert caught.value.resp.status == 429
    assert 50 <= int(caught.value.resp["retry-after"]) <= 60
    assert "Expensive read requests" in str(caught.value)
    assert forms.forms().get(formId=form_id).execute()["formId"] == form_id  # other buckets unaffected


def test_time_scale_makes_a_quota_minute_pass_in_a_second(forms, admin):
    form_id = _form(forms)
    config = admin("POST", "/_emulator/quotas", {"enabled": True, "time_scale": 60,
                                                 "limits": {"forms.read": 5}})[1]
    assert config["window_seconds"] == 1 and config["limits"]["forms.read"] == 5
    assert _outcomes(forms, form_id, 6) == [200] * 5 + [429]
    time.sleep(1.05)
    assert _outcomes(forms, form_id, 1) == [200]
    assert admin("GET", "/_emulator/stats")[1]["rate_limited"] == 1


def _route(api: str, method_id: str, units: int = 1, write: bool = False) -> Route:
    return Route(api, method_id, "POST", "/", lambda call: {}, write, units)


def test_sliding_window_frees_units_as_the_oldest_calls_age():
    now = [0.0]
    quotas = Quotas(clock=lambda: now[0])
    quotas.configure(enabled=True)
    send = _route("gmail", "gmail.users.messages.send", units=100)
    for tenth in range(150):  # 150 sends of 100 units in 15 seconds: the 15,000 units
        now[0] = tenth / 10
        quotas.charge(send, None)
    with pytest.raises(ApiError) as refused:
        quotas.charge(send, None)
    assert refused.value.code == 429 and refused.value.headers["Retry-After"] == "46"  # 60 - 14.9
    now[0] = 60.0  # the first send is a minute old: room for exactly one more
    quotas.charge(send, None)
    with pytest.raises(ApiError):
        quotas.charge(send, None)


def test_quotas_stay_off_until_enabled():
    quotas = Quotas(clock=lambda: 0.0)
    write = _route("sheets", "sheets.spreadsheets.values.batchUpdate", write=True)
    for _ in range(500):
        quotas.charge(write, None)
    quotas.configure(enabled=True)
    for _ in range(60):
        quotas.charge(write, None)
    with pytest.raises(ApiError) as refused:
        quotas.charge(write, None)
    assert "Write requests" in refused.value.message

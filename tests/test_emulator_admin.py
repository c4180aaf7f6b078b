"""The emulator's admin API over plain HTTP, and the standalone `serve` entry."""
import json
import threading
import time
import urllib.request

from emulator.core import Emulator
from emulator.serve import serve
from emulator.store import Store
from sync.google.workspace import connect


def test_stats_count_google_calls_per_method_and_never_admin_calls(endpoint, admin):
    forms = connect(None, endpoint).forms
    form_id = forms.forms().create(body={"info": {"title": "PLT"}}).execute()["formId"]
    forms.forms().get(formId=form_id).execute()
    forms.forms().get(formId=form_id).execute()
    admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {}})
    stats = admin("GET", "/_emulator/stats")[1]
    assert stats["by_method"] == {"forms.forms.create": 1, "forms.forms.get": 2}
    assert stats["total"] == 3 and stats["writes_by_api"] == {"forms": 1}
    assert admin("DELETE", "/_emulator/stats")[0] == 200
    assert admin("GET", "/_emulator/stats")[1]["total"] == 0


def test_latency_can_be_changed_while_running(endpoint, admin):
    forms = connect(None, endpoint).forms
    form_id = forms.forms().create(body={"info": {"title": "PLT"}}).execute()["formId"]
    assert admin("POST", "/_emulator/latency", {"latency_ms": 200})[:2] == (200, {"latency_ms": 200})
    started = time.monotonic()
    forms.forms().get(formId=form_id).execute()
    assert time.monotonic() - started >= 0.2
    admin("POST", "/_emulator/latency", {"latency_ms": 0})
    started = time.monotonic()
    forms.forms().get(formId=form_id).execute()
    assert time.monotonic() - started < 0.2
    assert admin("POST", "/_emulator/latency", {"latency_ms": -5})[0] == 400


def test_fault_rules_are_listed_with_their_counts_and_cleared(admin):
    status, body, _ = admin("POST", "/_emulator/faults", {"kinds": ["reset", 503], "count": 3, "after": 1,
                                                          "methods": ["drive.files.create"]})
    assert status == 200
    assert body["rules"] == [{"kinds": ["reset", "503"], "rate": None, "seed": None, "count": 3, "after": 1,
                              "methods": ["drive.files.create"], "paths": [], "matched": 0, "injected": 0}]
    assert admin("DELETE", "/_emulator/faults")[1] == {"rules": []}


def test_quota_settings_are_answered_and_checked(admin):
    status, body, _ = admin("POST", "/_emulator/quotas", {"enabled": True, "time_scale": 60})
    assert status == 200
    assert body["enabled"] is True and body["window"] == "sliding" and body["window_seconds"] == 1
    assert body["limits"]["sheets.read"] == 60 and body["limits"]["gmail.units"] == 15000
    assert admin("POST", "/_emulator/quotas", {"time_scale": 0})[0] == 400
    assert admin("POST", "/_emulator/quotas", {"limits": {"sheets.everything": 1}})[0] == 400
    assert admin("POST", "/_emulator/quotas", {"enabled": False})[1]["enabled"] is False


def test_reset_forgets_forms_counts_and_fault_rules(endpoint, admin):
    forms = connect(None, endpoint).forms
    form_id = forms.forms().create(body={"info": {"title": "PLT"}}).execute()["formId"]
    admin("POST", "/_emulator/faults", {"kinds": [500], "rate": 0.5})
    assert admin("POST", "/_emulator/reset")[0] == 200
    assert admin("GET", "/_emulator/stats")[1]["total"] == 0
    assert admin("GET", "/_emulator/faults")[1]["rules"] == []
    status, body, _ = admin("POST", f"/_emulator/forms/{form_id}/responses", {"answers": {}})
    assert status == 404


def test_admin_refuses_responses_for_unknown_forms(admin):
    status, body, _ = admin("POST", "/_emulator/forms/nope/responses", {"answers": {"Name": "x"}})
    assert status == 404 and body["error"]["code"] == 404


def _serving(**options):
    """Runs `serve` on a free port in a thread; (the printed lines, the endpoint, a stop function)."""
    printed, stop = [], threading.Event()
    runner = threading.Thread(target=serve, kwargs={"port": 0, "out": printed.append, "stop": stop, **options})
    runner.start()
    for _ in range(100):
        if printed:
            break
        time.sleep(0.05)

    def stopped() -> bool:
        stop.set()
        runner.join(timeout=10)
        return not runner.is_alive()
    lines = printed[0].splitlines()
    return lines, lines[0].split()[3], stopped


def test_serve_prints_the_endpoint_and_keeps_data_in_its_file(tmp_path):
    data = str(tmp_path / "emulator.sqlite")
    lines, url, stopped = _serving(data=data)
    assert url.startswith("http://127.0.0.1:") and "PLT_GOOGLE_ENDPOINT=" + url in lines[1]
    form_id = connect(None, url).forms.forms().create(body={"info": {"title": "Kept"}}).execute()["formId"]
    assert stopped()
    reopened = Emulator(Store(data))
    assert reopened.store.get("form", form_id)["info"]["title"] == "Kept"


def test_serve_prints_its_view_scopes_and_every_admin_route():
    lines, url, stopped = _serving(scopes="drive.file,spreadsheets")
    assert stopped()
    assert f"  the view of its data: {url}/" in lines
    assert lines[3].startswith("  OAuth scopes granted: drive.file, spreadsheets;")
    routes = lines[lines.index("Admin routes (not Google's):") + 1:-1]
    assert "  POST   /_emulator/forms/{form_id}/responses" in routes
    assert "  POST   /_emulator/drive/files/{file_id}/open" in routes
    assert len(routes) == len([r for r in Emulator().routes if r.api == "admin"]) - 1   # all but the view
    assert lines[-1] == "Ctrl-C stops it."


def test_serve_with_a_fault_rate_injects_every_kind_of_failure_repeatably():
    _lines, url, stopped = _serving(fault_rate=0.25, seed=3)
    with urllib.request.urlopen(url + "/_emulator/faults") as response:
        rules = json.loads(response.read())["rules"]
    assert stopped()
    assert rules[0]["rate"] == 0.25 and rules[0]["seed"] == 3
    assert rules[0]["kinds"] == ["429", "500", "503", "reset", "commit_then_fail"]

"""The emulator's shared pipeline: routing, error bodies, statistics, transactions."""
import json
import urllib.request

import pytest

from emulator.core import ApiError, Emulator, Route, apply_fields
from emulator.store import Store


def _get(url):
    try:
        with urllib.request.urlopen(url) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_unknown_path_answers_google_shaped_404(endpoint):
    status, body = _get(endpoint + "/v9/nothing/here")
    assert status == 404
    assert body["error"]["code"] == 404
    assert body["error"]["status"] == "NOT_FOUND"


def test_admin_stats_start_at_zero(endpoint):
    status, body = _get(endpoint + "/_emulator/stats")
    assert status == 200
    assert body["total"] == 0


def test_failed_transaction_leaves_state_unchanged(tmp_path):
    store = Store(str(tmp_path / "s.sqlite"))
    with store.transaction():
        store.put("file", "a", {"name": "kept"})
    with pytest.raises(ApiError):
        with store.transaction():
            store.get("file", "a")["name"] = "changed"
            store.touch("file", "a")
            store.put("file", "b", {"name": "new"})
            raise ApiError(500, "boom")
    assert store.get("file", "a") == {"name": "kept"}
    assert store.get("file", "b") is None
    reopened = Store(str(tmp_path / "s.sqlite"))
    assert [i for i, _ in reopened.all("file")] == ["a"]


def test_fields_mask_selects_nested_parts():
    payload = {"files": [{"id": "1", "name": "a", "x": 1}], "nextPageToken": "t", "kind": "k"}
    assert apply_fields(payload, "files(id,name),nextPageToken") == {
        "files": [{"id": "1", "name": "a"}], "nextPageToken": "t"}
    assert apply_fields({"sheets": [{"properties": {"a": 1}, "data": 2}]}, "sheets/properties") == {
        "sheets": [{"properties": {"a": 1}}]}


def test_emulators_built_on_many_threads_at_once_all_route():
    """The conformance harness builds several emulators side by side."""
    from concurrent.futures import ThreadPoolExecutor

    def build(_):
        emulator = Emulator()
        return emulator.match("GET", "/drive/v3/files")[0].method_id

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(build, range(32))) == {"drive.files.list"}


def test_a_route_added_to_one_emulator_is_not_served_by_another():
    """Emulators share the compiled table of built-in routes; adding a route copies it first."""
    one, other = Emulator(), Emulator()
    extra = Route("admin", "admin.extra", "GET", "/__extra", lambda call: {"ok": True}, False)
    one.add_route(extra)
    assert one.match("GET", "/__extra")[0] is extra
    with pytest.raises(ApiError) as caught:
        other.match("GET", "/__extra")
    assert caught.value.code == 404
    assert len(one.routes) == len(other.routes) + 1 == len(Emulator().routes) + 1

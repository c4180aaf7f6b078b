"""Sharing team folders against the emulator through the real Drive client: members come
and go, hand-given access stays, outsiders are never shared with, and Google's bad
moments (429, 5xx) cost retries, not teams."""
from __future__ import annotations


import pytest

from drive.batch import apply_changes, backoff_delay, plan_rounds
from drive.model import (AddPermission, CopyTemplate, CreateFolder, Folder, Grant, RecordGrants,
                         RemovePermission)
from drive.sharing import sharing_changes
from sync.google.errors import classify

from drive_env import DriveEnv

DOMAINS = ("belmont.example.org",)


class SharingEnv(DriveEnv):
    def __init__(self, endpoint: str):
        super().__init__(endpoint, "Belmont PLTs")

    def sync_team(self, team_id: str, members: dict[str, str], *, notify: bool = False, retries: int = 4):
        """What one run does for a team: read, plan, apply (creating the folder if needed)."""
        folder = self.folders().get(team_id) or Folder(None, f"PLT {team_id}", team_id, "")
        changes, blocked = sharing_changes(folder, [Grant(e, r) for e, r in members.items()],
                                           allowed_domains=DOMAINS, notify=notify)
        if folder.folder_id is None:
            changes.insert(0, CreateFolder(team_id, folder.name, self.parent))
        results, _calls = apply_changes(self.drive, changes, classify=classify, retries=retries,
                                        sleep=self.sleeps.append)
        return results, blocked

    def shared(self, team_id: str) -> dict[str, str]:
        folder = self.folders()[team_id]
        return {p.email: p.role for p in folder.permissions if p.role != "owner"}


@pytest.fixture
def env(endpoint) -> SharingEnv:
    return SharingEnv(endpoint)


ANA, BEN, CARA = "ana.ruiz@belmont.example.org", "ben.okafor@belmont.example.org", "cara.lee@belmont.example.org"


def test_members_are_added_removed_and_their_roles_changed(env):
    results, _ = env.sync_team("T1", {ANA: "writer", BEN: "writer"})
    assert all(r.ok for r in results)
    assert env.shared("T1") == {ANA: "writer", BEN: "writer"}
    assert env.folders()["T1"].granted == {ANA, BEN}

    results, _ = env.sync_team("T1", {ANA: "reader", CARA: "writer"})

    assert all(r.ok for r in results)
    assert env.shared("T1") == {ANA: "reader", CARA: "writer"}
    assert env.folders()["T1"].granted == {ANA, CARA}


def test_access_a_coordinator_gave_by_hand_survives_when_members_leave(env):
    env.sync_team("T1", {ANA: "writer"})
    folder_id = env.folders()["T1"].folder_id
    principal = "principal@belmont.example.org"
    env.drive.permissions().create(fileId=folder_id, body={"type": "user", "role": "reader", "emailAddress": principal},
                                   sendNotificationEmail=False).execute()

    results, _ = env.sync_team("T1", {})

    assert [type(r.change) for r in results] == [RemovePermission, RecordGrants] and all(r.ok for r in results)
    assert env.shared("T1") == {principal: "reader"}
    assert env.folders()["T1"].granted == frozenset()


def test_outsiders_are_never_shared_with_and_no_link_or_domain_sharing_is_ever_asked(env):
    _, blocked = env.sync_team("T1", {ANA: "writer", "ana.personal@gmail.com": "writer"})
    env.sync_team("T1", {ANA: "reader", BEN: "commenter", "cousin@another-district.example.org": "reader"})

    assert env.shared("T1") == {ANA: "reader", BEN: "commenter"}
    assert blocked == ["ana.personal@gmail.com"]
    requested = env.http.permission_bodies()
    assert [body["emailAddress"] for body in requested] == [ANA, BEN]
    assert {body["type"] for body in requested} == {"user"}


def test_notification_emails_follow_the_setting(env):
    env.sync_team("T1", {ANA: "writer"}, notify=True)
    env.sync_team("T2", {BEN: "writer"}, notify=False)
    sent = env.admin("GET", "/_emulator/drive/notifications")["notifications"]
    assert [note["to"] for note in sent] == [ANA]


def test_rate_limited_sharing_is_retried_and_lands(env):
    env.fault(kinds=["429"], methods=["drive.permissions.create"], count=2)
    results, _ = env.sync_team("T1", {ANA: "writer", BEN: "writer"})
    assert all(r.ok for r in results)
    assert env.shared("T1") == {ANA: "writer", BEN: "writer"}
    assert len(env.sleeps) == 1 and 1.0 <= env.sleeps[0] <= 32.0  # both 429s were in one batch
    stats = env.admin("GET", "/_emulator/stats")
    assert stats["by_method"]["drive.permissions.create"] == 4
    assert stats["errors"] == {"drive.permissions.create:429": 2}


def test_a_team_whose_sharing_keeps_failing_does_not_stop_the_others(env):
    env.sync_team("T1", {})
    env.sync_team("T2", {})
    folders = env.folders()
    env.fault(kinds=["503"], methods=["drive.permissions.create"], count=50,
              paths=[f"/drive/v3/files/{folders['T1'].folder_id}/permissions"])
    changes = []
    for team_id, email in (("T1", ANA), ("T2", BEN)):
        planned, _ = sharing_changes(folders[team_id], [Grant(email, "writer")], allowed_domains=DOMAINS,
                                     notify=False)
        changes += planned

    results, _ = apply_changes(env.drive, changes, classify=classify, retries=2, sleep=env.sleeps.append)

    failed = [r for r in results if not r.ok]
    assert [(r.change.team_id, type(r.change)) for r in failed] == [("T1", AddPermission)]
    assert failed[0].transient and "503" in failed[0].error and "gave up after 3 tries" in failed[0].error
    assert env.shared("T2") == {BEN: "writer"} and env.shared("T1") == {}
    assert len(env.sleeps) == 2


def test_an_address_drive_refuses_fails_at_once_without_retrying(env):
    results, _ = env.sync_team("T1", {"ana@belmont.example.org": "writer"})
    folder = env.folders()["T1"]
    bad = AddPermission("T1", folder.folder_id, "nobody@belmont", "writer", False)
    results, _ = apply_changes(env.drive, [bad], classify=classify, sleep=env.sleeps.append)
    assert not results[0].ok and not results[0].transient and "400" in results[0].error
    assert env.sleeps == []


def test_a_removal_that_fails_stays_recorded_so_the_next_run_retries_it(env):
    env.sync_team("T1", {ANA: "writer", BEN: "writer"})
    env.fault(kinds=["500"], methods=["drive.permissions.delete"], count=5)
    results, _ = env.sync_team("T1", {ANA: "writer"}, retries=1)
    assert [r.ok for r in results] == [False, True]
    assert env.folders()["T1"].granted == {ANA, BEN}
    env.admin("DELETE", "/_emulator/faults")

    results, _ = env.sync_team("T1", {ANA: "writer"})

    assert all(r.ok for r in results)
    assert env.shared("T1") == {ANA: "writer"} and env.folders()["T1"].granted == {ANA}


def test_no_one_is_shared_with_when_the_record_cannot_be_written(env):
    env.sync_team("T1", {})
    env.sync_team("T2", {})
    t1 = env.folders()["T1"].folder_id
    env.fault(kinds=["500"], methods=["drive.files.update"], count=50, paths=[f"/drive/v3/files/{t1}"])
    results_1, _ = env.sync_team("T1", {ANA: "writer"}, retries=1)
    results_2, _ = env.sync_team("T2", {ANA: "writer"}, retries=1)
    assert [r.ok for r in results_1] == [False, False]
    assert "not done because an earlier change for this team failed" in results_1[1].error
    assert all(r.ok for r in results_2)
    assert env.shared("T1") == {} and env.shared("T2") == {ANA: "writer"}


def test_a_new_team_is_created_recorded_and_shared_in_one_pass(env):
    results, _ = env.sync_team("T1", {ANA: "writer", BEN: "reader"}, notify=True)
    folder_id = results[0].value["id"]
    assert all(r.ok for r in results)
    assert {r.change.folder_id for r in results[1:]} == {folder_id}
    assert env.shared("T1") == {ANA: "writer", BEN: "reader"} and env.folders()["T1"].granted == {ANA, BEN}


def test_team_of_twelve_is_recorded_in_full_and_shrinks_cleanly(env):
    team = {f"teacher.{n:02d}.lastname@belmont.example.org": "writer" for n in range(12)}
    env.sync_team("T1", team)
    assert env.folders()["T1"].granted == set(team)
    keep = dict(list(team.items())[:2])

    env.sync_team("T1", keep)

    folder = env.folders()["T1"]
    assert folder.granted == set(keep) and set(env.shared("T1")) == set(keep)
    properties = env.drive.files().get(fileId=folder.folder_id, fields="appProperties").execute()["appProperties"]
    assert sorted(properties) == ["plt_granted_0", "plt_team", "plt_team_id"]


def test_template_copied_once_even_when_the_answer_is_lost(env):
    template = env.drive.files().create(body={"name": "PLT Charter template", "parents": [env.parent]},
                                        fields="id").execute()["id"]
    env.sync_team("T1", {})
    folder_id = env.folders()["T1"].folder_id
    env.fault(kinds=["commit_then_fail"], methods=["drive.files.copy"], count=1)

    results, _ = apply_changes(env.drive, [CopyTemplate("T1", folder_id, template)], classify=classify,
                               sleep=env.sleeps.append)

    inside = env.drive.files().list(q=f"'{folder_id}' in parents", fields="files(id,name)").execute()["files"]
    assert results[0].ok and [f["id"] for f in inside] == [results[0].value["id"]]


def test_changes_for_a_team_without_a_folder_are_refused_plainly(env):
    results, _ = apply_changes(env.drive, [AddPermission("T1", None, ANA, "writer", False)], classify=classify,
                               sleep=env.sleeps.append)
    assert not results[0].ok and results[0].error == "the team has no folder yet"


def test_rounds_keep_each_team_in_order_and_teams_side_by_side():
    changes = [CreateFolder("A", "A", "p"), RecordGrants("A", None, frozenset({ANA})),
               AddPermission("A", None, ANA, "writer", False), RecordGrants("B", "fb", frozenset({BEN})),
               AddPermission("B", "fb", BEN, "writer", False), AddPermission("B", "fb", CARA, "writer", False),
               RemovePermission("B", "fb", "p9", "old@belmont.example.org"), RecordGrants("B", "fb", frozenset())]
    assert plan_rounds(changes) == [[0, 3], [1, 4, 5, 6], [2, 7]]


def test_backoff_doubles_is_capped_and_honours_retry_after():
    assert [backoff_delay(n, jitter=lambda: 0.5) for n in (1, 2, 3, 7)] == [1.5, 2.5, 4.5, 32.0]
    assert backoff_delay(1, retry_after=10, jitter=lambda: 0.0) == 10
    assert backoff_delay(1, retry_after=600, jitter=lambda: 0.0) == 32.0

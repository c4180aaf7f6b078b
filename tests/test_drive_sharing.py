"""The sharing rules for team folders, as a pure function: every branch of the decision."""
from __future__ import annotations

import pytest

from drive.model import (AddPermission, Folder, Grant, Permission, RecordGrants, RemovePermission,
                         UpdatePermission)
from drive.sharing import email_domain, sharing_changes, withdrawn_changes

DOMAINS = ("belmont.example.org",)
OWNER = Permission("p-owner", "plt.coordinator@belmont.example.org", "owner", "user")


def folder(*permissions: Permission, granted: tuple[str, ...] = ()) -> Folder:
    return Folder("f1", "Grade 3 Literacy PLT", "T1", "https://drive.google.com/drive/folders/f1",
                  (OWNER, *permissions), frozenset(granted))


def person(email: str, role: str = "writer", pid: str | None = None) -> Permission:
    return Permission(pid or f"p-{email.split('@')[0]}", email, role, "user")


def plan(current: Folder, *grants: Grant, notify: bool = False, domains=DOMAINS):
    return sharing_changes(current, list(grants), allowed_domains=domains, notify=notify)


def test_new_member_is_recorded_then_added_with_the_notification_choice():
    changes, blocked = plan(folder(), Grant("Ana.Ruiz@Belmont.example.org", "writer"), notify=True)
    assert changes == [RecordGrants("T1", "f1", frozenset({"ana.ruiz@belmont.example.org"})),
                       AddPermission("T1", "f1", "ana.ruiz@belmont.example.org", "writer", True)]
    assert blocked == []


def test_folder_already_matching_needs_no_change():
    current = folder(person("ana@belmont.example.org"), granted=("ana@belmont.example.org",))
    assert plan(current, Grant("ana@belmont.example.org", "writer")) == ([], [])


def test_member_outside_allowed_domains_is_blocked_not_shared():
    changes, blocked = plan(folder(), Grant("friend@gmail.com", "writer"), Grant("ana@belmont.example.org", "reader"))
    assert blocked == ["friend@gmail.com"]
    assert [c.email for c in changes if isinstance(c, AddPermission)] == ["ana@belmont.example.org"]


def test_allowed_domain_matching_ignores_case_and_a_leading_at_sign():
    changes, blocked = plan(folder(), Grant("ana@BELMONT.example.org", "reader"), domains=["@Belmont.Example.org"])
    assert blocked == [] and any(isinstance(c, AddPermission) for c in changes)


def test_no_allowed_domains_shares_with_nobody():
    changes, blocked = plan(folder(), Grant("ana@belmont.example.org", "writer"), domains=())
    assert changes == [] and blocked == ["ana@belmont.example.org"]


def test_address_without_a_domain_is_blocked():
    changes, blocked = plan(folder(), Grant("ana.ruiz", "writer"))
    assert changes == [] and blocked == ["ana.ruiz"]
    assert email_domain("@belmont.example.org") is None


def test_blank_address_is_ignored():
    assert plan(folder(), Grant("  ", "writer")) == ([], [])


def test_role_changed_on_access_plt_sync_granted_goes_up_or_down():
    current = folder(person("ana@belmont.example.org", "writer"), person("ben@belmont.example.org", "reader"),
                     granted=("ana@belmont.example.org", "ben@belmont.example.org"))
    changes, _ = plan(current, Grant("ana@belmont.example.org", "reader"), Grant("ben@belmont.example.org", "writer"))
    assert changes == [UpdatePermission("T1", "f1", "p-ana", "ana@belmont.example.org", "reader"),
                       UpdatePermission("T1", "f1", "p-ben", "ben@belmont.example.org", "writer")]


def test_hand_given_access_below_the_member_role_is_raised_but_not_claimed():
    current = folder(person("ana@belmont.example.org", "reader"))
    changes, _ = plan(current, Grant("ana@belmont.example.org", "writer"))
    assert changes == [UpdatePermission("T1", "f1", "p-ana", "ana@belmont.example.org", "writer")]


def test_hand_given_access_above_the_member_role_is_never_lowered():
    current = folder(person("ana@belmont.example.org", "writer"))
    assert plan(current, Grant("ana@belmont.example.org", "reader")) == ([], [])


def test_owner_listed_as_a_member_is_left_alone():
    assert plan(folder(), Grant(OWNER.email, "reader")) == ([], [])


def test_member_who_left_is_removed_and_the_record_settled_after():
    current = folder(person("ana@belmont.example.org"), person("ben@belmont.example.org"),
                     granted=("ana@belmont.example.org", "ben@belmont.example.org"))
    changes, _ = plan(current, Grant("ana@belmont.example.org", "writer"))
    assert changes == [RemovePermission("T1", "f1", "p-ben", "ben@belmont.example.org"),
                       RecordGrants("T1", "f1", frozenset({"ana@belmont.example.org"}))]


def test_hand_added_access_survives_when_nobody_wants_it():
    current = folder(person("principal@belmont.example.org"), person("ana@belmont.example.org"),
                     granted=("ana@belmont.example.org",))
    changes, _ = plan(current)
    assert changes == [RemovePermission("T1", "f1", "p-ana", "ana@belmont.example.org"),
                       RecordGrants("T1", "f1", frozenset())]


def test_link_and_domain_sharing_are_never_touched():
    anyone = Permission("p-any", None, "reader", "anyone")
    domain = Permission("p-dom", None, "reader", "domain")
    assert plan(folder(anyone, domain)) == ([], [])


def test_member_moved_out_of_allowed_domains_loses_access_plt_sync_gave():
    current = folder(person("ana@oldschool.example.org"), granted=("ana@oldschool.example.org",))
    changes, blocked = plan(current, Grant("ana@oldschool.example.org", "writer"))
    assert blocked == ["ana@oldschool.example.org"]
    assert changes[0] == RemovePermission("T1", "f1", "p-ana", "ana@oldschool.example.org")


def test_swap_records_newcomer_before_sharing_and_settles_after_removal():
    current = folder(person("ana@belmont.example.org"), granted=("ana@belmont.example.org",))
    changes, _ = plan(current, Grant("ben@belmont.example.org", "writer"))
    assert changes == [
        RecordGrants("T1", "f1", frozenset({"ana@belmont.example.org", "ben@belmont.example.org"})),
        AddPermission("T1", "f1", "ben@belmont.example.org", "writer", False),
        RemovePermission("T1", "f1", "p-ana", "ana@belmont.example.org"),
        RecordGrants("T1", "f1", frozenset({"ben@belmont.example.org"})),
    ]


def test_access_removed_by_hand_is_shared_again_for_a_current_member():
    current = folder(granted=("ana@belmont.example.org",))
    changes, _ = plan(current, Grant("ana@belmont.example.org", "writer"))
    assert changes == [AddPermission("T1", "f1", "ana@belmont.example.org", "writer", False)]


def test_stale_record_of_someone_no_longer_shared_is_cleaned_up():
    current = folder(granted=("gone@belmont.example.org",))
    assert plan(current) == ([RecordGrants("T1", "f1", frozenset())], [])


def test_person_listed_twice_gets_the_higher_role():
    changes, _ = plan(folder(), Grant("ana@belmont.example.org", "reader"), Grant("ANA@belmont.example.org", "writer"))
    assert [c.role for c in changes if isinstance(c, AddPermission)] == ["writer"]


def test_owner_or_unknown_roles_are_refused():
    with pytest.raises(ValueError, match="owner"):
        plan(folder(), Grant("ana@belmont.example.org", "owner"))


def test_group_permission_counts_as_that_group_having_access():
    group = Permission("p-grp", "grade3@belmont.example.org", "writer", "group")
    assert plan(folder(group), Grant("grade3@belmont.example.org", "writer")) == ([], [])


def test_new_folder_without_an_id_yet_gets_changes_for_the_folder_about_to_be_made():
    planned = Folder(None, "Grade 3 Literacy PLT", "T9", "")
    changes, _ = plan(planned, Grant("ana@belmont.example.org", "writer"))
    assert {change.folder_id for change in changes} == {None}
    assert {change.team_id for change in changes} == {"T9"}


def test_sharing_only_ever_names_people_in_allowed_domains_with_member_roles():
    current = folder(person("ana@belmont.example.org", "reader"), granted=("ana@belmont.example.org",))
    changes, _ = plan(current, Grant("ben@belmont.example.org", "commenter"), Grant("x@gmail.com", "writer"))
    shared = [c for c in changes if isinstance(c, (AddPermission, UpdatePermission))]
    assert {c.role for c in shared} == {"commenter"}
    assert shared and all(email_domain(c.email) == "belmont.example.org" for c in shared)


def withdrawn_folder() -> Folder:
    """PLT Sync gave Ana writer and Bo commenter access and Cy reader; a coordinator gave Di
    writer access by hand; the folder also has link sharing."""
    return folder(person("ana@belmont.example.org"), person("bo@belmont.example.org", "commenter"),
                  person("cy@belmont.example.org", "reader"), person("di@belmont.example.org"),
                  Permission("p-any", None, "reader", "anyone"),
                  granted=("ana@belmont.example.org", "bo@belmont.example.org", "cy@belmont.example.org",
                           OWNER.email))


def test_withdrawn_folder_kept_as_it_is():
    assert withdrawn_changes(withdrawn_folder(), "keep") == []


def test_withdrawn_folder_made_read_only_for_those_plt_sync_gave_more():
    assert withdrawn_changes(withdrawn_folder(), "reader") == [
        UpdatePermission("T1", "f1", "p-ana", "ana@belmont.example.org", "reader"),
        UpdatePermission("T1", "f1", "p-bo", "bo@belmont.example.org", "reader")]


def test_withdrawn_folder_loses_only_what_plt_sync_granted_and_records_it():
    changes = withdrawn_changes(withdrawn_folder(), "remove")
    assert changes == [RemovePermission("T1", "f1", "p-ana", "ana@belmont.example.org"),
                       RemovePermission("T1", "f1", "p-bo", "bo@belmont.example.org"),
                       RemovePermission("T1", "f1", "p-cy", "cy@belmont.example.org"),
                       RecordGrants("T1", "f1", frozenset())]


def test_withdrawn_folder_once_changed_needs_nothing_more():
    narrowed = folder(person("ana@belmont.example.org", "reader"), granted=("ana@belmont.example.org",))
    assert withdrawn_changes(narrowed, "reader") == []
    assert withdrawn_changes(folder(person("di@belmont.example.org")), "remove") == []


def test_unknown_withdrawn_access_is_refused():
    with pytest.raises(ValueError, match="keep, reader, remove"):
        withdrawn_changes(withdrawn_folder(), "revoke")

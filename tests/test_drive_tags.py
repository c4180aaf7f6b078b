"""Recording who PLT Sync shared a folder with, inside Google's appProperties limits."""
from __future__ import annotations

import pytest

from drive.tags import (GRANTED_SLOTS, PROPERTY_BYTES, GrantsTooLarge, folder_tags, granted_from_properties,
                        granted_properties)


def team_of(size: int) -> set[str]:
    return {f"teacher.number{n:02d}.lastname@belmont-elementary.example.org" for n in range(size)}


def stored(properties: dict[str, str | None]) -> dict[str, str]:
    """What Drive keeps after a write: null values delete the key."""
    return {key: value for key, value in properties.items() if value is not None}


def test_team_of_twelve_round_trips_within_the_per_property_limit():
    members = team_of(12)
    properties = granted_properties(members)
    for key, value in stored(properties).items():
        assert len(key.encode()) + len(value.encode()) <= PROPERTY_BYTES
    assert len(stored(properties)) > 1
    assert granted_from_properties(stored(properties)) == members


def test_every_slot_is_written_so_a_shrinking_team_leaves_no_stale_piece():
    small = granted_properties(team_of(1))
    assert len(small) == GRANTED_SLOTS
    assert sum(value is not None for value in small.values()) == 1


def test_emails_are_recorded_lower_cased_and_once():
    properties = granted_properties(["Ana@Belmont.example.org", "ana@belmont.example.org "])
    assert granted_from_properties(stored(properties)) == {"ana@belmont.example.org"}


def test_non_ascii_addresses_are_never_cut_inside_a_character():
    members = {f"profesor.{n}.muñoz-ibáñez@escuela.example.org" for n in range(10)}
    properties = stored(granted_properties(members))
    assert all(len(k.encode()) + len(v.encode()) <= PROPERTY_BYTES for k, v in properties.items())
    assert granted_from_properties(properties) == members


def test_empty_set_clears_every_slot():
    assert set(granted_properties([]).values()) == {None}
    assert granted_from_properties({}) == frozenset()


def test_more_people_than_a_folder_can_record_is_refused_plainly():
    with pytest.raises(GrantsTooLarge, match="longer than a folder can record"):
        granted_properties(team_of(200))


def test_folder_tags_name_the_team():
    assert folder_tags("T7") == {"plt_team": "1", "plt_team_id": "T7"}

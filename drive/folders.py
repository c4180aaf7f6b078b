"""Reading the team folders under the programme's parent folder.

One paged `files.list` finds every team folder with its tags and sharing, so a run costs
one call per 1,000 teams however many teams there are. Folders are recognised by the
appProperties PLT Sync wrote when it made them (see drive/tags.py), not by their name,
which coordinators may change.
"""
from __future__ import annotations

from .model import FOLDER_MIME, Folder, Permission, folder_link
from .query import has_app_property, in_parent, list_files, quoted
from .tags import (TEAM_ID_KEY, TEAM_MARKER_KEY, TEAM_MARKER_VALUE, granted_from_properties)

FOLDER_FIELDS = "id,name,createdTime,webViewLink,appProperties,permissions(id,emailAddress,role,type)"


def list_team_folders(drive, parent_id: str) -> tuple[dict[str, Folder], int]:
    """Every team folder under `parent_id` by Team ID, and the number of calls made.

    Should a team have two folders (made by hand, or by an older tool), the oldest is the
    team's and the others are named in its `duplicate_ids`; none is deleted."""
    return lookup_team_folders(drive, parent_id)


def list_team_folders_and_files(drive, parent_id: str, clause: str) -> tuple[dict[str, Folder], list[dict], int]:
    """Team folders (as `list_team_folders`) and, in the same paged call, the files matching
    `clause` (an extra query part such as `evidence.evidence_clause`), with their parents."""
    if not clause:
        folders, calls = lookup_team_folders(drive, parent_id)
        return folders, [], calls
    tag = has_app_property(TEAM_MARKER_KEY, TEAM_MARKER_VALUE)
    folder_q = f"({in_parent(parent_id)} and mimeType={quoted(FOLDER_MIME)} and trashed=false and {tag})"
    files, calls = list_files(drive, f"{folder_q} or {clause}", FOLDER_FIELDS + ",mimeType,parents")
    tagged = [f for f in files if f.get("mimeType") == FOLDER_MIME and parent_id in f.get("parents", [])]
    others = [f for f in files if f.get("mimeType") != FOLDER_MIME]
    return folders_by_team(tagged), others, calls


def find_folder(drive, parent_id: str, team_id: str) -> Folder | None:
    """The folder of one team, looked up by its tag just before creating one, so a folder
    made by a run that crashed (or whose answer was lost) is reused, not made twice."""
    folders, _calls = lookup_team_folders(drive, parent_id, team_id)
    return folders.get(team_id)


def lookup_team_folders(drive, parent_id: str, team_id: str | None = None) -> tuple[dict[str, Folder], int]:
    """Team folders under `parent_id` (only `team_id`'s when given), and the calls made."""
    tag = has_app_property(TEAM_ID_KEY, team_id) if team_id else has_app_property(TEAM_MARKER_KEY, TEAM_MARKER_VALUE)
    q = f"{in_parent(parent_id)} and mimeType={quoted(FOLDER_MIME)} and trashed=false and {tag}"
    files, calls = list_files(drive, q, FOLDER_FIELDS)
    return folders_by_team(files), calls


def folders_by_team(files: list[dict]) -> dict[str, Folder]:
    """One Folder per team: the oldest of its tagged folders, the rest as duplicates."""
    by_team: dict[str, list[dict]] = {}
    for file in sorted(files, key=lambda f: (f.get("createdTime", ""), f["id"])):
        team_id = (file.get("appProperties") or {}).get(TEAM_ID_KEY)
        if team_id:
            by_team.setdefault(team_id, []).append(file)
    return {team_id: folder_from_file(team_id, found[0], tuple(f["id"] for f in found[1:]))
            for team_id, found in by_team.items()}


def folder_from_file(team_id: str, file: dict, duplicate_ids: tuple[str, ...] = ()) -> Folder:
    permissions = tuple(Permission(p["id"], (p.get("emailAddress") or "").lower() or None, p["role"], p["type"])
                        for p in file.get("permissions", []))
    return Folder(file["id"], file.get("name", ""), team_id, file.get("webViewLink") or folder_link(file["id"]),
                  permissions, granted_from_properties(file.get("appProperties")), duplicate_ids)

"""Finding team charters in team folders against the emulator, in a bounded number of calls."""
from __future__ import annotations

import urllib.parse

import pytest

from drive.batch import apply_changes
from drive.evidence import chunked_queries, find_evidence, folder_link, name_prefix
from drive.model import FOLDER_MIME, CreateFolder
from sync.google.errors import classify

from drive_env import recording_drive


@pytest.fixture
def drive_and_http(endpoint):
    return recording_drive(endpoint)


def team_folders(drive, count: int) -> list[str]:
    parent = drive.files().create(body={"name": "PLTs", "mimeType": FOLDER_MIME}, fields="id").execute()["id"]
    creates = [CreateFolder(f"T{n}", f"PLT {n}", parent) for n in range(count)]
    results, _ = apply_changes(drive, creates, classify=classify)
    return [result.value["id"] for result in results]


def put_files(drive, files: list[tuple[str, str, str]]) -> dict[str, str]:
    """Creates (folder id, name, mime type) files in one batch; {name: id}."""
    made: dict[str, str] = {}
    batch = drive.new_batch_http_request()
    for folder_id, name, mime in files:
        batch.add(drive.files().create(body={"name": name, "parents": [folder_id], "mimeType": mime}, fields="id,name"),
                  callback=lambda _rid, answer, error: made.__setitem__(answer["name"], answer["id"]))
    batch.execute()
    return made


DOC = "application/vnd.google-apps.document"


def test_charters_in_120_folders_are_found_in_a_handful_of_plain_gets(drive_and_http):
    drive, http = drive_and_http
    folders = team_folders(drive, 120)
    made = put_files(drive, [
        (folders[0], "Team Charter 2025-26", DOC),
        (folders[7], "PLT charter - final.pdf", "application/pdf"),
        (folders[64], "BelmontCharter.docx", "application/octet-stream"),  # mid-word
        (folders[64], "Agenda week 1", DOC),
        (folders[119], "CHARTER", DOC),
        (folders[3], "Charter", FOLDER_MIME),           # a folder is not evidence
        (folders[4], "Team charter (old)", DOC),         # trashed below
        (folders[5], "Meeting notes", DOC),
    ])
    drive.files().update(fileId=made["Team charter (old)"], body={"trashed": True}).execute()
    http.sent.clear()

    found, calls = find_evidence(drive, folders, "*charter*")

    assert found == {
        folders[0]: ("Team Charter 2025-26", f"https://docs.google.com/document/d/{made['Team Charter 2025-26']}/edit"),
        folders[7]: ("PLT charter - final.pdf", found[folders[7]][1]),
        folders[64]: ("BelmontCharter.docx", found[folders[64]][1]),
        folders[119]: ("CHARTER", found[folders[119]][1]),
    }
    assert made["PLT charter - final.pdf"] in found[folders[7]][1]
    assert calls == len(http.sent) <= 6
    assert all(method == "GET" and len(uri) < 2048 for method, uri in http.sent)


def test_pattern_with_a_fixed_start_narrows_the_search_by_name(drive_and_http):
    drive, http = drive_and_http
    folders = team_folders(drive, 2)
    put_files(drive, [(folders[0], "Charter - Grade 3", DOC), (folders[1], "Old charter", DOC)])
    http.sent.clear()

    found, calls = find_evidence(drive, folders, "Charter*")

    assert list(found) == [folders[0]] and calls == 1
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(http.sent[0][1]).query)["q"][0]
    assert "name contains 'Charter'" in query


def test_a_folder_with_several_matches_reports_the_first_by_name(drive_and_http):
    drive, _ = drive_and_http
    folders = team_folders(drive, 1)
    put_files(drive, [(folders[0], "charter v2", DOC), (folders[0], "Charter v1", DOC)])
    found, _ = find_evidence(drive, folders, "*charter*")
    assert found[folders[0]][0] == "Charter v1"


def test_no_folders_means_no_calls(drive_and_http):
    drive, http = drive_and_http
    assert find_evidence(drive, [], "*charter*") == ({}, 0)
    assert http.sent == []


def test_queries_cover_every_folder_once_at_most_fifty_at_a_time():
    short_ids = [f"f{n}" for n in range(120)]
    chunks = [chunk for chunk, _q in chunked_queries(short_ids, "")]
    assert [len(chunk) for chunk in chunks] == [50, 50, 20]
    long_ids = [f"{n:03d}" + "x" * 41 for n in range(120)]
    chunks = list(chunked_queries(long_ids, "Charter"))
    assert sum((chunk for chunk, _q in chunks), []) == long_ids
    assert all(len(urllib.parse.quote_plus(q)) <= 1500 for _chunk, q in chunks) and len(chunks) <= 6


def test_fixed_start_of_a_pattern():
    assert name_prefix("*charter*") == ""
    assert name_prefix("Team charter*") == "Team charter"
    assert name_prefix("charter.docx") == "charter.docx"
    assert name_prefix("[Cc]harter*") == ""


def test_folder_link_is_the_drive_address_of_the_folder():
    assert folder_link("abc123") == "https://drive.google.com/drive/folders/abc123"

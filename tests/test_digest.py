"""The weekly digest on Belmont's programme: the coordinator gets every school, each site
leader (from the config or the Staff tab) their own; once a week per person across
re-runs and crashes, never in quiet hours, listed by a dry run; the charts travel as
inline images with a text alternative, and an empty week says so in one line."""
from __future__ import annotations

import base64
import email
import re
from email import policy

import pytest
import requests
import tomlkit

from programme import DOMAIN, Programme, at
from sheets import layout as L
from sync.commands.report import programme_tables
from sync.core.report_model import build_model
from sync.reporting.html import table_html
from sync.rules import model_rules

COORDINATOR = "pd-coordinator@belmont.example.org"
CHENERY_LEADER = f"principal.chenery@{DOMAIN}"
BUTLER_LEADER = f"principal.butler@{DOMAIN}"
# Monday 20 November 2017, the week after the charter fell due (Friday 17 November).
MONDAY = "2017-11-20"


def with_digest(text: str) -> str:
    document = tomlkit.parse(text)
    document["digest"] = {"day": "Monday", "time": "07:30",
                          "site_leaders": {"Chenery Middle School": [CHENERY_LEADER],
                                           "Butler Elementary School": [BUTLER_LEADER]}}
    return tomlkit.dumps(document)


@pytest.fixture
def programme(endpoint, tmp_path):
    p = Programme.create(endpoint, tmp_path, edit=with_digest, config="programmes/belmont.toml")
    p.submit("Ana", "Lopez", team="Close Reading 7", school="Chenery Middle School")
    p.submit("Ben", "Okafor", team="Algebra Ready", school="Belmont High School",
             members=f"Kim Ng <kim.ng@{DOMAIN}>")
    return p


def digests(programme) -> list[dict]:
    return [m for m in programme.mail() if "weekly digest" in m["subject"]]


def parsed(message: dict, endpoint: str):
    """The message as sent, read back through the Gmail API's raw form."""
    from sync.google.workspace import connect

    raw = connect(None, endpoint).gmail.users().messages().get(userId="me", id=message["id"], format="raw").execute()
    return email.message_from_bytes(base64.urlsafe_b64decode(raw["raw"]), policy=policy.default)


def test_the_coordinator_gets_every_school_and_each_leader_only_theirs_once_a_week(programme):
    programme.sync(at(f"{MONDAY} 08:00"))
    sent = {m["to"][0]: m for m in digests(programme)}
    assert set(sent) == {COORDINATOR, CHENERY_LEADER, BUTLER_LEADER}
    assert "All schools" in sent[COORDINATOR]["subject"] and "week of 2017-11-20" in sent[COORDINATOR]["subject"]
    chenery = sent[CHENERY_LEADER]["text"]
    assert "Close Reading 7" in chenery and "Chenery Middle School" in chenery
    assert "Belmont High School" not in chenery and "Algebra Ready" not in chenery
    assert "Belmont High School" in sent[COORDINATOR]["text"] and "Algebra Ready" in sent[COORDINATOR]["text"]
    # Butler has no team yet: one line says so.
    assert sent[BUTLER_LEADER]["text"].strip() == ("Nothing to report this week for Butler Elementary School: "
                                                   "no teams and nothing overdue.")

    for moment in (f"{MONDAY} 08:30", "2017-11-22 09:00", "2017-11-27 07:00"):
        programme.sync(at(moment))
    assert len(digests(programme)) == 3
    programme.sync(at("2017-11-27 07:30"))
    assert len(digests(programme)) == 6
    ledger = [r for r in programme.records(L.REMINDERS) if r["Milestone"] == "Weekly digest"]
    assert len(ledger) == 6 and {r["Status"] for r in ledger} == {"sent"}


def test_the_digest_carries_its_charts_inline_and_the_reports_numbers(programme, endpoint):
    programme.sync(at(f"{MONDAY} 08:00"))
    message = next(m for m in digests(programme) if m["to"] == [COORDINATOR])
    mail = parsed(message, endpoint)
    html_part = mail.get_body(("html",))
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    cids = {p["Content-ID"].strip("<>") for p in images}
    assert images and cids == set(re.findall(r'src="cid:([^"]+)"', html_part.get_content()))
    assert all(p.get_payload(decode=True).startswith(b"\x89PNG") for p in images)
    assert 'alt="' in html_part.get_content() and "Milestone completion by site" in mail.get_body(("plain",)).get_content()
    # The tables are the very ones `plt report` makes from the sheet the run left.
    settings = programme.settings()
    tables = programme_tables(settings, build_model(programme.book(), model_rules(settings)), None)
    html = html_part.get_content().replace("\r\n", "\n")
    for name, frame in tables.named().items():
        assert str(table_html(name, frame)) in html


def test_site_leaders_on_the_staff_tab_get_their_school(programme):
    staff = [["Name", "Email", "School", "Role"], ["Pat Hill", f"pat.hill@{DOMAIN}", "Belmont High School", "Site leader"],
             ["Lou Ray", f"lou.ray@{DOMAIN}", "Belmont High School", "Teacher"]]
    spreadsheet = programme.settings().roster.spreadsheet_id
    api = programme.workspace().sheets.spreadsheets()
    api.batchUpdate(spreadsheetId=spreadsheet, body={"requests": [{"addSheet": {"properties": {"title": L.STAFF}}}]}
                    ).execute()
    api.values().update(spreadsheetId=spreadsheet, range=f"{L.STAFF}!A1", valueInputOption="RAW",
                        body={"values": staff}).execute()
    programme.sync(at(f"{MONDAY} 08:00"))
    sent = {m["to"][0]: m for m in digests(programme)}
    assert f"lou.ray@{DOMAIN}" not in sent
    assert "Algebra Ready" in sent[f"pat.hill@{DOMAIN}"]["text"]
    assert "Close Reading 7" not in sent[f"pat.hill@{DOMAIN}"]["text"]


def test_no_digest_in_quiet_hours_and_a_dry_run_lists_them_and_sends_nothing(programme):
    # 06:30 on Tuesday: quiet hours (20:00-07:00) hold this week's digests back.
    programme.sync(at("2017-11-21 06:30"))
    assert digests(programme) == []
    report = programme.sync(at("2017-11-21 09:00"), dry_run=True)
    listed = [a for a in report.actions if a["action"] == "SendDigest"]
    assert sorted(a["to"] for a in listed) == sorted([COORDINATOR, CHENERY_LEADER, BUTLER_LEADER])
    assert all("weekly digest" in a["describe"] for a in listed)
    assert digests(programme) == [] and not [r for r in programme.records(L.REMINDERS)
                                             if r["Milestone"] == "Weekly digest"]


def fail_first_digest(programme, endpoint, kind: str, moment: str) -> None:
    """The first digest send of the run at `moment` fails as `kind` (the reminders before it go)."""
    planned = programme.sync(at(moment), dry_run=True).actions
    reminders = sum(a["action"] == "SendReminder" for a in planned)
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": [kind], "methods": ["gmail.users.messages.send"],
                                                       "count": 1, "after": reminders}, timeout=10).raise_for_status()


def test_a_send_lost_to_a_dropped_connection_goes_once_at_the_next_run(programme, endpoint):
    fail_first_digest(programme, endpoint, "reset", f"{MONDAY} 08:00")
    first = programme.sync(at(f"{MONDAY} 08:00"))
    assert first.exit_code == 1 and len(digests(programme)) == 2
    programme.sync(at(f"{MONDAY} 08:30"))
    programme.sync(at(f"{MONDAY} 09:00"))
    assert sorted(m["to"][0] for m in digests(programme)) == sorted([COORDINATOR, CHENERY_LEADER, BUTLER_LEADER])


def test_a_digest_sent_before_the_run_died_is_found_in_sent_mail_not_resent(programme, endpoint):
    fail_first_digest(programme, endpoint, "commit_then_fail", f"{MONDAY} 08:00")
    programme.sync(at(f"{MONDAY} 08:00"))
    assert len(digests(programme)) == 3
    programme.sync(at(f"{MONDAY} 09:00"))
    assert sorted(m["to"][0] for m in digests(programme)) == sorted([COORDINATOR, CHENERY_LEADER, BUTLER_LEADER])
    ledger = [r for r in programme.records(L.REMINDERS) if r["Milestone"] == "Weekly digest"]
    assert {r["Status"] for r in ledger} == {"sent"}


def test_digests_go_through_smtp_with_their_charts_once_a_week(endpoint, tmp_path):
    from aiosmtpd.controller import Controller

    from test_sync_smtp import Inbox, free_port, smtp_config

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        p = Programme.create(endpoint, tmp_path, config="programmes/belmont.toml",
                             edit=lambda text: smtp_config(controller.port)(with_digest(text)))
        p.submit("Ana", "Lopez", team="Close Reading 7", school="Chenery Middle School")
        p.sync(at(f"{MONDAY} 08:00"))
        p.sync(at(f"{MONDAY} 09:00"))
    finally:
        controller.stop()
    sent = [email.message_from_bytes(m, policy=policy.default) for m in handler.messages]
    weekly = {m["To"]: m for m in sent if "weekly digest" in m["Subject"]}
    assert set(weekly) == {COORDINATOR, CHENERY_LEADER, BUTLER_LEADER}
    coordinator = weekly[COORDINATOR]
    images = [part for part in coordinator.walk() if part.get_content_type() == "image/png"]
    assert images and all(f"cid:{part['Content-ID'].strip('<>')}" in coordinator.get_body(("html",)).get_content()
                          for part in images)

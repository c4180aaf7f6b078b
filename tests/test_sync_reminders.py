"""Charter reminders on the Belmont timeline (due November 17, 2017): the right step at
the right time, once, and never after the evidence is in."""
import pytest
import requests
import tomlkit

from sheets import layout as L
from programme import DOMAIN, Programme, at

CHARTER = "Signed team charter"


def only_charter(text: str) -> str:
    """The example config with the charter as its only milestone, so each test reads simply."""
    document = tomlkit.parse(text)
    milestones = document["milestone"]
    charter = next(m for m in milestones if m["key"] == "signed_charter")
    while len(milestones):
        milestones.pop()
    milestones.append(charter)
    return tomlkit.dumps(document)


@pytest.fixture
def programme(endpoint, tmp_path):
    p = Programme.create(endpoint, tmp_path, edit=only_charter)
    p.submit("Ana", "Lopez", team="Close Reading 7", members=f"Sam Lee <sam.lee@{DOMAIN}>")
    return p


def charter_mail(programme):
    return [m for m in programme.mail() if "charter" in m["subject"].lower()]


def test_nothing_is_sent_before_the_first_step(programme):
    report = programme.sync(at("2017-11-09 09:00"))   # 8 days before: the first step is 7 days before
    assert report.reminders["sent"] == 0
    assert charter_mail(programme) == []


def test_before_due_steps_then_after_due_repetition_up_to_the_limit(programme):
    moments = ["2017-11-10 09:00", "2017-11-10 10:00", "2017-11-16 09:00", "2017-11-20 09:00",
               "2017-11-23 09:00", "2017-11-27 09:00", "2017-12-04 09:00"]
    sent = [programme.sync(at(m)).reminders["sent"] for m in moments]
    # 7 days before, (same day again: nothing), 1 day before, 3 days after, 6 days after; max 4 in all.
    assert sent == [1, 0, 1, 1, 1, 0, 0]
    mails = charter_mail(programme)
    assert len(mails) == 4
    assert len({m["messageId"] for m in mails}) == 4
    assert all(m["to"] and f"ana.lopez@{DOMAIN}" in m["to"] for m in mails)
    steps = [r["Step"] for r in programme.records(L.REMINDERS)]
    assert steps == ["before-7", "before-1", "after-3", "after-6"]
    assert all(r["Status"] == "sent" for r in programme.records(L.REMINDERS))


def test_after_a_gap_only_the_latest_step_is_sent(programme):
    report = programme.sync(at("2017-11-24 09:00"))   # the job was off for weeks
    assert report.reminders["sent"] == 1
    assert [r["Step"] for r in programme.records(L.REMINDERS)] == ["after-6"]


def test_ticking_received_stops_reminders(programme):
    programme.sync(at("2017-11-10 09:00"))
    ws = programme.workspace().gspread.open_by_key(programme.settings().roster.spreadsheet_id).worksheet(L.ROSTER)
    col = ws.row_values(1).index(L.received_header(CHARTER)) + 1
    ws.update_cell(2, col, True)
    report = programme.sync(at("2017-11-16 09:00"))
    assert report.reminders["sent"] == 0
    row = programme.records(L.ROSTER)[0]
    assert row[L.status_header(CHARTER)] == "received"


def test_a_charter_the_facilitator_puts_in_the_team_folder_counts_as_evidence(programme):
    programme.sync(at("2017-11-10 09:00"))
    folder_link = programme.records(L.ROSTER)[0][L.FOLDER]
    folder_id = folder_link.rstrip("/").rsplit("/", 1)[-1]
    # Made in Drive by the facilitator, not by PLT Sync: drive.metadata.readonly is what sees it.
    programme.put_in_folder(f"ana.lopez@{DOMAIN}", folder_id, "Close Reading 7 - signed charter.pdf")
    report = programme.sync(at("2017-11-16 09:00"))
    row = programme.records(L.ROSTER)[0]
    assert report.reminders["sent"] == 0
    assert row[L.status_header(CHARTER)] == "received"
    assert row[L.file_header(CHARTER)].startswith("https://")


def test_repeated_runs_at_the_same_moment_send_once(programme):
    totals = [programme.sync(at("2017-11-20 09:00")).reminders["sent"] for _ in range(3)]
    assert totals == [1, 0, 0]
    assert len(charter_mail(programme)) == 1


def test_quiet_hours_and_weekends_hold_reminders_back(programme):
    assert programme.sync(at("2017-11-20 21:30")).reminders["sent"] == 0   # quiet hours 20:00-07:00
    assert programme.sync(at("2017-11-18 10:00")).reminders["sent"] == 0   # a Saturday
    assert programme.sync(at("2017-11-20 07:30")).reminders["sent"] == 1


def test_a_job_that_runs_only_at_seven_sends_on_the_day_with_send_time_seven(endpoint, tmp_path):
    """A district whose cron runs at 07:00 sets `[mail] send_time = "07:00"`: the step due
    that day goes out at that run, not a day late at the next one."""
    p = Programme.create(endpoint, tmp_path, edit=lambda text: only_charter(
        text.replace('send_time = "08:00"', 'send_time = "07:00"')))
    p.submit("Ana", "Lopez", team="Close Reading 7")
    assert p.sync(at("2017-11-10 07:00")).reminders["sent"] == 1   # 7 days before, at 07:00
    assert [r["Step"] for r in p.records(L.REMINDERS)] == ["before-7"]


def test_crash_between_ledger_write_and_send_does_not_duplicate(programme, endpoint):
    """The run stops after writing `sending` (the send itself failed with a dropped connection
    and the run never completed the row): the next run checks sent mail before sending."""
    programme.sync(at("2017-11-20 09:00"), send=False)   # plans, but sends nothing and writes no ledger row
    assert charter_mail(programme) == []
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": ["reset"], "methods": ["gmail.users.messages.send"],
                                                       "count": 1}, timeout=10).raise_for_status()
    first = programme.sync(at("2017-11-20 09:00"))
    assert first.reminders["failed"] == 1
    second = programme.sync(at("2017-11-20 09:30"))
    assert second.reminders["sent"] == 1
    assert len(charter_mail(programme)) == 1


def test_crash_between_send_and_ledger_completion_is_resolved_from_sent_mail(programme, endpoint):
    """Gmail took the message but the run died before marking it sent: found by Message-ID, not resent."""
    requests.post(f"{endpoint}/_emulator/faults", json={"kinds": ["commit_then_fail"],
                                                       "methods": ["gmail.users.messages.send"], "count": 1},
                  timeout=10).raise_for_status()
    first = programme.sync(at("2017-11-20 09:00"))
    assert len(charter_mail(programme)) == 1
    ledger = programme.records(L.REMINDERS)
    assert first.reminders["sent"] == 1 and ledger[0]["Status"] == "sent"
    assert ledger[0]["Sent ID"] == charter_mail(programme)[0]["id"]
    second = programme.sync(at("2017-11-20 10:00"))
    assert len(charter_mail(programme)) == 1, "the reminder was sent twice"
    assert second.reminders["sent"] == 0


def test_dry_run_lists_each_email_with_recipients_and_subject_and_sends_nothing(programme):
    report = programme.sync(at("2017-11-20 09:00"), dry_run=True)
    previews = [a for a in report.actions if a["action"] == "SendReminder"]
    assert len(previews) == 1
    assert previews[0]["subject"].startswith("Overdue: Signed team charter for Close Reading 7")
    assert f"ana.lopez@{DOMAIN}" in previews[0]["describe"]
    assert charter_mail(programme) == [] and programme.records(L.REMINDERS) == []


def test_a_charter_whose_name_hides_the_word_still_stops_the_reminder(programme):
    """Drive's name search sees words only from their start: "CloseReadingCharter.pdf" is
    found by the folder-by-folder check made before any reminder goes out."""
    programme.sync(at("2017-11-10 09:00"))
    folder_id = programme.records(L.ROSTER)[0][L.FOLDER].rstrip("/").rsplit("/", 1)[-1]
    programme.workspace().drive.files().create(
        body={"name": "CloseReadingCharter.pdf", "parents": [folder_id]}).execute()
    report = programme.sync(at("2017-11-16 09:00"))
    assert report.reminders["sent"] == 0
    assert programme.records(L.ROSTER)[0][L.status_header(CHARTER)] == "received"


def test_quiet_rerun_costs_five_calls_one_of_them_a_write(programme):
    programme.sync(at("2017-11-09 09:00"))
    report = programme.sync(at("2017-11-09 09:15"))
    assert report.api_calls["total"] == 5 and report.api_calls["write"] == 1
    assert report.api_calls["by_method"]["drive.files.list"] == 1


def test_each_reminder_asks_for_what_counts_for_its_milestone(endpoint, tmp_path):
    """The SMART goal counts only when the coordinator ticks it: its reminder sends no one to
    the team folder. The charter counts as a file in the folder too: its reminder links it."""
    p = Programme.create(endpoint, tmp_path)
    p.submit("Ana", "Lopez", team="Close Reading 7")
    assert p.sync(at("2017-11-10 09:00")).reminders["sent"] == 2   # SMART goal overdue, charter in a week
    folder = p.records(L.ROSTER)[0][L.FOLDER]
    by_subject = {m["subject"].split(" for ")[0]: m["text"].replace("\r\n", "\n") for m in p.mail()}
    smart = by_subject["Overdue: SMART goal submitted to evaluator"]
    charter = by_subject["Reminder: Signed team charter"]
    assert 'your coordinator ticking "SMART goal submitted to evaluator received" on the roster' in smart
    assert "folder" not in smart and folder not in smart
    assert "Please send it to me by replying to this email." in smart
    assert 'a file named like "*charter*" in your team folder' in charter
    assert f"Please put it in your team's shared folder:\n{folder}" in charter


def test_a_step_held_over_the_weekend_and_the_next_are_not_sent_on_consecutive_days(endpoint, tmp_path):
    """The SMART goal (due Wednesday, November 1, evidence a coordinator's tick): 3 days after
    is a Saturday, so that reminder goes out on Monday; 6 days after is Tuesday, which would
    be the day after. It waits for Wednesday, going by the date on the Reminders tab."""
    p = Programme.create(endpoint, tmp_path)
    p.submit("Ana", "Lopez", team="Close Reading 7")
    sent = [p.sync(at(moment)).reminders["sent"] for moment in ("2017-11-06 09:00", "2017-11-07 09:00",
                                                                 "2017-11-08 09:00")]
    assert sent == [1, 0, 1]
    assert [(r["Step"], r["Time"][:10]) for r in p.records(L.REMINDERS)] == [
        ("after-3", "2017-11-06"), ("after-6", "2017-11-08")]

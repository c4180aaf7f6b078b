"""Everything one `plt sync` reads, in a few large calls, before anything is planned.

The form and its responses, the whole master spreadsheet (one `spreadsheets.get`), every
team folder with the files that may be milestone evidence (one paged `files.list`), and
the evidence look-ups Drive's name search cannot answer in that listing. The teams are
chosen here, once. Nothing is read after `observe()`.
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from typing import Callable, Mapping

from calendars.events import list_events
from calendars.model import CalendarEvent
from documents.model import DOC_MARKER_KEY, DOC_MARKER_VALUE, copies_from_files
from drive.evidence import evidence_clause, find_evidence, match_evidence, search_word
from drive.query import has_app_property
from drive.folders import list_team_folders_and_files
from forms.model import WARNING, FormSnapshot, Problem
from forms.reader import read_form
from forms.repeat import expand, group_problem
from forms.submissions import PeopleCap, cross_unit_warnings, map_questions, to_submissions
from sheets import layout as L
from sheets.book import Book, read_book

from sync.core.drive_plan import creates_folders
from sync.core.guard import guard_teams, read_guard
from sync.core.evidence_forms import UNIT_ID_FIELD, EvidenceForm, matched_responses
from sync.core.meetings_plan import read_meetings
from sync.core.milestones import MilestoneRule, reminders_due
from sync.core.plan import Observed, choose_teams, form_errors, roster_team_count
from sync.core.repeat_units import choose_group_units, group_senders, in_groups_only
from sync.access import google_call, parent_folder, programme_calendar, spreadsheet
from sync.errors import SafetyStop, UsageError
from sync.google.errors import with_retries
from sync.google.workspace import Workspace
from sync.options import SyncOptions
from sync.responses import describer, members_field, response_senders
from sync.rules import meeting_rules, milestone_rules
from sync.core.units import UnitRules, unit_rules

Evidence = dict[tuple[str, str], tuple[str, str]]     # (milestone key, team id) -> (file name, link)


def observe(settings, workspace: Workspace, now: datetime, options: SyncOptions = SyncOptions(),
            sleep: Callable[[float], None] = time.sleep) -> Observed:
    """What a run needs, read once. Stops, having written nothing, when the form suddenly
    yields far fewer teams than the roster holds, or when new folders are due under a parent
    folder Google no longer lets this account use."""
    snapshot = google_call(f"the facilitator form {settings.form.id}", "share the form with the account PLT Sync uses",
                           lambda: read_form(workspace.forms, settings.form.id), sleep)
    book = google_call(*spreadsheet(settings.roster.spreadsheet_id),
                       lambda: read_book(workspace.gspread.http_client, settings.roster.spreadsheet_id), sleep)
    units = unit_rules(settings)
    teams, problems, senders = read_units(snapshot, settings, units, book)
    guarded = guard_teams(teams, units, read_guard(book, settings.unit.owner_role))
    teams = guarded.teams
    dates = meeting_rules(settings)
    meetings, unreadable = read_meetings(teams, units, dates) if dates else ({}, [])
    problems = [*problems, *guarded.problems, *unreadable]
    problems = [*problems, *cross_unit_warnings([in_groups_only(t.submission, settings.form) for t in teams.values()],
                                                describer(units, teams), field=members_field(units),
                                                plural=units.plural)]
    if not settings.drive.parent_folder_id:
        raise UsageError("the config names no Drive parent folder ([drive].parent_folder_id): run `plt init` first")
    folders, candidates = read_team_folders(workspace, settings.drive.parent_folder_id,
                                            listing_clause(settings), sleep)
    if not form_errors(problems):
        guard_shrink(book, len(snapshot.responses), len(teams) + len(guarded.frozen),
                     settings.roster.shrink_threshold, options.allow_shrink)
    if creates_folders(teams, folders):
        check_parent_folder(workspace, settings.drive.parent_folder_id, sleep)
    answered, evidence_forms, answer_problems = read_evidence_forms(workspace, settings, teams, units,
                                                                    staff_directory(book), sleep)
    observed = Observed(teams, [*problems, *answer_problems], book,
                        senders, folders, answered=answered, evidence_forms=evidence_forms, meetings=meetings,
                        events=read_calendar(workspace, settings, sleep), frozen=guarded.frozen, held=guarded.held,
                        copies=copies_from_files(candidates, {f.folder_id for f in folders.values() if f.folder_id}))
    return observed_with_evidence(workspace, observed, milestone_rules(settings), units, candidates, now, sleep)


def read_units(snapshot: FormSnapshot, settings, units: UnitRules, book: Book):
    """The units the enrol form's responses make, the problems found reading them, and who
    each response is from: one unit per response, or with `[form.repeat]` one per filled
    group of questions."""
    repeat, fields = settings.form.repeat, settings.form.fields
    asked = expand(fields, repeat.count) if repeat else fields
    submissions, problems = to_submissions(snapshot, asked, allowed_domains=settings.drive.allowed_domains,
                                           staff=staff_directory(book), sites=settings.programme.sites,
                                           names=units.name_fields, cap=None if repeat else people_cap(settings))
    if repeat is None:
        return choose_teams(submissions, units), problems, response_senders(snapshot, fields, units)
    teams, refused = choose_group_units(submissions, units, fields, repeat.count, settings.unit.max_people)
    return teams, [*map(group_problem, problems), *refused], group_senders(submissions, units, repeat.count)


def read_calendar(workspace: Workspace, settings, sleep=time.sleep) -> dict[str, CalendarEvent] | None:
    """Every event of the programme calendar, in one paged events.list (None without one)."""
    calendar = settings.calendar
    if calendar is None:
        return None
    if not calendar.id:
        raise UsageError("the config names no programme calendar ([calendar].id): run `plt init` first")
    events, _calls = google_call(*programme_calendar(calendar.id), lambda: list_events(workspace.calendar, calendar.id),
                                 sleep)
    return events


def people_cap(settings) -> PeopleCap:
    """`[unit] max_people` (`[roster]` in the first format), counted over the fields of
    the unit's roles."""
    unit = settings.unit
    setting = "[roster] max_people" if settings.upgraded_from == 1 else "[unit] max_people"
    return PeopleCap(unit.max_people, tuple(dict.fromkeys(r.field for r in unit.roles)), unit.noun, setting)


def read_evidence_forms(workspace: Workspace, settings, teams, units: UnitRules, staff: Mapping[str, str],
                        sleep=time.sleep) -> tuple[dict[tuple[str, str], str], dict[str, EvidenceForm], list[Problem]]:
    """Each evidence form a milestone names, read once (2 calls, more for many pages of
    responses): which response counts for which unit and milestone, the forms' addresses
    for pre-filled links, and a Problems row for each response that cannot be placed.
    Nothing wrong with an evidence form stops the roster: its form-wide problems are
    warnings, named by the form's key."""
    answered: dict[tuple[str, str], str] = {}
    forms: dict[str, EvidenceForm] = {}
    problems: list[Problem] = []
    for key in dict.fromkeys(m.evidence.form for m in settings.milestones if m.evidence.form):
        form = settings.form_by_key(key)
        if not form.id:
            raise UsageError(f"the config names no id for the evidence form form[{key}]: run `plt init` first")
        snapshot = google_call(f"the evidence form {form.id} ({key})", "share the form with the account PLT Sync uses",
                               lambda: read_form(workspace.forms, form.id), sleep)
        submissions, found = to_submissions(snapshot, form.fields, allowed_domains=settings.drive.allowed_domains,
                                            staff=staff, sites=settings.programme.sites)
        unit_question = question_id(snapshot, form.field(UNIT_ID_FIELD))
        forms[key] = EvidenceForm(key, form.title, snapshot.responder_uri, unit_question)
        placed, unplaced = matched_responses(submissions, teams, units, forms[key],
                                             tuple(settings.drive.allowed_domains))
        for milestone in settings.milestones:
            if milestone.evidence.form == key:
                answered.update({(milestone.key, tid): rid for tid, rid in placed.items()})
        problems.extend(replace(p, field=f"{key}: {p.field}" if p.field else key, severity=WARNING)
                        if not p.response_id else replace(p, field=f"{key}: {p.field}") for p in [*found, *unplaced])
    return answered, forms, problems


def question_id(snapshot: FormSnapshot, field) -> str:
    """The id of the question asking `field`, matched as answers are, or "" without one."""
    if field is None:
        return ""
    question = map_questions(snapshot, [field]).question_of.get(field.key)
    return question.question_id if question else ""


def _patterns(settings) -> list[str]:
    return [m.evidence.file for m in settings.milestones if m.evidence.file]


def listing_clause(settings) -> str:
    """What the one folder listing finds besides the team folders: candidate evidence files
    and, with document templates configured, every template copy (by its tag)."""
    parts = [evidence_clause(_patterns(settings))]
    if settings.templates:
        parts.append(f"({has_app_property(DOC_MARKER_KEY, DOC_MARKER_VALUE)} and trashed=false)")
    return " or ".join(part for part in parts if part)


def observed_with_evidence(workspace: Workspace, observed: Observed, rules: tuple[MilestoneRule, ...],
                           units: UnitRules, candidates: list[dict], now: datetime, sleep=time.sleep) -> Observed:
    """`observed` with the evidence files of every live team: matched among the listing's
    candidates or looked up folder by folder, and, before anyone would be reminded of
    missing evidence, looked for once more in their folder file by file."""
    evidence = find_all_evidence(workspace, rules, observed, candidates, sleep)
    due = reminders_due(observed.teams, observed.book, rules, evidence, units, now, observed.answered)
    confirm_missing_evidence(workspace, rules, observed.folders, due, evidence, sleep)
    return replace(observed, evidence=evidence)


def read_team_folders(workspace: Workspace, parent_id: str, clause: str = "",
                      sleep=time.sleep) -> tuple[dict, list[dict]]:
    """Team folders by team id (each found by its tag) and, in the same paged call, the
    files that may be milestone evidence."""
    folders, files, _calls = google_call(*parent_folder(parent_id),
                                         lambda: list_team_folders_and_files(workspace.drive, parent_id, clause),
                                         sleep)
    return folders, files


def check_parent_folder(workspace: Workspace, parent_id: str, sleep=time.sleep) -> None:
    """Before creating team folders: Drive still lists the team folders of a parent folder
    that was unshared or deleted, so only asking for the parent itself tells. One call,
    made only on runs that create folders, so a lost parent is one clear AccessError
    instead of a failed folder for every new team."""
    google_call(*parent_folder(parent_id), lambda: workspace.drive.files().get(
        fileId=parent_id, fields="id", supportsAllDrives=True).execute(), sleep)


def find_all_evidence(workspace: Workspace, rules, observed: Observed, candidates: list[dict],
                      sleep=time.sleep) -> Evidence:
    """Evidence files for every milestone with a pattern, over every live team's folder:
    matched among the files the folder listing already found, or (for a pattern with no
    word Drive can search for) looked up folder by folder in a bounded number of calls."""
    folders = observed.folders
    by_folder = {folders[tid].folder_id: tid for tid in observed.teams if tid in folders and folders[tid].folder_id}
    found: Evidence = {}
    for rule in rules:
        if not rule.pattern or not by_folder:
            continue
        if search_word(rule.pattern):
            files = match_evidence(list(candidates), list(by_folder), rule.pattern)
        else:
            files, _calls = with_retries(lambda: find_evidence(workspace.drive, list(by_folder), rule.pattern),
                                         sleep=sleep)
        for folder_id, hit in files.items():
            found[(rule.key, by_folder[folder_id])] = hit
    return found


def confirm_missing_evidence(workspace: Workspace, rules, folders: Mapping, due: list[tuple[str, str]],
                             evidence: Evidence, sleep) -> None:
    """Before reminding a team that its evidence is missing, look in its folder file by file:
    Drive's name search sees words only from their start ("TeamCharter.pdf" escapes it).
    Adds what it finds to `evidence`."""
    by_rule: dict[str, dict[str, str]] = {}
    for key, tid in due:
        folder = folders.get(tid)
        if folder and folder.folder_id and (key, tid) not in evidence:
            by_rule.setdefault(key, {})[folder.folder_id] = tid
    patterns = {rule.key: rule.pattern for rule in rules if rule.pattern}
    for key, by_folder in by_rule.items():
        if key not in patterns:
            continue
        files, _calls = with_retries(lambda: find_evidence(workspace.drive, list(by_folder), patterns[key]),
                                     sleep=sleep)
        for folder_id, hit in files.items():
            evidence[(key, by_folder[folder_id])] = hit


def staff_directory(book: Book) -> dict[str, str]:
    """The optional Staff tab (Name, Email) resolves members typed as bare names."""
    tab = book.tab(L.STAFF)
    if tab is None or tab.column("Name") is None or tab.column("Email") is None:
        return {}
    return {str(tab.value(r, "Name")).strip(): str(tab.value(r, "Email")).strip()
            for r in tab.data_rows() if str(tab.value(r, "Name")).strip()}


def guard_shrink(book: Book, responses: int, live_teams: int, threshold: float, allowed: bool) -> None:
    """Stop, writing nothing, when the form suddenly holds far fewer teams than the roster."""
    held = roster_team_count(book)
    if allowed or held == 0:
        return
    if responses == 0:
        raise SafetyStop(f"the form returned no responses while the roster holds {held} teams", "--allow-shrink")
    if live_teams < threshold * held:
        raise SafetyStop(f"the form yields {live_teams} teams but the roster holds {held} "
                         f"(below {threshold:.0%})", "--allow-shrink")

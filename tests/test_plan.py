"""The pure planner: teams, roster diff, withdrawals, problems, and the quiet re-run."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from belmont_fields import belmont_submission, belmont_units
from forms.model import CELL_LIMIT, Member, Problem
from sheets import layout as L
from sheets import row_tags
from sheets.book import Book, Tab
from drive.model import Folder, Permission, RemovePermission
from sync.core.drive_plan import DriveRules
from sync.core.milestones import MilestoneRule
from sync.core.model import AddRow, AddTab, SetLastRun, UpdateRow
from sync.core.plan import Observed, Rules, choose_teams, plan
from sync.core.roster_plan import earlier_responses
from sync.core.schedule import ReminderPolicy
from sync.core.sheet_writes import build_edits

T0 = datetime(2017, 10, 2, 14, 0, tzinfo=timezone.utc)
CHARTER = MilestoneRule("signed_charter", "Team charter", date(2017, 11, 17), True, None, "reminder",
                        ReminderPolicy(tz=ZoneInfo("America/New_York")))
UNITS = belmont_units()
RULES = Rules(UNITS, (CHARTER,), "America/New_York", "r1")
team_id = UNITS.id_of


def sub(rid, email="ana.lopez@belmont.example.org", team="Reading Workshop", at=T0, members=("b@belmont.example.org",)):
    return belmont_submission(rid, at, name="Ana Lopez", email=email, team=team, school="Chenery Middle School",
                              topic="Close reading", goal_type="Student Learning", meeting_time="Tuesdays 3:15",
                              training="Enrolled", members=tuple(Member(m.split("@")[0], m) for m in members))


def observed(submissions, problems, book, facilitators=None) -> Observed:
    return Observed(choose_teams(submissions, UNITS), problems, book, facilitators or {})


def empty_book() -> Book:
    return Book("sheet1", "Roster", {})


def apply_to(book: Book, actions) -> Book:
    """Play the planned edits into the in-memory book, as the sheet would hold them."""
    build_edits(book, actions, RULES.milestone_titles, checkbox_titles=RULES.checkbox_titles,
                file_titles=RULES.file_titles)
    return book


def test_latest_submission_per_facilitator_wins_and_earlier_is_superseded():
    teams = choose_teams([sub("r1"), sub("r2", at=T0 + timedelta(days=1), team="Renamed")], UNITS)
    (team,) = teams.values()
    assert team.submission.response_id == "r2"
    assert [earlier.response_id for earlier in team.superseded] == ["r1"]


def test_email_plus_team_name_key_keeps_two_teams_of_one_facilitator():
    teams = choose_teams([sub("r1"), sub("r2", team="Math Talks")], belmont_units(key="facilitator_email+team_name"))
    assert len(teams) == 2


def test_team_id_is_stable_and_derived_from_key():
    assert team_id("ana.lopez@belmont.example.org") == team_id("ana.lopez@belmont.example.org")
    assert team_id("a@x.org") != team_id("b@x.org")
    assert team_id("a@x.org").startswith("PLT-")


def test_first_run_creates_tabs_and_rows_then_second_run_plans_only_last_run_time():
    book = empty_book()
    first = plan(observed([sub("r1")], [], book), RULES, T0)
    kinds = {type(a) for a in first.actions}
    assert AddTab in kinds and AddRow in kinds
    assert first.teams_new == 1
    apply_to(book, first.actions)
    second = plan(observed([sub("r1")], [], book), RULES, T0 + timedelta(hours=1))
    assert [type(a) for a in second.actions] == [SetLastRun]
    assert second.teams_unchanged == 1


def test_changed_answer_updates_only_the_changed_cell():
    book = empty_book()
    apply_to(book, plan(observed([sub("r1")], [], book), RULES, T0).actions)
    edited = sub("r1", team="Reading Workshop II")
    actions = plan(observed([edited], [], book), RULES, T0).actions
    updates = [a for a in actions if isinstance(a, UpdateRow) and a.tab == L.ROSTER]
    assert len(updates) == 1
    assert [h for h, _, _ in updates[0].changes] == ["Team name"]


def test_deleted_response_marks_team_withdrawn_and_keeps_row():
    book = empty_book()
    apply_to(book, plan(observed([sub("r1"), sub("r2", email="c@belmont.example.org")], [], book), RULES, T0).actions)
    result = plan(observed([sub("r1")], [], book), RULES, T0)
    withdrawn = [a for a in result.actions if isinstance(a, UpdateRow) and a.tab == L.ROSTER]
    assert result.teams_withdrawn == 1
    assert withdrawn[0].changes == ((L.TEAM_STATUS, "active", "withdrawn"),)


def test_withdrawn_team_loses_folder_access_as_set_but_never_while_the_form_is_unreadable():
    rules = Rules(UNITS, (CHARTER,), "America/New_York", "r1",
                  drive=DriveRules("parent", "{team_name}", UNITS, ("belmont.example.org",), False,
                                   withdrawn_access="remove"))
    gone = team_id("c@belmont.example.org")
    folder = Folder("f2", "Gone", gone, "", (Permission("p1", "c@belmont.example.org", "writer", "user"),),
                    frozenset({"c@belmont.example.org"}))
    book = empty_book()
    apply_to(book, plan(observed([sub("r1"), sub("r2", email="c@belmont.example.org")], [], book), rules, T0).actions)

    def removals(problems):
        seen = observed([sub("r1")], problems, book)
        return [c for c in plan(Observed(seen.teams, problems, book, folders={gone: folder}), rules, T0).drive
                if isinstance(c, RemovePermission)]
    assert removals([]) == [RemovePermission(gone, "f2", "p1", "c@belmont.example.org")]
    assert removals([Problem("", "team_name", "", "the form has no question titled 'PLT name'")]) == []


def test_problem_appears_once_and_is_resolved_when_a_later_submission_fixes_it():
    book = empty_book()
    bad = Problem("r1", "members", "", "no members were listed")
    facilitators = {"r1": ("ana.lopez@belmont.example.org", T0)}
    first = plan(observed([], [bad], book, facilitators), RULES, T0)
    assert first.problems_new == 1
    apply_to(book, first.actions)
    again = plan(observed([], [bad], book, facilitators), RULES, T0)
    assert again.problems_new == 0 and again.problems_open == 1
    fixed = plan(observed([sub("r2", at=T0 + timedelta(days=1))], [bad], book,
                          {**facilitators, "r2": ("ana.lopez@belmont.example.org", T0 + timedelta(days=1))}),
                 RULES, T0 + timedelta(days=1))
    assert fixed.problems_resolved == 1


def test_coordinator_columns_and_order_are_respected():
    """A coordinator moved columns and typed notes: only owned, changed cells are planned."""
    headers = ["Notes", "Team name", L.TEAM_ID, "Coordinator column"]
    tid = team_id("ana.lopez@belmont.example.org")
    tag = row_tags.tag_value(L.ROSTER, (tid,))
    roster = Tab(L.ROSTER, 7, [headers, ["call Ana", "Old name", tid, "keep"]], 1000, 26, tags={1: (11, tag)})
    book = Book("s", "t", {L.ROSTER: roster})
    actions = plan(observed([sub("r1")], [], book), RULES, T0).actions
    edits = build_edits(book, actions, RULES.milestone_titles, checkbox_titles=RULES.checkbox_titles,
                file_titles=RULES.file_titles)
    assert roster.value(1, "Notes") == "call Ana"
    assert roster.value(1, "Coordinator column") == "keep"
    assert roster.value(1, "Team name") == "Reading Workshop"
    assert not any("updateCells" in r and r["updateCells"]["range"]["sheetId"] == 7
                   and r["updateCells"]["range"]["startRowIndex"] > 0 for r in edits.requests)
    (written,) = [w for w in edits.by_tag if w["dataFilter"]["developerMetadataLookup"]["metadataValue"] == tag]
    assert written["values"][0][:4] == [None, "Reading Workshop", None, None]   # the coordinator's cells: null, untouched


def test_a_row_without_its_tag_is_tagged_and_its_change_held_for_the_next_run():
    tid = team_id("ana.lopez@belmont.example.org")
    roster = Tab(L.ROSTER, 7, [["Team name", L.TEAM_ID], ["Old name", tid]], 1000, 26,
                 tags={1: (12, row_tags.tag_value(L.ROSTER, ("PLT-someone-else",)))})
    book = Book("s", "t", {L.ROSTER: roster})
    actions = plan(observed([sub("r1")], [], book), RULES, T0).actions
    edits = build_edits(book, actions, RULES.milestone_titles, checkbox_titles=RULES.checkbox_titles,
                        file_titles=RULES.file_titles)
    assert roster.value(1, "Team name") == "Old name" and edits.deferred == 1 and not edits.by_tag
    on_roster = [r for r in edits.requests if r.get("deleteDeveloperMetadata")
                 or r.get("createDeveloperMetadata", {}).get("developerMetadata", {}).get("location", {})
                 .get("dimensionRange", {}).get("sheetId") == 7]
    assert on_roster == [row_tags.delete(12), row_tags.create(7, 1, row_tags.tag_value(L.ROSTER, (tid,)))]


def test_earlier_responses_list_each_replaced_one_and_always_fit_in_one_cell():
    subs = [sub(f"r{i:04}", at=T0 + timedelta(minutes=i)) for i in range(3)]
    (team,) = choose_teams(subs, UNITS).values()
    assert earlier_responses(team, "America/New_York") == "2017-10-02 10:00 (r0000)\n2017-10-02 10:01 (r0001)"
    endless = [sub(f"r{i:04}", at=T0 + timedelta(minutes=i)) for i in range(3000)]
    (team,) = choose_teams(endless, UNITS).values()
    text = earlier_responses(team, "America/New_York")
    lines = text.split("\n")
    assert len(text) <= CELL_LIMIT and lines[-1].endswith("(r2998)")
    assert lines[0] == f"{2999 - (len(lines) - 1)} older responses not shown"

"""Evidence from a form: Belmont's programme with a mid-year checkpoint that each team
answers on a Google Form. A response counts for the unit whose id it gives (the link in
the reminder pre-fills it) or, without one, for the one unit its verified sender is in;
anything else is a Problems row, and the unit is still reminded."""
from urllib.parse import parse_qs, urlsplit

import pytest

from sheets import layout as L
from programme import CHECKPOINT, DOMAIN, Programme, at, checkpoint_form


@pytest.fixture
def programme(endpoint, tmp_path):
    p = Programme.create(endpoint, tmp_path, edit=lambda text: text + checkpoint_form("2018-01-19"),
                         config="programmes/belmont.toml")
    p.submit("Ana", "Lopez", team="Close Reading 7", members=f"Sam Lee <sam.lee@{DOMAIN}>")
    p.submit("Ben", "Okafor", team="Number Talks", members=f"Kim Roy <kim.roy@{DOMAIN}>")
    p.submit("Cy", "Park", team="Writers Workshop", members=f"Lou Diaz <lou.diaz@{DOMAIN}>")
    p.sync(at("2017-10-10 09:00"))
    return p


def unit_ids(programme) -> dict[str, str]:
    return {r["Team name"]: r[L.TEAM_ID] for r in programme.records(L.ROSTER)}


def checkpoint_status(programme) -> dict[str, str]:
    return {r["Team name"]: r[L.status_header(CHECKPOINT)] for r in programme.records(L.ROSTER)}


def checkpoint_mail(programme) -> list[dict]:
    return [m for m in programme.mail() if CHECKPOINT.lower() in m["subject"].lower()]


def test_a_response_counts_by_the_unit_id_it_gives_or_by_its_senders_only_unit(programme):
    ids = unit_ids(programme)
    programme.answer("checkpoint", f"ana.lopez@{DOMAIN}",
                     {"unit_id": ids["Close Reading 7"].lower(), "progress": "Annotation helps."},
                     "2018-01-08T15:00:00Z")
    # Kim answers without a unit id: she is in Number Talks only.
    programme.answer("checkpoint", f"kim.roy@{DOMAIN}", {"unit_id": "", "progress": "Dot talks work."},
                     "2018-01-09T15:00:00Z")
    report = programme.sync(at("2018-01-12 09:00"))
    assert checkpoint_status(programme) == {"Close Reading 7": "received", "Number Talks": "received",
                                            "Writers Workshop": "due soon"}
    # Only Writers Workshop is reminded (7 days before), with its own id pre-filled in the link.
    assert report.exit_code == 0
    [mail] = checkpoint_mail(programme)
    assert mail["to"] == [f"cy.park@{DOMAIN}"]
    link = next(word for word in mail["text"].split() if "usp=pp_url" in word)
    assert list(parse_qs(urlsplit(link).query).values()) == [["pp_url"], [ids["Writers Workshop"]]]
    form_address = programme.settings().form_by_key("checkpoint")
    assert link.startswith("https://docs.google.com/forms/d/e/") and form_address.id


def test_an_answer_that_names_no_current_unit_is_a_problem_and_counts_for_nothing(programme):
    rid = programme.answer("checkpoint", f"lou.diaz@{DOMAIN}",
                           {"unit_id": "PLT-NOSUCH", "progress": "Mentor texts."}, "2018-01-08T15:00:00Z")
    programme.sync(at("2018-01-12 09:00"))

    assert checkpoint_status(programme)["Writers Workshop"] == "due soon"
    [problem] = [r for r in programme.records(L.PROBLEMS) if r["Response ID"] == rid]
    assert problem["Status"] == "open" and problem["Severity"] == "warning"
    assert problem["Field"] == "checkpoint: unit_id" and problem["Value"] == "PLT-NOSUCH"
    assert "no current team" in problem["Reason"]

    # Lou answers again through the reminder's link: the unit counts, the problem resolves.
    ids = unit_ids(programme)
    programme.answer("checkpoint", f"lou.diaz@{DOMAIN}",
                     {"unit_id": ids["Writers Workshop"], "progress": "Mentor texts."}, "2018-01-12T16:00:00Z")
    programme.sync(at("2018-01-13 09:00"))
    assert checkpoint_status(programme)["Writers Workshop"] == "received"
    [problem] = [r for r in programme.records(L.PROBLEMS) if r["Response ID"] == rid]
    assert problem["Status"] == "resolved"


def test_a_sender_in_no_unit_without_an_id_is_a_problem(programme):
    rid = programme.answer("checkpoint", f"visitor@{DOMAIN}", {"unit_id": "", "progress": "Hello."},
                           "2018-01-08T15:00:00Z")
    programme.sync(at("2018-01-12 09:00"))
    [problem] = [r for r in programme.records(L.PROBLEMS) if r["Response ID"] == rid]
    assert "its sender is in none" in problem["Reason"]
    assert set(checkpoint_status(programme).values()) == {"due soon"}


def test_a_renamed_evidence_question_is_a_warning_and_the_roster_goes_on(programme, endpoint):
    ids = unit_ids(programme)
    programme.answer("checkpoint", f"ana.lopez@{DOMAIN}", {"unit_id": ids["Close Reading 7"], "progress": "x"},
                     "2018-01-08T15:00:00Z")
    config = programme.config_path
    config.write_text(config.read_text().replace('title = "What has your team learned so far?"',
                                                 'title = "What have you learned?"'))
    programme.submit("Dee", "Quinn", team="Science Talk", members=f"Al Ng <al.ng@{DOMAIN}>")
    report = programme.sync(at("2018-01-12 09:00"))

    assert report.exit_code == 0
    assert "Science Talk" in unit_ids(programme)      # the roster was not frozen
    problems = [r for r in programme.records(L.PROBLEMS) if r["Field"].startswith("checkpoint: progress")]
    # The form-wide problem is a warning; Ana's answer, now unreadable, counts for nothing.
    [form_wide] = [r for r in problems if r["Response ID"] == ""]
    assert form_wide["Severity"] == "warning" and "What have you learned?" in form_wide["Reason"]
    assert checkpoint_status(programme)["Close Reading 7"] == "due soon"

"""Affinity groups from the interest survey: the solver's proposals are valid, optimal
(checked against brute force on small surveys), deterministic, and keep approved groups."""
from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from hypothesis import strategies as st

from sync.core.grouping import Facilitator, Group, Respondent, Rules, group_id, propose
from sync.core.grouping_milp import STAGES
from sync.core.grouping_split import deal

TOPICS = ("Literacy", "Math talk", "Restorative practice", "Newcomers")


def survey(seed: int, people: int, facilitators: int, topics=TOPICS, overlap: bool = False):
    """A random small survey; with `overlap` some facilitators also answered it."""
    rnd = random.Random(seed)
    respondents = [Respondent(f"t{i}@bps.org", f"School {rnd.randrange(3)}",
                              tuple(rnd.sample(topics, rnd.randint(0, 3)))) for i in range(people)]
    leads = [Facilitator(respondents[i].email if overlap and i < people else f"f{i}@bps.org",
                         tuple(rnd.sample(topics, rnd.randint(1, 2)))) for i in range(facilitators)]
    return respondents, leads


def score(ranks, objective: str) -> tuple[int, ...]:
    counts = {r: sum(1 for got in ranks if got == r) for r in (1, 2, 3)}
    return tuple(sum(counts[r] for r in stage) for stage in STAGES[objective])


def brute_force_best(respondents, facilitators, rules: Rules) -> tuple[int, ...]:
    """Every way to give each facilitator a topic (or none) and each person an open group
    of a topic they chose (or none); the best score of those respecting every constraint."""
    best = score([], rules.objective)
    for leads in itertools.product(*[(None, *f.topics) for f in facilitators]):
        groups = [(f.email, t) for f, t in zip(facilitators, leads) if t is not None]
        leading = {email for email, _t in groups}
        options = [[None] + ([] if r.email in leading else
                             [(i, r.choices.index(t) + 1) for i, (_e, t) in enumerate(groups) if t in r.choices])
                   for r in respondents]
        for picks in itertools.product(*options):
            sizes = [0] * len(groups)
            for pick in picks:
                if pick is not None:
                    sizes[pick[0]] += 1
            if all(rules.min_size <= s <= rules.max_size for s in sizes):
                best = max(best, score([p[1] for p in picks if p is not None], rules.objective))
    return best


def check_valid(proposal, respondents, facilitators, approved, rules: Rules) -> None:
    """The constraints every proposal must respect."""
    topics_of = {f.email: set(f.topics) for f in facilitators}
    choices = {r.email: r.choices for r in respondents}
    seen: list[str] = []
    for group in proposal.groups:
        seen += [group.facilitator, *group.members]
        if group.approved:
            continue
        assert group.topic in topics_of[group.facilitator]
        assert rules.min_size <= len(group.members) <= rules.max_size
        assert all(group.topic in choices[m] for m in group.members)
        assert group.group_id == group_id(group.topic, group.facilitator)
    assert len(seen) == len(set(seen)), "someone is in two groups"
    for group in approved:
        assert group in proposal.groups
    left = {u.email for u in proposal.unassigned}
    assert not left & set(seen)
    assert {r.email for r in respondents} <= left | set(seen)


@pytest.mark.parametrize("objective", ["ranked", "fairness"])
@pytest.mark.parametrize("seed", range(12))
def test_proposal_is_as_good_as_brute_force_on_small_surveys(seed, objective):
    rnd = random.Random(seed)
    respondents, leads = survey(seed, people=rnd.randint(3, 6), facilitators=rnd.randint(1, 3),
                                topics=TOPICS[:3], overlap=seed % 3 == 0)
    rules = Rules(min_size=rnd.randint(1, 2), max_size=rnd.randint(2, 3), objective=objective)
    proposal = propose(respondents, leads, [], rules)
    check_valid(proposal, respondents, leads, [], rules)
    assert proposal.optimal
    assert score(proposal.ranks.values(), objective) == brute_force_best(respondents, leads, rules)


def test_ranked_choices_put_first_choices_first_and_fairness_leaves_fewest_out():
    # One facilitator can lead Literacy or Math talk. Two people want Literacy first; three
    # want Math talk second. "ranked" places the two first choices; "fairness" the three.
    respondents = [Respondent(f"lit{i}@bps.org", "A", ("Literacy",)) for i in range(2)]
    respondents += [Respondent(f"math{i}@bps.org", "A", ("Newcomers", "Math talk")) for i in range(3)]
    leads = [Facilitator("lead@bps.org", ("Literacy", "Math talk"))]
    ranked = propose(respondents, leads, [], Rules(2, 3, "ranked"))
    fair = propose(respondents, leads, [], Rules(2, 3, "fairness"))
    assert [(g.topic, g.members) for g in ranked.groups] == [("Literacy", ("lit0@bps.org", "lit1@bps.org"))]
    assert [(g.topic, len(g.members)) for g in fair.groups] == [("Math talk", 3)]
    assert set(fair.ranks.values()) == {2} and len(fair.unassigned) == 2


def test_unassigned_people_are_listed_with_the_reason():
    respondents = [Respondent("a@bps.org", "A", ("Newcomers",)), Respondent("b@bps.org", "A", ()),
                   *[Respondent(f"t{i}@bps.org", "A", ("Literacy",)) for i in range(4)]]
    proposal = propose(respondents, [Facilitator("lit@bps.org", ("Literacy",))], [], Rules(1, 3))
    reasons = {u.email: u.reason for u in proposal.unassigned}
    assert reasons["a@bps.org"] == "no facilitator for any of their topics (Newcomers)"
    assert reasons["b@bps.org"] == "chose no topic"
    full = [email for email, reason in reasons.items() if reason.startswith("groups full")]
    assert len(full) == 1 and "Literacy" in reasons[full[0]]


def test_same_survey_in_any_order_gives_the_same_groups():
    respondents, leads = survey(7, people=40, facilitators=6)
    rules = Rules(3, 8, spread=True)
    first = propose(respondents, leads, [], rules)
    shuffled = random.Random(1).sample(respondents, len(respondents))
    again = propose(shuffled, list(reversed(leads)), [], rules)
    assert first.groups == again.groups
    assert first.unassigned == again.unassigned


def test_resubmission_counts_once_the_latest_answer_wins():
    respondents = [Respondent("a@bps.org", "A", ("Newcomers",)), Respondent("a@bps.org", "A", ("Literacy",))]
    proposal = propose(respondents, [Facilitator("lit@bps.org", ("Literacy",))], [], Rules(1, 3))
    assert proposal.groups[0].members == ("a@bps.org",)
    assert proposal.ranks == {"a@bps.org": 1}
    assert proposal.respondents == 1


def test_approved_group_is_kept_exactly_and_its_people_are_not_placed_again():
    respondents, leads = survey(3, people=30, facilitators=5)
    rules = Rules(2, 6)
    approved = Group("AG-hand", leads[0].topics[0], leads[0].email, ("t1@bps.org", "someone@bps.org"), approved=True)
    proposal = propose(respondents, leads, [approved], rules)
    assert proposal.groups[0] == approved
    check_valid(proposal, respondents, leads, [approved], rules)


def test_a_facilitator_who_answered_the_survey_leads_or_joins_never_both():
    respondents = [Respondent("lead@bps.org", "A", ("Math talk",)),
                   *[Respondent(f"t{i}@bps.org", "A", ("Literacy",)) for i in range(2)]]
    proposal = propose(respondents, [Facilitator("lead@bps.org", ("Literacy",))], [], Rules(2, 3))
    assert [(g.facilitator, g.members) for g in proposal.groups] == [("lead@bps.org", ("t0@bps.org", "t1@bps.org"))]
    assert proposal.unassigned == ()


def test_spread_deals_each_school_across_a_topics_groups():
    schools = {f"t{i}": f"S{i % 2}" for i in range(8)}
    spread = deal(list(schools), schools, 2, spread=True)
    together = deal(list(schools), schools, 2, spread=False)
    assert [sorted(schools[m] for m in g) for g in spread] == [["S0", "S0", "S1", "S1"]] * 2
    assert [{schools[m] for m in g} for g in together] == [{"S0"}, {"S1"}]


@st.composite
def surveys(draw):
    seed = draw(st.integers(0, 10_000))
    people, facilitators = draw(st.integers(0, 25)), draw(st.integers(0, 6))
    respondents, leads = survey(seed, people, facilitators, overlap=draw(st.booleans()))
    low = draw(st.integers(1, 4))
    rules = Rules(low, draw(st.integers(low, 7)), draw(st.sampled_from(["ranked", "fairness"])), draw(st.booleans()))
    return respondents, leads, rules


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.data())
def test_every_proposal_respects_the_constraints_and_re_proposing_keeps_approved_groups(case, data):
    respondents, leads, rules = case
    first = propose(respondents, leads, [], rules)
    check_valid(first, respondents, leads, [], rules)
    # A coordinator approves some groups (perhaps after editing members), then proposes again.
    chosen = data.draw(st.lists(st.sampled_from(first.groups), unique=True) if first.groups else st.just([]))
    approved = [Group(g.group_id, g.topic, g.facilitator, g.members[:-1] if len(g.members) > 1 else g.members,
                      approved=True) for g in chosen]
    again = propose(respondents, leads, approved, rules)
    check_valid(again, respondents, leads, approved, rules)
    assert again.groups[:len(approved)] == tuple(approved)


class CoordinatorSeason(RuleBasedStateMachine):
    """People answer and re-answer the survey while a coordinator proposes, edits and
    approves groups, in any order: every proposal respects the constraints and carries
    every approved group exactly as approved."""

    def __init__(self):
        super().__init__()
        self.answers: dict[str, Respondent] = {}
        self.approved: list[Group] = []
        self.last = None
        self.rules = Rules(2, 4)
        self.leads = [Facilitator("f0@bps.org", TOPICS[:2]), Facilitator("f1@bps.org", TOPICS[1:3]),
                      Facilitator("t0@bps.org", TOPICS[3:])]

    @rule(person=st.integers(0, 14), choices=st.lists(st.sampled_from(TOPICS), max_size=3))
    def answer(self, person, choices):
        email = f"t{person}@bps.org"
        self.answers[email] = Respondent(email, f"School {person % 3}", tuple(choices))

    @rule()
    def propose(self):
        self.last = propose(list(self.answers.values()), self.leads, self.approved, self.rules)
        check_valid(self.last, list(self.answers.values()), self.leads, self.approved, self.rules)
        assert self.last.groups[:len(self.approved)] == tuple(self.approved)

    @rule(data=st.data())
    def approve_after_editing(self, data):
        open_groups = [g for g in (self.last.groups if self.last else ()) if not g.approved]
        if not open_groups:
            return
        group = data.draw(st.sampled_from(open_groups))
        dropped = data.draw(st.integers(0, len(group.members) - 1))
        members = group.members[:dropped] + group.members[dropped + 1:]
        self.approved.append(Group(group.group_id, group.topic, group.facilitator, members, approved=True))
        self.last = None

    @invariant()
    def nobody_approved_twice(self):
        people = [p for g in self.approved for p in (g.facilitator, *g.members)]
        assert len(people) == len(set(people))


TestCoordinatorSeason = CoordinatorSeason.TestCase
TestCoordinatorSeason.settings = settings(max_examples=25, stateful_step_count=12, deadline=None)

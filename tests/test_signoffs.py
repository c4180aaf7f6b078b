"""Sign-offs judged: the right people, in the right order, after the latest change; every
response gets a verdict. Checked by scenario and, for random sequences of responses by
random people, against an independent oracle."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.signoffs import (ALL_MEMBERS, ALREADY_SIGNED, COUNTED, NOT_A_SIGNER, NOT_SIGNED, OUT_OF_ORDER, STALE,
                                Signature, Signers, judge)

START = datetime(2017, 10, 2, 8, 0, tzinfo=timezone.utc)
EVALUATOR, TEACHER, COLLEAGUE, STRANGER = "lead@tps.org", "ann@tps.org", "bo@tps.org", "eve@tps.org"
PLAN = Signers({"evaluator": (EVALUATOR,), "teacher": (TEACHER,)}, START)
ORDER = ("evaluator", "teacher")


def sign(email, minutes, rid=None, agreed=True):
    return Signature(rid or f"r{email}{minutes}", email, "PLF-1", "plan_signed", START + timedelta(minutes=minutes),
                     agreed)


def reasons(state):
    return [(v.signature.email, v.reason) for v in state.verdicts]


def test_evaluator_then_teacher_completes_and_the_turn_passes_from_one_to_the_other():
    assert judge(ORDER, PLAN, []).turn == (EVALUATOR,)
    half = judge(ORDER, PLAN, [sign(EVALUATOR, 5)])
    assert (half.complete, half.turn, half.progress()) == (False, (TEACHER,), f"1/2 signed; missing: {TEACHER}")
    done = judge(ORDER, PLAN, [sign(TEACHER, 9), sign(EVALUATOR, 5)])
    assert (done.complete, done.turn, done.signed, done.progress()) == (True, (), (EVALUATOR, TEACHER), "2/2 signed")


def test_the_teacher_signing_first_does_not_count_and_must_sign_again_after_the_evaluator():
    state = judge(ORDER, PLAN, [sign(TEACHER, 1), sign(EVALUATOR, 5)])
    assert reasons(state) == [(TEACHER, OUT_OF_ORDER), (EVALUATOR, COUNTED)] and not state.complete
    assert state.turn == (TEACHER,)
    assert judge(ORDER, PLAN, [sign(TEACHER, 1), sign(EVALUATOR, 5), sign(TEACHER, 8)]).complete


def test_forged_stranger_stale_and_unsigned_responses_never_count():
    colleague_plan = Signers({"evaluator": (EVALUATOR,), "teacher": (TEACHER,), "member": (COLLEAGUE,)}, START)
    state = judge(ORDER, colleague_plan, [sign(STRANGER, 3), sign(COLLEAGUE, 4), sign(EVALUATOR, 5, agreed=False)])
    assert reasons(state) == [(STRANGER, NOT_A_SIGNER), (COLLEAGUE, NOT_A_SIGNER), (EVALUATOR, NOT_SIGNED)]
    changed = Signers(PLAN.roles, START + timedelta(minutes=7))
    state = judge(ORDER, changed, [sign(EVALUATOR, 5), sign(TEACHER, 6), sign(EVALUATOR, 10)])
    assert reasons(state) == [(EVALUATOR, STALE), (TEACHER, STALE), (EVALUATOR, COUNTED)]
    assert state.turn == (TEACHER,) and not state.complete


def test_a_second_signature_is_recorded_but_counted_once():
    state = judge(ORDER, PLAN, [sign(EVALUATOR, 5), sign(EVALUATOR, 6), sign(TEACHER, 7), sign(TEACHER, 8)])
    assert reasons(state) == [(EVALUATOR, COUNTED), (EVALUATOR, ALREADY_SIGNED), (TEACHER, COUNTED),
                              (TEACHER, ALREADY_SIGNED)]


def test_all_members_sign_in_any_order_and_the_roster_names_who_is_missing():
    team = Signers({"facilitator": ("f@b.org",), "member": ("a@b.org", "b@b.org", "c@b.org", "d@b.org")}, START)
    state = judge(ALL_MEMBERS, team, [sign("c@b.org", 1), sign("f@b.org", 2), sign("a@b.org", 3)])
    assert state.progress() == "3/5 signed; missing: b@b.org, d@b.org" and not state.complete
    later = judge(ALL_MEMBERS, team, [sign(e, m) for m, e in enumerate(reversed(team.roles["member"] + ("f@b.org",)), 1)])
    assert later.complete and later.progress() == "5/5 signed"


# The oracle: written apart from the implementation, as the definition reads.
PEOPLE = (EVALUATOR, TEACHER, COLLEAGUE, STRANGER, "second.lead@tps.org")


def oracle_complete(order, signers, signatures):
    valid = [s for s in signatures if s.agreed and s.signed_at > signers.changed_at]
    if order == ALL_MEMBERS:
        everyone = {e for people in signers.roles.values() for e in people}
        return everyone <= {s.email for s in valid}

    def chain(step, after):
        if step == len(order):
            return True
        return any(chain(step + 1, s.signed_at) for s in valid
                   if s.email in signers.roles[order[step]] and (after is None or s.signed_at > after))
    return chain(0, None)


responses = st.lists(st.tuples(st.sampled_from(PEOPLE), st.integers(0, 40), st.booleans()), max_size=8)
layouts = st.sampled_from([
    (ORDER, {"evaluator": (EVALUATOR,), "teacher": (TEACHER,)}),
    (ORDER, {"evaluator": (EVALUATOR, "second.lead@tps.org"), "teacher": (TEACHER,)}),
    (("teacher", "evaluator", "teacher"), {"evaluator": (EVALUATOR,), "teacher": (TEACHER,)}),
    (ALL_MEMBERS, {"facilitator": (EVALUATOR,), "member": (TEACHER, COLLEAGUE)}),
])


@settings(max_examples=400, deadline=None)
@given(layout=layouts, answers=responses, changed=st.integers(0, 40))
def test_a_milestone_is_complete_exactly_when_the_oracle_says_so(layout, answers, changed):
    order, roles = layout
    signers = Signers(roles, START + timedelta(minutes=changed))
    signatures = [sign(email, minutes, f"r{i}", agreed) for i, (email, minutes, agreed) in enumerate(answers)]
    state = judge(order, signers, signatures)
    assert state.complete == oracle_complete(order, signers, signatures)
    assert len(state.verdicts) == len(signatures)
    counted = [v.signature for v in state.verdicts if v.counted]
    assert [s.email for s in counted] == list(state.signed)
    everyone = {e for people in roles.values() for e in people}
    for signature in counted:
        assert signature.agreed and signature.email in everyone and signature.signed_at > signers.changed_at
    assert state.complete == (not state.turn)

"""Sign-offs: which responses to the sign-off form count as signatures of a unit's
milestone, whose turn it is to sign, and why each other response does not count.

Pure. A signature is a sign-off form response: who (the verified email), which unit and
milestone (the pre-filled Unit ID and Milestone answers), when (the response time). The
milestone's evidence names who must sign:

- ordered roles (`signoff = ["evaluator", "teacher"]`): one person of each role, in that
  order, each strictly after the one before (Tulsa: the evaluator signs after the review
  meeting, then the teacher);
- `"all members"`: every person of the unit, in any order (Belmont's charter).

A signature counts only when it comes from a person of the unit entitled to sign, after
the latest version of what they sign (a changed plan voids the signatures made before
it: they are shown void and the signers are asked again), and, for ordered roles, when it
is that person's turn. Every response gets a verdict, counted or not, with the reason, so
the Sign-offs tab can show each one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Sequence

ALL_MEMBERS = "all members"

COUNTED = "counted"
NOT_A_SIGNER = "not a person of this unit who signs it"
STALE = "signed before the latest change to what it signs: asked again"
OUT_OF_ORDER = "not yet this person's turn to sign"
ALREADY_SIGNED = "already signed"
NO_SUCH_UNIT = "no unit has this Unit ID"
NOT_SIGNED = "the sign-off question was not answered"


@dataclass(frozen=True)
class Signature:
    response_id: str
    email: str                # the verified respondent, lower case
    unit_id: str
    milestone: str            # the milestone key
    signed_at: datetime
    agreed: bool = True       # "I have reviewed and sign" was answered


@dataclass(frozen=True)
class Signers:
    """Who signs one unit's milestone, and when what they sign last changed."""

    roles: Mapping[str, tuple[str, ...]]    # role key -> the emails of its people, lower case
    changed_at: datetime                    # the latest version of the unit (its latest response)


@dataclass(frozen=True)
class Verdict:
    signature: Signature
    counted: bool
    reason: str


@dataclass(frozen=True)
class SignoffState:
    """One unit's milestone: every verdict, who signed, who must sign next, and whether done."""

    verdicts: tuple[Verdict, ...]
    signed: tuple[str, ...]           # the emails whose signatures count, in the order they signed
    needed: tuple[str, ...]           # everyone who must sign (for "all members"), or the role order
    turn: tuple[str, ...]             # the emails whose turn it is now (none when complete)
    complete: bool

    def progress(self) -> str:
        """The roster's words: "3/5 signed; missing: a@x.org, b@x.org" or "2/2 signed"."""
        done = f"{len(self.signed)}/{len(self.needed)} signed"
        return f"{done}; missing: {', '.join(self.turn)}" if self.turn and not self.complete else done


def judge(order: Sequence[str] | str, signers: Signers, signatures: Sequence[Signature]) -> SignoffState:
    """The state of one unit's milestone given every sign-off response naming them."""
    ordered = sorted(signatures, key=lambda s: (s.signed_at, s.response_id))
    if order == ALL_MEMBERS:
        return _all_members(signers, ordered)
    return _in_order(tuple(order), signers, ordered)


def _void(signature: Signature, signers: Signers, entitled: set[str]) -> str:
    """Why a signature cannot count whatever the order, or "" when it may."""
    if not signature.agreed:
        return NOT_SIGNED
    if signature.email not in entitled:
        return NOT_A_SIGNER
    if signature.signed_at <= signers.changed_at:
        return STALE
    return ""


def _all_members(signers: Signers, signatures: Sequence[Signature]) -> SignoffState:
    everyone = tuple(dict.fromkeys(e for people in signers.roles.values() for e in people))
    entitled, signed, verdicts = set(everyone), [], []
    for signature in signatures:
        reason = _void(signature, signers, entitled) or (ALREADY_SIGNED if signature.email in signed else "")
        if not reason:
            signed.append(signature.email)
        verdicts.append(Verdict(signature, not reason, reason or COUNTED))
    missing = tuple(e for e in everyone if e not in signed)
    return SignoffState(tuple(verdicts), tuple(signed), everyone, missing, not missing)


def _in_order(order: tuple[str, ...], signers: Signers, signatures: Sequence[Signature]) -> SignoffState:
    entitled = {e for role in order for e in signers.roles.get(role, ())}
    step, signed, verdicts = 0, [], []
    last: datetime | None = None
    for signature in signatures:
        reason = _void(signature, signers, entitled)
        if not reason and step == len(order):
            reason = ALREADY_SIGNED if signature.email in signed else OUT_OF_ORDER
        elif not reason and (signature.email not in signers.roles.get(order[step], ())
                             or (last is not None and signature.signed_at <= last)):
            reason = ALREADY_SIGNED if signature.email in signed and not _signs_later(order, step, signers,
                                                                                        signature.email) \
                else OUT_OF_ORDER
        if not reason:
            signed.append(signature.email)
            step, last = step + 1, signature.signed_at
        verdicts.append(Verdict(signature, not reason, reason or COUNTED))
    turn = tuple(signers.roles.get(order[step], ())) if step < len(order) else ()
    return SignoffState(tuple(verdicts), tuple(signed), order, turn, step == len(order))


def _signs_later(order: tuple[str, ...], step: int, signers: Signers, email: str) -> bool:
    """Whether a person who has signed still has a later step of their own (one person in two roles)."""
    return any(email in signers.roles.get(role, ()) for role in order[step:])

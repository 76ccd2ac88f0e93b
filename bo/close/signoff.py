"""`bo signoff P` and `bo reopen P`: sign-offs on a period's close record, and reopening it.

Every step needs a preparer's and a reviewer's sign-off, as the review policy
(bo.close.policy) allows: two different people, an outside reviewer, or a business of one
reviewing itself (recorded as such). A sign-off records the period digest it saw and goes
stale when the period's entries change. Reopening a locked period is on the record: who,
when, why. Both return the record's new text; the command commits it as the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.checks import period_prints
from bo.close.policy import PREPARER, REVIEWER, may_review_own, roles_of
from bo.close.record import (
    MONTH_END,
    NOT_APPLICABLE,
    digest_of,
    load_record,
    record_path,
    record_text,
    stamp,
)
from bo.errors import BadInputError, RefusedError
from bo.identity import Signer


def signed_over(signed: dict[str, Any], digest: str) -> bool:
    """Both sign-offs present and made over the period as it is now."""
    return all(
        isinstance(signed.get(role), dict) and signed[role].get("digest") == digest
        for role in (PREPARER, REVIEWER)
    )


@dataclass
class SignoffOutcome:
    signed: list[str]
    skipped: list[str]
    writes: dict[Path, str] = field(default_factory=dict)


def _hands(signed: Any) -> set[str]:
    """Who put their hand to a sign-off: the name on it and a delegate who signed for them."""
    if not isinstance(signed, dict):
        return set()
    return {n for n in (signed.get("name"), signed.get("by")) if n}


def signoff(
    books: Books,
    period: Any,
    step_ids: list[str],
    signer: Signer,
    role: str | None,
    *,
    now: datetime,
    checklist: str = MONTH_END,
) -> SignoffOutcome:
    """Record the signer's sign-off on steps, never as both parties of one step (unless
    the review policy is self-review).

    Named steps are all signed or none (a step the signer may not sign is refused); without
    step ids, the signer signs every step they may and the rest are listed as skipped, with
    why.
    """
    settings = books.settings
    record = load_record(books.root, period, checklist)
    name = signer.person.name
    if not record.get("steps"):
        command = f"bo close {period}" + (
            "" if checklist == MONTH_END else f" --checklist {checklist}"
        )
        raise BadInputError(f"{period} has no {checklist} record yet: run {command} first")
    if record.get("locked") or record.get("done"):
        raise RefusedError(f"{period} is signed off already; nothing to sign")
    digest = digest_of(period_prints(books, period))
    if record.get("digest") != digest:
        raise RefusedError(
            f"the books changed since bo close {period} ran; run it again before signing"
        )
    for sid in step_ids:
        if sid not in record["steps"]:
            raise BadInputError(f"{sid}: no such step in {period}'s close")
    own_review = may_review_own(settings)
    hands = {name, signer.by.name}
    signoffs = record.setdefault("signoffs", {})
    signed, skipped = [], []
    for sid in step_ids or list(record["steps"]):
        step = record["steps"][sid]
        if step["status"] == NOT_APPLICABLE:
            if step_ids:  # nothing to sign: it does not apply to these books
                raise BadInputError(f"{sid} does not apply to these books (n/a): nothing to sign")
            continue
        roles = {PREPARER: step["owner"], REVIEWER: step["reviewer"]}
        held = roles_of(settings, signer.person, step["owner"], step["reviewer"])
        mine = [r for r in held if role is None or role == r]
        why = None
        if not mine:
            why = _not_theirs(settings, name, sid, roles, held, role)
        elif step["status"] not in ("passed", "manual"):
            why = f"{sid} is {step['status']}: fix it and close again first"
        signed_now = signoffs.get(sid) or {}
        ready, done, reviewed_own, taken = [], [], False, None
        for the_role in mine if why is None else []:
            other = signed_now.get(REVIEWER if the_role == PREPARER else PREPARER)
            if not own_review and hands & _hands(other) and _current(other, digest):
                reviewed_own = True  # nobody reviews their own work
                continue
            there = signed_now.get(the_role)
            if _current(there, digest) and there.get("name") == name:
                done.append(the_role)  # signed over these entries already
                continue
            if _current(there, digest):
                # Someone else's sign-off over these entries stands: never signed over.
                if role is None:
                    done.append(the_role)
                else:
                    taken = f"{sid}: its {the_role} is signed by {there.get('name')} already"
                continue
            ready.append(the_role)
        if not own_review:
            # Holding both roles of a step, a person signs one: the other is someone else's.
            ready = ready[:1]
        if why is None and not ready:
            if done and not reviewed_own:
                continue  # nothing left to do here: safe to sign off twice
            why = taken or _nothing_to_sign(sid, name, mine, signed_now, digest)
        if why is not None:
            if step_ids:
                raise RefusedError(why)
            skipped.append(why)
            continue
        entry = signoffs.setdefault(sid, {})
        for the_role in ready:
            entry[the_role] = {
                "name": name,
                "at": stamp(now),
                "digest": digest,
                "email": signer.by.email,
                **({"by": signer.by.name} if signer.delegated else {}),
                "review": settings.review.policy,
            }
            shown = f"{sid}: {the_role} {name}"
            if signer.delegated:
                shown += f" (signed by {signer.by.name}, their delegate)"
            if own_review and the_role == REVIEWER:
                shown += " (self-review)"
            signed.append(shown)
    outcome = SignoffOutcome(signed, skipped)
    if signed:
        outcome.writes[record_path(books.root, period, checklist)] = record_text(period, record)
    return outcome


def _current(signed: Any, digest: str) -> bool:
    return isinstance(signed, dict) and signed.get("digest") == digest


def _not_theirs(
    settings: Any, name: str, sid: str, roles: dict[str, str], held: list[str], role: str | None
) -> str:
    if settings.review.policy == "outside" and role == REVIEWER:
        return f"{sid}: its review is {settings.review.reviewer}'s (review.policy: outside)"
    if held:
        return f"{name} holds {roles[held[0]]} ({held[0]} of {sid}), not {roles[role]} (its {role})"
    return (
        f"{name} holds neither {roles[PREPARER]} (preparer of {sid}) nor "
        f"{roles[REVIEWER]} (its reviewer)"
    )


def _nothing_to_sign(
    sid: str, name: str, mine: list[str], signed: dict[str, Any], digest: str
) -> str:
    for the_role in mine:
        other = REVIEWER if the_role == PREPARER else PREPARER
        if name in _hands(signed.get(other)) and _current(signed.get(other), digest):
            return (
                f"{sid}: {name} signed as its {other}; its {the_role} must be someone else "
                "(nobody reviews their own work)"
            )
    return f"{sid}: nothing for {name} to sign"


def reopen(
    books: Books,
    period: Any,
    reason: str,
    signer: Signer,
    *,
    now: datetime,
    checklist: str = MONTH_END,
) -> tuple[Path, str]:
    """Unlock a locked period, on the record: who, when, why, and the digest it had. The
    record's path and new text."""
    record = load_record(books.root, period, checklist)
    if not record.get("locked"):
        raise RefusedError(f"{period} is not locked; nothing to reopen")
    if not reason.strip():
        raise BadInputError("--reason: say why the period is reopened; it stays on the record")
    history = record.setdefault("history", [])
    history.append(
        {
            "event": "reopened",
            "reason": reason,
            "by": signer.person.name,
            "at": stamp(now),
            "digest": record["locked"].get("digest"),
            "email": signer.by.email,
        }
    )
    record["locked"] = None
    record["signoffs"] = {}
    path = record_path(books.root, period, checklist)
    return path, record_text(period, record)

"""`bo signoff P` and `bo reopen P`: sign-offs on a period's close record, and reopening it.

Every step needs a preparer's and a reviewer's sign-off, each holding the step's role and
never the same person; a sign-off records the period digest it saw and goes stale when the
period's entries change. Reopening a locked period is on the record: who, when, why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.checks import period_prints
from bo.close.record import digest_of, load_record, record_path, save_record, stamp
from bo.errors import BadInputError, RefusedError
from bo.periods import Period


def signed_over(signed: dict[str, Any], digest: str) -> bool:
    """Both sign-offs present and made over the period as it is now."""
    return all(
        isinstance(signed.get(role), dict) and signed[role].get("digest") == digest
        for role in ("preparer", "reviewer")
    )


@dataclass
class SignoffOutcome:
    signed: list[str]
    skipped: list[str]


def signoff(
    books: Books,
    period: Period,
    step_ids: list[str],
    name: str,
    role: str | None,
    *,
    now: datetime,
) -> SignoffOutcome:
    """Record NAME's sign-off on steps, never as both parties of one step.

    Named steps are all signed or none (a step NAME may not sign is refused); without step
    ids, NAME signs every step they may and the rest are listed as skipped, with why.
    """
    record = load_record(books.root, period)
    if not record.get("steps"):
        raise BadInputError(f"{period} has no close record yet: run bo close {period} first")
    if record.get("locked"):
        raise RefusedError(f"{period} is locked; nothing to sign")
    person = next((p for p in books.settings.people if p.name == name), None)
    if person is None:
        known = ", ".join(p.name for p in books.settings.people)
        raise BadInputError(f"--as {name}: not in bo.yaml people ({known})")
    digest = digest_of(period_prints(books, period))
    if record.get("digest") != digest:
        raise RefusedError(
            f"the books changed since bo close {period} ran; run it again before signing"
        )
    for sid in step_ids:
        if sid not in record["steps"]:
            raise BadInputError(f"{sid}: no such step in {period}'s close")
    signoffs = record.setdefault("signoffs", {})
    signed, skipped = [], []
    for sid in step_ids or list(record["steps"]):
        step = record["steps"][sid]
        roles = {"preparer": step["owner"], "reviewer": step["reviewer"]}
        held = [r for r, needed in roles.items() if needed in person.roles]
        mine = [r for r in held if role is None or role == r]
        why = None
        if not mine:
            if held:
                why = (
                    f"{name} holds {roles[held[0]]} ({held[0]} of {sid}), "
                    f"not {roles[role]} (its {role})"
                )
            else:
                why = (
                    f"{name} holds neither {step['owner']} (preparer of {sid}) nor "
                    f"{step['reviewer']} (its reviewer)"
                )
        elif step["status"] not in ("passed", "manual"):
            why = f"{sid} is {step['status']}: fix it and close again first"
        signed_now = signoffs.get(sid) or {}
        ready, done, own_review, taken = [], [], False, None
        for the_role in mine if why is None else []:
            other = signed_now.get("reviewer" if the_role == "preparer" else "preparer")
            if _by(other, name, digest):
                own_review = True  # nobody reviews their own work
                continue
            there = signed_now.get(the_role)
            current = isinstance(there, dict) and there.get("digest") == digest
            if current and there.get("name") == name:
                done.append(the_role)  # signed over these entries already
                continue
            if current:
                # Someone else's sign-off over these entries stands: never signed over.
                if role is None:
                    done.append(the_role)
                else:
                    taken = f"{sid}: its {the_role} is signed by {there.get('name')} already"
                continue
            ready.append(the_role)
        # Holding both roles of a step, a person signs one: the other is someone else's.
        ready = ready[:1]
        if why is None and not ready:
            if done and not own_review:
                continue  # nothing left to do here: safe to sign off twice
            why = taken or _nothing_to_sign(sid, name, mine, signed_now, digest)
        if why is not None:
            if step_ids:
                raise RefusedError(why)
            skipped.append(why)
            continue
        entry = signoffs.setdefault(sid, {})
        for the_role in ready:
            entry[the_role] = {"name": name, "at": stamp(now), "digest": digest}
            signed.append(f"{sid}: {the_role} {name}")
    if signed:
        save_record(books.root, period, record)
    return SignoffOutcome(signed, skipped)


def _by(signed: Any, name: str, digest: str) -> bool:
    mine = isinstance(signed, dict) and signed.get("name") == name
    return mine and signed.get("digest") == digest


def _nothing_to_sign(
    sid: str, name: str, mine: list[str], signed: dict[str, Any], digest: str
) -> str:
    for the_role in mine:
        other = "reviewer" if the_role == "preparer" else "preparer"
        if _by(signed.get(other), name, digest):
            return (
                f"{sid}: {name} signed as its {other}; its {the_role} must be someone else "
                "(nobody reviews their own work)"
            )
    return f"{sid}: nothing for {name} to sign"


def reopen(books: Books, period: Period, reason: str, by: str, *, now: datetime) -> Path:
    """Unlock a locked period, on the record: who, when, why, and the digest it had."""
    record = load_record(books.root, period)
    if not record.get("locked"):
        raise RefusedError(f"{period} is not locked; nothing to reopen")
    if not reason.strip():
        raise BadInputError("--reason: say why the period is reopened; it stays on the record")
    history = record.setdefault("history", [])
    history.append(
        {
            "event": "reopened",
            "reason": reason,
            "by": by,
            "at": stamp(now),
            "digest": record["locked"].get("digest"),
        }
    )
    record["locked"] = None
    record["signoffs"] = {}
    save_record(books.root, period, record)
    return record_path(books.root, period)

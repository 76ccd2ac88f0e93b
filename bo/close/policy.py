"""The review policy (`review:` in bo.yaml): who may prepare and who may review each step.

- `separate` (the default): a step's preparer holds its owner role, its reviewer holds its
  reviewer role, and they are two different people.
- `outside`: the named outside reviewer (an accountant, say) reviews every step; the
  business's people prepare, and the outside reviewer never prepares.
- `self`: a business of one signs both sides of every step, and the record says it was
  self-reviewed, with the policy's note.

Only people with an email can sign: git names who signs by its `user.email`.
"""

from __future__ import annotations

from typing import Any

from bo.settings import Person, ReviewPolicy, Settings

PREPARER, REVIEWER = "preparer", "reviewer"


def _signers(settings: Settings) -> list[Person]:
    return [p for p in settings.people if p.email]


def roles_of(settings: Settings, person: Person, owner: str, reviewer: str) -> list[str]:
    """Which sides of a step (owner role, reviewer role) `person` may sign."""
    policy = settings.review
    if policy.policy == "outside":
        if person.name == policy.reviewer:
            return [REVIEWER]
        return [PREPARER] if owner in person.roles else []
    held = []
    if owner in person.roles:
        held.append(PREPARER)
    if reviewer in person.roles:
        held.append(REVIEWER)
    return held


def may_review_own(settings: Settings) -> bool:
    """Whether one person may sign both sides of a step: only a business of one."""
    return settings.review.policy == "self"


def policy_problems(settings: Settings, steps: list[Any]) -> list[str]:
    """Why the review policy cannot be met for these steps, one line each (none: it can)."""
    policy = settings.review
    signers = _signers(settings)
    names = ", ".join(p.name for p in settings.people) or "nobody"
    no_email = [p.name for p in settings.people if not p.email]
    unsigned = (
        f" ({', '.join(no_email)} cannot sign without an `email:` in bo.yaml)" if no_email else ""
    )
    if policy.policy == "self":
        if len(settings.people) != 1:
            return [
                f"review.policy is self, for a business of one, but bo.yaml lists "
                f"{len(settings.people)} people ({names}): set review.policy to separate "
                "or outside"
            ]
        if not signers:
            return [f"{names} cannot sign without an `email:` in bo.yaml people"]
        return []
    problems = []
    if policy.policy == "outside":
        outside = next((p for p in settings.people if p.name == policy.reviewer), None)
        if outside is None:
            return [f"review.reviewer {policy.reviewer} is not in bo.yaml people ({names})"]
        if not outside.email:
            return [f"review.reviewer {policy.reviewer} needs an `email:` in bo.yaml to sign"]
    for step in steps:
        preparers = [
            p for p in signers if PREPARER in roles_of(settings, p, step.owner, step.reviewer)
        ]
        reviewers = [
            p for p in signers if REVIEWER in roles_of(settings, p, step.owner, step.reviewer)
        ]
        if not preparers:
            problems.append(f"{step.id}: nobody who can sign holds {step.owner}{unsigned}")
        elif not reviewers:
            problems.append(
                f"{step.id}: nobody who can sign holds {step.reviewer} to review it{unsigned}"
            )
        elif not any(p.name != r.name for p in preparers for r in reviewers):
            problems.append(
                f"{step.id}: only {preparers[0].name} can prepare and review it, and nobody "
                "reviews their own work: add a second person, an outside reviewer "
                "(review.policy: outside) or, in a business of one, review.policy: self"
            )
    return problems


def recorded_policy(record: dict[str, Any]) -> ReviewPolicy | None:
    """The review policy a close record says it ran under (None: it does not say)."""
    from pydantic import ValidationError

    review = record.get("review")
    if not isinstance(review, dict):
        return None
    try:
        return ReviewPolicy.model_validate(review)
    except ValidationError:
        return None

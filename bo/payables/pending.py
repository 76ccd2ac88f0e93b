"""Bills waiting for approval as `bo status` tasks; one idle past bo.yaml
`approvals.idle_days` escalates to `approvals.escalate_to`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo.tasks import Task

if TYPE_CHECKING:
    from bo.books import Books


def approval_tasks(books: Books, as_of: date, mine: set[str] | None) -> list[Task]:
    """Unpaid bills short of approvals, when bo.yaml declares an `approvals` policy."""
    if "approvals" not in books.settings.model_fields_set:
        return []  # books that do not approve bills in bo need not load the ledger here
    # Kept between runs like reports: `bo status` over unchanged books loads no entry.
    params = [str(as_of), sorted(mine) if mine is not None else None]
    return books.result(
        "approval-tasks", lambda: _approval_tasks(books, as_of, mine), params=params
    )


def _approval_tasks(books: Books, as_of: date, mine: set[str] | None) -> list[Task]:
    # Imported here: an answer from bo's cache needs none of the matcher or the ledger.
    from bo.matching import normalize_ref, normalize_text
    from bo.payables.approvals import approval_states, idle_since
    from bo.reports.aging import aging

    settings = books.settings
    entries = books.ledger.entries
    unpaid = {
        (normalize_text(i.party), normalize_ref(i.invoice))
        for i in aging(entries, settings, "payable", as_of).items
        if not i.credit
    }
    policy = settings.approvals
    calendar = settings.entity.calendar()
    holders = {
        role: ", ".join(p.name for p in settings.people if role in p.roles)
        for role in settings.roles
    }
    everyone = ", ".join(p.name for p in settings.people)
    found = []
    for key, state in approval_states(entries, settings).items():
        if key not in unpaid or state.approved or state.bill.issued > as_of:
            continue
        roles = state.need.roles
        if mine is not None and roles and not (set(roles) | {policy.escalate_to}) & mine:
            continue
        due = idle_since(state, policy.idle_days)
        late = calendar.business_days_between(due, as_of) if as_of > due else 0
        escalated = late > 0
        approvers = " or ".join(roles) or "anyone"
        if escalated:
            people = holders.get(policy.escalate_to, "")
        else:
            people = ", ".join(holders.get(r, "") for r in roles) if roles else everyone
        bill = state.bill
        found.append(
            Task(
                settings.entity.name,
                books.root.name,
                "approvals",
                f"{bill.issued:%Y-%m}",
                f"{bill.vendor} {bill.number}",
                f"approve bill {bill.number} of {bill.vendor}, {bill.amount:,} {bill.currency}",
                approvers,
                policy.escalate_to,
                people,
                due,
                f"{len(state.approvers)}/{state.need.count} approvals",
                late,
                escalated,
            )
        )
    return found

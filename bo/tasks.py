"""A task of `bo status`: one step of a checklist (or a bill short of approvals) that sits
with someone, by a due date. Its own module, so that what makes tasks (bo.status, the
payables' approvals) shares the one shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Task:
    books: str  # the entity
    folder: str  # the books repo's folder, which tells two clients of one name apart
    checklist: str
    period: str
    step: str
    title: str
    owner: str
    reviewer: str
    people: str  # who holds the role the task sits with now
    due: date
    state: str
    overdue_days: int
    escalated: bool

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

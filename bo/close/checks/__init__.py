"""The built-in checks and actions a checklist step can name.

Each is a small function of a `CloseContext` and its parameters (the step's `with:`,
validated by a pydantic model of bo.close.params when the checklist loads) returning a
`StepResult`: passed or failed, a one-line summary and the details a reviewer needs (with
`file:line` where there is one). Checks only read; they return the files they want written
(`writes`), and `bo.close.run` writes them once the whole close has run. One module per area;
importing this package registers them all.
"""

from bo.close.checks import bank, books, cadence, payroll, reports, review, schedules
from bo.close.context import CloseContext, StepResult
from bo.close.params import PARAMS
from bo.close.registry import ACTIONS, CHECKS

__all__ = [
    "ACTIONS",
    "CHECKS",
    "PARAMS",
    "CloseContext",
    "StepResult",
    "bank",
    "books",
    "cadence",
    "payroll",
    "reports",
    "review",
    "schedules",
]

"""The registry of built-in checks and actions: each registers its function by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bo.close.context import CloseContext, StepResult
from bo.close.params import ACTION_PARAMS, CHECK_PARAMS

Check = Callable[[CloseContext, Any], StepResult]
CHECKS: dict[str, Check] = {}
ACTIONS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under the name its parameters are declared with (bo.close.params)."""
    assert name in CHECK_PARAMS, f"{name}: declare its parameters in bo.close.params"

    def register(func: Check) -> Check:
        CHECKS[name] = func
        return func

    return register


def action(name: str) -> Callable[[Check], Check]:
    """Register an action under the name its parameters are declared with."""
    assert name in ACTION_PARAMS, f"{name}: declare its parameters in bo.close.params"

    def register(func: Check) -> Check:
        ACTIONS[name] = func
        return func

    return register


def not_applicable(summary: str, details: list[str] | None = None) -> StepResult:
    """The step does not apply to these books (`summary` says why): n/a, never "ok"."""
    from bo.close.record import NOT_APPLICABLE

    return StepResult(NOT_APPLICABLE, summary, details or [])


def verdict(problems: list[str], ok: str, bad: str, details: list[str] | None = None) -> StepResult:
    """Passed with `ok`, or failed with `bad` (`{n}`: how many problems) and the problems.

    `bad` may give the words for one problem first, before a `|`: `1 statement missing|{n}
    statements missing`."""
    if problems:
        one, _, many = bad.rpartition("|")
        said = one if len(problems) == 1 and one else many
        return StepResult("failed", said.format(n=len(problems)), problems + (details or []))
    return StepResult("passed", ok, details or [])

"""A step's parameters (its `with:` in the checklist), one pydantic model per check or action.

The checklist is validated against these names when it loads, without importing the checks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from bo.settings import CASH_ROLES, Money


class Params(BaseModel):
    """A check's parameters: unknown keys are errors, so a typo never silently does nothing."""

    # Built on first use: a checklist names only some of the checks.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoParams(Params):
    pass


class ReconciledParams(Params):
    accounts: list[str] | None = Field(
        None, description="the accounts to reconcile; default every bank, card and processor"
    )
    outstanding_check_days: int | None = Field(None, ge=0)
    deposit_in_transit_days: int | None = Field(None, ge=0)

    @field_validator("accounts")
    @classmethod
    def _cash_accounts(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        settings = (info.context or {}).get("settings")
        if value is None or settings is None:
            return value
        cash = sorted(a for a, c in settings.accounts.items() if c.role in CASH_ROLES)
        unknown = [a for a in value if a not in cash]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not a bank, card or processor account in bo.yaml "
                f"(those are: {', '.join(cash) or 'none'})"
            )
        return value


class AgingParams(Params):
    side: Literal["receivable", "payable"] = "receivable"
    over_days: int = Field(90, ge=1, description="items past due longer than this are listed")


class FluxParams(Params):
    budget: bool = Field(True, description="compare with budgets/YYYY.yaml too")


class DocumentsParams(Params):
    materiality: Money | None = Field(None, description="default: thresholds.materiality")


class PayrollParams(Params):
    expenses: str | None = Field(
        None,
        description="the payroll expense accounts' parent; default: Payroll under the "
        "ledger's expenses root (Expenses:Payroll)",
    )
    register_: str | None = Field(
        None,
        alias="register",
        description="a payroll register CSV (date, gross, employee_taxes, employer_taxes, "
        "net_pay), relative to the books",
    )


class ReportsParams(Params):
    kinds: list[str] = Field(default_factory=lambda: ["trial", "pnl", "balance"], min_length=1)
    format: Literal["md", "html"] = "md"

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        from bo.reports import KINDS

        unknown = [k for k in value if k not in KINDS]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not a report (one of {', '.join(KINDS)})")
        return value


# Every built-in check and action by name, with its parameters.
CHECK_PARAMS: dict[str, type[Params]] = {
    "calendar": NoParams,
    "ledger-valid": NoParams,
    "imports-current": NoParams,
    "reconciled": ReconciledParams,
    "no-uncategorized": NoParams,
    "suspense-zero": NoParams,
    "payroll-tieout": PayrollParams,
    "schedules-posted": NoParams,
    "no-duplicates": NoParams,
    "aging-reviewed": AgingParams,
    "trial-balance": NoParams,
    "flux": FluxParams,
    "documents": DocumentsParams,
    "loan-interest": NoParams,
    "cutoff": NoParams,
    "months-closed": NoParams,
}
ACTION_PARAMS: dict[str, type[Params]] = {
    "post-schedules": NoParams,
    "render-reports": ReportsParams,
}
PARAMS: dict[str, type[Params]] = {**CHECK_PARAMS, **ACTION_PARAMS}
# What works on a month only (statements, payroll runs, month-over-month flux, the month's
# closing entries and reports): a weekly, quarterly or yearly checklist cannot name these.
MONTHLY_ONLY = frozenset(
    {
        "imports-current",
        "reconciled",
        "no-duplicates",
        "payroll-tieout",
        "flux",
        "post-schedules",
        "render-reports",
    }
)
# What needs a period of whole months: a day or a week has no month-end closes to look at.
WHOLE_MONTHS = frozenset({"months-closed"})

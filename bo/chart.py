"""The chart of accounts as the ledger's options define it: root names and account types.

beancount lets a ledger rename its five roots (`option "name_income" "Revenue"`); bean-check,
fava and bean-query follow the options, and so does bo. Every question "is this an income
account?" goes through beancount's own account-type helpers with the ledger's types, never
through a string prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from beancount.core import account_types

    from bo.settings import Settings

# What a statement calls this year's income and expenses while the year is open: the books'
# equity as it would stand after the year-end closing entries beancount never posts.
CURRENT_EARNINGS = "Current earnings"
# What beancount's tolerance lets entries leave unbalanced, as a line of the statements.
ROUNDING = "Rounding within tolerance"
# The line of current earnings under beancount's default root names (`Chart.of(None)`), for a
# default that must not import beancount: a report class is defined when a cached one loads.
DEFAULT_CURRENT_EARNINGS = f"Equity:{CURRENT_EARNINGS}"
# Reports list accounts by type in the order of beancount's default root names, so a ledger
# that renames its roots lists them as the same ledger under the default names would.
_ORDER = ("assets", "equity", "expenses", "income", "liabilities")


@dataclass(frozen=True)
class Chart:
    """The five root names of one ledger, and what they make of an account name."""

    types: account_types.AccountTypes
    # Where amounts converted at a price between two currencies are shown (beancount's
    # `account_current_conversions` under the equity root, as fava shows them).
    conversions: str = "Equity:Conversions:Current"

    @classmethod
    def of(cls, options_map: dict[str, Any] | None) -> Chart:
        """The chart the ledger's options name (beancount's defaults without options)."""
        from beancount.core import account_types
        from beancount.parser import options as beancount_options

        if not options_map or "name_assets" not in options_map:
            return cls(account_types.DEFAULT_ACCOUNT_TYPES)
        types = beancount_options.get_account_types(options_map)
        leaf = options_map.get("account_current_conversions") or "Conversions:Current"
        return cls(types, f"{types.equity}:{leaf}")

    def kind(self, account: str) -> str:
        """`assets`, `liabilities`, `equity`, `income`, `expenses`, or "" for another root."""
        from beancount.core import account_types

        root = account_types.get_account_type(account)
        for name, value in self.types._asdict().items():
            if root == value:
                return name
        return ""

    def sort_key(self, account: str) -> tuple[int, str]:
        """Where `account` goes in a report: by type, then by the rest of its name."""
        kind = self.kind(account)
        rest = account.split(":", 1)[1] if ":" in account else ""
        return (_ORDER.index(kind), rest) if kind else (len(_ORDER), account)

    def is_pnl(self, account: str) -> bool:
        """An income or expense account: its balance belongs to a period, not a date."""
        from beancount.core import account_types

        return account_types.is_income_statement_account(account, self.types)

    def is_income(self, account: str) -> bool:
        from beancount.core import account_types

        return account_types.get_account_type(account) == self.types.income

    def is_equity(self, account: str) -> bool:
        from beancount.core import account_types

        return account_types.is_equity_account(account, self.types)

    def sign(self, account: str) -> int:
        """+1 where a normal balance is a debit (assets, expenses), -1 elsewhere."""
        from beancount.core import account_types

        return account_types.get_account_sign(account, self.types)

    @property
    def current_earnings(self) -> str:
        """The balance sheet's line for this fiscal year's income less expenses."""
        return f"{self.types.equity}:{CURRENT_EARNINGS}"

    @property
    def rounding(self) -> str:
        """The statements' line for what tolerance left unbalanced (not an account)."""
        return f"{self.types.equity}:{ROUNDING}"

    def retained_earnings(self, settings: Settings) -> str:
        """Where earlier fiscal years' income and expenses go: the account with the
        `retained_earnings` role, else `<Equity root>:RetainedEarnings`."""
        chosen = settings.accounts_with_role("retained_earnings")
        return chosen[0] if chosen else f"{self.types.equity}:RetainedEarnings"

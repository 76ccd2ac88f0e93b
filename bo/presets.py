"""Built-in statement formats: the common CSV layouts, by name, for `statement.format`.

Each preset is what a person would otherwise write under `statement_formats` in bo.yaml.
An account names one directly (`statement: {format: plain}`), or a format of bo.yaml starts
from one and overrides keys of it (`{preset: chase-card, date_format: "%Y-%m-%d"}`).

The banks' layouts are the header rows their CSV downloads print, as the banks' help pages
and the importers people share describe them; a bank that changes its export needs a
format in bo.yaml that overrides the preset's keys, not a new bo.
"""

from __future__ import annotations

from typing import Any

# ISO first: it cannot be mistaken for another; then the US order bo's default entity uses.
# A file is read with the first of these that reads all its dates (bo.statements.csv).
COMMON_DATES = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
US_DATES = "%m/%d/%Y"

PRESETS: dict[str, dict[str, Any]] = {
    # Date,Description,Amount: a signed amount, money in positive.
    "plain": {
        "kind": "csv",
        "date": "Date",
        "date_format": COMMON_DATES,
        "amount": "Amount",
        "payee": "Description",
    },
    # Date,Description,Debit,Credit: money out and money in in columns of their own.
    "debit-credit": {
        "kind": "csv",
        "date": "Date",
        "date_format": COMMON_DATES,
        "debit": "Debit",
        "credit": "Credit",
        "payee": "Description",
    },
    # Date,Description,Amount,Balance: signed amounts and the running balance.
    "plain-balance": {
        "kind": "csv",
        "date": "Date",
        "date_format": COMMON_DATES,
        "amount": "Amount",
        "payee": "Description",
        "balance": "Balance",
    },
    # Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #
    "chase-checking": {
        "kind": "csv",
        "date": "Posting Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "payee": "Description",
        "memo": "Type",
        "reference": "Check or Slip #",
        "balance": "Balance",
    },
    # Transaction Date,Post Date,Description,Category,Type,Amount,Memo (charges negative)
    "chase-card": {
        "kind": "csv",
        "date": "Transaction Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "payee": "Description",
        "memo": "Category",
    },
    # A summary block, a blank line, then Date,Description,Amount,Running Bal. whose first
    # row is "Beginning balance as of ..." with the balance and no amount.
    "bofa-checking": {
        "kind": "csv",
        "skip_rows": 6,
        "date": "Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "payee": "Description",
        "balance": "Running Bal.",
        "filters": [
            {"column": "Description", "matches": "^Beginning balance", "then": "opening_balance"}
        ],
    },
    # Posted Date,Reference Number,Payee,Address,Amount (charges negative)
    "bofa-card": {
        "kind": "csv",
        "date": "Posted Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "payee": "Payee",
        "id": "Reference Number",
    },
    # Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit (ISO dates)
    "capitalone-card": {
        "kind": "csv",
        "date": "Transaction Date",
        "date_format": "%Y-%m-%d",
        "debit": "Debit",
        "credit": "Credit",
        "payee": "Description",
        "memo": "Category",
        "account_number": "Card No.",
    },
    # Date,Description,Amount: charges positive, payments negative.
    "amex-card": {
        "kind": "csv",
        "date": "Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "positive": "outflow",
        "payee": "Description",
    },
    # Status,Date,Description,Debit,Credit
    "citi-card": {
        "kind": "csv",
        "date": "Date",
        "date_format": US_DATES,
        "debit": "Debit",
        "credit": "Credit",
        "payee": "Description",
    },
    # Trans. Date,Post Date,Description,Amount,Category: charges positive.
    "discover-card": {
        "kind": "csv",
        "date": "Trans. Date",
        "date_format": US_DATES,
        "amount": "Amount",
        "positive": "outflow",
        "payee": "Description",
        "memo": "Category",
    },
    # No header: date, signed amount, "*", check number, description.
    "wellsfargo": {
        "kind": "csv",
        "date": 0,
        "date_format": US_DATES,
        "amount": 1,
        "reference": 3,
        "payee": 4,
    },
}

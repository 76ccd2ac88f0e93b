"""bo.yaml: the typed settings of a books repo, validated with file:line errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from bo.calendar import BusinessCalendar, calendar_problem
from bo.errors import Finding, SettingsError, Source
from bo.io import DEFAULT_LEDGER, SETTINGS_FILE
from bo.patterns import compile_pattern
from bo.yamlfile import parse_yaml, read_text, validate_data

# Beancount's own account grammar: a root, then components starting with a capital or digit.
ACCOUNT_RE = re.compile(r"^[A-Z][A-Za-z0-9-]*(:[A-Z0-9][A-Za-z0-9-]*)+$")
CURRENCY_RE = re.compile(r"^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]$")
# What a Money value looks like in a file, for editors (Money._parse is the reader).
MONEY_PATTERN = r"^-?[0-9][0-9,]*(\.[0-9]+)? +[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]$"
# Beancount's lexer reads `#tag` and `^link` as these characters only; anything else
# would be written into the ledger as text bean-check refuses.
TAG_RE = re.compile(r"^[A-Za-z0-9_/.-]+$")

AccountRole = Literal[
    "bank",
    "card",
    "processor",
    "clearing",
    "receivable",
    "payable",
    "payroll_liabilities",
    "sales_tax",
    "uncategorized",
    "suspense",
    "retained_earnings",
    "prepaid",
    "fixed_asset",
    "accumulated_depreciation",
    "loan",
    "deferred_revenue",
    "accrued_liabilities",
    "owner_equity",
    "investment",
]
# Roles whose accounts hold money and are reconciled against a statement.
# How a close is reviewed (ReviewPolicy); close records keep it beside each sign-off.
ReviewKind = Literal["separate", "outside", "self"]

CASH_ROLES = frozenset({"bank", "card", "processor"})
# Roles of accounts that hold what the business owes: their statements print a balance owed.
OWED_ROLES = frozenset(
    {
        "card",
        "loan",
        "payable",
        "payroll_liabilities",
        "sales_tax",
        "deferred_revenue",
        "accrued_liabilities",
    }
)


class Strict(BaseModel):
    """Base for every settings model: unknown keys are errors, values are immutable.

    Validators are built on first use (`defer_build`): a command over unchanged books takes
    its settings, checklists and records from bo's caches and needs none of them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Money(Strict):
    """An amount with its currency, written `15000.00 USD` in YAML."""

    number: Decimal
    currency: str

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = value.replace(",", "").split()
            if len(parts) == 2:
                try:
                    number = Decimal(parts[0])
                except InvalidOperation:
                    number = None
                if number is not None and _sane(number):
                    return {"number": number, "currency": parts[1]}
            raise ValueError(
                f"expected an amount with its currency like `1500.00 USD`, got `{value}`"
            )
        if isinstance(value, (int, Decimal)):
            raise ValueError(f"`{value}` needs its currency, like `{value} USD`")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _currency(value)

    def __str__(self) -> str:
        return f"{self.number:,} {self.currency}"

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # People write `1500.00 USD`; the mapping the model holds is not what a file says.
        return {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": "an amount and its currency, like `1500.00 USD`",
            "examples": ["1500.00 USD"],
        }


def _sane(number: Decimal) -> bool:
    """A finite amount of at most 15 digits before the point and 10 after (no `1e999999`,
    no `nan`): what any business's books hold."""
    if not number.is_finite():
        return False
    _, digits, exponent = number.as_tuple()
    return len(digits) + int(exponent) <= 15 and int(exponent) >= -10


def _currency(value: str) -> str:
    if not CURRENCY_RE.match(value):
        raise ValueError(f"`{value}` is not a currency code like USD")
    return value


def _account(value: str) -> str:
    if not ACCOUNT_RE.match(value):
        raise ValueError(f"`{value}` is not a beancount account name like `Assets:Bank:Checking`")
    return value


Account = Annotated[str, Field(min_length=3)]


def _supported(day: date) -> date:
    from bo.periods import date_problem

    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


# A date in a file bo reads: inside the dates bo works with.
Day = Annotated[date, AfterValidator(_supported)]
Column = str | int  # a header name, or a 0-based position


class Entity(Strict):
    name: str
    currency: str = "USD"
    fiscal_year_start: int = Field(1, ge=1, le=12, description="month the fiscal year starts")
    country: str = "US"
    subdivision: str | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _currency(value)

    def calendar(self) -> BusinessCalendar:
        """The entity's business days."""
        return BusinessCalendar(self.country, self.subdivision)


class Person(Strict):
    """Someone who does the work. bo knows who runs it by git's `user.email`, matched to
    `email` here; a person without one can be named but never sign."""

    name: str = Field(min_length=1)
    email: str | None = None
    roles: list[str] = Field(min_length=1)
    # Who may sign in this person's name while they are away (recorded as a delegation).
    delegates: list[str] = Field([], description="names of people who may sign for this one")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if any(ch in value for ch in "<>\n") or not value.strip():
            raise ValueError(f"`{value}`: a name on one line, without < or >")
        return value


class ReviewPolicy(Strict):
    """Who reviews the close's steps (the calendar step checks that it can be met).

    `separate` (the default): every step's reviewer is another person than its preparer.
    `outside`: `reviewer`, a person outside the business (an accountant, with an email), signs
    the review of every step, possibly later and from a clone of their own; the business's
    people prepare. `self`: a business of one reviews its own work, and `note` says how.
    """

    policy: ReviewKind = "separate"
    reviewer: str | None = Field(None, description="outside: the person who reviews every step")
    note: str | None = Field(None, description="self: how the work is checked, for the record")

    @model_validator(mode="after")
    def _complete(self) -> ReviewPolicy:
        if self.policy == "outside" and not self.reviewer:
            raise ValueError(
                "`policy: outside` needs `reviewer:`, the name of the outside reviewer"
            )
        if self.policy != "outside" and self.reviewer:
            raise ValueError("`reviewer:` goes with `policy: outside`")
        if self.policy == "self" and not (self.note or "").strip():
            raise ValueError(
                "`policy: self` needs `note:` saying how the work is checked, e.g. "
                '"one owner; the outside accountant reviews the year-end"'
            )
        return self

    def short(self) -> str:
        """The policy in a word or two, for a table column."""
        if self.policy == "outside":
            return f"outside: {self.reviewer}"
        return "self-review" if self.policy == "self" else "separate"

    def describe(self) -> str:
        """The policy in a line, as the close report and status print it."""
        if self.policy == "self":
            return f"self-review (a business of one): {self.note}"
        if self.policy == "outside":
            return f"outside review by {self.reviewer}"
        return "separate preparer and reviewer"


class StatementSource(Strict):
    format: str
    dir: str | None = Field(None, description="folder of statements; default statements/<account>")
    # The bank's number for the account, or its last digits as masked exports print them:
    # a statement that names another account is refused.
    account_id: str | None = Field(None, min_length=1)


class AccountSettings(Strict):
    role: AccountRole
    minimum: Money | None = None
    statement: StatementSource | None = None
    cashflow: Literal["operating", "investing", "financing"] | None = None
    # An account fed daily is stale sooner than one with a monthly statement.
    stale_days: int | None = Field(None, ge=0, description="overrides thresholds.stale_days")


class RowFilter(Strict):
    """Rows that are not transactions: a summary, an opening balance, a trailer.

    `matches` is searched (RE2) in the cell of `column`, or in the whole row as written
    when no column is given. `then` says what the row is: `skip` (a summary, a subtotal),
    `opening_balance` or `closing_balance` (its balance, or else its amount, is the
    statement's balance, never a deposit), or `end` (the data ends: this row and every one
    after it are a trailer).
    """

    matches: str
    column: Column | None = Field(None, description="default: the whole row")
    then: Literal["skip", "opening_balance", "closing_balance", "end"] = "skip"

    @field_validator("matches")
    @classmethod
    def _pattern(cls, value: str) -> str:
        compile_pattern(value)
        return value


# Words a direction column prints, compared ignoring case.
# ("payment" is left out: money out of a bank account, money into a card.)
OUTFLOW_WORDS = ["D", "DR", "DB", "debit", "withdrawal", "charge", "purchase"]
INFLOW_WORDS = ["C", "CR", "credit", "deposit", "refund"]
# What people write in YAML for a tab: `tab`, or `'\t'` (single quotes keep the backslash).
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


class CsvFormat(Strict):
    """How to read one bank's CSV export. Columns are header names or 0-based positions."""

    kind: Literal["csv"] = "csv"
    preset: str | None = Field(
        None, description="start from this built-in format; the keys given here override it"
    )
    delimiter: str = Field(",", description="one character; `tab` (or `\\t`) for a tab")
    encoding: str = "utf-8-sig"
    skip_rows: int = Field(0, ge=0, le=1000, description="lines before the header row")
    footer_rows: int = Field(0, ge=0, le=1000, description="lines after the data to leave out")
    date: Column
    date_format: str | list[str] = Field(
        "%Y-%m-%d",
        description="strptime pattern, or a list: the first that reads every date of a file "
        "is used; a one-digit year (`10-Nov-9`) reads with `%y`",
    )
    amount: Column | None = None
    debit: Column | None = None
    credit: Column | None = None
    # "inflow": a positive amount is money into the account as the bank sees it (deposits on a
    # bank statement, payments on a card statement); "outflow": positive means charges.
    positive: Literal["inflow", "outflow"] = "inflow"
    direction: Column | None = Field(
        None, description="a column saying which way `amount` goes (D/C, debit/credit)"
    )
    outflow_words: list[str] = Field(
        OUTFLOW_WORDS, description="`direction` values meaning money out (any case)"
    )
    inflow_words: list[str] = Field(
        INFLOW_WORDS, description="`direction` values meaning money in (any case)"
    )
    payee: Column | None = None
    memo: Column | None = None
    reference: Column | None = Field(None, description="check number or other reference")
    id: Column | None = Field(None, description="the bank's own transaction id")
    balance: Column | None = Field(None, description="running balance after the row")
    # A card or loan statement prints what is owed as a positive or a negative balance;
    # left out, the signs of the balances themselves say which (see bo.statements.csv).
    balance_owed: Literal["positive", "negative"] | None = Field(
        None, description="how the balance column prints what is owed (cards, loans)"
    )
    account_number: Column | None = Field(
        None,
        description="the account or card number; rows of another account with an "
        "`account_id` in bo.yaml are that account's",
    )
    filters: list[RowFilter] = Field([], description="rows that are not transactions")
    decimal: Literal[".", ","] = "."
    thousands: Literal[",", ".", " ", "'", ""] = Field(
        ",", description="default `.` when `decimal` is `,`"
    )
    currency: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        name = data.get("preset")
        if name is not None:
            from bo.presets import PRESETS

            if name not in PRESETS:
                raise ValueError(
                    f"`preset: {name}` is not a built-in format ({', '.join(sorted(PRESETS))})"
                )
            data = {**PRESETS[name], **data}
        # A decimal comma goes with thousands in dots (1.234,50), unless the file says else.
        if data.get("decimal") == "," and "thousands" not in data:
            data = {**data, "thousands": "."}
        return data

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else _currency(value)

    @field_validator("delimiter", mode="before")
    @classmethod
    def _delimiter(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = DELIMITER_NAMES.get(value.lower() if len(value) > 1 else value, value)
            if len(value) != 1 or value in '"\r\n':
                raise ValueError("one character that separates fields, like `,`, `;` or `tab`")
        return value

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"`{value}` is not an encoding Python knows (e.g. utf-8-sig, cp1252, latin-1)"
            ) from None
        return value

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list):
            if not value:
                raise ValueError("give at least one date pattern")
            for pattern in value:
                _date_format(pattern)
            return value
        return _date_format(value)

    @model_validator(mode="after")
    def _amount_columns(self) -> CsvFormat:
        if self.amount is None and (self.debit is None or self.credit is None):
            raise ValueError("give `amount`, or both `debit` and `credit` columns")
        if self.amount is not None and (self.debit is not None or self.credit is not None):
            raise ValueError("give either `amount` or `debit`/`credit`, not both")
        if self.direction is not None and self.amount is None:
            raise ValueError("`direction` says which way `amount` goes: give `amount` too")
        if self.decimal == self.thousands:
            raise ValueError(
                f"`decimal` and `thousands` are both `{self.decimal}`: set `thousands` to "
                "the separator between groups of digits (e.g. `.` or ` ` for 1.234,50)"
            )
        outflow = {word.casefold() for word in self.outflow_words}
        both = outflow & {word.casefold() for word in self.inflow_words}
        if both:
            raise ValueError(
                f"{', '.join(sorted(both))}: in both `outflow_words` and `inflow_words`"
            )
        return self

    @property
    def date_formats(self) -> list[str]:
        """The date patterns, in the order they are tried."""
        return [self.date_format] if isinstance(self.date_format, str) else self.date_format


def _date_format(value: str) -> str:
    """A strptime pattern that writes a day, a month and a year and reads them back: a
    pattern without one would blame every row of a statement instead of the setting."""
    from datetime import datetime

    day = date(2025, 9, 30)
    try:
        written = day.strftime(value)
        same = datetime.strptime(written, value).date() == day
    except ValueError:
        same = False
    if not same:
        raise ValueError(
            f"`{value}` is not a date pattern with a day, a month and a year (like %Y-%m-%d "
            "or %m/%d/%Y; Python's strptime codes)"
        )
    return value


class OfxFormat(Strict):
    kind: Literal["ofx"]


class BeangulpFormat(Strict):
    """A beangulp `Importer` reads the statements: code, so only on trusted books (bo trust)."""

    kind: Literal["beangulp"]
    module: str = Field(
        description="a Python file in the books (`importers/bank.py`) or an installed module"
    )
    importer: str = Field("Importer", alias="class", description="the Importer class in it")
    args: list[Any] = Field([], description="positional arguments of the class")
    kwargs: dict[str, Any] = Field({}, description="keyword arguments, like `account: ...`")


def _format_kind(value: Any) -> str:
    # `kind` may be left out: a format is a CSV one unless it says otherwise.
    if isinstance(value, dict):
        return str(value.get("kind", "csv"))
    return str(getattr(value, "kind", "csv"))


StatementFormat = Annotated[
    Annotated[CsvFormat, Tag("csv")]
    | Annotated[OfxFormat, Tag("ofx")]
    | Annotated[BeangulpFormat, Tag("beangulp")],
    Discriminator(_format_kind),
]


class RuleMatch(Strict):
    payee: str | None = Field(None, description="case-insensitive substring of the payee")
    payee_regex: str | None = None
    memo: str | None = None
    memo_regex: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    # The amount bounds compare sizes; `direction` tells a refund (in) from a charge (out).
    direction: Literal["in", "out"] | None = Field(
        None, description="in: money into the account as the books see it; out: money out"
    )
    account: str | None = Field(None, description="only for statements of this account")

    @field_validator("payee_regex", "memo_regex")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            compile_pattern(value)
        return value


class RuleSet(Strict):
    account: str
    payee: str | None = None
    narration: str | None = None
    tags: list[str] = []
    links: list[str] = []

    @field_validator("account")
    @classmethod
    def _account_name(cls, value: str) -> str:
        return _account(value)

    @field_validator("tags", "links")
    @classmethod
    def _tag_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not TAG_RE.match(name):
                raise ValueError(
                    f"`{name}` is not a beancount tag or link: letters, digits and - _ / . "
                    "only, without the leading # or ^ (e.g. `office-move`)"
                )
        return value


class Rule(Strict):
    name: str
    match: RuleMatch
    set: RuleSet


class FluxOverride(Strict):
    """One account's own flux thresholds; what it leaves out comes from the defaults."""

    pct: Decimal | None = Field(None, ge=0)
    amount: Money | None = None
    combine: Literal["and", "or"] | None = None


class Thresholds(Strict):
    materiality: Money | None = None
    flux_pct: Decimal = Decimal(10)
    flux_amount: Money | None = None
    flux_combine: Literal["and", "or"] = "and"
    flux_accounts: dict[str, FluxOverride] = Field(
        {}, description="per-account flux thresholds, by account name"
    )
    stale_days: int = Field(3, ge=0, description="statements/imports older than this alert")
    outstanding_check_days: int = Field(90, ge=0)
    deposit_in_transit_days: int = Field(5, ge=0)
    future_days: int = Field(60, ge=0, description="entries dated further ahead are flagged")
    # bo cash check: an outflow this many times the payee's (or the account's) largest
    # earlier one is unusual; bills due within `payables_days` are weighed against cash; a
    # statement line missing from the books (or an amount that differs) open longer than
    # `unreconciled_days` alerts.
    unusual_multiple: Decimal = Field(Decimal(3), gt=1)
    payables_days: int = Field(7, ge=0)
    unreconciled_days: int = Field(5, ge=0)

    # bo dupes: how far apart two entries may be and still be one, by kind of duplicate.
    duplicate_entry_days: int = Field(7, ge=0, description="one movement booked twice")
    duplicate_payment_days: int = Field(14, ge=0, description="a vendor paid twice, no invoice")
    duplicate_invoice_days: int = Field(120, ge=0, description="one invoice paid twice, no bill")


class RecurringItem(Strict):
    """A payment or receipt that recurs monthly, declared for the forecast (bo forecast)."""

    payee: str = Field(min_length=1)
    amount: Money = Field(description="negative: money out, like `-4200.00 USD`")
    day: int = Field(ge=1, le=31, description="day of the month; a short month uses its last")
    months: list[int] = Field(
        default_factory=lambda: list(range(1, 13)), description="e.g. [1, 4, 7, 10]: quarterly"
    )
    start: Day | None = Field(None, alias="from")
    until: Day | None = None

    @model_validator(mode="after")
    def _from_until(self) -> RecurringItem:
        if self.start and self.until and self.start > self.until:
            raise ValueError(
                f"`from: {self.start}` is after `until: {self.until}`: it would never be paid"
            )
        return self

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[int]) -> list[int]:
        if not value or any(not 1 <= m <= 12 for m in value):
            raise ValueError("give months as numbers 1 to 12, like [1, 4, 7, 10]")
        return value


class ForecastSettings(Strict):
    # An invoice this far past due is doubtful: the forecast does not count on it.
    doubtful_after_days: int = Field(60, ge=0)
    # The alarm (exit 1) goes off when the chance that cash ends a week under the minimum is
    # at least this. One in five: a bookkeeper acts on an alarm, so it should be rare when
    # nothing happens; the band's 5% tail alone would raise one on every close call.
    alarm_chance: Decimal = Field(
        Decimal("0.20"),
        gt=0,
        lt=1,
        description="the chance of ending a week under the minimum that raises the alarm",
    )
    # Declared items replace what history shows for the same payee.
    recurring: list[RecurringItem] = []


class MatchingSettings(Strict):
    """How close a statement line and an entry must be to match (`bo reconcile`)."""

    date_window: int = Field(4, ge=0, description="days either side: card lines post late")
    check_date_window: int = Field(45, ge=0, description="days either side for checks")
    amount_tolerance: Decimal = Field(
        Decimal(0), ge=0, description="amounts may differ by this much and still match"
    )
    group_date_window: int = Field(3, ge=0, description="days between a deposit and its parts")
    # Where importers keep the bank's id of a line (bo import, reconcile and dupes read them
    # alike); None: bo's default list of common importers' keys.
    line_id_keys: list[str] | None = Field(
        None, description="metadata keys holding a bank line's id (default: common importers')"
    )
    line_id_links: bool = Field(True, description="a link (^id) names a bank line too")

    @field_validator("line_id_keys")
    @classmethod
    def _id_keys(cls, value: list[str] | None) -> list[str] | None:
        for key in value or ():
            if not re.fullmatch(r"[a-z][A-Za-z0-9_-]*", key):
                raise ValueError(
                    f"`{key}` is not a beancount metadata key (a lowercase letter, then "
                    "letters, digits, `-` or `_`)"
                )
        return value


class ApprovalBand(Strict):
    """Bills above `above` need `approvers` different people holding one of `roles`."""

    above: Money = Field(description="bills above this amount; `0.00 USD` for every bill")
    approvers: int = Field(1, ge=1, le=5)
    roles: list[str] = Field([], description="roles that may approve; any person when empty")
    accounts: list[str] = Field([], description="only bills with a line on one of these")
    vendors: list[str] = Field([], description="only bills from these vendors")


class ApprovalPolicy(Strict):
    """Who approves bills before a payment run may pay them (`bo approve`)."""

    bands: list[ApprovalBand] = []
    # A vendor's first bill is the one a fraudster sends: it always needs this many.
    new_vendor_approvers: int = Field(1, ge=1, le=5)
    idle_days: int = Field(3, ge=0, description="a bill waiting longer escalates in bo status")
    escalate_to: str = Field("owner", description="the role an idle approval escalates to")
    since: date | None = Field(
        None, description="bills dated before this were approved before bo; they need none"
    )


class DunningStage(Strict):
    days: int = Field(ge=1, description="days past due when this stage starts")
    name: str = Field(min_length=1)
    template: str = Field("statement", description="templates/remind-NAME.{md,html,eml}.j2")


class PaymentSettings(Strict):
    """Where payment runs pay from, and the payer's bank details for the payment file."""

    account: str | None = Field(None, description="default: the one `bank` account")
    name: str | None = Field(None, description="payer name in the file; default entity.name")
    iban: str | None = None
    bic: str | None = None
    discount_account: str | None = Field(
        None, description="early-pay discounts taken are credited here; none taken without it"
    )
    # The IRS threshold changes (600 for payments through 2025, 2,000 from 2026): set yours.
    report_1099_threshold: Decimal = Field(
        Decimal("600.00"), ge=0, description="`bo report 1099`: vendors paid at least this"
    )


def _default_dunning() -> list[DunningStage]:
    return [
        DunningStage(days=7, name="reminder"),
        DunningStage(days=30, name="second notice"),
        DunningStage(days=60, name="final notice"),
    ]


class CommoditySettings(Strict):
    """Which commodities are money. Without a word here, a commodity is money when it is an
    operating currency, has a price in the ledger, is the cost currency of a holding, or is
    held in an account whose role is bank, card or processor; anything else (vacation hours,
    allowance units) is tracked, not money, and left out of the money statements."""

    money: list[str] = Field([], description="money though nothing above says so")
    not_money: list[str] = Field([], description="never money: hours, units, points")

    @field_validator("money", "not_money")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        return [_currency(code) for code in value]

    @model_validator(mode="after")
    def _apart(self) -> CommoditySettings:
        both = sorted(set(self.money) & set(self.not_money))
        if both:
            raise ValueError(f"{', '.join(both)}: listed as both money and not money")
        return self


class Settings(Strict):
    """The whole of bo.yaml."""

    entity: Entity
    ledger: str = DEFAULT_LEDGER
    people: list[Person] = []
    # Sections left out take their defaults, made with `model_construct` (defaults need no
    # validating): `ReviewPolicy()` would build each section's validator on import, which
    # `defer_build` leaves to a bo.yaml that is read, not one answered from bo's cache.
    review: ReviewPolicy = ReviewPolicy.model_construct()
    accounts: dict[str, AccountSettings] = {}
    thresholds: Thresholds = Thresholds.model_construct()
    statement_formats: dict[str, StatementFormat] = {}
    rules: list[Rule] = []
    forecast: ForecastSettings = ForecastSettings.model_construct()
    matching: MatchingSettings = MatchingSettings.model_construct()
    approvals: ApprovalPolicy = ApprovalPolicy.model_construct()
    dunning: list[DunningStage] = Field(default_factory=_default_dunning)
    payments: PaymentSettings = PaymentSettings.model_construct()
    commodities: CommoditySettings = CommoditySettings.model_construct()

    _path: Path | None = PrivateAttr(None)
    _lines: Mapping[tuple[Any, ...], int] = PrivateAttr(default_factory=dict)

    @field_validator("accounts")
    @classmethod
    def _account_names(cls, value: dict[str, AccountSettings]) -> dict[str, AccountSettings]:
        for name in value:
            _account(name)
        return value

    # -- lookups --------------------------------------------------------------------------
    def source(self, *path: Any) -> Source:
        """Where a field lives in bo.yaml, for findings that point at settings."""
        name = str(self._path) if self._path else SETTINGS_FILE
        for end in range(len(path), -1, -1):
            if path[:end] in self._lines:
                return Source(name, self._lines[path[:end]])
        return Source(name)

    def statement_format(self, name: str) -> StatementFormat | None:
        """The format `name` of `statement_formats`, else the built-in preset of that name."""
        found = self.statement_formats.get(name)
        return found if found is not None else preset_format(name)

    def accounts_with_role(self, *roles: str) -> list[str]:
        """Account names having any of `roles`, sorted."""
        return sorted(a for a, s in self.accounts.items() if s.role in roles)

    @property
    def root(self) -> Path | None:
        """The books folder this bo.yaml was read from; None for settings made in code."""
        return self._path.parent if self._path else None

    @property
    def roles(self) -> set[str]:
        """Every role some person holds."""
        return {role for person in self.people for role in person.roles}


def preset_format(name: str) -> CsvFormat | None:
    """The built-in statement format `name` (bo.presets), or None."""
    from bo.presets import PRESETS

    return CsvFormat.model_validate({"preset": name}) if name in PRESETS else None


def known_formats(settings: Settings) -> str:
    """The names an account's `statement.format` may take, for a message."""
    from bo.presets import PRESETS

    own = ", ".join(sorted(settings.statement_formats)) or "none"
    return f"statement_formats: {own}; built in: {', '.join(PRESETS)}"


def check_settings(settings: Settings) -> list[Finding]:
    """Cross-references pydantic cannot see: formats and rule accounts that point nowhere."""
    findings = []
    for name, account in settings.accounts.items():
        if account.statement and settings.statement_format(account.statement.format) is None:
            known = known_formats(settings)
            findings.append(
                Finding(
                    settings.source("accounts", name, "statement", "format"),
                    f"`accounts.{name}.statement.format`: unknown format "
                    f"`{account.statement.format}` ({known})",
                    "settings",
                )
            )
    names = [p.name for p in settings.people]
    for i, person in enumerate(settings.people):
        if names.count(person.name) > 1 and names.index(person.name) < i:
            findings.append(
                Finding(
                    settings.source("people", i, "name"),
                    f"`people[{i}].name`: {person.name} is listed twice",
                    "settings",
                )
            )
        for j, delegate in enumerate(person.delegates):
            if delegate not in names or delegate == person.name:
                findings.append(
                    Finding(
                        settings.source("people", i, "delegates", j),
                        f"`people[{i}].delegates`: `{delegate}` is not another person in "
                        f"`people` ({', '.join(names)})",
                        "settings",
                    )
                )
    emails = [p.email.lower() for p in settings.people if p.email]
    for i, person in enumerate(settings.people):
        if person.email and emails.count(person.email.lower()) > 1:
            findings.append(
                Finding(
                    settings.source("people", i, "email"),
                    f"`people[{i}].email`: {person.email} is someone else's too; bo tells "
                    "people apart by their email",
                    "settings",
                )
            )
    for i, rule in enumerate(settings.rules):
        if rule.match.account and rule.match.account not in settings.accounts:
            findings.append(
                Finding(
                    settings.source("rules", i, "match", "account"),
                    f"`rules[{i}].match.account`: `{rule.match.account}` "
                    "has no entry in `accounts`",
                    "settings",
                )
            )
    return findings


def load_settings(root: Path) -> Settings:
    """Read and validate `root/bo.yaml`; raise SettingsError naming every problem."""
    path = root / SETTINGS_FILE
    display = str(path)
    try:
        text = read_text(path, display)
    except FileNotFoundError:
        raise SettingsError([Finding(Source(display), "no bo.yaml here")]) from None
    data, lines = parse_yaml(text, display)
    settings = validate_data(Settings, data, lines, display)
    settings._path = path
    settings._lines = lines
    problems = check_settings(settings)
    entity = settings.entity
    # Checked here, not in a validator, and last: the answer is kept in bo's cache,
    # and nothing is written for bad input.
    wrong = None
    if not problems:
        wrong = calendar_problem(entity.country, entity.subdivision)
    if wrong:
        name, message = wrong
        problems.append(
            Finding(settings.source("entity", name), f"`entity.{name}`: {message}", "settings")
        )
    if problems:
        raise SettingsError(problems)
    return settings

"""`bo init --adopt`: take a beancount ledger someone already keeps, as it is.

bo reads the ledger and proposes `bo.yaml`: the base currency from its options, which
commodities are money, and a role for each account bo works with (bank, card, receivable,
payable, payroll, loan, fixed asset...), each with the evidence it rests on: the account's
name, its `open` metadata (an institution, an account number), and what it does (balance
assertions against a statement, purchases booked to expenses, holdings at cost). The ledger
itself is never written to. `infer_adoption` is pure; `adopt` reads and writes.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beancount.core import data

from bo.chart import Chart
from bo.commodities import Commodities
from bo.errors import BadInputError, LedgerError, RefusedError
from bo.io import SETTINGS_FILE, atomic_write
from bo.paths import account_slug
from bo.settings import CASH_ROLES, Settings

# Roles read from an account's name: per account type, the phrases that say it (every word
# of a phrase among the name's words), most specific first: notes payable is a loan before
# it is a payable, accumulated depreciation no fixed asset.
_NAMED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "assets": (
        ("accumulated_depreciation", ("accumulated depreciation",)),
        ("receivable", ("receivable", "receivables", "debtors", "ar")),
        ("prepaid", ("prepaid", "prepayments")),
        ("processor", ("stripe", "paypal", "square", "processor")),
        ("clearing", ("clearing", "undeposited")),
        (
            "fixed_asset",
            (
                "equipment",
                "furniture",
                "vehicle",
                "vehicles",
                "computers",
                "machinery",
                "buildings",
                "fixed assets",
            ),
        ),
        ("bank", ("checking", "chequing", "savings", "bank", "cash", "current")),
    ),
    "liabilities": (
        ("loan", ("loan", "loans", "mortgage", "notes payable", "line credit")),
        ("card", ("card", "creditcard", "visa", "amex", "mastercard", "discover")),
        ("payable", ("payable", "payables", "creditors", "ap")),
        ("payroll_liabilities", ("payroll", "wages", "withholding", "salaries")),
        ("sales_tax", ("sales tax", "salestax", "vat", "gst", "hst")),
        ("deferred_revenue", ("deferred", "unearned")),
        ("accrued_liabilities", ("accrued", "accruals")),
    ),
    "equity": (
        ("retained_earnings", ("retained earnings", "earnings previous")),
        ("owner_equity", ("owner", "owners", "draws", "drawings", "contributions", "capital")),
    ),
}
# On any root: where what is not yet categorized waits.
_ANYWHERE = (("suspense", ("suspense",)), ("uncategorized", ("uncategorized", "unknown")))
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Below these, activity is too thin to say what an account is.
CARD_PURCHASES = 3
# A built-in format (bo.presets): Date, Description, Amount; `bo import FILE --detect`
# proposes another.
STATEMENT_FORMAT = "plain"


def words(account: str) -> set[str]:
    """`Assets:US:BofA:CreditCard` -> {us, bofa, credit, card, creditcard, ...}: the words
    of each component (split where CamelCase or a hyphen does), and each component whole."""
    found = set()
    for part in account.split(":")[1:]:
        found.add(part.replace("-", "").lower())
        found.update(w.lower() for w in _WORD_RE.findall(part))
    return found


@dataclass
class _Activity:
    """What one account does in the ledger."""

    postings: int = 0
    assertions: int = 0
    purchases: int = 0  # credited against expense accounts (a card's charges)
    payments: Counter = field(default_factory=Counter)  # debited from which asset accounts
    deposits: int = 0  # debited against income accounts
    spending: int = 0  # credited against expense accounts (an asset paying bills)
    at_cost: set[str] = field(default_factory=set)  # commodities held at cost
    currencies: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Inference:
    """A role for an account (or none), and what it rests on."""

    account: str
    role: str | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Adoption:
    """What `bo init --adopt` proposes for a ledger."""

    ledger: str  # relative to the books' root, as bo.yaml names it
    name: str
    currency: str
    currency_evidence: str
    roles: tuple[Inference, ...]
    passed: tuple[Inference, ...]  # looked like a role, left without one: why
    commodities: Commodities
    entries: int
    accounts: int
    errors: int

    @property
    def statement_dirs(self) -> dict[str, str]:
        """A statement folder proposed for each bank and card account."""
        return {
            i.account: f"statements/{account_slug(i.account)}"
            for i in self.roles
            if i.role in CASH_ROLES
        }


def _activity(entries: Sequence[data.Directive], chart: Chart) -> dict[str, _Activity]:
    found: dict[str, _Activity] = defaultdict(_Activity)
    for entry in entries:
        if isinstance(entry, data.Balance):
            found[entry.account].assertions += 1
            continue
        if not isinstance(entry, data.Transaction):
            continue
        kinds = {p.account: chart.kind(p.account) for p in entry.postings}
        has = set(kinds.values())
        for posting in entry.postings:
            seen = found[posting.account]
            seen.postings += 1
            if posting.units is None:
                continue
            seen.currencies[posting.units.currency] += 1
            if posting.cost is not None:
                seen.at_cost.add(posting.units.currency)
            number = posting.units.number
            if number < 0 and "expenses" in has:
                seen.purchases += kinds[posting.account] == "liabilities"
                seen.spending += kinds[posting.account] == "assets"
            if number > 0 and "income" in has:
                seen.deposits += 1
            if number > 0 and kinds[posting.account] == "liabilities":
                for other in entry.postings:
                    if kinds[other.account] == "assets" and other.units and other.units.number < 0:
                        seen.payments[other.account] += 1
    return found


def _named_role(account: str, kind: str) -> tuple[str, str] | None:
    """The role an account's name says, and the words that said it."""
    have = words(account)
    for role, phrases in (*_ANYWHERE, *_NAMED.get(kind, ())):
        for phrase in phrases:
            if set(phrase.split()) <= have:
                return role, phrase
    return None


def _metadata(open_entry: data.Open | None, parents: dict[str, data.Open]) -> list[str]:
    """Evidence in the `open` metadata of the account and its parents."""
    found = []
    chain = [open_entry] if open_entry is not None else []
    name = open_entry.account if open_entry is not None else ""
    while ":" in name:
        name = name.rsplit(":", 1)[0]
        if name in parents:
            chain.append(parents[name])
    for opened in chain:
        meta = opened.meta or {}
        where = "" if opened is open_entry else f" (on {opened.account})"
        if meta.get("institution"):
            found.append(f'institution "{meta["institution"]}"{where}')
        for key in ("account", "account_number", "number", "iban"):
            if meta.get(key) and opened is open_entry:
                found.append(f"an account number in its `open` ({key}:)")
                break
    return found


def _infer(
    account: str,
    kind: str,
    seen: _Activity,
    opened: data.Open | None,
    parents: dict[str, data.Open],
    commodities: Commodities,
    chart: Chart,
) -> Inference | None:
    """The role of one account, with its evidence; None when nothing points at one."""
    named = _named_role(account, kind)
    evidence = [f'name "{named[1]}"'] if named else []
    meta = _metadata(opened, parents)
    role = named[0] if named else None
    money = {c for c in seen.currencies if commodities.is_money(c)}
    if kind == "assets" and seen.at_cost and role in (None, "bank"):
        held = ", ".join(sorted(seen.at_cost))
        return Inference(account, "investment", (f"holds {held} at cost", *meta))
    if kind == "liabilities" and role in (None, "card") and seen.purchases >= CARD_PURCHASES:
        payer = seen.payments.most_common(1)
        paid = f", paid from {payer[0][0]} {payer[0][1]} times" if payer else ""
        evidence.append(f"{seen.purchases} charges to {chart.types.expenses}{paid}")
        role = "card"
    if kind == "assets" and role is None and meta and seen.assertions and money:
        role = "bank"
    if role == "bank":
        if not money:
            return None  # hours or allowance units in an account named "Cash" are no bank
        evidence += meta
        if seen.assertions:
            evidence.append(f"{seen.assertions} balance assertions")
        if seen.deposits:
            evidence.append(f"{seen.deposits} deposits from {chart.types.income}")
    if role is None:
        return None
    return Inference(account, role, tuple(evidence))


def infer_adoption(
    entries: Sequence[data.Directive],
    options: dict[str, Any],
    errors: int,
    ledger: str,
    name: str | None,
) -> Adoption:
    """bo.yaml's settings for the ledger of `entries`, each inference with its evidence."""
    from bo.reports.sums import Monthly

    chart = Chart.of(options)
    seen = _activity(entries, chart)
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    closes = {e.account for e in entries if isinstance(e, data.Close)}
    operating = list(options.get("operating_currency") or [])
    if operating:
        currency, why = operating[0], 'option "operating_currency"'
    else:
        counts: Counter = Counter()
        for activity in seen.values():
            counts.update(activity.currencies)
        currency = counts.most_common(1)[0][0] if counts else "USD"
        why = "the most used currency (the ledger sets no operating_currency)"
    title = name or options.get("title") or "My Company"
    # Money first, with no roles yet; then again once the bank accounts are known.
    monthly = Monthly(entries, options)
    draft = _settings(title, currency, ledger, {})
    commodities = monthly.commodities(draft, options)
    roles, passed = [], []
    for account in sorted(opens):
        kind = chart.kind(account)
        found = _infer(
            account, kind, seen.get(account, _Activity()), opens[account], opens, commodities, chart
        )
        if found is None:
            continue
        if account in closes:
            passed.append(Inference(account, None, (f"{found.role} by its name, but closed",)))
        elif not seen.get(account, _Activity()).postings:
            passed.append(Inference(account, None, (f"{found.role} by its name, but no postings",)))
        else:
            roles.append(found)
    held = _settings(title, currency, ledger, {i.account: i.role for i in roles})
    commodities = monthly.commodities(held, options)
    return Adoption(
        ledger,
        str(title),
        currency,
        why,
        tuple(roles),
        tuple(passed),
        commodities,
        sum(1 for e in entries if isinstance(e, data.Transaction)),
        len(opens),
        errors,
    )


def _settings(name: str, currency: str, ledger: str, roles: dict[str, str]) -> Settings:
    return Settings.model_validate(
        {
            "entity": {"name": name, "currency": currency},
            "ledger": ledger,
            "accounts": {account: {"role": role} for account, role in roles.items()},
        }
    )


def settings_text(adoption: Adoption) -> str:
    """bo.yaml for the adopted ledger, every inference's evidence beside it as a comment."""
    a = adoption
    lines = [
        "# bo.yaml: the settings of these books, inferred by `bo init --adopt` from",
        f"# {a.ledger}. Read the evidence beside each account, change what is wrong, and run",
        "# `bo check`. bo never writes into the ledger; unknown keys here are errors.",
        "",
        "entity:",
        f"  name: {json.dumps(a.name)}",
        f"  currency: {a.currency}          # {a.currency_evidence}",
        "  fiscal_year_start: 1         # month the fiscal year starts (1 = January)",
        "  country: US                  # holidays for business days (BD+3 due dates)",
        "",
        f"ledger: {json.dumps(a.ledger)}",
        "",
        "# Who does the work. Checklist steps name roles; a step's owner and reviewer must be",
        "# different people (segregation of duties).",
        "people:",
        "  - name: Bookkeeper",
        "    roles: [bookkeeper]",
        "  - name: Controller",
        "    roles: [controller]",
        "  - name: Owner",
        "    roles: [owner]",
        "",
        "# What each account is for, and why bo thinks so.",
        "accounts:" if a.roles else "accounts: {}",
    ]
    folders = a.statement_dirs
    for inference in a.roles:
        lines.append(f"  # {inference.role}: {'; '.join(inference.evidence)}")
        lines.append(f"  {inference.account}:")
        lines.append(f"    role: {inference.role}")
        if inference.account in folders:
            folder = folders[inference.account]
            lines.append(f"    # statement: {{format: {STATEMENT_FORMAT}, dir: {folder}}}")
    for inference in a.passed:
        lines.append(f"  # {inference.account}: no role: {'; '.join(inference.evidence)}")
    money = sorted(
        c for c, why in a.commodities.reasons.items() if c in a.commodities.money and "bank" in why
    )
    not_money = sorted(a.commodities.not_money)
    if money or not_money:
        lines += ["", "# Commodities: money is reported; the rest (hours, units) is left out."]
        lines.append("commodities:")
        if money:
            lines.append(f"  money: [{', '.join(money)}]            # held in bank accounts")
        if not_money:
            reasons = "; ".join(f"{c}: {a.commodities.reasons[c]}" for c in not_money)
            lines.append(f"  not_money: [{', '.join(not_money)}]   # {reasons}")
    if folders:
        lines += [
            "",
            "# How to read each bank's CSV export (see the README): `plain` reads Date,",
            "# Description, Amount; `bo import FILE --detect` proposes the format of another.",
            "# statement_formats:",
            "#   my-bank:",
            "#     preset: plain",
            '#     date_format: "%d/%m/%Y"',
        ]
    return "\n".join(lines) + "\n"


def find_ledger(folder: Path) -> Path | None:
    """The one beancount file in `folder` (or its `ledgers/`) that no other includes."""
    found = sorted({*folder.glob("*.beancount"), *folder.glob("ledgers/*.beancount")})
    included: set[Path] = set()
    for path in found:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for pattern in re.findall(r'^\s*include\s+"([^"]+)"', text, re.MULTILINE):
            included.update(p.resolve() for p in path.parent.glob(pattern))
    roots = [p for p in found if p.resolve() not in included]
    return roots[0] if len(roots) == 1 else None


def adopt(target: Path, ledger: Path, name: str | None, *, dry_run: bool = False) -> Adoption:
    """Infer bo.yaml for `ledger` and write it into `target`, with the default checklists
    when `target` has none. Refuses (exit 3) when `target` already has a bo.yaml."""
    from bo.books import load_ledger
    from bo.resources import defaults_dir
    from bo.settings import load_settings

    target = target.resolve()
    path = ledger.resolve()
    if (target / SETTINGS_FILE).exists():
        raise RefusedError(
            f"{target / SETTINGS_FILE} exists: these are books already; nothing written"
        )
    if not path.is_file():
        raise BadInputError(f"--adopt {ledger}: no such file")
    if not path.is_relative_to(target):
        raise BadInputError(
            f"--adopt {ledger}: the ledger must be inside the books folder {target}; "
            "run bo init --adopt from the folder that holds it"
        )
    loaded = load_ledger(path, target, use_cache=False)
    if loaded.unreadable:
        raise LedgerError(loaded.unreadable)
    adoption = infer_adoption(
        loaded.entries,
        loaded.options,
        len(loaded.errors),
        path.relative_to(target).as_posix(),
        name,
    )
    if dry_run:
        return adoption
    text = settings_text(adoption)
    atomic_write(target / SETTINGS_FILE, text)
    try:
        load_settings(target)  # what was written must be what bo reads
    except Exception:
        (target / SETTINGS_FILE).unlink()
        raise
    sops = target / "sops"
    if not sops.exists():
        sops.mkdir()
        for source in sorted(defaults_dir("sops").glob("*.yaml")):
            shutil.copy2(source, sops / source.name)
    return adoption

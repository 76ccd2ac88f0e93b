"""Categorization rules from bo.yaml: the first rule that matches a statement line wins."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bo.patterns import compile_pattern
from bo.settings import Rule


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its patterns compiled once, not once per statement line."""

    rule: Rule
    payee: str | None
    memo: str | None
    payee_regex: Any  # compiled by compile_pattern
    memo_regex: Any

    def matches(self, account: str, payee: str, memo: str, amount: Decimal) -> bool:
        return self.matches_text(account, payee, memo) and self.matches_amount(amount)

    def matches_amount(self, amount: Decimal) -> bool:
        m = self.rule.match
        # Ranges compare the size of the amount: people write "between 10 and 50" for a
        # charge whether the statement shows it as -50 or 50. The direction, when given,
        # tells the refund from the charge.
        size = abs(amount)
        return (
            (m.amount_min is None or size >= m.amount_min)
            and (m.amount_max is None or size <= m.amount_max)
            and (m.direction is None or (m.direction == "in") == (amount > 0))
        )

    def matches_text(self, account: str, payee: str, memo: str) -> bool:
        m = self.rule.match
        return (
            (m.account is None or m.account == account)
            and (self.payee is None or self.payee in payee.casefold())
            and (self.memo is None or self.memo in memo.casefold())
            and (self.payee_regex is None or self.payee_regex.search(payee) is not None)
            and (self.memo_regex is None or self.memo_regex.search(memo) is not None)
        )


def compile_rules(rules: list[Rule]) -> list[CompiledRule]:
    """Compile rules in their order in bo.yaml."""
    return [
        CompiledRule(
            rule,
            rule.match.payee.casefold() if rule.match.payee else None,
            rule.match.memo.casefold() if rule.match.memo else None,
            compile_pattern(rule.match.payee_regex) if rule.match.payee_regex else None,
            compile_pattern(rule.match.memo_regex) if rule.match.memo_regex else None,
        )
        for rule in rules
    ]


def first_match(
    rules: list[CompiledRule], account: str, payee: str, memo: str, amount: Decimal
) -> Rule | None:
    """The first rule matching the line, or None (the line goes to uncategorized)."""
    for compiled in rules:
        if compiled.matches(account, payee, memo, amount):
            return compiled.rule
    return None


class RuleBook:
    """`first_match` for many lines: the text tests run once per distinct payee and memo.

    A statement repeats the same few hundred descriptions across thousands of rows; only
    the amount bounds differ from row to row, and they are cheap.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = compile_rules(rules)
        self._by_text: dict[tuple[str, str, str], list[CompiledRule]] = {}

    def first_match(self, account: str, payee: str, memo: str, amount: Decimal) -> Rule | None:
        key = (account, payee, memo)
        candidates = self._by_text.get(key)
        if candidates is None:
            candidates = [r for r in self.rules if r.matches_text(account, payee, memo)]
            self._by_text[key] = candidates
        for compiled in candidates:
            if compiled.matches_amount(amount):
                return compiled.rule
        return None

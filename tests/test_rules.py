"""Categorization rules: order, text and regex, amount ranges, account filter."""

from __future__ import annotations

from decimal import Decimal

from bo.rules import compile_rules, first_match
from bo.settings import Rule

RULES = [
    Rule.model_validate(r)
    for r in [
        {
            "name": "big adobe",
            "match": {"payee": "adobe", "amount_min": Decimal(500)},
            "set": {"account": "Expenses:Equipment"},
        },
        {
            "name": "software",
            "match": {"payee_regex": r"(?i)adobe|figma|github"},
            "set": {"account": "Expenses:Software", "payee": "Adobe"},
        },
        {
            "name": "card fees",
            "match": {"memo": "fee", "account": "Liabilities:CreditCard"},
            "set": {"account": "Expenses:BankFees"},
        },
    ]
]
COMPILED = compile_rules(RULES)


def _name(account, payee, memo="", amount="-10.00"):
    rule = first_match(COMPILED, account, payee, memo, Decimal(amount))
    return rule.name if rule else None


def test_first_matching_rule_wins():
    assert _name("Liabilities:CreditCard", "ADOBE *CREATIVE CLD", amount="-54.99") == "software"
    assert _name("Liabilities:CreditCard", "ADOBE *CREATIVE CLD", amount="-899.00") == "big adobe"


def test_text_is_case_insensitive_and_memo_and_account_filter():
    assert _name("Liabilities:CreditCard", "AMEX", memo="Annual FEE") == "card fees"
    assert _name("Assets:Bank:Checking", "AMEX", memo="Annual FEE") is None


def test_no_rule_means_uncategorized():
    assert _name("Assets:Bank:Checking", "SQ *BLUE BOTTLE") is None


def test_rulebook_agrees_with_first_match_line_by_line():
    from bo.rules import RuleBook

    book = RuleBook(RULES)
    lines = [
        ("Assets:Bank:Checking", payee, memo, Decimal(amount))
        for payee in ("GITHUB INC", "HARBOR PROPERTIES", "SQ *COFFEE", "")
        for memo in ("", "SERVICE FEE", "ACH")
        for amount in ("-5.00", "-49.99", "-50.00", "-2500.00", "12.00")
    ]
    for line in lines * 2:  # the second round comes from the text cache
        assert book.first_match(*line) == first_match(COMPILED, *line)


def test_direction_tells_a_refund_from_a_charge():
    rules = compile_rules(
        [
            Rule.model_validate(
                {
                    "name": "refund",
                    "match": {"payee": "amzn", "direction": "in"},
                    "set": {"account": "Income:Refunds"},
                }
            ),
            Rule.model_validate(
                {
                    "name": "purchase",
                    "match": {"payee": "amzn", "amount_max": Decimal(100), "direction": "out"},
                    "set": {"account": "Expenses:Office"},
                }
            ),
        ]
    )
    card = "Liabilities:CreditCard"
    assert first_match(rules, card, "AMZN Mktp", "", Decimal("24.99")).name == "refund"
    assert first_match(rules, card, "AMZN Mktp", "", Decimal("-24.99")).name == "purchase"
    assert first_match(rules, card, "AMZN Mktp", "", Decimal("-240.00")) is None


def test_tags_and_links_beancount_cannot_read_are_refused():
    import pytest
    from pydantic import ValidationError

    for bad in ("bad tag", "#hash", "a:b", "ünï"):
        with pytest.raises(ValidationError, match="not a beancount tag or link"):
            bad_set = {"account": "Expenses:X", "tags": [bad]}
            Rule.model_validate({"name": "x", "match": {"payee": "x"}, "set": bad_set})
    ok = {"account": "Expenses:X", "tags": ["office-move", "2025/q3"], "links": ["inv.42"]}
    Rule.model_validate({"name": "x", "match": {"payee": "x"}, "set": ok})

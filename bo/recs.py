"""Reconciliation records `recs/P/<account>.yaml`: where they live, read back, and their text.

The record is bo's: written whole, and only when its content changes, so running twice leaves
git quiet. Its `pins:` list is the person's: bo reads it back on every run and never drops an
entry from it. `bo reconcile` and the close's `reconciled` step both read and write it here.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

import bo
from bo.errors import Finding, SettingsError, Source
from bo.io import atomic_write
from bo.paths import account_slug
from bo.periods import Period
from bo.reconcile import OpenItem, Pin, Reconciliation, RecRecord, pin_problems
from bo.yamlfile import FAST_DUMPER, load_record_file, parse_yaml, validate_data

if TYPE_CHECKING:
    from bo.books import Books

RECS_DIR = "recs"


def record_path(books: Books, account: str, period: Period) -> Path:
    return books.root / RECS_DIR / str(period) / f"{account_slug(account)}.yaml"


def load_record(path: Path) -> dict | None:
    """A reconciliation record as plain data, None if absent; what bo reads back from it
    (open items, balances, pins) validated, so a broken record is bad input naming its file
    and line, never a crash."""
    record = read_record(path)
    return None if record is None else record[0]


def read_record(path: Path) -> tuple[dict, RecRecord] | None:
    """A reconciliation record as plain data and as bo reads it, None if absent."""
    loaded = load_record_file(path)
    if loaded is None and not path.is_file():
        return None
    try:
        if loaded is None:
            raise ValueError("not a mapping")
        record = RecRecord.model_validate(loaded)
    except (ValidationError, ValueError):
        # The line-tracking parse only on the way to an error: records of busy months are big.
        data, lines = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        if data is None:
            return None  # an empty file says nothing
        validate_data(RecRecord, data, lines, str(path))
        raise  # the model accepted what it refused a moment ago: a bug, not bad input
    problems = pin_problems(record.pins)
    if problems:
        _, lines = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        raise SettingsError(
            [Finding(Source(str(path), lines.get(("pins", i))), m, "settings") for i, m in problems]
        )
    return loaded, record


def _item(item: OpenItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": item.kind,
        "date": item.date,
        "amount": item.amount,
        "text": item.text,
        "where": item.where,
    }
    if item.entry_key:
        out["entry"] = item.entry_key
    if item.line_id:
        out["line"] = item.line_id
    if item.line_amount is not None:
        out["line_amount"] = item.line_amount
    if item.kind not in ("missing from the books", "amount differs"):
        out["age_days"] = item.age_days
        out["stale"] = item.stale
    if item.since:
        out["since"] = item.since
    out["reasons"] = list(item.reasons)
    return out


def as_record(rec: Reconciliation, pins: list | tuple) -> dict[str, Any]:
    """The record's content (without who ran it when)."""
    return {
        "account": rec.account,
        "period": rec.period,
        "statements": [{"file": f, "sha256": h} for f, h in rec.statements],
        "balances": {
            "bank": rec.bank_balance,
            "bank_from": rec.bank_balance_from,
            "deposits_in_transit": rec.deposits_in_transit,
            "outstanding": rec.outstanding,
            "adjusted_bank": rec.adjusted_bank,
            "books": rec.book_balance,
            "missing_from_books": rec.bank_only,
            "amount_corrections": rec.corrections,
            "adjusted_books": rec.adjusted_books,
            "difference": rec.difference,
        },
        "reconciled": rec.reconciled,
        "open": {
            "in_transit": [_item(i) for i in rec.in_transit],
            "missing": [_item(i) for i in rec.missing],
            "amount_differs": [_item(i) for i in rec.near],
        },
        "matches": [
            {
                "lines": [ref.id for ref in m.lines],
                "entries": [item.key for item in m.entries],
                "how": m.how,
                "score": m.score,
                "reasons": list(m.reasons),
            }
            for m in rec.matches
        ],
        "pins": [_pin(pin) for pin in pins],
        "notes": list(rec.notes),
    }


def _pin(pin: Pin | dict) -> dict[str, Any]:
    return {"line": pin.line, "entry": pin.entry} if isinstance(pin, Pin) else pin


def _plain(value: Any) -> Any:
    """YAML-safe: Decimals as exact strings, dates as dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def write_record(path: Path, record: dict[str, Any], old: dict | None) -> None:
    """Write the record when its content changed (atomically)."""
    text = record_text(record, old)
    if text is not None:
        atomic_write(path, text)


def record_text(record: dict[str, Any], old: dict | None) -> str | None:
    """The record file's text, or None when its content is what `old` already says."""
    content = _plain(record)
    if old is not None and {k: v for k, v in old.items() if k != "run"} == content:
        return None  # nothing changed: keep the file, and git, quiet
    header = (
        f"# Bank reconciliation of {record['account']} for {record['period']}, written by "
        "`bo reconcile`.\n# bo rewrites this file on every run except `pins:`, which is yours: "
        "add\n# `- {line: <statement line id>, entry: <entry key>}` to pair two items by hand.\n"
    )
    run = {
        "by": getpass.getuser(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "bo": bo.__version__,
    }
    text = yaml.dump(
        Dumper=FAST_DUMPER,
        data={**content, "run": run},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + text

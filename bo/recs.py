"""Reconciliation records `recs/P/<account>.yaml`: where they live, read back, and their text.

The record is bo's: written whole, and only when its content changes, so running twice leaves
git quiet. Its `pins:` list is the person's: bo reads it back on every run and never drops an
entry from it. `bo reconcile` and the close's `reconciled` step both read and write it here.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

import bo
from bo.errors import ExitCode, Finding, RefusedError, SettingsError, Source
from bo.io import atomic_write
from bo.paths import account_slug, books_relative, place
from bo.periods import Period
from bo.reconciliation import (
    CLEARED_DIR,
    RECONCILED_KEY,
    OpenItem,
    Pin,
    Reconciliation,
    RecRecord,
    pin_problems,
)
from bo.yamlfile import FAST_DUMPER, load_record_file, parse_yaml, read_text, validate_data

if TYPE_CHECKING:
    from bo.books import Books

RECS_DIR = "recs"


def record_path(books: Books, account: str, period: Period) -> Path:
    return books.root / RECS_DIR / str(period) / f"{account_slug(account)}.yaml"


def statement_digests(root: Path, files: list[Path]) -> list[tuple[str, str | None]]:
    """Each statement file (from the books root) and the sha256 of its content, as the
    record names them: `bo reconcile` and the close write the same record. The digest is
    the one bo's result caches key on, so a file is hashed once per run; None when it
    cannot be read, which reading the statement then reports as bad input."""
    from bo.cache import file_digest

    return [(books_relative(p, root), file_digest(p)) for p in files]


def load_record(path: Path) -> dict | None:
    """A reconciliation record as plain data, None if absent; what bo reads back from it
    (open items, balances, pins) validated, so a broken record is bad input naming its file
    and line, never a crash."""
    record = read_record(path)
    return None if record is None else record[0]


def read_record(path: Path) -> tuple[dict, RecRecord] | None:
    """A reconciliation record as plain data and as bo reads it, None if absent.

    Kept in bo's cache under the file's digest: a second run over unchanged books parses no
    YAML and builds no validator (each caller gets its own copy)."""
    from bo import cache

    slot = f"rec-{cache.key_of(str(path))[:24]}"
    folder = cache.books_folder(path.parent)
    return cache.file_result(folder, slot, path, lambda: _read_record(path), cache.code_version())


def _read_record(path: Path) -> tuple[dict, RecRecord] | None:
    loaded = load_record_file(path)
    if loaded is None and not path.is_file():
        return None
    try:
        if loaded is None:
            raise ValueError("not a mapping")
        record = RecRecord.model_validate(loaded)
    except (ValidationError, ValueError):
        # The line-tracking parse only on the way to an error: records of busy months are big.
        data, lines = parse_yaml(read_text(path), str(path))
        if data is None:
            return None  # an empty file says nothing
        validate_data(RecRecord, data, lines, str(path))
        raise  # the model accepted what it refused a moment ago: a bug, not bad input
    problems = pin_problems(record.pins)
    if problems:
        _, lines = parse_yaml(read_text(path), str(path))
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
    """The record's content (without who ran it when); every statement line and entry of a
    match also by its `file:line` from the books root."""
    statement = {"statement": rec.statement_balance} if rec.statement_balance is not None else {}
    return {
        "account": rec.account,
        "period": rec.period,
        "statements": [{"file": f, "sha256": h} for f, h in rec.statements],
        "balances": {
            **statement,
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
            **({"booked_later": [_item(i) for i in rec.booked_later]} if rec.booked_later else {}),
        },
        "matches": [
            {
                "lines": list(m.lines),
                "entries": [item.key for item in m.entries],
                "lines_at": list(m.lines_at),
                "entries_at": list(m.entries_at),
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


CLEARED_INCLUDE = f'include "{CLEARED_DIR}/*.beancount"'
MARK = f'{RECONCILED_KEY}: "{{period}}"'


def accept_texts(root: Path, ledger_path: Path, rec: Reconciliation) -> tuple[dict[Path, str], str]:
    """What `bo reconcile --accept` writes, and what it says: the books' balance at the
    period's end as a balance assertion in a file of bo's (`ledgers/recs/<account>.beancount`,
    included from the main ledger), and `reconciled: "P"` on every posting the reconciliation
    matched, so that the next period starts from the unreconciled ones.

    The marks are metadata lines inserted under the postings (the lines a person wrote stay
    as they are); posting metadata is no part of a closed period's lock, so a mark is not an
    edit of a locked period. Refused when the account is not reconciled."""
    if not rec.reconciled:
        difference = "unknown" if rec.difference is None else f"{rec.difference:,}"
        raise RefusedError(
            f"{rec.account} {rec.period} is {rec.state} (difference {difference}, "
            f"{len(rec.missing)} missing from the books, {len(rec.near)} amounts differ, "
            f"{len(rec.stale)} stale); nothing accepted",
            exit_code=ExitCode.ATTENTION,
        )
    writes: dict[Path, str] = {}
    day = Period.parse(rec.period).end + timedelta(days=1)
    path = ledger_path.parent / CLEARED_DIR / f"{account_slug(rec.account)}.beancount"
    line = f"{day} balance {rec.account} {rec.book_balance} {rec.currency}"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    prefix = f"{day} balance {rec.account} "
    asserted = False
    for existing in (old or "").splitlines():
        if existing.startswith(prefix):
            if existing.strip() != line:
                raise RefusedError(
                    f"{_relative(root, path)}: {rec.period} was accepted at another balance "
                    f"({existing.split()[-2]}); the books changed inside a reconciled period",
                )
            asserted = True
    if not asserted:
        note = (
            f"; {rec.period} reconciled by bo: bank {rec.bank_balance}, deposits in transit "
            f"{rec.deposits_in_transit}, outstanding {rec.outstanding}\n"
        )
        header = (
            f"; Balances of {rec.account} at each reconciled period's end, written by\n"
            "; `bo reconcile --accept`. A later change to a reconciled period fails this "
            "assertion.\n"
        )
        writes[path] = (old.rstrip("\n") + "\n\n" if old else header + "\n") + note + line + "\n"
        main_text = ledger_path.read_text(encoding="utf-8")
        if CLEARED_INCLUDE not in main_text.splitlines():
            writes[ledger_path] = (
                main_text.rstrip("\n")
                + "\n\n; Reconciled balances written by `bo reconcile --accept`.\n"
                + f"{CLEARED_INCLUDE}\n"
            )
    marks, skipped = _marks(root, rec, writes)
    writes.update(marks)
    said = [f"{rec.account} {rec.period}: "]
    if not writes:
        said.append(f"accepted already ({path.name})")
    else:
        said.append("accepted")
        if not asserted:
            said.append(f"; {line} in {_relative(root, path)}")
        count = sum(text.count(MARK.format(period=rec.period)) for text in marks.values())
        if marks:
            said.append(f"; {count} postings marked {MARK.format(period=rec.period)}")
    if skipped:
        said.append(f"; not marked (written elsewhere, or changed since): {', '.join(skipped)}")
    return writes, "".join(said)


def _marks(
    root: Path, rec: Reconciliation, writes: dict[Path, str]
) -> tuple[dict[Path, str], list[str]]:
    """The ledger files with `reconciled: "P"` under each matched posting not marked yet."""
    mark = MARK.format(period=rec.period)
    wanted: dict[Path, set[int]] = {}
    skipped: list[str] = []
    for match in rec.matches:
        for item in match.entries:
            at = item.at
            if at is None or not at.lineno:
                skipped.append(item.text or item.key)
                continue
            path = Path(at.filename)
            if not path.is_absolute() or not path.resolve().is_relative_to(root.resolve()):
                skipped.append(place(at, root))
                continue
            wanted.setdefault(path, set()).add(at.lineno)
    texts: dict[Path, str] = {}
    for path, numbers in sorted(wanted.items()):
        text = writes.get(path) or path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for number in sorted(numbers, reverse=True):  # from the end: numbers stay true
            if number > len(lines):
                skipped.append(f"{_relative(root, path)}:{number}")
                continue
            posting = lines[number - 1]
            indent = posting[: len(posting) - len(posting.lstrip())]
            below = lines[number:]
            # Its metadata lines sit right under it, indented deeper: marked already?
            own = []
            for following in below:
                stripped = following.strip()
                deeper = len(following) - len(following.lstrip()) > len(indent)
                if not stripped or not deeper or ":" not in stripped.split()[0]:
                    break
                own.append(stripped)
            if any(m.startswith(f"{RECONCILED_KEY}:") for m in own):
                continue
            newline = "\n" if posting.endswith("\n") else ""
            if not newline:
                lines[number - 1] = posting + "\n"
            lines.insert(number, f"{indent}  {mark}\n")
        new = "".join(lines)
        if new != text:
            texts[path] = new
    return texts, skipped


def _relative(root: Path, path: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

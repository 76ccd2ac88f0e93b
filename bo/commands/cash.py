"""`bo cash check` (quiet unless something is wrong) and `bo forecast`."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bo.books import cached_result, open_books, store_result
from bo.cash import Alert, cash_check
from bo.errors import BadInputError, ExitCode
from bo.forecast import forecast
from bo.output import dumps_json, stdout
from bo.yamlfile import FAST_LOADER

SCENARIOS_DIR = "scenarios"


def run_cash_check(books_dir: Path | None, as_of: date | None, as_json: bool) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    day = as_of or date.today()
    # Cron runs this every morning over books that rarely changed overnight: the answer
    # is kept, keyed on every input (ledger files, bo.yaml, reconciliation records, date).
    recs = sorted((books.root / "recs").glob("*/*.yaml"))
    extra = json.dumps(
        [str(day), [(str(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in recs]]
    )
    cached = cached_result(books.root, "cash-check", extra) if books.use_cache else None
    if cached is not None:
        alerts = [Alert(**{**a, "amount": _decimal(a["amount"])}) for a in cached]
    else:
        alerts = cash_check(books.ledger.entries, books.settings, books.root, day)
        store_result(
            books.root,
            "cash-check",
            extra,
            books.ledger.files,
            [{**a.__dict__, "amount": None if a.amount is None else str(a.amount)} for a in alerts],
        )
    if as_json:
        stdout().out(dumps_json({"as_of": day, "alerts": [a.__dict__ for a in alerts]}))
    elif alerts:
        # Plain text for cron's mail: what, how much, which account, what to do, and why.
        lines = [f"bo cash check {day}: {len(alerts)} alert(s) for {books.settings.entity.name}"]
        lines += [f"- {a.message} [setting: {a.setting}]" for a in alerts]
        stdout().out("\n".join(lines))
    return ExitCode.ATTENTION if alerts else ExitCode.OK


def load_scenario(root: Path, name: str) -> dict[str, Any]:
    path = root / SCENARIOS_DIR / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in (root / SCENARIOS_DIR).glob("*.yaml"))
        have = ", ".join(known) or "none"
        raise BadInputError(f"--scenario {name}: no {SCENARIOS_DIR}/{name}.yaml (have: {have})")
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
    except yaml.YAMLError as exc:
        raise BadInputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("changes", []), list):
        raise BadInputError(f"{path}: expected `name:` and a list of `changes:`")
    loaded.setdefault("name", name)
    return loaded


def run_forecast(
    books_dir: Path | None,
    as_of: date | None,
    weeks: int,
    scenarios: list[str],
    fmt: str,
    out: Path | None,
) -> ExitCode:
    from datetime import datetime

    import bo
    from bo.io import atomic_write
    from bo.reports.render import template_env

    books = open_books(books_dir, Path.cwd())
    day = as_of or date.today()
    runs = [forecast(books.ledger.entries, books.settings, day, weeks)]
    runs += [
        forecast(books.ledger.entries, books.settings, day, weeks, load_scenario(books.root, n))
        for n in scenarios
    ]
    if fmt == "json":
        text = (
            dumps_json(
                {
                    "as_of": day,
                    "forecasts": [
                        {
                            "scenario": f.scenario,
                            "minimum": f.minimum,
                            "weeks": [w.__dict__ for w in f.weeks],
                            "flows": list(f.flows),
                        }
                        for f in runs
                    ],
                }
            )
            + "\n"
        )
    else:
        template = template_env(books.root).get_template(
            f"forecast.{'html' if fmt == 'html' else 'md'}.j2"
        )
        text = template.render(
            runs=runs,
            entity=books.settings.entity.name,
            generated=datetime.now(),
            bo_version=bo.__version__,
            as_of=day,
        )
    if out is not None:
        atomic_write(out, text)
    else:
        stdout().out(text, end="")
    return ExitCode.ATTENTION if any(f.breaches for f in runs) else ExitCode.OK


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)

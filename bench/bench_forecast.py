"""The forecast's backtest on the demo books and on generated books of other shapes.

For each book: the forecast made at every month end from the books as they stood then,
against the cash the books show after it, by week ahead (mean absolute percentage error of the
weekly closing cash, bias, how often the band held the actual), the alarms, and the time the
backtest took. The targets are the forecast's: 13-week error at most 10%, weeks 1-4 at most 3%,
the band holding at least 80% of weeks, no alarm that did not happen.

    python bench/bench_forecast.py [--seeds 2-7]

With `--seeds` the generated books of both shapes are backtested for every seed in the range
as well (the target is then reported, not enforced, for the seeds not in the tests).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from generate_business import write_books

from bo.books import open_books
from bo.forecast import backtest, month_ends

HERE = Path(__file__).resolve().parent
TARGET = {"mape": Decimal("0.10"), "weeks 1-4": Decimal("0.03"), "band": Decimal("0.80")}


def measure(name: str, root: Path, first: date, last: date) -> bool:
    books = open_books(root, root, use_cache=False)
    settings = books.settings
    started = time.perf_counter()
    (result,) = backtest(
        books.ledger.entries,
        settings,
        month_ends(first, last),
        13,
        calendar=settings.entity.calendar(),
        options=books.ledger.options,
    )
    seconds = time.perf_counter() - started
    points = result.points
    print(f"== {name}: {len(points)} month ends, {points[0].as_of} to {points[-1].as_of}")
    print(f"{'week':>4} {'MAPE':>7} {'bias':>7} {'band held':>10}")
    for h in result.horizons:
        print(f"{h.week:>4} {h.mape:>7.1%} {h.bias:>+7.1%} {h.held:>5} of {h.count}")
    alarms = sum(p.alarm for p in points)
    false, missed = len(result.false_alarms), len(result.missed)
    print(
        f"weeks 1-13 {result.mape():.1%}, weeks 1-4 {result.mape(1, 4):.1%}, bias "
        f"{result.bias:+.1%}, band held {result.coverage:.1%}; alarms {alarms} ({false} that "
        f"did not happen, {missed} missed); {seconds:.1f} s"
    )
    met = (
        result.mape() <= TARGET["mape"]
        and result.mape(1, 4) <= TARGET["weeks 1-4"]
        and result.coverage >= TARGET["band"]
        and not false
    )
    print(f"target: {'met' if met else 'MISSED'}")
    return met


SHAPES = {"seasonal": (2, date(2022, 9, 1)), "projects": (3, date(2023, 1, 1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", help="also every seed in this range, e.g. 2-7")
    parser.add_argument("--only", help="demo, seasonal or projects")
    args = parser.parse_args()
    first, last = (int(x) for x in args.seeds.split("-")) if args.seeds else (0, -1)
    met = []
    if args.only in (None, "demo"):
        met.append(measure("demo books", HERE.parent, date(2025, 3, 1), date(2025, 9, 30)))
    with tempfile.TemporaryDirectory() as folder:
        for shape, (tested, start) in SHAPES.items():
            if args.only not in (None, shape):
                continue
            for seed in sorted({tested, *range(first, last + 1)}):
                root = write_books(shape, seed, Path(folder) / f"{shape}-{seed}", start)
                ok = measure(f"{shape} (seed {seed})", root, date(2024, 10, 1), date(2025, 9, 30))
                if seed == tested:
                    met.append(ok)
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()

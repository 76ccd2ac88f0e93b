"""Time rendering every report kind for one period of the large generated books, as a ratio
to bean-check on the same ledger.

    python bench/bench_reports.py [--years 10] [--scale 16] [--period 2025-09]
                                  [--formats html md] [--each]

Measured: `bo report all --period P --format F --out DIR` (every kind from one load of the
books), and with --each also the eight kinds as eight `bo report KIND` processes. Each time
is wall seconds and, in brackets, the CPU seconds of the process (user + system), which a
loaded machine disturbs less than the wall clock.

What each side has cached, said plainly because it decides the ratio:
- bean-check "cold" runs with --no-cache: it parses, books and checks every entry.
  bean-check "warm" uses its own pickle cache of the parsed ledger, filled by a run before.
- bo "cold": .bo/cache removed first, so bo parses the ledger as bean-check cold does; the
  cache bo then writes in a detached process is waited for and counted in the wall time
  (its CPU is the detached process's own, not in bo's figure).
- bo "warm": bo's ledger cache (the parsed entries) and its compiled-template cache are
  filled. bo keeps no cache of report results: every report is computed from the entries.
Cold is compared with cold and warm with warm. The target (the issue's): within 2x.
Every exit code is checked: bean-check must exit 0, bo 0 or 1 (1 = a report shows something
needing attention); anything else stops the bench with exit 1, since a crash is quick and
would flatter bo.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bo.cache import books_folder

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")


def run(cmd: list[str], cwd: Path, ok: tuple[int, ...]) -> tuple[float, float]:
    """Wall and CPU seconds of `cmd`; stops the bench when it exits with a code not in `ok`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        tail = "\n".join(err.strip().splitlines()[-3:])
        sys.exit(f"{' '.join(cmd)}: exit {code}\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime


def timed_set(books: Path, cmds: list[list[str]], cold: bool) -> tuple[float, float]:
    """Run `cmds` in a row; cold removes bo's cache first and counts its writer."""
    cache = books_folder(books)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    wall = cpu = 0.0
    for cmd in cmds:
        w, c = run(cmd, books, (0, 1))
        wall, cpu = wall + w, cpu + c
        if cold and cmd is cmds[0]:
            start = time.perf_counter()
            wall += time.perf_counter() - start
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--period", default="2025-09")
    parser.add_argument("--formats", nargs="+", default=["html", "md"])
    parser.add_argument("--each", action="store_true", help="also one process per kind")
    args = parser.parse_args()
    books = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if not (books / "bo.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_books.py"), "--out", str(books),
             "--years", str(args.years), "--scale", str(args.scale)],
            check=True,
        )  # fmt: skip
    ledger = "ledgers/main.beancount"
    check = str(BIN / "bean-check")
    base = {"cold": run([check, "--no-cache", ledger], books, (0,))}
    run([check, ledger], books, (0,))  # fills bean-check's own cache
    base["warm"] = run([check, ledger], books, (0,))
    for label, (wall, cpu) in base.items():
        print(f"bean-check {label}: {wall:.2f} s [{cpu:.2f} s CPU]")

    out = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    bo = str(BIN / "bo")
    try:
        for fmt in args.formats:
            report = [bo, "report", "--period", args.period, "--format", fmt]
            sets = {"bo report all": [[*report, "all", "--out", str(out)]]}
            if args.each:
                sets["8 x bo report KIND"] = [
                    [*report, kind, "--out", str(out / f"{kind}.{fmt}")] for kind in KINDS
                ]
            for name, cmds in sets.items():
                for label in ("cold", "warm"):
                    wall, cpu = timed_set(books, cmds, label == "cold")
                    bw, bc = base[label]
                    print(
                        f"{name} ({fmt}, {label}): {wall:.2f} s = {wall / bw:.2f} x bean-check "
                        f"{label} [CPU {cpu:.2f} s = {cpu / bc:.2f} x]"
                    )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()

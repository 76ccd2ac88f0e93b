"""Time `bo audit` over a books repo with 2,000 commits, cold and warm (cached by commit).

Builds the repo on demand in bench/out/audit-repo-N: the demo books, then one commit per
change, alternating two authors: mostly an entry added, every fourth commit a narration
edited in an earlier entry, every seventh an earlier entry removed. bo must exit 0 (no
period is locked, nothing is flagged) and report every commit.

    python bench/bench_audit.py [--commits 2000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
AUTHORS = (("Dana Reyes", "dana@larkspur.example"), ("Sam Okafor", "sam@larkspur.example"))


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def build(repo: Path, commits: int) -> None:
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    for part in ("bo.yaml", "ledgers", "statements", "schedules", "sops", "budgets"):
        source = PROJECT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, repo / part)
    (repo / ".gitignore").write_text(".bo/\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Dana Reyes", "-c", "user.email=dana@x", "commit", "-qm", "Books")
    ledger = repo / "ledgers" / "2026.beancount"
    main = repo / "ledgers" / "main.beancount"
    main.write_text(main.read_text() + 'include "2026.beancount"\n')
    ledger.write_text("")
    entries: list[list[str]] = []  # day, vendor, narration, amount
    for n in range(commits):
        if n % 7 == 6 and len(entries) > 10:
            entries.pop(n % len(entries))
        elif n % 4 == 3 and entries:
            entries[(n * 31) % len(entries)][2] = f"Purchase, corrected in change {n}"
        else:
            day = f"2026-{1 + n // 200 % 12:02d}-{1 + n % 28:02d}"
            entries.append([day, f"Vendor {n % 50}", f"Purchase {n}", f"{10 + n % 90}.00"])
        ledger.write_text(
            "\n".join(
                f'{day} * "{vendor}" "{text}"\n'
                f"  Expenses:Office   {amount} USD\n  Assets:Bank:Checking\n"
                for day, vendor, text, amount in entries
            )
        )
        name, email = AUTHORS[n % 2]
        git(repo, "add", "-A")
        git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qm",
            f"Change {n}")  # fmt: skip


def timed(repo: Path, commits: int) -> float:
    start = time.perf_counter()
    run = subprocess.run([str(BIN / "bo"), "audit", "--json"], cwd=repo, capture_output=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"bo audit exited {run.returncode}: {run.stderr.decode()[-2000:]}")
    found = json.loads(run.stdout)["commits"]
    changes = sum(len(c["changes"]) for c in found)
    if len(found) != commits + 1 or changes < commits:
        sys.exit(f"bo audit reported {len(found)} commits and {changes} changes")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    repo = HERE / "out" / f"audit-repo-{args.commits}"
    if not (repo / ".git").exists():
        start = time.perf_counter()
        build(repo, args.commits)
        print(f"built {args.commits:,} commits in {time.perf_counter() - start:.1f} s")
    shutil.rmtree(repo / ".bo" / "cache" / "audit", ignore_errors=True)
    cold = timed(repo, args.commits)
    warm = timed(repo, args.commits)
    print(f"bo audit over {args.commits + 1:,} commits: cold {cold:.2f} s, warm {warm:.2f} s")


if __name__ == "__main__":
    main()

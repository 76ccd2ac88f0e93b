"""Time `bo audit` over a books repo with 2,000 commits, cold and warm (cached by commit).

Builds the repo on demand in bench/out/audit-repo: the demo books, then one commit per
change (an entry added, a narration edited), alternating two authors.

    python bench/bench_audit.py [--commits 2000]
"""

from __future__ import annotations

import argparse
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
    for n in range(commits):
        with ledger.open("a") as handle:
            day = f"2026-{1 + n // 200 % 12:02d}-{1 + n % 28:02d}"
            handle.write(
                f'\n{day} * "Vendor {n % 50}" "Purchase {n}"\n'
                f"  Expenses:Office   {10 + n % 90}.00 USD\n  Assets:Bank:Checking\n"
            )
        name, email = AUTHORS[n % 2]
        git(repo, "add", "-A")
        git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qm",
            f"Entry {n}")  # fmt: skip


def timed(repo: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "bo"), "audit", "--json"], cwd=repo, capture_output=True)
    return time.perf_counter() - start


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
    cold = timed(repo)
    warm = timed(repo)
    print(f"bo audit over {args.commits + 1:,} commits: cold {cold:.2f} s, warm {warm:.2f} s")


if __name__ == "__main__":
    main()

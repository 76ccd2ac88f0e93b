"""`bo init --adopt`: infer bo.yaml from a ledger, then say what was inferred and why."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from bo.adopt import adopt
from bo.output import plural, stdout


def run_adopt(target: Path, ledger: Path, name: str | None, dry_run: bool) -> None:
    """`bo init --adopt`: what was inferred, with its evidence, then what was written."""
    had_checklists = (target / "sops").exists()
    adoption = adopt(target, ledger, name, dry_run=dry_run)
    console = stdout()
    say = functools.partial(console.print, markup=False)
    say(
        f"{adoption.ledger}: {plural(adoption.entries, 'transaction')}, "
        f"{plural(adoption.accounts, 'account')}"
        + (f", {plural(adoption.errors, 'error')} (bo check lists them)" if adoption.errors else "")
    )
    say(f"  base currency {adoption.currency}: {adoption.currency_evidence}")
    width = max((len(i.account) for i in adoption.roles), default=0)
    wide = max((len(i.role or "") for i in adoption.roles), default=0)
    for inference in adoption.roles:
        role = inference.role or ""
        say(f"  {inference.account:<{width}}  {role:<{wide}}  {'; '.join(inference.evidence)}")
    for inference in adoption.passed:
        say(f"  {inference.account}: no role: {'; '.join(inference.evidence)}")
    for commodity in sorted(adoption.commodities.not_money):
        reason = adoption.commodities.reasons[commodity]
        say(f"  {commodity}: not money ({reason}), left out of the money statements")
    for account, folder in adoption.statement_dirs.items():
        say(f"  statements of {account}: proposed folder {folder}/")
    if dry_run:
        say("Dry run: nothing written.")
        return
    say(f"Wrote {target / 'bo.yaml'}; the ledger is untouched.")
    if not _trust_own(target, had_checklists):
        say("Its checklists' commands and its own templates run once you trust them: bo trust")
    say("Next: bo check, then bo report balance --period YYYY-MM")


def _trust_own(target: Path, had_checklists: bool) -> bool:
    """Trust the books as `bo init` does when the only code in them is the checklists bo
    just wrote; a folder with checklists or templates of its own waits for `bo trust`."""
    from bo.resources import defaults_dir
    from bo.trust import code_files, is_trusted, trust

    files = code_files(target)
    ours = {f"sops/{path.name}" for path in defaults_dir("sops").glob("*.yaml")}
    if had_checklists or not set(files) <= ours:
        return is_trusted(target, files)
    trust(target, datetime.now())
    return True

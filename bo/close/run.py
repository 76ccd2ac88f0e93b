"""`bo close P`: run the checklist's steps in order and keep the close record.

The close runs the month-end checklist's steps in dependency order, one after another; a
step whose dependency failed is blocked, not run. Actions post their entries (later steps see
them at once). When every step has passed and is signed off (bo.close.signoff), the period
is locked: the record keeps a fingerprint of every entry in it.

Nothing is written until every step has run: the files the steps want written are collected
and written together at the end (before a `command:` step, which may read them, too). Bad
input found on the way (a schedule, a step's parameters, a close record) leaves the books
as they were.
"""

from __future__ import annotations

import copy
import shlex
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bo
from bo.books import Books, gc_paused
from bo.checks import period_prints, run_check
from bo.close.checklist import SOPS_DIR, Checklist, Step, load_checklist
from bo.close.checks import ACTIONS, CHECKS, PARAMS, CloseContext, StepResult
from bo.close.inputs import UNCACHED, step_inputs
from bo.close.locks import locked_periods
from bo.close.posted import keep_in_cache, settled, with_posted
from bo.close.preflight import check_posted_accounts, check_schedule_accounts
from bo.close.record import (
    MONTH_END,
    NOT_APPLICABLE,
    digest_of,
    load_record,
    lock_data,
    record_path,
    record_text,
    stamp,
)
from bo.close.schedules import CLOSING_INCLUDE, load_schedules
from bo.close.signoff import signed_over
from bo.errors import BoError, RefusedError, SettingsError
from bo.io import atomic_write, check_inside, run_command
from bo.periods import AnyPeriod

if TYPE_CHECKING:
    from beancount.core import data

CHECKLIST = MONTH_END


LOCK_PLUGIN = 'plugin "bo.plugins.lock"'


# A dependency in one of these states lets its dependents run.
LETS_THROUGH = ("passed", "manual", "skipped", NOT_APPLICABLE)


def checklist(books: Books, name: str = CHECKLIST) -> Checklist:
    """The books' `sops/NAME.yaml`, else bo's default of that name (`bo check` validates
    the other checklists)."""
    path = books.root / SOPS_DIR / f"{name}.yaml"
    if not path.is_file():
        from bo.resources import defaults_dir

        path = defaults_dir("sops") / f"{name}.yaml"
    return load_checklist(path, books.settings)


@dataclass
class CloseOutcome:
    period: AnyPeriod
    steps: list[tuple[Step, dict[str, Any]]]
    record: dict[str, Any]
    locked: bool
    written: list[Path] = field(default_factory=list)
    # Files to write, in order: collected while the steps run, written by `flush`.
    pending: dict[Path, str] = field(default_factory=dict)
    checklist: str = CHECKLIST
    done: bool = False  # signed off: a routine that locks nothing is then done
    journal: Any = None  # bo.close.journal.Journal: writes on the record (in git)
    # The books as the steps left them, the entries the actions posted, and each ledger file
    # written: its text before (None when new) and after.
    books: Books | None = None
    use_cache: bool = True
    posted: list[data.Directive] = field(default_factory=list)
    rewritten: dict[Path, tuple[str | None, str]] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for _, s in self.steps if s["status"] == "passed")

    @property
    def not_applicable(self) -> int:
        """Steps that do not apply to these books (no payroll, no loan)."""
        return sum(1 for _, s in self.steps if s["status"] == NOT_APPLICABLE)

    @property
    def label(self) -> str:
        """The period, with its checklist unless it is the month-end close."""
        if self.checklist == CHECKLIST:
            return str(self.period)
        return f"{self.checklist} {self.period}"

    def flush(self) -> None:
        """Write every pending file whose content differs from the disk (through the
        journal when there is one, so an interrupted close is finished or undone)."""
        if self.books is not None:  # each inside the books, or none written
            for path in self.pending:
                check_inside(self.books.root, path)
        changed = {}
        for path, text in self.pending.items():
            before = path.read_text(encoding="utf-8") if path.is_file() else None
            if before == text:
                continue
            if path.suffix == ".beancount":
                self.rewritten.setdefault(path, (before, text))
                self.rewritten[path] = (self.rewritten[path][0], text)
            changed[path] = text
        if self.journal is not None:
            self.journal.write(changed)
        else:
            for path, text in changed.items():
                atomic_write(path, text)
        self.written += [p for p in changed if p not in self.written]
        self.pending.clear()


def _params(step: Step, ctx: CloseContext) -> Any:
    name = step.check or step.action
    return PARAMS[name].model_validate(step.with_, context={"settings": ctx.books.settings})


def _run_step(step: Step, ctx: CloseContext, dry_run: bool) -> StepResult:
    if step.check or step.action:
        name = step.check or step.action
        run = CHECKS[name] if step.check else ACTIONS[name]

        def compute() -> StepResult:
            params = _params(step, ctx)
            try:
                return run(ctx, params)
            except BoError as exc:
                # A file the step reads is wrong: the step says where; the close goes on.
                lines = str(exc).splitlines()
                return StepResult("error", lines[0], lines[1:])

        if name in UNCACHED:
            return compute()
        # Kept between closes on what the step reads (bo.close.inputs): a close over
        # unchanged books answers every step without loading an entry. The parameters are
        # keyed as written (validated, they are a function of them and bo.yaml, both in the
        # key; the checklist was validated when read): building their models is for a step
        # that runs.
        question = [name, step.with_, str(ctx.period), str(ctx.today)]
        files, fields = step_inputs(ctx, name, step.with_)
        return ctx.books.result("step", compute, files=files, params=[*question, fields])
    if step.command:
        command = step.command.format(period=ctx.period)
        if dry_run:
            return StepResult("skipped", f"dry run: would run `{command}`")
        from bo.trust import untrusted

        refusal = untrusted(ctx.books.root, f"step `{step.id}` (`{command}`)")
        if refusal:
            return StepResult("failed", refusal)
        words = shlex.split(command)
        if words[0] == "bo":
            # This bo, whichever is first on PATH.
            words = [sys.executable, "-m", "bo", *words[1:]]
        try:
            code, text = run_command(words, ctx.books.root)
        except OSError as exc:  # not found, not executable
            return StepResult("failed", f"`{command}` could not run: {exc.strerror}")
        output = text.strip().splitlines()[-10:]
        status = "passed" if code == 0 else "failed"
        return StepResult(status, f"`{command}` exited {code}", output)
    return StepResult("manual", f"asks for: {step.manual}")


def _preflight(
    books: Books, the_list: Checklist, period: AnyPeriod, name: str
) -> dict[str, Any] | None:
    """Read every file the close trusts before anything runs: bad input stops it here,
    with nothing written. Returns the previous period's record."""
    kinds = {s.action or s.check for s in the_list.steps}
    if kinds & {"post-schedules", "schedules-posted"}:
        schedules = load_schedules(books.root)
        if "post-schedules" in kinds:
            check_schedule_accounts(books, schedules, period)
    _, problems = locked_periods(books.root)
    unreadable = [p for p in problems if p.check == "close-record"]
    if unreadable:
        raise SettingsError(unreadable)
    return load_record(books.root, period.previous, name) or None


def run_close(
    books: Books,
    period: AnyPeriod,
    *,
    dry_run: bool,
    explanations: dict[str, str],
    today: date,
    now: datetime,
    by: str,
    commit: str | None = None,
    progress: Any = None,
    checklist_name: str = CHECKLIST,
    journal: Any = None,
) -> CloseOutcome:
    """Run every step; collect what the actions post and the record; lock when all is done.

    Returns with the files still to write in `pending` (nothing pending in a dry run is
    ever written). `commit` is HEAD in a git repo: where cutoff looks from."""
    root = books.root
    record = load_record(root, period, checklist_name)
    _refuse_signed_off(record, period, checklist_name)
    original = copy.deepcopy(record)
    the_list = checklist(books, checklist_name)
    previous = _preflight(books, the_list, period, checklist_name)
    at = stamp(now)
    record.setdefault("period", str(period))
    record["checklist"] = checklist_name
    # As plain data kept on bo.yaml's bytes: dumping the model builds its serializer, which
    # costs a second close over unchanged books a tenth of its time.
    record["review"] = books.from_settings(
        "review", lambda settings: settings.review.model_dump(exclude_none=True)
    )
    record.setdefault("started", {"at": at, "by": by, "commit": commit})
    if explanations:
        record["explanations"] = {**(record.get("explanations") or {}), **explanations}
    calendar = books.settings.entity.calendar()
    before = record.get("steps") or {}
    outcome = CloseOutcome(
        period, [], record, False, checklist=checklist_name, journal=journal,
        use_cache=books.use_cache,
    )  # fmt: skip
    pending = outcome.pending
    use_cache = books.use_cache
    results: dict[str, dict[str, Any]] = {}
    cache: dict[Any, Any] = {}
    steps = the_list.ordered()
    for step in steps:
        blocked = [d for d in step.depends_on if results[d]["status"] not in LETS_THROUGH]
        if blocked:
            result = StepResult("blocked", f"waits for {', '.join(blocked)}")
        else:
            if step.command and pending and not dry_run:
                # The command reads the books from disk: give it what the close posted.
                outcome.flush()
                books = settled(books, use_cache)
            ctx = CloseContext(books, period, today, record, previous, cache, the_list.steps)
            # A step over large books builds indexes of every entry (the duplicate scan's,
            # the agings'): the collector would walk them again and again and free nothing.
            with gc_paused():
                result = _run_step(step, ctx, dry_run)
            if step.command:
                cache = {}  # it may have changed any file the steps read (a statement)
        if step.check == "flux":
            record["explanations"] = {
                **(record.get("explanations") or {}),
                **result.data.get("explained", {}),
            }
        if result.writes:
            check_posted_accounts(books, result.writes)
            pending.update(result.writes)
            if any(path.suffix == ".beancount" for path in result.writes):
                _add_line(books, pending, CLOSING_INCLUDE, "Entries posted by month-end closes.")
                books, added = with_posted(books, result.writes)
                outcome.posted += added
                cache = {}
        entry = {
            "title": step.title,
            "status": result.status,
            "summary": result.summary,
            "details": result.details,
            "owner": step.owner,
            "reviewer": step.reviewer,
            "due": str(calendar.due_date(period.end, step.due)),
        }
        seen = before.get(step.id) or {}
        same = all(seen.get(k) == entry[k] for k in ("status", "summary", "details"))
        # A result keeps the time it was first seen: a run that finds the same changes nothing.
        entry["at"] = seen.get("at") if same and seen.get("at") else at
        entry["by"] = seen.get("by") if same and seen.get("by") else by
        results[step.id] = entry
        outcome.steps.append((step, entry))
        if progress:
            progress(step, entry)
    outcome.books = books
    digest = digest_of(period_prints(books, period))
    record["digest"] = digest
    record["steps"] = {step.id: entry for step, entry in outcome.steps}
    # The first run's outcome stays: bo kpi counts the steps that failed the first time.
    record.setdefault("first_run", {step.id: entry["status"] for step, entry in outcome.steps})
    signoffs = record.get("signoffs") or {}
    for step, entry in outcome.steps:
        signed = signoffs.get(step.id) or {}
        if entry["status"] == "manual" and signed_over(signed, digest):
            entry["status"] = "passed"
    record["signoffs"] = signoffs
    done = all(
        entry["status"] == NOT_APPLICABLE
        or (entry["status"] == "passed" and signed_over(signoffs.get(step.id) or {}, digest))
        for step, entry in outcome.steps
    )
    if done and not dry_run and the_list.locks:
        record["locked"] = {"at": at, "by": by, **lock_data(books.ledger.entries, period)}
        _add_line(
            books, pending, LOCK_PLUGIN, "Locked periods fail bean-check and fava if edited.", True
        )
        outcome.locked = True
    elif done and not dry_run:
        record["done"] = {"at": at, "by": by, "digest": digest}
        outcome.done = True

    # A run that finds nothing new leaves the record (and so the ledger's cache, keyed on
    # the close records the lock plugin reads) as it was: `run` is the run that last changed it.
    def without_run(fields: dict[str, Any]) -> str:
        return record_text(period, {k: v for k, v in fields.items() if k != "run"})

    if not (original.get("run") and without_run(original) == without_run(record)):
        record["run"] = {"at": at, "by": by, "bo": bo.__version__}
    pending[record_path(root, period, checklist_name)] = record_text(period, record)
    if dry_run:
        pending.clear()
    return outcome


def _refuse_signed_off(record: dict[str, Any], period: AnyPeriod, name: str) -> None:
    option = "" if name == CHECKLIST else f" --checklist {name}"
    if record.get("locked"):
        raise RefusedError(
            f"{period} is closed and locked ({name}); bo reopen {period}{option} "
            "--reason ... to change it"
        )
    if record.get("done"):
        raise RefusedError(f"{name} {period} is signed off and done; nothing to run")


def _add_line(
    books: Books, pending: dict[Path, str], line: str, comment: str, top: bool = False
) -> None:
    """Add `line` to the main ledger (as pending) unless it is there."""
    main = books.ledger_path
    text = pending.get(main) or main.read_text(encoding="utf-8")
    if line in text.splitlines():
        return
    if top:
        # A plugin line must come before the entries it checks are loaded: at the top.
        lines = text.splitlines(keepends=True)
        at = next((i for i, x in enumerate(lines) if x.startswith(("include", "plugin"))), 0)
        lines.insert(at, f"; {comment}\n{line}\n")
        pending[main] = "".join(lines)
    else:
        pending[main] = text.rstrip("\n") + f"\n\n; {comment}\n{line}\n"


def fill_caches(outcome: CloseOutcome, today: date, parsed: Books) -> None:
    """Once the close's files are written: keep the ledger as the close left it, and bo
    check's answer over it, for the next command (the pre-commit hook's `bo check` first).
    `parsed` are the books the close opened, whose ledger is stored when the close changed
    none of its files."""
    books = outcome.books
    if books is None or not outcome.use_cache:
        return
    parsed.store_parsed()  # nothing when the close rewrote a ledger file
    if outcome.rewritten:
        books = settled(books, use_cache=True)
        if not keep_in_cache(books, outcome.posted, outcome.rewritten):
            return  # the next command parses the files as they are now
    run_check(books, today)

"""`bo close P`, `bo signoff P`, `bo reopen P`: the month-end close over files in git.

The close runs the month-end checklist's steps in dependency order; a step whose
dependency failed is blocked, not run. Actions post their entries (later steps see them at
once). Every step needs a preparer's and a reviewer's sign-off, each holding the step's role
and never the same person; a sign-off records the period digest it saw and goes stale when
the period's entries change. When every step has passed and is signed off, the period is
locked: the record keeps a fingerprint of every entry in it.

Nothing is written until every step has run: the files the steps want written are collected
and written together at the end (before a `command:` step, which may read them, too). Bad
input found on the way (a schedule, a step's parameters, a close record) leaves the books
as they were.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import getpass
import os
import pickle
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

import bo
from bo import preload
from bo.books import Books, Ledger, ledger_inputs, lending, small_enough_to_preload
from bo.close.checklist import SOPS_DIR, Checklist, Step, load_checklist
from bo.close.checks import ACTIONS, CHECKS, PARAMS, WARM, CloseContext, StepResult
from bo.close.record import (
    load_record,
    lock_data,
    locked_periods,
    period_digest,
    record_path,
    record_text,
    save_record,
)
from bo.close.schedules import CLOSING_INCLUDE, load_schedules
from bo.errors import BadInputError, BoError, RefusedError, SettingsError
from bo.io import SETTINGS_FILE, atomic_write, git, has_git
from bo.periods import Period

CHECKLIST = "month-end"
LOCK_PLUGIN = 'plugin "bo.plugins.lock"'
TRAILER = "Bo-Command"
# A dependency in one of these states lets its dependents run.
LETS_THROUGH = ("passed", "manual", "skipped")


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
    period: Period
    steps: list[tuple[Step, dict[str, Any]]]
    record: dict[str, Any]
    locked: bool
    written: list[Path] = field(default_factory=list)
    # Files to write, in order: collected while the steps run, written by `flush`.
    pending: dict[Path, str] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for _, s in self.steps if s["status"] == "passed")

    def flush(self) -> None:
        """Write every pending file whose content differs from the disk."""
        for path, text in self.pending.items():
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            atomic_write(path, text)
            if path not in self.written:
                self.written.append(path)
        self.pending.clear()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def runner(root: Path) -> str:
    """Who is running bo: the git identity of the books when there is one, else the user."""
    if in_git(root):
        name = git(root, "config", "user.name", check=False).strip()
        if name:
            return name
    return getpass.getuser()


def _params(step: Step, ctx: CloseContext) -> Any:
    name = step.check or step.action
    return PARAMS[name].model_validate(step.with_, context={"settings": ctx.books.settings})


def _warm_step(step: Step, ctx: CloseContext) -> None:
    """Read what `step` will read that the ledger does not decide (checks.WARM). Only a
    head start: what goes wrong is left for the step to meet and report, should it run."""
    warm = WARM.get(step.check or step.action or "")
    if warm is not None:
        with contextlib.suppress(Exception):
            warm(ctx, _params(step, ctx))


def _run_step(step: Step, ctx: CloseContext, dry_run: bool) -> StepResult:
    if step.check or step.action:
        name = step.check or step.action
        params = _params(step, ctx)
        run = CHECKS[name] if step.check else ACTIONS[name]
        try:
            return run(ctx, params)
        except BoError as exc:
            # A file the step reads is wrong: the step says where; the close goes on.
            lines = str(exc).splitlines()
            return StepResult("error", lines[0], lines[1:])
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
            code, text = _bo_in_process(words[1:], ctx.books)
        else:
            try:
                proc = subprocess.run(words, cwd=ctx.books.root, capture_output=True, text=True)
            except OSError as exc:  # not found, not executable
                return StepResult("failed", f"`{command}` could not run: {exc.strerror}")
            code, text = proc.returncode, proc.stdout + proc.stderr
        output = text.strip().splitlines()[-10:]
        status = "passed" if code == 0 else "failed"
        return StepResult(status, f"`{command}` exited {code}", output)
    return StepResult("manual", f"asks for: {step.manual}")


# Checks that read every statement and run the matcher: they run in a child process on
# another core while the close goes on with the steps after them, and the close imports the
# matcher only to run one itself (BO_PRELOAD=0, bo.preload's switch, keeps them here).
# Each sees the books as the steps before it left them, as it would here, and writes
# nothing: its result, with the files it wants written, comes back through a pipe. Such
# checks with no action or command between them share one child (`_alongside`): on 2 cores
# a second child only competes with the close for them, and each child imports the matcher
# and copies the pages of the close's memory it touches (a fork's copy-on-write) anew. Those
# before any action or command start with the first step (`_first_beside`).
BESIDE = frozenset({"reconciled", "no-duplicates"})


@dataclass
class _Beside:
    """Checks running in a child process, one after another; `result` waits for theirs."""

    pid: int
    pipe: int
    results: list[StepResult] | None = None
    read: bool = False

    @classmethod
    def start(cls, steps: list[Step], ctx: CloseContext, dry_run: bool) -> _Beside | None:
        if not _cores_to_spare():
            return None
        read, write = os.pipe()
        # Nothing buffered to print twice, should the check in the child flush its copy.
        sys.stdout.flush()
        sys.stderr.flush()
        root = ctx.books.root.resolve()
        pid = os.fork()
        if pid:
            os.close(write)
            preload.drop_spare(root)  # the child's now
            return cls(pid, read)
        try:  # the child: the checks, their results down the pipe, and out without cleanup
            os.close(read)
            # Started before the ledger is in (`run_close`): it comes through the spare
            # pipe, and the statements are read while it is on its way.
            preload.hand_over(root)
            for step in steps:
                _warm_step(step, ctx)
            found = [_run_step(step, ctx, dry_run) for step in steps]
            message = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
            with open(write, "wb") as pipe:
                pipe.write(message)
        finally:
            os._exit(0)

    def result(self, index: int) -> StepResult | None:
        """The result of the child's `index`th check; None when the child sent none (it
        failed, it was killed): then the close runs the check itself."""
        if not self.read:
            self.read = True
            with open(self.pipe, "rb") as pipe:
                message = pipe.read()
            os.waitpid(self.pid, 0)
            try:
                self.results = pickle.loads(message) if message else None
            except Exception:  # torn
                self.results = None
        if self.results is None or index >= len(self.results):
            return None
        return self.results[index]

    def discard(self) -> None:
        """Stop a child whose results nobody will read (its steps turned out blocked)."""
        if self.read:
            return
        self.read = True
        os.close(self.pipe)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _first_beside(steps: list[Step]) -> list[Step]:
    """The checks run beside that come before any action or command: those that see the
    books as the close found them, so their child may start before the steps they wait for
    have run (a result whose step turns out blocked is left unread)."""
    return _beside_until_posting(steps, None)


def _alongside(first: Step, steps: list[Step], results: dict[str, Any]) -> list[Step]:
    """The checks after `first` that its child runs too: checks run beside, ready now (every
    dependency done and passed through), with no action or command before them to change
    the books they would see."""
    return _beside_until_posting(steps[steps.index(first) + 1 :], results)


def _beside_until_posting(steps: list[Step], results: dict[str, Any] | None) -> list[Step]:
    """The checks run beside among `steps` up to the first action or command; with
    `results`, only those whose dependencies are done and passed through."""
    found = []
    for step in steps:
        if step.action or step.command:
            break
        ready = results is None or all(
            results.get(d, {}).get("status") in LETS_THROUGH for d in step.depends_on
        )
        if step.check in BESIDE and ready:
            found.append(step)
    return found


def _on_its_way(books: Books) -> bool:
    """Whether the preload child parses the books' ledger and sends a copy for a process
    the close forks before the ledger is in."""
    return preload.has_spare(books.root.resolve()) and small_enough_to_preload(books.ledger_path)


def _cores_to_spare() -> bool:
    if not preload.enabled():
        return False
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) > 1
    return (os.cpu_count() or 1) > 1


def _with_posted(books: Books, writes: dict[Path, str]) -> Books:
    """The books with the entries an action is about to write, without parsing the ledger
    again (the files are not on disk yet).

    Actions append plain two-posting entries to bo's own files; those files are parsed on
    their own and merged in date order. Until they are written, the books read no cache
    (its keys are the files on disk); `_settled` makes them ordinary again afterwards.
    """
    ledger = books.ledger
    added: list[data.Directive] = []
    for path, text in writes.items():
        if path.suffix != ".beancount":
            continue
        entries, errors, _ = parser.parse_string(text, report_filename=str(path))
        if errors:
            raise AssertionError(f"bo wrote entries beancount cannot parse into {path}")
        have = {_identity(e) for e in ledger.entries if _from(e, path)}
        added += [e for e in entries if _identity(e) not in have]
    merged = sorted([*ledger.entries, *added], key=data.entry_sortkey)
    # A newly created file joins the list of inputs, so results cached over this ledger
    # are keyed on its content too.
    files = list(ledger.files)
    files += [str(p.resolve()) for p in writes if p.suffix == ".beancount"]
    files = list(dict.fromkeys(files))
    options = {**ledger.options, "include": files}
    fresh = Books(books.root, books.settings, use_cache=False)
    fresh._ledger = Ledger(merged, ledger.errors, options, inputs={})
    return fresh


def _settled(books: Books, use_cache: bool) -> Books:
    """The same books once every pending file is on disk: their inputs hashed again."""
    ledger = books.ledger
    settled = Books(books.root, books.settings, use_cache)
    settled._ledger = Ledger(
        ledger.entries,
        ledger.errors,
        ledger.options,
        inputs=ledger_inputs(ledger.files, books.root.resolve()),
    )
    return settled


def _identity(entry: Any) -> tuple:
    meta = getattr(entry, "meta", None) or {}
    own = tuple(sorted((k, str(v)) for k, v in meta.items() if k not in ("filename", "lineno")))
    return (entry.date, getattr(entry, "narration", None), own)


def _from(entry: Any, path: Path) -> bool:
    return str(getattr(entry, "meta", {}).get("filename", "")) == str(path)


def _bo_in_process(args: list[str], books: Books) -> tuple[int, str]:
    """Run a `bo` command step inside this process: a second Python start costs more than
    the command itself on a small ledger."""
    import contextlib
    import io

    from bo.cli import command

    buffer = io.StringIO()
    with (
        contextlib.chdir(books.root),
        lending(books),
        contextlib.redirect_stdout(buffer),
        contextlib.redirect_stderr(buffer),
    ):
        try:
            code = command().main(args, prog_name="bo", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        except BoError as exc:
            return int(exc.exit_code), str(exc)
        except Exception as exc:  # the step fails; the close goes on and says why
            return 70, f"{type(exc).__name__}: {exc}"
    return (code if isinstance(code, int) else 0), buffer.getvalue()


def _preflight(books: Books, the_list: Checklist, period: Period) -> dict[str, Any] | None:
    """Read every file the close trusts before anything runs: bad input stops it here,
    with nothing written. Returns the previous period's record."""
    kinds = {s.action or s.check for s in the_list.steps}
    if kinds & {"post-schedules", "schedules-posted"}:
        load_schedules(books.root)
    _, problems = locked_periods(books.root)
    if problems:
        raise SettingsError(problems)
    return load_record(books.root, period.previous) or None


def run_close(
    books: Books,
    period: Period,
    *,
    dry_run: bool,
    explanations: dict[str, str],
    today: date,
    now: datetime,
    by: str,
    commit: str | None = None,
    progress: Any = None,
) -> CloseOutcome:
    """Run every step; collect what the actions post and the record; lock when all is done.

    Returns with the files still to write in `pending` (nothing pending in a dry run is
    ever written). `commit` is HEAD in a git repo: where cutoff looks from."""
    root = books.root
    record = load_record(root, period)
    if record.get("locked"):
        raise RefusedError(
            f"{period} is closed and locked (closes/{period}.yaml); bo reopen {period} "
            "--reason ... to change it"
        )
    original = copy.deepcopy(record)
    the_list = checklist(books)
    previous = _preflight(books, the_list, period)
    at = stamp(now)
    record.setdefault("period", str(period))
    record["checklist"] = CHECKLIST
    record.setdefault("started", {"at": at, "by": by, "commit": commit})
    if explanations:
        record["explanations"] = {**(record.get("explanations") or {}), **explanations}
    calendar = books.settings.entity.calendar(books.root)
    before = record.get("steps") or {}
    outcome = CloseOutcome(period, [], record, False)
    pending = outcome.pending
    use_cache = books.use_cache
    results: dict[str, dict[str, Any]] = {}
    cache: dict[Any, Any] = {}
    steps = the_list.ordered()
    # Steps running in a child process (`_Beside`), by id, with the context they ran in.
    beside: dict[str, tuple[Step, _Beside, int, CloseContext]] = {}
    shown = 0

    def finish(step: Step, result: StepResult) -> None:
        nonlocal books, cache, shown
        if step.check == "flux":
            record["explanations"] = {
                **(record.get("explanations") or {}),
                **result.data.get("explained", {}),
            }
        if result.writes:
            pending.update(result.writes)
            if any(path.suffix == ".beancount" for path in result.writes):
                _add_line(books, pending, CLOSING_INCLUDE, "Entries posted by month-end closes.")
                books = _with_posted(books, result.writes)
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
        # Shown and recorded in the checklist's order, whichever step finished first.
        while shown < len(steps) and steps[shown].id in results:
            done = steps[shown]
            outcome.steps.append((done, results[done.id]))
            if progress:
                progress(done, results[done.id])
            shown += 1

    def settle(step_id: str) -> None:
        step, child, index, ctx = beside.pop(step_id)
        result = child.result(index)
        finish(step, result if result is not None else _run_step(step, ctx, dry_run))

    def start_beside(batch: list[Step], ctx: CloseContext) -> bool:
        child = _Beside.start(batch, ctx, dry_run) if batch else None
        if child is None:
            return False
        children.append(child)
        for index, started in enumerate(batch):
            beside[started.id] = (started, child, index, ctx)
        return True

    children: list[_Beside] = []
    # The child's checks are the longest share of a close: it starts before the ledger is in
    # when the preload child sends a copy for it (it imports the matcher and reads the
    # statements meanwhile), else as soon as the ledger is in, while the ledger's own checks
    # run here. A ledger that does not load is left to the ledger-valid step to report.
    early = _first_beside(steps)
    with contextlib.suppress(BoError):
        if early and _cores_to_spare() and (_on_its_way(books) or books.ledger is not None):
            start_beside(early, CloseContext(books, period, today, record, previous, cache))
    ctx = CloseContext(books, period, today, record, previous, cache)
    for step in steps:
        if step.command:
            break  # it may change what the steps after it read
        if step.id not in beside:
            _warm_step(step, ctx)
    for step in steps:
        for dependency in step.depends_on:
            if dependency in beside:
                settle(dependency)
        blocked = [d for d in step.depends_on if results[d]["status"] not in LETS_THROUGH]
        if blocked:
            beside.pop(step.id, None)  # started early: what its child finds is not wanted
            finish(step, StepResult("blocked", f"waits for {', '.join(blocked)}"))
            continue
        if step.id in beside:
            continue  # running in a child since before it came up
        if step.command:
            for waiting in list(beside):
                settle(waiting)  # the command reads the books as the close leaves them
            if pending and not dry_run:
                # The command reads the books from disk: give it what the close posted.
                outcome.flush()
                books = _settled(books, use_cache)
        ctx = CloseContext(books, period, today, record, previous, cache)
        batch = [step, *_alongside(step, steps, results)] if step.check in BESIDE else []
        if not start_beside(batch, ctx):
            finish(step, _run_step(step, ctx, dry_run))
        if step.command:
            cache = {}  # it may have changed any file the steps read (a statement)
    for waiting in list(beside):
        settle(waiting)
    for child in children:
        child.discard()
    digest = period_digest(books.ledger.entries, period)
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
        entry["status"] == "passed" and signed_over(signoffs.get(step.id) or {}, digest)
        for step, entry in outcome.steps
    )
    if done and not dry_run:
        record["locked"] = {"at": at, "by": by, **lock_data(books.ledger.entries, period)}
        _add_line(
            books, pending, LOCK_PLUGIN, "Locked periods fail bean-check and fava if edited.", True
        )
        outcome.locked = True

    # A run that finds nothing new leaves the record (and so the ledger's cache, keyed on
    # the close records the lock plugin reads) as it was: `run` is the run that last changed it.
    def without_run(fields: dict[str, Any]) -> str:
        return record_text(period, {k: v for k, v in fields.items() if k != "run"})

    if not (original.get("run") and without_run(original) == without_run(record)):
        record["run"] = {"at": at, "by": by, "bo": bo.__version__}
    pending[record_path(root, period)] = record_text(period, record)
    if dry_run:
        pending.clear()
    return outcome


def signed_over(signed: dict[str, Any], digest: str) -> bool:
    """Both sign-offs present and made over the period as it is now."""
    return all(
        isinstance(signed.get(role), dict) and signed[role].get("digest") == digest
        for role in ("preparer", "reviewer")
    )


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


@dataclass
class SignoffOutcome:
    signed: list[str]
    skipped: list[str]


def signoff(
    books: Books,
    period: Period,
    step_ids: list[str],
    name: str,
    role: str | None,
    *,
    now: datetime,
) -> SignoffOutcome:
    """Record NAME's sign-off on steps, never as both parties of one step.

    Named steps are all signed or none (a step NAME may not sign is refused); without step
    ids, NAME signs every step they may and the rest are listed as skipped, with why.
    """
    record = load_record(books.root, period)
    if not record.get("steps"):
        raise BadInputError(f"{period} has no close record yet: run bo close {period} first")
    if record.get("locked"):
        raise RefusedError(f"{period} is locked; nothing to sign")
    person = next((p for p in books.settings.people if p.name == name), None)
    if person is None:
        known = ", ".join(p.name for p in books.settings.people)
        raise BadInputError(f"--as {name}: not in bo.yaml people ({known})")
    digest = period_digest(books.ledger.entries, period)
    if record.get("digest") != digest:
        raise RefusedError(
            f"the books changed since bo close {period} ran; run it again before signing"
        )
    for sid in step_ids:
        if sid not in record["steps"]:
            raise BadInputError(f"{sid}: no such step in {period}'s close")
    signoffs = record.setdefault("signoffs", {})
    signed, skipped = [], []
    for sid in step_ids or list(record["steps"]):
        step = record["steps"][sid]
        roles = {"preparer": step["owner"], "reviewer": step["reviewer"]}
        held = [r for r, needed in roles.items() if needed in person.roles]
        mine = [r for r in held if role is None or role == r]
        why = None
        if not mine:
            if held:
                why = (
                    f"{name} holds {roles[held[0]]} ({held[0]} of {sid}), "
                    f"not {roles[role]} (its {role})"
                )
            else:
                why = (
                    f"{name} holds neither {step['owner']} (preparer of {sid}) nor "
                    f"{step['reviewer']} (its reviewer)"
                )
        elif step["status"] not in ("passed", "manual"):
            why = f"{sid} is {step['status']}: fix it and close again first"
        signed_now = signoffs.get(sid) or {}
        ready, done, own_review, taken = [], [], False, None
        for the_role in mine if why is None else []:
            other = signed_now.get("reviewer" if the_role == "preparer" else "preparer")
            if _by(other, name, digest):
                own_review = True  # nobody reviews their own work
                continue
            there = signed_now.get(the_role)
            current = isinstance(there, dict) and there.get("digest") == digest
            if current and there.get("name") == name:
                done.append(the_role)  # signed over these entries already
                continue
            if current:
                # Someone else's sign-off over these entries stands: never signed over.
                if role is None:
                    done.append(the_role)
                else:
                    taken = f"{sid}: its {the_role} is signed by {there.get('name')} already"
                continue
            ready.append(the_role)
        # Holding both roles of a step, a person signs one: the other is someone else's.
        ready = ready[:1]
        if why is None and not ready:
            if done and not own_review:
                continue  # nothing left to do here: safe to sign off twice
            why = taken or _nothing_to_sign(sid, name, mine, signed_now, digest)
        if why is not None:
            if step_ids:
                raise RefusedError(why)
            skipped.append(why)
            continue
        entry = signoffs.setdefault(sid, {})
        for the_role in ready:
            entry[the_role] = {"name": name, "at": stamp(now), "digest": digest}
            signed.append(f"{sid}: {the_role} {name}")
    if signed:
        save_record(books.root, period, record)
    return SignoffOutcome(signed, skipped)


def _by(signed: Any, name: str, digest: str) -> bool:
    mine = isinstance(signed, dict) and signed.get("name") == name
    return mine and signed.get("digest") == digest


def _nothing_to_sign(
    sid: str, name: str, mine: list[str], signed: dict[str, Any], digest: str
) -> str:
    for the_role in mine:
        other = "reviewer" if the_role == "preparer" else "preparer"
        if _by(signed.get(other), name, digest):
            return (
                f"{sid}: {name} signed as its {other}; its {the_role} must be someone else "
                "(nobody reviews their own work)"
            )
    return f"{sid}: nothing for {name} to sign"


def reopen(books: Books, period: Period, reason: str, by: str, *, now: datetime) -> Path:
    """Unlock a locked period, on the record: who, when, why, and the digest it had."""
    record = load_record(books.root, period)
    if not record.get("locked"):
        raise RefusedError(f"{period} is not locked; nothing to reopen")
    if not reason.strip():
        raise BadInputError("--reason: say why the period is reopened; it stays on the record")
    history = record.setdefault("history", [])
    history.append(
        {
            "event": "reopened",
            "reason": reason,
            "by": by,
            "at": stamp(now),
            "digest": record["locked"].get("digest"),
        }
    )
    record["locked"] = None
    record["signoffs"] = {}
    save_record(books.root, period, record)
    return record_path(books.root, period)


@functools.cache
def in_git(root: Path) -> bool:
    """Whether the books are kept in git: inside a work tree, and not ignored by it (scratch
    books under an ignored folder of another repository are not). One git run says both:
    check-ignore exits 1 for a file it does not ignore, 0 for one it does, 128 outside a work
    tree."""
    if not has_git():
        return False
    check = ["git", "check-ignore", "-q", SETTINGS_FILE]
    return subprocess.run(check, cwd=root, capture_output=True).returncode == 1


def git_guard(root: Path) -> str | None:
    """In a git repo, refuse to close over uncommitted ledger changes; HEAD, or None
    outside git (or in a repository with no commit yet)."""
    if not in_git(root):
        return None
    dirty = git(root, "status", "--porcelain", "--", "ledgers", "bo.yaml", "schedules", "sops")
    if dirty.strip():
        raise RefusedError(
            "uncommitted changes in the books; commit them first so the close records what "
            "it closed:\n" + dirty.rstrip(),
        )
    return git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() or ""


def git_commit(root: Path, paths: list[Path], subject: str, command: str) -> bool:
    """Commit exactly `paths` with `subject` and a `Bo-Command:` trailer; False when there
    was nothing to commit."""
    names = [str(p.relative_to(root)) for p in paths if p.exists()]
    if not names:
        return False
    git(root, "add", "--", *names)
    if not git(root, "diff", "--cached", "--name-only", "--", *names).strip():
        return False
    identity = []
    if not git(root, "config", "user.email", check=False).strip():
        # A fresh CI machine has no git identity; bo still commits, as the OS user.
        user = getpass.getuser()
        identity = ["-c", f"user.name={user}", "-c", f"user.email={user}@localhost"]
    message = f"{subject}\n\n{TRAILER}: {command}\n"
    git(root, *identity, "commit", "-q", "-m", message, "--", *names)
    return True


def close_subject(outcome: CloseOutcome) -> str:
    state = "locked" if outcome.locked else "open"
    return f"close {outcome.period}: {outcome.passed}/{len(outcome.steps)} steps, {state}"

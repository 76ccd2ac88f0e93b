"""`bo close P`, `bo signoff P`, `bo reopen P`: the month-end close over files in git.

The close runs the month-end checklist's steps in dependency order; a step whose
dependency failed is blocked, not run. Actions post their entries (and the ledger is read
again before the next step). Every step needs a preparer's and a reviewer's sign-off, each
holding the step's role and never the same person; a sign-off records the period digest it
saw and goes stale when the period's entries change. When every step has passed and is
signed off, the period is locked: the record keeps a fingerprint of every entry in it.
"""

from __future__ import annotations

import getpass
import shlex
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

import bo
from bo.books import Books, Ledger, ledger_inputs, lending
from bo.close.checklist import Checklist, Step, load_checklists
from bo.close.checks import ACTIONS, CHECKS, CloseContext, StepResult
from bo.close.record import load_record as load_close_record
from bo.close.record import lock_data, period_digest, save_record
from bo.close.schedules import CLOSING_INCLUDE
from bo.errors import BadInputError, RefusedError
from bo.io import atomic_write, git, has_git
from bo.periods import Period

CHECKLIST = "month-end"
LOCK_PLUGIN = 'plugin "bo.plugins.lock"'


def checklist(books: Books, name: str = CHECKLIST) -> Checklist:
    lists = load_checklists(books.root, books.settings, checks=set(CHECKS), actions=set(ACTIONS))
    if name not in lists:
        from bo.close.checklist import load_checklist
        from bo.resources import defaults_dir

        return load_checklist(
            defaults_dir("sops") / f"{name}.yaml", books.settings, set(CHECKS), set(ACTIONS)
        )
    return lists[name]


@dataclass
class CloseOutcome:
    period: Period
    steps: list[tuple[Step, dict[str, Any]]]
    record: dict[str, Any]
    locked: bool
    written: list[Path]

    @property
    def passed(self) -> int:
        return sum(1 for _, s in self.steps if s["status"] == "passed")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _run_step(step: Step, ctx: CloseContext) -> StepResult:
    if step.check:
        return CHECKS[step.check](ctx, step.with_)
    if step.action:
        return ACTIONS[step.action](ctx, step.with_)
    if step.command:
        command = step.command.format(period=ctx.period)
        words = shlex.split(command)
        if words and words[0] == "bo":
            code, text = _bo_in_process(words[1:], ctx.books)
        else:
            proc = subprocess.run(words, cwd=ctx.books.root, capture_output=True, text=True)
            code, text = proc.returncode, proc.stdout + proc.stderr
        output = text.strip().splitlines()[-10:]
        status = "passed" if code == 0 else "failed"
        return StepResult(status, f"`{command}` exited {code}", output)
    return StepResult("manual", f"asks for: {step.manual}")


def _with_posted(books: Books, writes: dict[Path, str]) -> Books:
    """The books with the entries an action just wrote, without parsing the ledger again.

    Actions append plain two-posting entries to bo's own files; those files are parsed on
    their own and merged in date order. The next command reads the ledger from disk anyway
    (its cache is keyed on content), and `bo check` validates the whole of it.
    """
    ledger = books.ledger
    added: list[data.Directive] = []
    for path, text in writes.items():
        if path.suffix != ".beancount":
            continue
        entries, errors, _ = parser.parse_string(text, report_filename=str(path))
        if errors:
            return Books(books.root, books.settings, books.use_cache)  # let the loader say
        have = {_identity(e) for e in ledger.entries if _from(e, path)}
        added += [e for e in entries if _identity(e) not in have]
    merged = sorted([*ledger.entries, *added], key=data.entry_sortkey)
    # A newly created file joins the list of inputs, so results cached over this ledger
    # are keyed on its content too.
    files = list(ledger.files)
    files += [str(p.resolve()) for p in writes if p.suffix == ".beancount"]
    files = list(dict.fromkeys(files))
    options = {**ledger.options, "include": files}
    fresh = Books(books.root, books.settings, books.use_cache)
    fresh._ledger = Ledger(
        merged, ledger.errors, options, inputs=ledger_inputs(files, books.root.resolve())
    )
    return fresh


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
        except Exception as exc:  # the step fails; the close goes on and says why
            return 70, f"{type(exc).__name__}: {exc}"
    return (code if isinstance(code, int) else 0), buffer.getvalue()


def run_close(
    books: Books,
    period: Period,
    *,
    dry_run: bool,
    explanations: dict[str, str],
    today: date,
    progress: Any = None,
) -> CloseOutcome:
    """Run every step, write what the actions post and the record; lock when all is done."""
    root = books.root
    record = load_close_record(root, period)
    if record.get("locked"):
        raise RefusedError(
            f"{period} is closed and locked (closes/{period}.yaml); bo reopen {period} "
            "--reason ... to change it"
        )
    record.setdefault("period", str(period))
    record["checklist"] = CHECKLIST
    if explanations:
        record["explanations"] = {**(record.get("explanations") or {}), **explanations}
    the_list = checklist(books)
    calendar = books.settings.entity.calendar(books.root)
    previous = load_close_record(root, period.previous) or None
    results: dict[str, dict[str, Any]] = {}
    written: list[Path] = []
    steps = []
    for step in the_list.ordered():
        ctx = CloseContext(books, period, today, record, previous)
        blocked = [d for d in step.depends_on if results[d]["status"] not in ("passed", "manual")]
        if blocked:
            result = StepResult("blocked", f"waits for {', '.join(blocked)}")
        else:
            result = _run_step(step, ctx)
            if result.writes and not dry_run:
                for path, text in result.writes.items():
                    atomic_write(path, text)
                    written.append(path)
                if any(path.suffix == ".beancount" for path in result.writes):
                    if _ensure_include(
                        books, CLOSING_INCLUDE, "Entries posted by month-end closes."
                    ):
                        written.append(books.ledger_path)
                    books = _with_posted(books, result.writes)
        entry = {
            "title": step.title,
            "status": result.status,
            "summary": result.summary,
            "details": result.details,
            "owner": step.owner,
            "reviewer": step.reviewer,
            "due": str(calendar.due_date(period.end, step.due)),
        }
        results[step.id] = entry
        steps.append((step, entry))
        if progress:
            progress(step, entry)
    digest = period_digest(books.ledger.entries, period)
    record["digest"] = digest
    record["steps"] = {step.id: entry for step, entry in steps}
    # The first run's outcome stays: bo kpi counts the steps that failed the first time.
    record.setdefault("first_run", {step.id: entry["status"] for step, entry in steps})
    signoffs = record.get("signoffs") or {}
    for step, entry in steps:
        signed = signoffs.get(step.id) or {}
        if entry["status"] == "manual" and signed_over(signed, digest):
            entry["status"] = "passed"
    record["signoffs"] = signoffs
    done = all(
        entry["status"] == "passed" and signed_over(signoffs.get(step.id) or {}, digest)
        for step, entry in steps
    )
    locked = False
    if done and not dry_run:
        record["locked"] = {"at": now(), "by": _who(), **lock_data(books.ledger.entries, period)}
        if _ensure_include(
            books, LOCK_PLUGIN, "Locked periods fail bean-check and fava if edited.", top=True
        ):
            written.append(books.ledger_path)
        locked = True
    record["run"] = {"by": _who(), "bo": bo.__version__}
    if not dry_run and save_record(root, period, record):
        written.append(root / "closes" / f"{period}.yaml")
    return CloseOutcome(period, steps, record, locked, written)


def signed_over(signed: dict[str, Any], digest: str) -> bool:
    """Both sign-offs present and made over the period as it is now."""
    return all(
        isinstance(signed.get(role), dict) and signed[role].get("digest") == digest
        for role in ("preparer", "reviewer")
    )


def _who() -> str:
    return getpass.getuser()


def _ensure_include(books: Books, line: str, comment: str, top: bool = False) -> bool:
    """Add `line` to the main ledger unless it is there; True when the file changed."""
    main = books.ledger_path
    text = main.read_text(encoding="utf-8")
    if line in text.splitlines():
        return False
    if top:
        # A plugin line must come before the entries it checks are loaded: at the top.
        lines = text.splitlines(keepends=True)
        at = next((i for i, x in enumerate(lines) if x.startswith(("include", "plugin"))), 0)
        lines.insert(at, f"; {comment}\n{line}\n")
        atomic_write(main, "".join(lines))
    else:
        atomic_write(main, text.rstrip("\n") + f"\n\n; {comment}\n{line}\n")
    return True


def signoff(
    books: Books, period: Period, step_ids: list[str], name: str, role: str | None
) -> list[str]:
    """Record NAME's sign-off on steps; returns what was recorded, refuses what breaks SoD."""
    record = load_close_record(books.root, period)
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
    signoffs = record.setdefault("signoffs", {})
    targets = step_ids or [
        sid for sid, s in record["steps"].items() if s["status"] in ("passed", "manual")
    ]
    done = []
    for sid in targets:
        step = record["steps"].get(sid)
        if step is None:
            raise BadInputError(f"{sid}: no such step in {period}'s close")
        mine = [
            r
            for r, held in (("preparer", step["owner"]), ("reviewer", step["reviewer"]))
            if held in person.roles and (role is None or role == r)
        ]
        if not mine:
            if step_ids:
                raise RefusedError(
                    f"{sid}: {name} holds neither {step['owner']} (preparer) nor "
                    f"{step['reviewer']} (reviewer)"
                )
            continue
        if step["status"] not in ("passed", "manual"):
            if step_ids:
                raise RefusedError(f"{sid} is {step['status']}: fix it and close again first")
            continue
        signed = signoffs.setdefault(sid, {})
        for the_role in mine:
            other = signed.get("reviewer" if the_role == "preparer" else "preparer")
            if (
                isinstance(other, dict)
                and other.get("name") == name
                and other.get("digest") == digest
            ):
                raise RefusedError(
                    f"{sid}: {name} already signed as the other party; "
                    "nobody reviews their own work"
                )
            signed[the_role] = {"name": name, "at": now(), "digest": digest}
            done.append(f"{sid}: {the_role} {name}")
    save_record(books.root, period, record)
    return done


def reopen(books: Books, period: Period, reason: str) -> None:
    record = load_close_record(books.root, period)
    if not record.get("locked"):
        raise RefusedError(f"{period} is not locked; nothing to reopen")
    if not reason.strip():
        raise BadInputError("--reason: say why the period is reopened; it stays on the record")
    history = record.setdefault("history", [])
    history.append(
        {
            "event": "reopened",
            "reason": reason,
            "by": _who(),
            "at": now(),
            "digest": record["locked"].get("digest"),
        }
    )
    record["locked"] = None
    record["signoffs"] = {}
    save_record(books.root, period, record)


def git_guard(root: Path) -> bool:
    """In a git repo, refuse to close over uncommitted ledger changes."""
    if not has_git() or not (root / ".git").exists():
        return False
    dirty = git(root, "status", "--porcelain", "--", "ledgers", "bo.yaml", "schedules", "sops")
    if dirty.strip():
        raise RefusedError(
            "uncommitted changes in the books; commit them first so the close records what "
            "it closed:\n" + dirty.rstrip(),
        )
    return True


def git_commit(root: Path, outcome: CloseOutcome) -> str | None:
    if not outcome.written:
        return None
    paths = [str(p.relative_to(root)) for p in outcome.written]
    git(root, "add", "--", *paths)
    if not git(root, "diff", "--cached", "--name-only").strip():
        return None
    total = len(outcome.steps)
    state = "locked" if outcome.locked else "open"
    message = f"close {outcome.period}: {outcome.passed}/{total} steps, {state}"
    identity = []
    if not git(root, "config", "user.email", check=False).strip():
        # A fresh CI machine has no git identity; the close still commits, as the OS user.
        user = _who()
        identity = ["-c", f"user.name={user}", "-c", f"user.email={user}@localhost"]
    git(root, *identity, "commit", "-q", "-m", message, "--", *paths)
    if outcome.locked:
        git(root, "tag", "-f", f"close/{outcome.period}")
    return message

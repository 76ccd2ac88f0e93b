"""`bo close`, `bo signoff`, `bo reopen`: lock, run, write the record and report, commit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bo.books import Books, open_books
from bo.close.git import close_subject, git_guard, ignored_writes, runner
from bo.close.journal import Commit, Journal, Tag, commit_writes, recover
from bo.close.locks import lock_message, repair_tag, tag_name
from bo.close.policy import recorded_policy
from bo.close.record import load_record
from bo.close.run import CHECKLIST, CloseOutcome, fill_caches, run_close
from bo.close.signoff import reopen, signed_over, signoff
from bo.errors import BadInputError, ExitCode, RefusedError, one_line
from bo.identity import acting_as, named, whoami
from bo.io import books_lock
from bo.output import is_terminal, print_json, stderr, stdout
from bo.periods import CADENCE_KINDS, SPAN_FORMS, parse_period

MARKS = {
    "passed": "ok",
    "failed": "FAIL",
    "blocked": "wait",
    "manual": "todo",
    "error": "ERR",
    "skipped": "skip",
    "n/a": "n/a",
}
STYLES = {"passed": "green", "failed": "bold red", "error": "bold red", "blocked": "yellow"}


def resolve_checklist(books: Books, period_text: str, name: str | None) -> tuple[Any, str]:
    """The period and the checklist a command is about: `--checklist NAME`, else the one
    checklist whose cadence fits the period (the month-end close for a month)."""
    from bo.close.checklist import SOPS_DIR, load_checklists
    from bo.close.run import checklist
    from bo.resources import defaults_dir

    period = parse_period(period_text, books.settings.entity.fiscal_year_start)
    if name is None and period.kind == "month":
        return period, CHECKLIST
    if name is not None:
        cadence = checklist(books, name).cadence
        if CADENCE_KINDS[cadence] != period.kind:
            raise BadInputError(
                f"--checklist {name} is {cadence}: give it a {CADENCE_KINDS[cadence]}, not "
                f"`{period_text}` (periods: {SPAN_FORMS})"
            )
        return period, name
    fitting: list[str] = []
    # The books' own checklists first; bo's defaults when none of theirs fits.
    for folder in (books.root, defaults_dir(SOPS_DIR).parent):
        found = load_checklists(folder, books.settings)
        fitting = sorted(n for n, c in found.items() if CADENCE_KINDS[c.cadence] == period.kind)
        if fitting:
            break
    if len(fitting) != 1:
        cadence = next(c for c, k in CADENCE_KINDS.items() if k == period.kind)
        have = f"several ({', '.join(fitting)})" if fitting else "none"
        raise BadInputError(
            f"`{period_text}` is a {period.kind}: which {cadence} checklist? sops/ has "
            f"{have}; give --checklist NAME"
        )
    return period, fitting[0]


def _option(name: str) -> str:
    return "" if name == CHECKLIST else f" --checklist {name}"


def _explanations(explain: list[str]) -> dict[str, str]:
    explanations = {}
    for item in explain:
        account, sep, text = item.partition("=")
        if not sep or not account.strip() or not text.strip():
            raise BadInputError(f"--explain {item!r}: write ACCOUNT=TEXT")
        explanations[account.strip()] = one_line(text, "--explain")
    return explanations


def run_close_command(
    period_text: str,
    books_dir: Path | None,
    *,
    dry_run: bool,
    explain: list[str],
    checklist_name: str | None = None,
    fmt: str = "term",
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    books.store_later = True  # the ledger as the close leaves it is stored (fill_caches)
    period, name = resolve_checklist(books, period_text, checklist_name)
    explanations = _explanations(explain)
    console = stdout()
    live = is_terminal() and fmt == "term"
    root = books.root
    today = date.today()
    command = f"close {period}{_option(name)}"
    with books_lock(root, f"bo {command}"):
        if not dry_run:
            recovered = _recover(root)
            repaired = repair_tag(root, period, name)
            if repaired:
                console.print(repaired, markup=False)
            if (recovered or repaired) and load_record(root, period, name).get("locked"):
                # The run that was cut short locked the period: finishing it was the work.
                return ExitCode.OK
        # A dry run writes nothing, so it may look at uncommitted books too.
        head = None if dry_run else git_guard(root)
        # Before anything runs (and a command step writes), what git would refuse to commit.
        ignored_writes(root, _expected_writes(books, period, name))
        journal = None if dry_run else Journal.start(root, command)
        try:
            with _checklist_view(live) as show:
                outcome = run_close(
                    books,
                    period,
                    dry_run=dry_run,
                    explanations=explanations,
                    today=today,
                    now=datetime.now(UTC),
                    by=runner(root, books.settings),
                    commit=head or None,
                    progress=show,
                    checklist_name=name,
                    journal=journal,
                )
            notes: list[str] = []
            if not dry_run:
                _render_reports(root, outcome)
                skipped, notes = _committable(root, outcome)
        except BaseException:
            if journal is not None:
                journal.abort()  # a command step may have written already
            raise
        message = None
        if not dry_run:
            outcome.flush()
            fill_caches(outcome, today, books)
            if journal is not None:
                message = close_subject(outcome)
                folder = root / "reports" / str(period)
                commit = Commit(
                    message,
                    command,
                    tag=_lock_tag(outcome, message) if outcome.locked else None,
                    # Command steps write reports of their own into the period's folder.
                    folders=[] if folder in skipped else [folder],
                    uncommitted=skipped,
                )
                if not journal.finish(commit, outcome.written):
                    message = None
        if dry_run:
            books.store_parsed()  # nothing was written: the ledger as parsed is current
    if fmt == "json":
        print_json(close_json(outcome, dry_run, message), books.root)
    else:
        _print_outcome(outcome, dry_run, live)
    for note in notes:
        stderr().print(note, markup=False)
    if message:
        stderr().print(f"committed: {message}", markup=False)
    return ExitCode.OK if outcome.locked or outcome.done else ExitCode.ATTENTION


def _print_outcome(outcome: CloseOutcome, dry_run: bool, live: bool) -> None:
    console = stdout()
    if not live:
        for step, entry in outcome.steps:
            console.print(_plain_line(step, entry), markup=False)
    _print_details(outcome)
    total = len(outcome.steps)
    state = _state(outcome)
    prefix = "dry run: nothing written; " if dry_run else ""
    na = f", {outcome.not_applicable} n/a" if outcome.not_applicable else ""
    console.print(
        f"{prefix}close {outcome.label}: {outcome.passed}/{total} steps passed{na}, {state}",
        markup=False,
    )


def close_json(outcome: CloseOutcome, dry_run: bool, committed: str | None) -> dict[str, Any]:
    """The close as data: its state, every step with its result and sign-offs, what it wrote."""
    signoffs = outcome.record.get("signoffs") or {}
    return {
        "period": str(outcome.period),
        "checklist": outcome.checklist,
        "dry_run": dry_run,
        "state": _state(outcome),
        "passed": outcome.passed,
        "not_applicable": outcome.not_applicable,
        "steps": [
            {"id": step.id, **entry, "signoffs": signoffs.get(step.id) or {}}
            for step, entry in outcome.steps
        ],
        "awaiting_signoff": _unsigned(outcome),
        "explanations": outcome.record.get("explanations") or {},
        "written": outcome.written,
        "committed": committed,
    }


def _state(outcome: CloseOutcome) -> str:
    return "locked" if outcome.locked else "done" if outcome.done else "open"


def _recover(root: Path) -> str | None:
    """Finish or undo a bo command that was cut short (bo.close.journal), and say so."""
    said = recover(root)
    if said:
        stderr().print(said, markup=False)
    return said


def _expected_writes(books: Books, period: Any, name: str) -> list[Path]:
    """What a close of `period` writes whatever its steps find: its record, its closing
    entries, the main ledger, its report."""
    from bo.close.record import record_path
    from bo.close.schedules import CLOSING_DIR

    root = books.root
    return [
        record_path(root, period, name),
        books.ledger_path.parent / CLOSING_DIR / f"{period}.beancount",
        books.ledger_path,
        root / "reports" / str(period) / "close.md",
    ]


def _committable(root: Path, outcome: CloseOutcome) -> tuple[set[Path], list[str]]:
    """The close's files git ignores (reports: written, not committed), and the notes
    saying so; refused (exit 3, nothing written) for anything else. Its steps are shown
    before a refusal, so the person sees what the close found."""
    folder = root / "reports" / str(outcome.period)
    try:
        skipped, notes = ignored_writes(root, [*outcome.pending, folder])
    except RefusedError:
        if not is_terminal():  # on a terminal the live checklist shows them
            for step, entry in outcome.steps:
                stdout().print(_plain_line(step, entry), markup=False)
        raise
    return skipped, notes


def _lock_tag(outcome: CloseOutcome, subject: str) -> Tag:
    locked = outcome.record["locked"]
    message = lock_message(subject, outcome.period, outcome.checklist, locked)
    return Tag(tag_name(outcome.period, outcome.checklist), message)


def _plain_line(step: Any, entry: dict[str, Any]) -> str:
    return f"  {MARKS[entry['status']]:>4}  {step.id}: {entry['summary']}"


@contextlib.contextmanager
def _checklist_view(live: bool) -> Iterator[Any]:
    """On a terminal, the checklist as a live table, a row filled in as each step ends;
    otherwise nothing here (plain lines are printed at the end, for logs and cron)."""
    if not live:
        yield None
        return
    from rich.live import Live
    from rich.table import Table

    rows: list[tuple[Any, dict[str, Any]]] = []

    def table() -> Table:
        view = Table(box=None, pad_edge=False)
        for column in ("", "step", "owner", "due", "result"):
            view.add_column(column)
        for step, entry in rows:
            status = entry["status"]
            view.add_row(
                f"[{STYLES.get(status, 'cyan')}]{MARKS[status]}[/]",
                step.id,
                entry["owner"],
                entry["due"],
                entry["summary"],
            )
        return view

    with Live(table(), console=stdout(), refresh_per_second=8, transient=False) as view:

        def show(step: Any, entry: dict[str, Any]) -> None:
            rows.append((step, entry))
            view.update(table())

        yield show


def _print_details(outcome: CloseOutcome) -> None:
    console = stdout()
    for step, entry in outcome.steps:
        if entry["status"] in ("failed", "error"):
            console.print(
                f"\n{step.id} ({entry['owner']}, due {entry['due']}): {entry['summary']}",
                markup=False,
            )
            for line in entry["details"][:40]:
                console.print(f"    {line}", markup=False)
    unsigned = _unsigned(outcome)
    if unsigned:
        console.print(
            f"\nawaiting sign-off: {', '.join(unsigned)} (bo signoff "
            f"{outcome.period}{_option(outcome.checklist)})",
            markup=False,
        )


def _unsigned(outcome: CloseOutcome) -> list[str]:
    """The steps still to sign: the sign-off missing, or made over entries that have
    changed since (stale)."""
    if outcome.locked:
        return []
    signoffs = outcome.record.get("signoffs") or {}
    digest = outcome.record.get("digest")
    return [
        step.id
        for step, entry in outcome.steps
        if entry["status"] in ("passed", "manual")
        and not signed_over(signoffs.get(step.id) or {}, digest)
    ]


def _render_reports(root: Path, outcome: CloseOutcome) -> None:
    """reports/P/close.md and close.html, added to the close's pending files.

    Over unchanged books the texts come from bo's cache, keyed on all they print (the
    outcome, the record, the review policy) and on bo's templates: a second close imports
    no Jinja. Drawn with the books' own templates, they are rendered each time."""
    import bo
    from bo import cache
    from bo.reports.rendered import bos_templates

    policy = recorded_policy(outcome.record)
    review = policy.describe() if policy else "not recorded"
    templates = bos_templates(root) if outcome.use_cache else None
    folder, slot = cache.books_folder(root), f"close-reports-{cache.key_of(outcome.label)[:24]}"
    key, texts = "", None
    if templates is not None:
        steps = [(str(step), result) for step, result in outcome.steps]
        shown = [outcome.label, outcome.locked, outcome.done, steps, outcome.record, review]
        digests = {str(p): cache.file_digest(p) for p in templates}
        key = cache.key_of("close-reports", cache.code_version(), digests, shown)
        texts = cache.load(folder, slot, key)
    if texts is None:
        from bo.reports.render import render_template

        texts = {
            suffix: render_template(
                root,
                f"close.{suffix}.j2",
                outcome=outcome,
                record=outcome.record,
                bo_version=bo.__version__,
                review=review,
            )
            for suffix in ("md", "html")
        }
        if key:
            cache.store(folder, slot, key, texts)
    for suffix, text in texts.items():
        outcome.pending[root / "reports" / str(outcome.period) / f"close.{suffix}"] = text


def run_signoff(
    period_text: str,
    steps: list[str],
    name: str | None,
    role: str | None,
    books_dir: Path | None,
    checklist_name: str | None = None,
    fmt: str = "term",
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period, checklist = resolve_checklist(books, period_text, checklist_name)
    if name is not None:
        named(books.settings, name)
    me = whoami(books.settings, books.root, "bo signoff")
    signer = acting_as(books.settings, me, name)
    label = f"{period}{_option(checklist)}"
    with books_lock(books.root, f"bo signoff {label}"):
        _recover(books.root)
        git_guard(books.root)
        done = signoff(
            books, period, steps, signer, role, now=datetime.now(UTC), checklist=checklist
        )
        if done.writes:
            who = signer.person.name
            if signer.delegated:
                who += f" (by {signer.by.name}, their delegate)"
            subject = f"signoff {period}{'' if checklist == CHECKLIST else ' ' + checklist}: "
            subject += f"{len(done.signed)} sign-off{'s' if len(done.signed) != 1 else ''} by {who}"
            commit_writes(
                books.root,
                done.writes,
                Commit(
                    subject,
                    f"signoff {label}",
                    body="\n".join(done.signed),
                    author=signer.author,
                ),
            )
    if fmt == "json":
        print_json(
            {
                "period": str(period),
                "checklist": checklist,
                "signer": signer.person.name,
                "signed": done.signed,
                "not_signed": done.skipped,
            }
        )
        return ExitCode.OK
    for line in done.signed:
        stdout().print(f"signed {line}", markup=False)
    for line in done.skipped:
        stdout().print(f"not signed: {line}", markup=False)
    if not done.signed and not done.skipped:
        stdout().print(f"{signer.person.name}: nothing to sign in {period}", markup=False)
    return ExitCode.OK


def run_reopen(
    period_text: str,
    reason: str,
    name: str | None,
    books_dir: Path | None,
    checklist_name: str | None = None,
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period, checklist = resolve_checklist(books, period_text, checklist_name)
    reason = one_line(reason, "--reason")
    if name is not None:
        named(books.settings, name)
    me = whoami(books.settings, books.root, "bo reopen")
    if name is not None and name != me.name:
        raise RefusedError(
            f"--as {name}: you are {me.name} ({me.email}); a reopen is on the record as who did it"
        )
    signer = acting_as(books.settings, me, None)
    label = f"{period}{_option(checklist)}"
    with books_lock(books.root, f"bo reopen {label}"):
        _recover(books.root)
        path, text = reopen(
            books, period, reason, signer, now=datetime.now(UTC), checklist=checklist
        )
        shown = str(period) if checklist == CHECKLIST else f"{checklist} {period}"
        subject = f"reopen {shown}: {reason}"
        committed = commit_writes(
            books.root,
            {path: text},
            Commit(
                subject,
                f"reopen {label}",
                author=signer.author,
                untag=tag_name(period, checklist),
            ),
        )
    stdout().print(f"{shown} reopened: {reason}", markup=False)
    if committed:
        stderr().print(f"committed: {subject}", markup=False)
    return ExitCode.OK

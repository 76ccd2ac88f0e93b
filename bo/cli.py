"""The `bo` command line: each command parses, calls one core function, renders, exits."""

# Annotations here stay objects (no `from __future__ import annotations`): typer reads every
# command's signature on each run, and evaluating them back from strings cost a command 15 ms.
import gc
import os
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bo import __version__
from bo.errors import BadInputError, BoError, ExitCode
from bo.failures import leave_quietly, report_crash, report_error, stdout_gone
from bo.formats import Format, chosen_format, format_help
from bo.output import plural, print_json, show_source, stderr, stdout, tell_attention


class BoGroup(TyperGroup):
    """The one place that turns errors into exit codes (PRODUCT.md)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            os.getcwd()  # the books are found from there, and relative paths read
        except FileNotFoundError:
            report_error(BadInputError("the folder bo was started in is gone; cd into the books"))
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own control flow and usage errors (exit 2) pass untouched
        except BoError as exc:
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            if stdout_gone():
                raise typer.Exit(int(leave_quietly())) from None
            raise typer.Exit(int(report_crash())) from None
        except Exception:
            raise typer.Exit(int(report_crash())) from None


app = typer.Typer(
    cls=BoGroup,
    name="bo",
    help="A back office in plain text: beancount books, checklists and the month-end close.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

BooksOption = Annotated[
    Path | None,
    typer.Option(
        "--books",
        help="The books repo (default: the nearest folder at or above here with bo.yaml).",
        file_okay=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON (--format json).")
]


def format_option(command: str) -> Any:
    """`--format` of `bo COMMAND`: every format a choice, its help the ones it renders."""
    return Annotated[Format, typer.Option("--format", help=format_help(command))]


def _version(value: bool) -> None:
    if value:
        stdout().print(f"bo {__version__}")
        raise typer.Exit()


def _books_defaults(group: Any, books: str) -> dict[str, Any]:
    """`--books` as the default of every command under `group` that takes it."""
    found: dict[str, Any] = {}
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            found[name] = _books_defaults(command, books)
        elif any(param.name == "books" for param in command.params):
            found[name] = {"books": books}
    return found


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    books: BooksOption = None,
) -> None:
    """A back office in plain text."""
    if books is not None:
        # Before the command (`bo --books DIR check`) as after it: the command's own
        # `--books`, when given too, still wins.
        ctx.default_map = _books_defaults(ctx.command, str(books))


@app.command()
def check(
    books: BooksOption = None,
    fmt: format_option("check") = Format.term,
    json: JsonOption = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore bo's ledger cache.")] = False,
) -> None:
    """Check the books: beancount's validation, bo.yaml, and bo's own checks.

    Exit 0 when all is well (warnings are printed), 1 when something needs attention,
    2 when the ledger or bo.yaml cannot be read.

    Example: bo check --books ~/books/acme
    """
    from bo.books import open_books
    from bo.checks import run_check

    json = chosen_format("check", fmt, json) == "json"
    opened = open_books(books, Path.cwd(), use_cache=not no_cache)
    result = run_check(opened, date.today())
    if json:
        print_json(
            {
                "ok": not result.errors,
                "entries": result.entries,
                "files": result.files,
                "findings": [f.to_json() for f in result.findings],
            },
            opened.root,
        )
    else:
        console = stdout()
        for finding in result.findings:
            label = "" if finding.severity == "error" else "warning: "
            console.print(f"{show_source(finding.source)}: {label}{finding.message}", markup=False)
        summary = (
            f"{plural(len(result.errors), 'error')}, {plural(len(result.warnings), 'warning')} "
            f"in {result.entries:,} entries from {plural(result.files, 'file')}"
        )
        stderr().print(f"bo check: {summary}", markup=False)
    raise typer.Exit(int(ExitCode.ATTENTION if result.errors else ExitCode.OK))


@app.command()
def init(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Where the books go (with --adopt: default the current folder)."),
    ] = None,
    adopt: Annotated[
        Path | None,
        typer.Option("--adopt", help="An existing beancount ledger to take as it is."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The business's name.")] = None,
    currency: Annotated[str, typer.Option("--currency", help="Base currency.")] = "USD",
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --adopt: show what it infers; write nothing.")
    ] = False,
) -> None:
    """Create a new books repo: bo.yaml, a chart of accounts, checklists, git and a hook.

    With --adopt LEDGER (or in a folder that already holds a ledger), infer bo.yaml from that
    ledger instead: its base currency, what is money, and each account's role with the
    evidence for it; the ledger itself is never written to. Refuses a folder that is not
    empty and holds no ledger, or is already books (exit 3).

    Example: bo init --adopt ledger.beancount
    """
    from bo.adopt import find_ledger

    if adopt is None and directory is None:
        raise typer.BadParameter("give the folder to create, or --adopt LEDGER", param_hint="DIR")
    target = directory if directory is not None else Path.cwd()
    if adopt is None and target.is_dir() and any(target.iterdir()):
        adopt = find_ledger(target)  # `bo init` in a folder that already keeps its books
    if adopt is not None:
        from bo.commands.adopt import run_adopt

        run_adopt(target, adopt, name, dry_run)
        return
    from bo.scaffold import init_books
    from bo.trust import trust

    created = init_books(target, name=name or "My Company", currency=currency, use_git=not no_git)
    # Books made here from bo's own checklists are this user's: their commands may run.
    trust(target, datetime.now())
    console = stdout()
    console.print(f"Created books in {target} ({len(created)} files).", markup=False)
    console.print(f"Next: cd {target} && bo check", markup=False)


@app.command("trust")
def trust_(
    books: BooksOption = None,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Withdraw the trust in these books.")
    ] = False,
) -> None:
    """Let these books run their checklist commands and report templates on this machine.

    A books repo is data: bo runs a checklist's `command:` steps and the books' own templates
    (those in templates/ that are not bo's) only for books trusted here. It lists those
    files: read them first. The record is kept outside the books, in bo's folder of your
    configuration; a change to any of the files withdraws the trust until you run
    `bo trust` again.

    Example: bo trust --books ~/clients/acme
    """
    from bo.books import find_root
    from bo.errors import BadInputError
    from bo.io import SETTINGS_FILE
    from bo.trust import record_path, revoke_trust, trust

    if books is not None and not (books / SETTINGS_FILE).is_file():
        raise BadInputError(f"--books {books}: no {SETTINGS_FILE} there")
    root = books.resolve() if books is not None else find_root(Path.cwd())
    console = stdout()
    if revoke:
        done = revoke_trust(root)
        console.print(f"{root}: {'no longer' if done else 'was not'} trusted", markup=False)
        return
    files = trust(root, datetime.now())
    listed = "".join(f"\n  {name}" for name in sorted(files)) or " none; nothing to trust yet"
    console.print(f"{root}: trusted, as its files that can run code are now:{listed}", markup=False)
    console.print(f"(recorded in {record_path()})", markup=False)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The statement file (CSV or OFX/QFX).")],
    account: Annotated[
        str | None,
        typer.Option(
            "--account", help="The account it is a statement of (default: by its folder)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be added; write nothing.")
    ] = False,
    detect: Annotated[
        bool,
        typer.Option("--detect", help="Print the bo.yaml format that reads FILE; write nothing."),
    ] = False,
    books: BooksOption = None,
    fmt: format_option("import") = Format.term,
    json: JsonOption = False,
) -> None:
    """Import a bank or card statement: new lines become categorized entries, once.

    Lines already in the books (imported before, or typed by hand) are skipped and the
    summary says which entry holds each. Exit 1 when a new line is uncategorized or looks
    like an entry typed with a different amount. --detect proposes the statement format
    (exit 1 when it has a note to check).

    Example: bo import statements/checking/2025-09.csv --dry-run
    """
    as_json = chosen_format("import", fmt, json) == "json"
    if detect:
        from bo.commands.detect import run_detect

        raise typer.Exit(int(run_detect(file, account, books, as_json=as_json)))
    from bo.commands.imports import run_import

    raise typer.Exit(int(run_import(file, account, books, dry_run=dry_run, as_json=as_json)))


@app.command("reconcile")
def reconcile_(
    account: Annotated[str, typer.Argument(help="The bank or card account.")],
    period: Annotated[str, typer.Option("--period", help="The period, YYYY-MM.")],
    statement: Annotated[
        list[Path] | None,
        typer.Option("--statement", help="Statement file(s); default: the account's folder."),
    ] = None,
    fmt: format_option("reconcile") = Format.term,
    out: Annotated[Path | None, typer.Option("--out", help="Write the report here.")] = None,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept",
            help="Record the reconciled balance as a balance assertion and mark the matched "
            'postings reconciled: "PERIOD".',
        ),
    ] = False,
    statement_balance: Annotated[
        str | None,
        typer.Option(
            "--statement-balance",
            help="The bank's balance at the period's end, as the statement shows it (for a "
            "file without a balance column); kept in the record.",
        ),
    ] = None,
    books: BooksOption = None,
    json: JsonOption = False,
) -> None:
    """Reconcile an account against its statement for a period, and keep the record.

    Prints the bank reconciliation (adjusted bank balance vs adjusted book balance) with
    every open item, writes recs/PERIOD/ACCOUNT.yaml, and exits 0 only when the bank's
    balance is known, the difference is zero and nothing needs an entry.

    Example: bo reconcile Liabilities:CreditCard --period 2025-09 --statement-balance -1402.12
    """
    from bo.commands.reconcile import run_reconcile

    fmt_name = chosen_format("reconcile", fmt, json)
    code = run_reconcile(
        account,
        period,
        statement or [],
        books,
        fmt=fmt_name,
        out=out,
        accept=accept,
        statement_balance=statement_balance,
    )
    raise typer.Exit(int(code))


PeriodArgument = Annotated[
    str,
    typer.Argument(
        help="The period: 2025-09 (a month), 2025-Q3, 2025 (a fiscal year), 2026-W49, "
        "2026-12-01 (a day)."
    ),
]
ChecklistOption = Annotated[
    str | None,
    typer.Option(
        "--checklist",
        help="The checklist (sops/NAME.yaml); default: the one whose cadence fits the period.",
    ),
]


@app.command("close")
def close_(
    period: PeriodArgument,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Run the checks; write and post nothing.")
    ] = False,
    explain: Annotated[
        list[str] | None,
        typer.Option("--explain", help="ACCOUNT=TEXT: explain a flagged flux line."),
    ] = None,
    checklist: ChecklistOption = None,
    books: BooksOption = None,
    fmt: format_option("close") = Format.term,
    json: JsonOption = False,
) -> None:
    """Run a checklist for a period; lock it when every step is signed off.

    Runs the steps of sops/month-end.yaml (or the checklist of the period's cadence:
    quarterly for 2025-Q3, yearly for 2025, --checklist for a week or a day) in dependency
    order, posts the schedules, writes closes/PERIOD.yaml and reports/PERIOD/close.{md,html},
    and in a git repo commits what it wrote and tags the lock. Exit 0 once the period is
    locked (a daily or weekly routine: done).

    Example: bo close 2026-W49 --checklist weekly-invoices
    """
    from bo.commands.close import run_close_command

    code = run_close_command(
        period,
        books,
        dry_run=dry_run,
        explain=explain or [],
        checklist_name=checklist,
        fmt=chosen_format("close", fmt, json),
    )
    raise typer.Exit(int(code))


@app.command("signoff")
def signoff_(
    period: PeriodArgument,
    steps: Annotated[
        list[str] | None, typer.Argument(help="Step ids (default: every step you can sign).")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--as", help="Sign for this person, whose bo.yaml entry names you a delegate."
        ),
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="preparer or reviewer (default: what you hold).")
    ] = None,
    checklist: ChecklistOption = None,
    books: BooksOption = None,
    fmt: format_option("signoff") = Format.term,
    json: JsonOption = False,
) -> None:
    """Sign off close steps as the person git says you are (user.email in bo.yaml people).

    As their preparer or reviewer, never both on one step unless bo.yaml's review policy
    is self-review. Each sign-off is its own commit, authored by the signer.

    Example: bo signoff 2025-09 bank-rec
    """
    from bo.commands.close import run_signoff

    if role not in (None, "preparer", "reviewer"):
        raise typer.BadParameter("preparer or reviewer", param_hint="--role")
    chosen = chosen_format("signoff", fmt, json)
    code = run_signoff(period, steps or [], name, role, books, checklist, fmt=chosen)
    raise typer.Exit(int(code))


@app.command("reopen")
def reopen_(
    period: PeriodArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why, in a line; it stays on record.")],
    name: Annotated[
        str | None,
        typer.Option("--as", help="Your name in bo.yaml people (checked against git's)."),
    ] = None,
    checklist: ChecklistOption = None,
    books: BooksOption = None,
) -> None:
    """Reopen a locked period, on the record, as the person git says you are; its sign-offs
    are cleared and its tag removed. In git, its own commit, authored by you.

    Example: bo reopen 2025-08 --reason "vendor credit note came late"
    """
    from bo.commands.close import run_reopen

    raise typer.Exit(int(run_reopen(period, reason, name, books, checklist)))


cash_app = typer.Typer(help="Cash: the daily check for cron.", no_args_is_help=True)
app.add_typer(cash_app, name="cash")


def _day(text: str) -> date:
    """A date argument: a day of the calendar as YYYY-MM-DD, inside the dates bo works with
    (exit 2 saying which is wrong otherwise)."""
    from bo.periods import date_problem

    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise typer.BadParameter(f"`{text}`: write a date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"`{text}`: no such date") from None
    problem = date_problem(day)
    if problem:
        raise typer.BadParameter(problem)
    return day


AsOfOption = Annotated[
    date | None,
    typer.Option(
        "--as-of",
        help="Replay as of this day (YYYY-MM-DD); default today.",
        parser=_day,
        metavar="YYYY-MM-DD",
    ),
]


@cash_app.command("check")
def cash_check_(
    as_of: AsOfOption = None,
    books: BooksOption = None,
    fmt: format_option("cash check") = Format.term,
    json: JsonOption = False,
) -> None:
    """Silent with exit 0 when cash is fine; otherwise a short alert and exit 1 (for cron).

    Checks each bank balance against its minimum, bank data (statement lines, balance
    assertions, imports) older than stale_days, unusual payments since the last business
    day, bills due within payables_days against available cash, reconciliation items open
    too long, and a ledger beancount finds wrong. Every alert names the setting that
    raised it.

    Crontab: 0 7 * * 1-5  cd ~/books && bo cash check
    """
    from bo.commands.cash import run_cash_check

    as_json = chosen_format("cash check", fmt, json) == "json"
    raise typer.Exit(int(run_cash_check(books, as_of, as_json)))


@app.command()
def forecast(
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help="Weeks ahead.")] = 13,
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", help="A scenarios/NAME.yaml to compare.")
    ] = None,
    as_of: AsOfOption = None,
    fmt: format_option("forecast") = Format.term,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every flow with what it rests on.")
    ] = False,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest",
            help="Replay the forecast at past month ends from the books as they stood then, "
            "and measure it against what they show since.",
        ),
    ] = False,
    first: Annotated[
        date | None,
        typer.Option(
            "--from", parser=_day, metavar="YYYY-MM-DD", help="Backtest: the first month end."
        ),
    ] = None,
    last: Annotated[
        date | None,
        typer.Option(
            "--to", parser=_day, metavar="YYYY-MM-DD", help="Backtest: the last month end."
        ),
    ] = None,
    books: BooksOption = None,
    json: JsonOption = False,
) -> None:
    """Each currency's cash week by week, with a band from the forecast's own past misses.

    Receipts of open invoices by each customer's payment history and of the invoicing to
    come, bills by the habit of paying each vendor, recurring items, cards and payroll taxes
    paid off, and scenarios beside the base case. Exit 1 when the chance that a week ends under
    the bank accounts' minimum reaches forecast.alarm_chance (20%). --backtest measures the
    forecast at past month ends (error by week ahead, bias, how often the band held) and
    exits 0.

    Example: bo forecast --scenario big-client-late --format html --out forecast.html
    """
    from bo.commands.forecast import run_backtest, run_forecast

    day = as_of
    fmt = Format(chosen_format("forecast", fmt, json))
    if backtest:
        if fmt == Format.html or scenario or explain:
            raise typer.BadParameter(
                "--backtest takes --from, --to, --weeks, --as-of and --format term, md or json"
            )
        raise typer.Exit(int(run_backtest(books, day, first, last, weeks, fmt.value, out)))
    if first or last:
        raise typer.BadParameter("--from and --to are for --backtest")
    raise typer.Exit(int(run_forecast(books, day, weeks, scenario or [], fmt.value, out, explain)))


@app.command()
def status(
    more: Annotated[
        list[Path] | None,
        typer.Argument(
            help="More books repos, as a shell expands `--books clients/*`.", metavar="DIR"
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--as", help="Only this person's tasks.")] = None,
    as_of: AsOfOption = None,
    books: Annotated[
        list[Path] | None,
        typer.Option("--books", help="Books repo(s); repeat for several clients.", file_okay=False),
    ] = None,
    fmt: format_option("status") = Format.term,
    json: JsonOption = False,
) -> None:
    """Open checklist tasks: owner, reviewer, due date, state; overdue and escalated first.

    Every checklist (month-end, year-end, weekly, daily) for its current periods. Exit 1
    when anything is overdue, 2 when a books repo cannot be read (the others are shown).

    Example: bo status --books ~/clients/*
    """
    from bo.commands.status import run_status

    day = as_of or date.today()
    as_json = chosen_format("status", fmt, json) == "json"
    raise typer.Exit(int(run_status([*(books or []), *(more or [])], name, day, as_json)))


@app.command()
def kpi(
    periods: Annotated[int, typer.Option("--periods", min=1, help="How many closes back.")] = 12,
    fmt: format_option("kpi") = Format.term,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    books: BooksOption = None,
    json: JsonOption = False,
) -> None:
    """Close metrics per locked period, and their trend: days to close, steps failed on the
    first run and how long they took to fix, duplicates found, reconciliation exceptions,
    uncategorized share, reopens.

    The lock's time is its commit's, when the books are in git. HTML has a chart; --json
    prints one object per period.

    Example: bo kpi --periods 6 --format html --out reports/kpi.html
    """
    from bo.commands.status import run_kpi

    chosen = chosen_format("kpi", fmt, json)
    raise typer.Exit(int(run_kpi(books, periods, chosen, out, datetime.now())))


@app.command()
def dupes(
    period: Annotated[
        str | None, typer.Option("--period", help="Only this period, YYYY-MM.")
    ] = None,
    account: Annotated[str | None, typer.Option("--account", help="Only this account.")] = None,
    dismiss: Annotated[
        str | None, typer.Option("--dismiss", help="A finding's id: not a duplicate.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for --dismiss.")] = None,
    books: BooksOption = None,
    fmt: format_option("dupes") = Format.term,
    json: JsonOption = False,
) -> None:
    """Find duplicate entries and duplicate payments, each with its reasons.

    Exit 1 when something is found. A dismissed finding stays dismissed (dupes/dismissed.yaml)
    until its entries change.

    Example: bo dupes --period 2025-09
    """
    from bo.commands.duplicates import run_dupes

    as_json = chosen_format("dupes", fmt, json) == "json"
    code = run_dupes(
        books, period=period, account=account, as_json=as_json, dismiss=dismiss, reason=reason
    )
    raise typer.Exit(int(code))


@app.command()
def audit(
    since: Annotated[
        str | None, typer.Option("--since", help="Only commits after this rev.")
    ] = None,
    period: Annotated[str | None, typer.Option("--period", help="Only entries of YYYY-MM.")] = None,
    books: BooksOption = None,
    fmt: format_option("audit") = Format.term,
    json: JsonOption = False,
) -> None:
    """Who changed which entries when, from git: added, removed, changed, with file:line.

    Flags changes inside locked periods, hand edits to bo's files and stale sign-offs
    (exit 1). Reads only.

    Example: bo audit --since close/2025-08
    """
    from bo.commands.audit import run_audit

    as_json = chosen_format("audit", fmt, json) == "json"
    raise typer.Exit(int(run_audit(books, since, period, as_json)))


class SchemaKind(StrEnum):
    bo_yaml = "bo.yaml"
    checklist = "checklist"
    schedules = "schedules"
    budget = "budget"
    scenario = "scenario"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which kind of file.")] = SchemaKind.bo_yaml,
) -> None:
    """Print the JSON Schema of a file bo reads, for an editor to complete and check it.

    Every key, its type and default: docs/settings/ in bo's repository.

    Example: bo schema bo.yaml > .bo-schema.json
    """
    from bo.schema import json_schema

    print_json(json_schema(kind.value))


@app.command("help")
def help_(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Argument(help="A command (`close`, `cash check`) or a topic; none: the list."),
    ] = None,
) -> None:
    """Help on a command, or a topic: settings, checklists, schedules, budgets, scenarios,
    parties (each file's keys, from the models that read it), exit-codes, formats,
    completion.

    Example: bo help settings
    """
    from bo.topics import TOPICS, topic_text

    words = topic or []
    name = " ".join(words)
    group = ctx.parent.command if ctx.parent is not None else None
    command, parent = group, ctx.parent
    for word in words:
        found = getattr(command, "commands", {}).get(word)
        if found is None:
            command = None
            break
        parent = typer.Context(found, info_name=word, parent=parent)
        command = found
    if words and command is not None:
        stdout().out(command.get_help(parent), highlight=False)
        return
    text = topic_text(name) if words else None
    if text is None:
        commands = ", ".join(sorted(n for n in getattr(group, "commands", {}) if n != "help"))
        listing = f"commands: {commands}\ntopics: {', '.join(TOPICS)}"
        if words:
            raise BadInputError(f"no help on `{name}`; {listing}")
        stdout().print(f"bo help TOPIC\n{listing}", markup=False)
        return
    sys.stdout.write(text)


class ReportKind(StrEnum):
    trial = "trial"
    pnl = "pnl"
    balance = "balance"
    cashflow = "cashflow"
    aging_ar = "aging-ar"
    aging_ap = "aging-ap"
    budget = "budget"
    flux = "flux"
    form_1099 = "1099"
    all = "all"
    packet = "packet"


class Compare(StrEnum):
    prior = "prior"
    year = "year"


@app.command()
def report(
    kind: Annotated[ReportKind, typer.Argument(help="Which report.")],
    period: Annotated[
        str | None,
        typer.Option("--period", help="The period, YYYY-MM (aging: the month of --as-of)."),
    ] = None,
    compare: Annotated[
        Compare | None,
        typer.Option("--compare", help="pnl and balance: a column for the prior period or year."),
    ] = None,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of", parser=_day, metavar="YYYY-MM-DD", help="Aging: as of this day (YYYY-MM-DD)."
        ),
    ] = None,
    fmt: format_option("report") = Format.term,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="1099: the calendar year.")] = None,
    books: BooksOption = None,
    json: JsonOption = False,
) -> None:
    """Render a report for a period from the books' or bo's templates.

    Kinds: trial, pnl, balance, cashflow, aging-ar, aging-ap, budget, flux; `all` writes
    every kind into the folder --out (default reports/PERIOD/) from one load of the books.
    `--format xlsx` writes a workbook (--out, default reports/PERIOD/KIND.xlsx; `all`: one
    sheet per kind); `packet --format xlsx` is the close packet: the close checklist with its
    sign-offs, every report, the flux with the close's explanations, each reconciliation.
    `1099 --year Y`: vendors paid over the threshold, flagged where no tax id is on file.
    Exit 1 when a report finds something needing attention (out of balance, not tying, a
    credit balance in the aging, lines out of band or flagged), listed on stderr.

    Example: bo report pnl --period 2025-09 --compare prior --format html --out pnl.html
    """
    from bo.books import open_books
    from bo.errors import BadInputError
    from bo.io import write_out
    from bo.output import is_terminal
    from bo.periods import Period
    from bo.reports.build import build_cached
    from bo.reports.render import render

    fmt = Format(chosen_format("report", fmt, json))
    if kind is ReportKind.form_1099:
        from bo.commands.payables import run_report_1099

        raise typer.Exit(int(run_report_1099(books, year, fmt.value, out)))
    day = as_of
    if period is None and day is None:
        raise BadInputError("give --period YYYY-MM (or, for aging, --as-of YYYY-MM-DD)")
    the_period = Period.parse(period) if period is not None else Period.containing(day)
    if kind is ReportKind.packet or fmt is Format.xlsx:
        from bo.commands.workbook import run_report_xlsx

        if fmt is not Format.xlsx:
            raise BadInputError("`report packet` is a workbook: give --format xlsx")
        raise typer.Exit(
            int(
                run_report_xlsx(
                    kind.value,
                    books,
                    the_period,
                    compare=compare.value if compare else None,
                    as_of=day,
                    out=out,
                )
            )
        )
    if out is not None and out.is_dir() and kind is not ReportKind.all:
        raise BadInputError(f"--out {out}: is a folder; give a file name like {out}/report.{fmt}")
    opened = open_books(books, Path.cwd())
    if kind is ReportKind.all:
        _report_all(opened, the_period, fmt.value, out, compare is not None or day is not None)
    built = build_cached(kind.value, opened, the_period, compare.value if compare else None, day)
    text = render(
        kind.value,
        built.report,
        fmt.value,
        opened.root,
        entity=opened.settings.entity.name,
        generated=datetime.now(),
        rows=built.rows,
        columns=built.columns,
        color=out is None and is_terminal(),
        width=None if out is not None or not is_terminal() else stdout().width,
    )
    if out is not None:
        write_out(out, text)
        stderr().print(f"wrote {out}", markup=False)
    else:
        sys.stdout.write(text)
    raise typer.Exit(int(tell_attention(built.problems)))


def _report_all(books: Any, period: Any, fmt: str, out: Path | None, options: bool) -> None:
    """`bo report all`: render every kind, then write them, so bad input writes nothing."""
    from bo.errors import BadInputError
    from bo.io import atomic_write
    from bo.reports.build import build_all_cached
    from bo.reports.render import render

    if options:
        raise BadInputError("`report all` takes neither --compare nor --as-of")
    if fmt == "term":
        raise BadInputError("`report all` writes files: give --format md, html, csv or json")
    folder = out if out is not None else books.root / "reports" / str(period)
    if folder.exists() and not folder.is_dir():
        raise BadInputError(f"--out {folder}: `report all` writes into a folder; this is a file")
    built, notes = build_all_cached(books, period)
    generated = datetime.now()
    texts = {
        kind: render(
            kind,
            one.report,
            fmt,
            books.root,
            entity=books.settings.entity.name,
            generated=generated,
            rows=one.rows,
            columns=one.columns,
        )
        for kind, one in built.items()
    }
    for kind, text in texts.items():
        try:
            atomic_write(folder / f"{kind}.{fmt}", text)
        except OSError as exc:
            raise BadInputError(f"--out {folder}: cannot write {kind}.{fmt}: {exc}") from None
    stderr().print(f"wrote {len(texts)} reports to {folder}", markup=False)
    problems = [f"{kind}: {p}" for kind, one in built.items() for p in one.problems]
    raise typer.Exit(int(tell_attention(problems, notes)))


# --- payables and receivables --------------------------------------------------------------
DayOption = Annotated[
    date, typer.Option("--date", help="Its date.", parser=_day, metavar="YYYY-MM-DD")
]


def _document_command(kind: str) -> Any:
    party_help = (
        "The vendor (a record in parties/vendors)."
        if kind == "bill"
        else ("The customer (a record in parties/customers).")
    )

    def add(
        party: Annotated[str, typer.Argument(help=party_help)],
        number: Annotated[str, typer.Argument(help=f"The {kind}'s number.")],
        day: DayOption,
        line: Annotated[
            list[str],
            typer.Option("--line", help="ACCOUNT=AMOUNT, or AMOUNT on the party's account."),
        ],
        due: Annotated[
            date | None,
            typer.Option("--due", help="Due date.", parser=_day, metavar="YYYY-MM-DD"),
        ] = None,
        terms: Annotated[
            str | None, typer.Option("--terms", help="`net 30`, `2/10 net 30` (default: record).")
        ] = None,
        tax: Annotated[str | None, typer.Option("--tax", help="Tax amount.")] = None,
        tax_account: Annotated[
            str | None, typer.Option("--tax-account", help="Default: the `sales_tax` account.")
        ] = None,
        memo: Annotated[str, typer.Option("--memo", help="The narration.")] = "",
        name: Annotated[
            str | None,
            typer.Option(
                "--as", help="Enter for NAME, as their delegate (default: you, by git user.email)."
            ),
        ] = None,
        books: BooksOption = None,
    ) -> None:
        from bo.commands.payables import run_document_add

        code = run_document_add(
            kind,  # type: ignore[arg-type]
            party,
            number,
            books,
            issued=day,
            due=due,
            terms=terms,
            lines=line,
            tax=tax,
            tax_account=tax_account,
            memo=memo,
            name=name,
        )
        raise typer.Exit(int(code))

    side = "payable" if kind == "bill" else "receivable"
    add.__doc__ = (
        f"Enter a {kind}: one entry crediting the {side} account with `invoice:` and `due:`,\n"
        f"    refused (exit 3) when the party's {kind} number is in the books already.\n\n"
        + (
            '    Example: bo bill add "Pixel Print Co" PP-0016 --date 2026-11-03 '
            "--line Expenses:Office=400.00"
            if kind == "bill"
            else '    Example: bo invoice add "Northwind" INV-1112 --date 2026-11-03 '
            "--line Income:Services=2500.00"
        )
    )
    return add


bill_app = typer.Typer(help="Bills from vendors.", no_args_is_help=True)
invoice_app = typer.Typer(help="Invoices to customers.", no_args_is_help=True)
app.add_typer(bill_app, name="bill")
app.add_typer(invoice_app, name="invoice")
bill_app.command("add")(_document_command("bill"))
invoice_app.command("add")(_document_command("invoice"))


def _import_command(kind: str) -> Any:
    def import_(
        file: Annotated[Path, typer.Argument(help="The CSV export, one row per line.")],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Say what would be added; write nothing.")
        ] = False,
        name: Annotated[
            str | None,
            typer.Option("--as", help="Enter for NAME, as their delegate (default: you)."),
        ] = None,
        books: BooksOption = None,
    ) -> None:
        from bo.commands.payables import run_document_import

        code = run_document_import(kind, file, books, name=name, dry_run=dry_run)  # type: ignore[arg-type]
        raise typer.Exit(int(code))

    import_.__doc__ = (
        f"Enter the {kind}s of a CSV export (columns by header: party, number, date, due date,\n"
        "    terms, account, amount, currency, tax, description; a row per line). All or\n"
        "    nothing: a bad row exits 2 naming its line; one already in the books is skipped.\n\n"
        f"    Example: bo {kind} import exports/{kind}s-2026-11.csv --dry-run"
    )
    return import_


bill_app.command("import")(_import_command("bill"))
invoice_app.command("import")(_import_command("invoice"))


@app.command()
def approve(
    vendor: Annotated[str, typer.Argument(help="The bill's vendor.")],
    number: Annotated[str, typer.Argument(help="The bill's number.")],
    name: Annotated[
        str | None, typer.Option("--as", help="Approve for NAME, as their delegate (default: you).")
    ] = None,
    books: BooksOption = None,
) -> None:
    """Approve a bill for payment, on the record; never its own enterer (exit 3).

    bo.yaml `approvals` says how many people, holding which roles, each bill needs.

    Example: bo approve "Pixel Print Co" PP-0016
    """
    from bo.commands.payables import run_approve

    raise typer.Exit(int(run_approve(vendor, number, books, name=name, today=date.today())))


@app.command()
def pay(
    run: Annotated[
        date,
        typer.Option("--run", help="The run's date.", parser=_day, metavar="YYYY-MM-DD"),
    ],
    commit: Annotated[
        bool, typer.Option("--commit", help="Write the payments and the bank payment files.")
    ] = False,
    account: Annotated[str | None, typer.Option("--from", help="The paying bank account.")] = None,
    fmt: format_option("pay") = Format.term,
    books: BooksOption = None,
    json: JsonOption = False,
) -> None:
    """Propose a payment run: approved bills due by the date, cash kept above the minimum.

    Says what it deferred and why (exit 1 when something was). --commit writes one payment
    entry per bill, payments/DATE.csv and (with IBANs) payments/DATE.xml (pain.001), and
    commits them; run twice, it pays nothing twice.

    Example: bo pay --run 2026-12-10 --commit
    """
    from bo.commands.payables import run_pay

    chosen = chosen_format("pay", fmt, json)
    raise typer.Exit(int(run_pay(run, account, books, commit=commit, fmt=chosen)))


@app.command()
def remind(
    as_of: AsOfOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write each statement of account here (.md, .html, .eml).",
            file_okay=False,
        ),
    ] = None,
    books: BooksOption = None,
    fmt: format_option("remind") = Format.term,
    json: JsonOption = False,
) -> None:
    """Overdue invoices by customer at their dunning stage (bo.yaml `dunning`); silent with
    exit 0 when nothing is due, else the list and exit 1 (for cron).

    With --out, a statement of account per customer from templates/remind-*.j2, as
    Markdown, HTML and an .eml ready to send; bo sends nothing itself.

    Example: bo remind --out reminders/2026-12
    """
    from bo.commands.payables import run_remind

    day = as_of or date.today()
    as_json = chosen_format("remind", fmt, json) == "json"
    raise typer.Exit(int(run_remind(books, day, out, as_json)))


def main() -> None:
    """The `bo` script."""
    # bo builds hundreds of thousands of small acyclic objects (entries, statement lines,
    # match candidates); at the default threshold the cyclic collector walks them every 700
    # allocations and, on a large ledger, spends a third of an import doing so.
    gc.set_threshold(100_000, 50, 100)
    app()


if __name__ == "__main__":
    main()

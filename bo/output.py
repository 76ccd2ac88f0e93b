"""Terminal output: rich tables on a terminal, plain text otherwise, JSON for data."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.errors import ExitCode, Source
from bo.text import printable

if TYPE_CHECKING:
    from rich.console import Console


def is_terminal(stream: Any = None) -> bool:
    """True when `stream` (stdout by default) is an interactive terminal."""
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def stdout() -> Console:
    """Console for results; plain (no colour, no wrapping) when not a terminal."""
    tty = is_terminal(sys.stdout)
    make = functools.partial(_rich_console, sys.stdout, soft_wrap=not tty, no_color=not tty)
    return SafeConsole(make()) if tty else PlainConsole(sys.stdout, make)  # type: ignore[return-value]


def stderr() -> Console:
    """Console for diagnostics."""
    tty = is_terminal(sys.stderr)
    make = functools.partial(_rich_console, sys.stderr, soft_wrap=True, no_color=not tty)
    return SafeConsole(make()) if tty else PlainConsole(sys.stderr, make)  # type: ignore[return-value]


def _rich_console(file: Any, *, soft_wrap: bool, no_color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=file,
        highlight=False,
        emoji=False,  # or `Assets:Bank:Checking` prints a bank emoji
        soft_wrap=soft_wrap,
        no_color=no_color,
    )


class SafeConsole:
    """rich's Console on a terminal, printing text with its control characters escaped: a
    payee holding ESC sequences would otherwise recolour, retitle or script the terminal."""

    def __init__(self, console: Console) -> None:
        self.rich = console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)

    def print(self, *objects: Any, **options: Any) -> None:
        """Console.print, strings made printable."""
        self.rich.print(*_printable(objects), **options)

    def out(self, *objects: Any, **options: Any) -> None:
        """Console.out, strings made printable."""
        self.rich.out(*_printable(objects), **options)


def _printable(objects: tuple[Any, ...]) -> list[Any]:
    return [printable(o) if isinstance(o, str) else o for o in objects]


class PlainConsole:
    """The console off a terminal (cron, pipes, CI), where rich writes a plain string as it
    is, less a few control codes: the same bytes, without importing rich (which costs a short
    command a twentieth of its time). Anything else (a table, markup, tabs) goes to rich."""

    def __init__(self, file: Any, make: Callable[[], Console]) -> None:
        self.file = file
        self._make = make

    @functools.cached_property
    def rich(self) -> Console:
        return self._make()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.rich, name)

    def print(
        self, *objects: Any, markup: bool | None = None, end: str = "\n", **options: Any
    ) -> None:
        """Console.print: plain strings with `markup=False` (or holding no markup) directly."""
        text = self._plain(objects, options, markup is not False)
        if text is None:
            self.rich.print(*_printable(objects), markup=markup, end=end, **options)
        else:
            self._write(text, end)

    def out(
        self, *objects: Any, end: str = "\n", highlight: bool | None = None, **options: Any
    ) -> None:
        """Console.out: plain strings directly (bo's consoles never highlight)."""
        text = None if highlight else self._plain(objects, options, False)
        if text is None:
            self.rich.out(*_printable(objects), end=end, highlight=highlight, **options)
        else:
            self._write(text, end)

    @staticmethod
    def _plain(objects: tuple[Any, ...], options: dict[str, Any], markup: bool) -> str | None:
        """The text to write as it is, or None for what rich must draw: not a string,
        markup, or tabs (rich expands them by the width each character takes on screen)."""
        if options or not all(isinstance(o, str) for o in objects):
            return None
        text = " ".join(objects)
        return None if "\t" in text or (markup and "[" in text) else text

    def _write(self, text: str, end: str) -> None:
        # A line break from a CRLF file is one break, as rich writes it.
        self.file.write(printable(text).replace("\r\n", "\n") + end)
        self.file.flush()


def show_source(source: Source | None) -> str:
    """`file:line`, relative to the working directory when the file is under it."""
    if source is None:
        return ""
    name = _shown_name(source.filename, os.getcwd())
    return f"{name}:{source.lineno}" if source.lineno else name


@functools.lru_cache(maxsize=256)
def _shown_name(filename: str, cwd: str) -> str:
    # Cached: a report of 30,000 lines names the same few files over and over.
    with contextlib.suppress(ValueError, OSError):
        if Path(filename).resolve().is_relative_to(Path(cwd)):
            return os.path.relpath(filename, cwd)
    return filename


def print_table(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, right: Sequence[int] = ()
) -> None:
    """A rich table on a terminal; tab-free aligned plain text otherwise."""
    console = stdout()
    cells = [[_cell(value) for value in row] for row in rows]
    if is_terminal():
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for i, column in enumerate(columns):
            table.add_column(column, justify="right" if i in right else "left")
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = [title] if title else []
    for row in [list(columns), *cells]:
        lines.append(
            "  ".join(
                v.rjust(w) if i in right else v.ljust(w)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    console.print("\n".join(lines), markup=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return printable(str(value))


def _json_default(value: Any, root: Path | None = None) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        from bo.paths import books_relative

        return books_relative(value, root)
    if isinstance(value, Source):
        from bo.paths import place

        return place(value, root)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "model_dump"):  # a pydantic record (a party, a setting)
        return value.model_dump(mode="json", exclude_none=True)
    raise TypeError(f"cannot serialize {type(value).__name__}")


def dumps_json(data: Any, root: Path | None = None) -> str:
    """JSON with Decimal as strings (never float), dates ISO, sorted keys for stable output,
    and paths inside the books `root` relative to it (in text too: `/books/x.beancount:3:
    message` reads `x.beancount:3: message`), as the text output names them."""
    if root is not None:
        data = _relative_texts(data, tuple({f"{root}{os.sep}", f"{root.resolve()}{os.sep}"}))
    return json.dumps(
        data, default=functools.partial(_json_default, root=root), indent=2, sort_keys=True
    )


def _relative_texts(data: Any, prefixes: tuple[str, ...]) -> Any:
    """`data` with the books' absolute prefixes taken out of its strings."""
    if isinstance(data, str):
        for prefix in prefixes:
            data = data.replace(prefix, "")
        return data
    if isinstance(data, dict):
        return {key: _relative_texts(value, prefixes) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_relative_texts(value, prefixes) for value in data]
    return data


def print_json(data: Any, root: Path | None = None) -> None:
    """Print `data` as JSON to stdout (paths inside the books `root` relative to it)."""
    sys.stdout.write(dumps_json(data, root) + "\n")


def tell_attention(problems: Sequence[str], notes: Sequence[str] = ()) -> ExitCode:
    """A report's notes, then each problem as `attention: ...`, on stderr; exit 1 when there
    is something to look at, as every report command does."""
    console = stderr()
    for note in notes:
        console.print(note, markup=False)
    for problem in problems:
        console.print(f"attention: {problem}", markup=False)
    return ExitCode.ATTENTION if problems else ExitCode.OK


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 warning`, `2 warnings`: counts read as English in summaries."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


@contextlib.contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal (stderr); silent under cron, pipes and tests."""
    if not is_terminal(sys.stderr) or total <= 0:
        yield lambda n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[progress.description]{description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)

"""Render report contexts through Jinja templates; the books' templates/ override bo's."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)

import bo
from bo.cache import cache_home
from bo.errors import BadInputError, Source
from bo.output import dumps_json
from bo.reports.filters import FILTERS
from bo.resources import defaults_dir

FORMATS = ("term", "md", "html", "csv", "json")


def template_env(books_root: Path) -> Environment:
    """A Jinja environment that looks in the books' templates/ first, then bo's defaults."""
    env = Environment(
        bytecode_cache=_bytecode_cache(books_root),
        loader=FileSystemLoader([str(books_root / "templates"), str(defaults_dir("templates"))]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _bytecode_cache(books_root: Path) -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs: compiling costs more than rendering a report.

    Jinja keys each on the template's path and source; bo's version names the folder because
    the environment's options shape the compiled code too. Kept in bo's cache folder on this
    machine, never in the books: compiled code found there would run.
    """
    folder = cache_home() / f"templates-{bo.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render(
    kind: str,
    report: Any,
    fmt: str,
    books_root: Path,
    *,
    entity: str,
    generated: datetime,
    rows: list[dict[str, Any]] | None = None,
    columns: list[str] | None = None,
    color: bool = False,
    width: int | None = None,
) -> str:
    """Render `report` (a frozen dataclass) as `fmt`; `rows` (with `columns`) feed CSV.

    `term` is the Markdown template drawn by rich: tables with rules, in colour when
    `color` (a terminal), plain text otherwise.
    """
    if fmt == "json":
        problems = list(getattr(report, "problems", []))
        return (
            dumps_json({"kind": kind, "report": dataclasses.asdict(report), "problems": problems})
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        rows = rows or []
        names = columns or (list(rows[0]) if rows else [])
        writer = csv.DictWriter(buffer, fieldnames=names)
        writer.writeheader()
        writer.writerows({k: _safe_cell(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()
    suffix = "html" if fmt == "html" else "md"
    name = f"{kind}.{suffix}.j2"
    try:
        template = template_env(books_root).get_template(name)
        text = template.render(
            report=report, entity=entity, generated=generated, bo_version=bo.__version__
        )
    except TemplateSyntaxError as exc:
        raise BadInputError(
            f"template {name}: {exc.message}", Source(exc.filename or name, exc.lineno)
        ) from None
    except TemplateError as exc:
        raise BadInputError(
            f"template {name}: {exc.message or exc}", _template_source(exc, name)
        ) from None
    if fmt == "term":
        return terminal_text(text, color=color, width=width)
    return text


def terminal_text(markdown: str, *, color: bool, width: int | None = None) -> str:
    """Markdown as rich draws it: tables ruled and aligned, styled when `color`."""
    from rich.console import Console  # only the terminal format pays for importing these
    from rich.markdown import Markdown

    if width is None:
        width = min(max([80, *(len(line) for line in markdown.splitlines())]), 200)
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    console.print(Markdown(markdown))
    text = console.file.getvalue()
    if color:
        return text
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def _template_source(exc: TemplateError, name: str) -> Source:
    """The template file and line of a runtime error (an undefined attribute, a bad
    filter): Jinja rewrites the traceback so a frame stands for the template's line."""
    tb = exc.__traceback__
    found = Source(name)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Source(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (`=HYPERLINK(...)` as a payee) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

"""Render report contexts through Jinja templates; the books' templates/ override bo's."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

import bo
from bo.cache import cache_home
from bo.errors import BadInputError, BoError, Source
from bo.output import dumps_json
from bo.reports.filters import FILTERS
from bo.reports.model import report_dict
from bo.resources import defaults_dir
from bo.text import printable

FORMATS = ("term", "md", "html", "csv", "json")
TEMPLATES_DIR = "templates"


class BooksLoader(BaseLoader):
    """The books' templates/ first, then bo's defaults; a books template that is not bo's
    own runs only on trusted books (bo.trust), and must be UTF-8 text."""

    def __init__(self, books_root: Path) -> None:
        self.books_root = books_root
        self.folders = [books_root / TEMPLATES_DIR, defaults_dir(TEMPLATES_DIR)]

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        parts = template.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise TemplateNotFound(template)
        for folder in self.folders:
            path = folder.joinpath(*parts)
            if not path.is_file():
                continue
            data = path.read_bytes()
            if folder == self.folders[0] and _default_bytes(template) != data:
                from bo.trust import require_trust

                require_trust(self.books_root, f"template {TEMPLATES_DIR}/{template}")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise BadInputError(
                    f"byte {data[exc.start]:#04x} is not UTF-8 text: save the template as UTF-8",
                    Source(str(path), line),
                ) from None
            mtime = path.stat().st_mtime
            return text, str(path), lambda path=path, mtime=mtime: path.stat().st_mtime == mtime
        raise TemplateNotFound(template)


def _default_bytes(template: str) -> bytes | None:
    path = defaults_dir(TEMPLATES_DIR).joinpath(*template.split("/"))
    try:
        return path.read_bytes()
    except OSError:
        return None


def _escape_markdown(value: Any) -> Any:
    """Text in a Markdown report with its `<` escaped: Markdown passes raw HTML through, so a
    payee like `<img src=x onerror=...>` would be markup in every viewer of the report.
    Without `<` no tag can open; `&` and `>` stay as people wrote them (Cinder & Oak)."""
    if isinstance(value, str) and "<" in value:
        return value.replace("<", "&lt;")
    return value


def template_env(books_root: Path, markdown: bool = False) -> Environment:
    """A sandboxed Jinja environment that looks in the books' templates/ first, then bo's
    defaults. Sandboxed: a template reads the report it is given and formats it, and
    nothing else (no attribute leads to Python's internals).
    `markdown`: values printed into the text are HTML-escaped."""
    env = SandboxedEnvironment(
        bytecode_cache=_bytecode_cache("md" if markdown else "html"),
        loader=BooksLoader(books_root),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_escape_markdown if markdown else None,
    )
    env.filters.update(FILTERS)
    return env


def _bytecode_cache(flavour: str) -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs: compiling costs more than rendering a report.

    Jinja keys each on the template's path and source; bo's version, the sandbox and the
    flavour (Markdown escapes its values) name the folder because the environment's options
    shape the compiled code too. Kept in bo's cache folder on this machine, never in the
    books: compiled code found there would run.
    """
    folder = cache_home() / f"templates-{bo.__version__}-sandboxed-{flavour}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render_template(books_root: Path, name: str, **context: Any) -> str:
    """Render the template `name` (the books' own, else bo's) with `context`.

    A template's own mistake (its syntax, a name it does not have, a runtime error such as a
    division by zero, an unsafe attribute) is bad input naming its file and line; a books
    template that is not trusted is refused (bo.trust). An error in bo's own templates is a
    bug in bo, and is raised as such.
    """
    env = template_env(books_root, markdown=name.endswith(".md.j2"))
    try:
        return printable(env.get_template(name).render(**context))
    except BoError:
        raise
    except TemplateSyntaxError as exc:
        raise BadInputError(
            f"template {name}: {exc.message}", Source(exc.filename or name, exc.lineno)
        ) from None
    except Exception as exc:
        where = _template_source(exc, name)
        if isinstance(exc, TemplateError) or _is_books(where, books_root):
            raise BadInputError(f"template {name}: {_reason(exc)}", where) from None
        raise


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "message", None) or exc)
    return text if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {text}"


def _is_books(where: Source, books_root: Path) -> bool:
    return Path(where.filename).resolve().is_relative_to((books_root / TEMPLATES_DIR).resolve())


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
            dumps_json(
                {"kind": kind, "report": report_dict(report), "problems": problems}, books_root
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        rows = rows or []
        names = columns or (list(rows[0]) if rows else [])
        writer = csv.DictWriter(buffer, fieldnames=names)
        writer.writeheader()
        writer.writerows({k: _safe_cell(v) for k, v in row.items()} for row in rows)
        return printable(buffer.getvalue())
    suffix = "html" if fmt == "html" else "md"
    text = render_template(
        books_root,
        f"{kind}.{suffix}.j2",
        report=report,
        entity=entity,
        generated=generated,
        bo_version=bo.__version__,
    )
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


def _template_source(exc: BaseException, name: str) -> Source:
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

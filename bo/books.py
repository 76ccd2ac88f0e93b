"""The books: find the root, load bo.yaml and the ledger (content-cached), the Books object."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo import cache
from bo.errors import BadInputError, Finding, LedgerError, SettingsError, Source
from bo.io import SETTINGS_FILE

if TYPE_CHECKING:
    from beancount.core import data

    from bo.settings import Settings

# Beancount errors that mean the text itself could not be read: the ledger is bad input
# (exit 2). Anything else beancount reports (a failed balance assertion, an unbalanced
# transaction) is a finding about valid input (exit 1).
_UNREADABLE = {"ParserError", "ParserSyntaxError", "LexerError", "LoadError", "DateRangeError"}


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger: beancount's entries and options, and its errors as findings."""

    entries: list[data.Directive]
    errors: list[Finding]
    options: dict[str, Any]
    from_cache: bool = False
    # The sha256 of every input file as it was read: what caches of results over this
    # ledger are keyed on.
    inputs: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def files(self) -> list[str]:
        """Every file the ledger was read from (the entry point and its includes)."""
        return list(self.options.get("include", []))

    @cached_property
    def opened(self) -> dict[str, data.Open]:
        """Open directives by account."""
        # beancount is imported where entries are looked at: an answer from bo's caches
        # needs none of it, and importing it costs a command a tenth of its time.
        from beancount.core import data

        return {e.account: e for e in self.entries if isinstance(e, data.Open)}

    @cached_property
    def closed(self) -> dict[str, data.Close]:
        """Close directives by account."""
        from beancount.core import data

        return {e.account: e for e in self.entries if isinstance(e, data.Close)}

    @property
    def unreadable(self) -> list[Finding]:
        """Errors that mean the ledger text could not be parsed."""
        return [f for f in self.errors if f.check in _UNREADABLE]


def as_finding(error: Any) -> Finding:
    """A beancount error as a finding: its source, message and entry."""
    return Finding(
        Source.from_meta(getattr(error, "source", None)),
        str(error.message).strip(),
        type(error).__name__,
        entry=getattr(error, "entry", None),
    )


_INCLUDE_RE = re.compile(r'File glob "(?P<glob>[^"]+)" does not match')
_TWICE_RE = re.compile(r'^Duplicate filename parsed: "(?P<path>[^"]+)"')
_PLUGIN_RE = re.compile(r'^Error (?P<doing>importing|applying plugin) "(?P<name>[^"]+)": ')
_QUOTED = re.compile(r'"([^"]*)"')


def _locate_include(finding: Finding, files: list[str]) -> Finding:
    """Beancount's "<load>" errors (a missing include, a file included twice, a plugin
    that cannot be imported or fails) said as what is wrong, at the line that says it."""
    if finding.source and not finding.source.filename.startswith("<"):
        return finding
    if match := _INCLUDE_RE.search(finding.message):
        wanted = f'"{match["glob"]}"'
        found = _line_where(files, lambda name, line: line.startswith("include") and wanted in line)
        return replace(finding, source=found) if found else finding
    if match := _TWICE_RE.match(finding.message):
        twice = Path(match["path"])

        def includes_it(name: str, line: str) -> bool:
            quoted = _QUOTED.search(line) if line.startswith("include") else None
            return quoted is not None and (Path(name).parent / quoted[1]).resolve() == twice

        return replace(
            finding,
            message=f"{twice.name} is included twice (an include loop, or two includes of "
            "one file): beancount reads a file once; remove the second include",
            source=_line_where(files, includes_it) or finding.source,
        )
    if match := _PLUGIN_RE.match(finding.message):
        name, reason = match["name"], finding.message.strip().splitlines()[-1].strip()
        wanted = f'"{name}"'
        verb = "cannot be imported" if match["doing"] == "importing" else "failed"
        return replace(
            finding,
            message=f'plugin "{name}" {verb} ({reason}): install what provides it, or '
            "remove the plugin line",
            source=_line_where(files, lambda _, line: line.startswith("plugin") and wanted in line)
            or finding.source,
        )
    return finding


def _line_where(files: list[str], wanted: Any) -> Source | None:
    """The first line of the ledger's files, stripped, for which `wanted(file, line)`."""
    for name in files:
        try:
            lines = Path(name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for lineno, line in enumerate(lines, 1):
            if wanted(name, line.strip()):
                return Source(name, lineno)
    return None


def _outside_dates(entries: list[data.Directive]) -> list[Finding]:
    """Entries dated where bo cannot work (year 1, year 9999): bad input, not a crash.

    A `commodity` declaration is dated by the commodity's history (bean-example declares
    `1792-01-01 commodity USD`, beancount accepts it) and bo computes nothing from its date."""
    from beancount.core import data

    from bo.periods import EARLIEST, LATEST, date_problem

    return [
        Finding(
            Source.from_meta(entry.meta),
            f"{date_problem(entry.date)}: correct the date",
            "DateRangeError",
            entry=entry,
        )
        for entry in entries
        if not EARLIEST <= entry.date <= LATEST and type(entry) is not data.Commodity
    ]


def versions() -> dict[str, str]:
    # A cache written by other bo code, beancount or Python may not unpickle the same way.
    return {
        "bo": cache.code_version(),
        "beancount": _beancount_version(),
        "python": sys.version.split()[0],
    }


@functools.cache
def _beancount_version() -> str:
    """beancount's version, from the VERSION file its package reads it from: importing
    beancount (every module of it, through its `__init__`) would cost an answer from the
    caches a tenth of its time."""
    import importlib.util

    spec = importlib.util.find_spec("beancount")
    if spec and spec.origin:
        with contextlib.suppress(OSError):
            return (Path(spec.origin).parent / "VERSION").read_text(encoding="utf-8").strip()
    import beancount

    return str(beancount.__version__)


def ledger_inputs(files: list[str], root: Path) -> dict[str, str | None]:
    """The content digest of each ledger file, and the listing of every folder they are in.

    The listing of every folder between the main file and each included file counts too: an
    `include "closing/*.beancount"` picks up a file that was not there when the cache was
    written, and the cache must see that as a change. Hidden names are left out: a glob never
    matches them, and bean-check writes its own `.main.beancount.picklecache` there, which
    would otherwise spoil bo's cache whenever someone ran bean-check.
    """
    inputs: dict[str, str | None] = {name: cache.file_digest(name) for name in sorted(files)}
    for folder in _folders_between(tuple(files)):
        inputs[f"{folder}/"] = folder_listing(folder)
    return inputs


@functools.lru_cache(maxsize=8)
def _folders_between(files: tuple[str, ...]) -> list[Path]:
    """Every folder from the main file's down to each included file's, sorted: worked out
    once per process, as a close asks whether the ledger changed before each of its steps."""
    if not files:
        return []
    top = Path(files[0]).parent
    folders: set[Path] = set()
    for name in files:
        folder = Path(name).parent
        while folder.is_relative_to(top) and folder not in folders:
            folders.add(folder)
            folder = folder.parent
    return sorted(folders)


def folder_listing(folder: Path) -> str:
    """A digest of the names in `folder` (hidden ones left out): a new file changes it."""
    import hashlib

    try:
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        names = []
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic objects.

    Parsing or unpickling a large ledger allocates an object per posting, amount and meta
    dict; each allocation burst triggers a collection that walks every live object, which
    costs a quarter of the load time and frees nothing (entries hold no cycles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # And keep the collector off them afterwards: every later collection would walk the
        # ledger's millions of objects again, which costs a command seconds of pure overhead.
        # Frozen objects are still freed as usual when nothing refers to them any more.
        gc.freeze()
        if enabled:
            gc.enable()


# The two cache entries of a ledger: the small index (its files and their digests), read by
# every command to know whether the ledger changed, and the entries themselves.
LEDGER = "ledger"
INDEX = "ledger-index"
# bo.yaml as validated (`read_settings`).
SETTINGS = "settings"


def current_inputs(path: Path, root: Path) -> dict[str, str | None] | None:
    """The digests of the ledger's inputs, from the cache's index, when every file still has
    the content it was cached with; None when the ledger must be parsed to know."""
    index = cache.load(cache.books_folder(root), INDEX, str(path))
    if not isinstance(index, dict) or index.get("versions") != versions():
        return None
    inputs = index.get("inputs")
    if not inputs or ledger_inputs(index.get("files", []), root) != inputs:
        return None
    return inputs


def store_ledger(root: Path, ledger: Ledger) -> None:
    """Keep `ledger` in the cache under the digests of its inputs (none: not kept)."""
    if not ledger.inputs:
        return
    folder = cache.books_folder(root)
    key = cache.key_of(ledger.inputs, versions())
    from bo.packed import pack

    # Entries first, index second: a reader that finds the new index finds its entries.
    with gc_paused():
        cache.store(folder, LEDGER, key, (pack(ledger.entries), ledger.errors, ledger.options))
    index = {"versions": versions(), "files": ledger.files, "inputs": ledger.inputs}
    cache.store(folder, INDEX, ledger.options["filename"], index)


def load_ledger(
    path: Path, root: Path | None = None, *, use_cache: bool = True, store: bool = True
) -> Ledger:
    """Load the beancount ledger at `path`, from bo's cache when no input file changed.

    The cache is keyed on the content (not the mtime) of the entry file and every file it
    includes, so a `git checkout` that restores old timestamps never serves stale entries.
    `store=False` leaves a parsed ledger out of the cache, for a caller that stores it later
    (`Books.store_parsed`).
    """
    path = path.resolve()
    root = (root or path.parent).resolve()
    if not path.is_file():
        raise BadInputError("ledger file not found", Source(str(path)))
    if use_cache:
        inputs = current_inputs(path, root)
        if inputs is not None:
            key = cache.key_of(inputs, versions())
            with gc_paused():
                found = cache.load(cache.books_folder(root), LEDGER, key)
                if found is not None:
                    from bo.packed import unpack

                    packed, errors, options = found
                    entries = unpack(packed)
            if found is not None:
                return Ledger(entries, errors, options, from_cache=True, inputs=inputs)
    ledger = _parse_ledger(path, root)
    if use_cache and store:
        store_ledger(root, ledger)
    return ledger


def _parse_ledger(path: Path, root: Path) -> Ledger:
    """Parse the ledger at `path` (both resolved) with beancount, its errors as findings."""
    from beancount import loader

    from bo.plugins import lock

    started = time.time_ns()
    # Called directly like fava does: beancount's load_file() wraps this in its own
    # mtime-keyed pickle cache, which would write `.main.beancount.picklecache` into the books.
    # The lock plugin is left to `bo check`, which verifies locks itself: the parsed ledger
    # then depends on the ledger's files alone, not on the close records every close rewrites.
    with gc_paused(), lock.deferred():
        entries, errors, options = loader._load([(str(path), True)], None, None, None)
    _share_tolerances(entries)
    files = [str(path), *options.get("include", [])]
    findings = [_locate_include(as_finding(e), files) for e in errors]
    findings += _outside_dates(entries)
    ledger = Ledger(entries, findings, options)
    # Hashed after the parse (only then are the included files known): a file changed while
    # beancount read it would pass for what was read, so that ledger gets no digests, and no
    # cache can serve it again.
    inputs = ledger_inputs(ledger.files, root)
    return replace(ledger, inputs={} if _changed_since(inputs, started) else inputs)


def _share_tolerances(entries: list[data.Directive]) -> None:
    """Make equal `__tolerances__` one object. beancount gives every transaction its own
    immutable dict of them, nearly always the same one: shared, the ledger's cache pickles
    it once instead of 100,000 times, which is faster to write and to read."""
    shared: dict[tuple, Any] = {}
    last: Any = None  # the one the entry before was given: most often the same again
    for entry in entries:
        meta = entry.meta
        found = meta.get("__tolerances__") if meta else None
        if found is None:
            continue
        if (
            last is not None
            and type(found) is type(last)
            and found == last
            and getattr(found, "default", None) == getattr(last, "default", None)
        ):
            meta["__tolerances__"] = last
            continue
        key = (type(found), getattr(found, "default", None), *found.items())
        last = meta["__tolerances__"] = shared.setdefault(key, found)


def _changed_since(inputs: dict[str, str | None], moment_ns: int) -> bool:
    """Whether a file or folder of `inputs` changed at or after `moment_ns`, by its change
    time (which, unlike the modification time, nothing sets back)."""
    for name in inputs:
        try:
            if os.stat(name.rstrip("/") or "/").st_ctime_ns >= moment_ns:
                return True
        except OSError:
            continue  # gone: its digest (None) no longer matches
    return False


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds bo.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise BadInputError(
        f"no {SETTINGS_FILE} in {start} or any folder above it; "
        "run bo inside a books repo, pass --books DIR, or create one with `bo init DIR`"
    )


@dataclass
class Books:
    """One books repository: its root, settings and ledger, each read on first use."""

    root: Path
    # bo.yaml as validated: None until a command asks for it (`settings`). An answer from
    # bo's caches needs none of it, and building the settings' models (pydantic) costs an
    # unchanged-books command a third of its time.
    _settings: Settings | None = field(default=None, repr=False)
    use_cache: bool = True
    # A command that will rewrite the ledger (the close posts its schedules) stores the
    # ledger as it leaves it, not also the one it parsed: pickling 100k entries costs
    # a third of a parse.
    store_later: bool = False
    # bo.yaml's `ledger`, when known without validating bo.yaml again (`open_books`).
    ledger_name: str | None = None
    _ledger: Ledger | None = field(default=None, repr=False)
    _unstored: bool = field(default=False, repr=False)

    @property
    def settings(self) -> Settings:
        """bo.yaml, validated (from bo's cache when its bytes were validated before)."""
        if self._settings is None:
            self._settings = read_settings(self.root, use_cache=self.use_cache)
        return self._settings

    def from_settings(self, name: str, compute: Callable[[Settings], Any]) -> Any:
        """`compute(settings)`: plain data (text, numbers, paths; never a settings model)
        that depends on bo.yaml alone, kept for as long as bo.yaml's bytes do not change. A
        file validated once stays valid, so a command over unchanged books reads what it
        needs of bo.yaml without validating it again."""
        if not self.use_cache:
            return compute(self.settings)
        return cache.file_result(
            cache.books_folder(self.root),
            f"settings-{name}",
            self.root / SETTINGS_FILE,
            lambda: compute(self.settings),
            cache.code_version(),
        )

    @property
    def ledger_path(self) -> Path:
        return self.root / (self.ledger_name or self.settings.ledger)

    @property
    def ledger(self) -> Ledger:
        """The loaded ledger; raises LedgerError if its text cannot be parsed."""
        if self._ledger is None:
            ledger = load_ledger(
                self.ledger_path, self.root, use_cache=self.use_cache, store=not self.store_later
            )
            self._unstored = self.store_later and not ledger.from_cache
            if ledger.unreadable:
                raise LedgerError(ledger.unreadable)
            problems = check_settings_accounts(self.settings, ledger)
            if problems:
                raise SettingsError(problems)
            self._ledger = ledger
        return self._ledger

    def store_parsed(self) -> None:
        """Store the ledger parsed under `store_later`, if its files are still as read."""
        if not self._unstored or self._ledger is None:
            return
        self._unstored = False
        root = self.root.resolve()
        inputs = self._ledger.inputs
        if inputs and ledger_inputs(self._ledger.files, root) == inputs:
            store_ledger(root, self._ledger)

    @cached_property
    def _resolved(self) -> tuple[Path, Path]:
        """The ledger's path and the root, symlinks resolved: asked before every result."""
        return self.ledger_path.resolve(), self.root.resolve()

    def ledger_inputs(self) -> dict[str, str | None]:
        """The digests of the ledger's files, without loading it when the cache knows them
        ({} when the ledger was read while it changed: then nothing over it is cached)."""
        if self._ledger is None and self.use_cache:
            inputs = current_inputs(*self._resolved)
            if inputs is not None:
                return inputs
        return self.ledger.inputs

    def result(
        self,
        name: str,
        compute: Callable[[], Any],
        *,
        files: list[Path] | tuple[Path, ...] = (),
        folders: list[Path] | tuple[Path, ...] = (),
        params: Any = None,
        slot: str | None = None,
    ) -> Any:
        """`compute()`, or the value it gave before for the same inputs.

        A result is keyed on the digests of exactly what it read: the ledger's files,
        bo.yaml, the other `files` (their content) and `folders` (their listing), `params`
        (what else it depends on: a period, a date), and bo's version. A second run over
        unchanged books then answers without loading a single entry; a changed statement
        or entry invalidates only the results that read it. `slot` names the cache file (by
        default one per name and parameters, `result-...`).
        """
        if not self.use_cache:
            return compute()
        ledger = self.ledger_inputs()
        if not ledger:
            return compute()
        key = cache.key_of(
            name,
            versions(),
            ledger,
            cache.file_digest(self.root / SETTINGS_FILE),
            {str(p): cache.file_digest(p) for p in files},
            {str(p): folder_listing(p) for p in folders},
            params,
        )
        folder = cache.books_folder(self.root)
        # One slot per question (a name and its parameters): the newest answer is kept.
        slot = slot or f"result-{cache.key_of(name, params)[:24]}"
        with gc_paused():  # a result over every entry is millions of objects
            found = cache.load(folder, slot, key)
        if found is not None:
            return found[0]
        value = compute()
        cache.store(folder, slot, key, (value,))
        return value


def check_settings_accounts(settings: Settings, ledger: Ledger) -> list[Finding]:
    """Every account bo.yaml names must be opened in the ledger."""
    from bo.yamlfile import dotted

    findings = []

    def require(account: str, *path: Any) -> None:
        if account not in ledger.opened:
            field_path = dotted(path)
            findings.append(
                Finding(
                    settings.source(*path),
                    f"`{field_path}`: account `{account}` is not opened in the ledger",
                    "settings",
                )
            )

    for account in settings.accounts:
        require(account, "accounts", account)
    for i, rule in enumerate(settings.rules):
        require(rule.set.account, "rules", i, "set", "account")
    return findings


def open_books(books: Path | None, cwd: Path, *, use_cache: bool = True) -> Books:
    """Find and load the books at `books` (or the nearest above `cwd`)."""
    if books is not None:
        if not (books / SETTINGS_FILE).is_file():
            raise BadInputError(f"--books {books}: no {SETTINGS_FILE} there")
        root = books.resolve()
    else:
        root = find_root(cwd)
    books = Books(root, use_cache=use_cache)
    # bo.yaml's `ledger` alone: an answer from the caches needs nothing else of bo.yaml.
    books.ledger_name = books.from_settings("ledger", lambda settings: settings.ledger)
    problem = ledger_problem(root, books.ledger_name)
    if problem:
        raise SettingsError([Finding(books.settings.source("ledger"), f"`ledger`: {problem}")])
    return books


def read_settings(root: Path, *, use_cache: bool = True) -> Settings:
    """`root/bo.yaml` validated, or as validated before when its bytes are the same.

    Kept in bo's cache like any result: a command over unchanged books then parses no YAML
    and builds none of the settings' validators (their models defer that to first use).
    """
    from bo.settings import load_settings

    if not use_cache:
        return load_settings(root)
    return cache.file_result(
        cache.books_folder(root),
        SETTINGS,
        root / SETTINGS_FILE,
        lambda: load_settings(root),
        cache.code_version(),
    )


def ledger_problem(root: Path, ledger: str) -> str | None:
    """Why bo.yaml's `ledger` cannot be the books' ledger, or None.

    It must lie inside the books (symlinks resolved): bo writes beside it, and a ledger
    elsewhere would take those writes where git, `bo audit` and the lock never see them.
    """
    path = (root / ledger).resolve()
    if not path.is_relative_to(root.resolve()):
        return (
            f"{ledger} is outside the books ({root}); keep the ledger inside them, so git and "
            "bo audit see every change bo makes beside it"
        )
    if path.is_dir():
        return f"{ledger} is a folder; name the main .beancount file in it"
    if path.exists() and not path.is_file():
        return f"{ledger} is a device or a pipe, not a ledger file"
    if not path.exists():
        return f"{ledger} does not exist"
    return None

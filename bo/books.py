"""The books: find the root, load bo.yaml and the ledger (content-cached), the Books object."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import beancount
from beancount import loader
from beancount.core import data

import bo
from bo import preload
from bo.errors import BadInputError, Finding, LedgerError, SettingsError, Source
from bo.io import CACHE_DIR, DEFAULT_LEDGER, SETTINGS_FILE, atomic_write

if TYPE_CHECKING:
    # Imported where used: bo.books imports no pydantic, so a bo.preload child, which
    # imports bo.books, starts parsing sooner.
    from bo.settings import Settings

WRITER_LOCK = "writer.lock"
# Beancount errors that mean the text itself could not be read: the ledger is bad input
# (exit 2). Anything else beancount reports (a failed balance assertion, an unbalanced
# transaction) is a finding about valid input (exit 1).
_UNREADABLE = {"ParserError", "ParserSyntaxError", "LexerError", "LoadError", "DateRangeError"}
# Files besides the ledger's includes whose content changes what the ledger loads to
# (the period-lock plugin reads the close records).
_EXTRA_INPUTS = ("closes/*.yaml",)


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
        return {e.account: e for e in self.entries if isinstance(e, data.Open)}

    @cached_property
    def closed(self) -> dict[str, data.Close]:
        """Close directives by account."""
        return {e.account: e for e in self.entries if isinstance(e, data.Close)}

    @property
    def unreadable(self) -> list[Finding]:
        """Errors that mean the ledger text could not be parsed."""
        return [f for f in self.errors if f.check in _UNREADABLE]


def _as_finding(error: Any) -> Finding:
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
    """Entries dated where bo cannot work (year 1, year 9999): bad input, not a crash."""
    from bo.periods import EARLIEST, LATEST, date_problem

    return [
        Finding(
            Source.from_meta(entry.meta),
            f"{date_problem(entry.date)}: correct the date",
            "DateRangeError",
            entry=entry,
        )
        for entry in entries
        if not EARLIEST <= entry.date <= LATEST
    ]


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return None


def versions() -> dict[str, str]:
    # A cache written by another bo, beancount or Python may not unpickle the same way.
    return {
        "bo": bo.__version__,
        "beancount": beancount.__version__,
        "python": sys.version.split()[0],
    }


def ledger_inputs(files: list[str], root: Path) -> dict[str, str | None]:
    """The content digest of each ledger file, and of the other files the load depends on.

    Also the listing of every folder between the main file and each included file: an
    `include "closing/*.beancount"` picks up a file that was not there when the cache was
    written, and the cache must see that as a change. Hidden names are left out: a glob never
    matches them, and bean-check writes its own `.main.beancount.picklecache` there, which
    would otherwise spoil bo's cache whenever someone ran bean-check.
    """
    names = set(files)
    for pattern in _EXTRA_INPUTS:
        names.update(str(p) for p in root.glob(pattern))
    inputs: dict[str, str | None] = {name: _digest(Path(name)) for name in sorted(names)}
    if files:
        top = Path(files[0]).parent
        folders = set()
        for name in files:
            folder = Path(name).parent
            while folder.is_relative_to(top) and folder not in folders:
                folders.add(folder)
                folder = folder.parent
        for folder in sorted(folders):
            try:
                names = (p.name for p in folder.iterdir() if not p.name.startswith("."))
                listing = "\n".join(sorted(names))
            except OSError:
                listing = ""
            inputs[f"{folder}/"] = hashlib.sha256(listing.encode()).hexdigest()
    return inputs


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


def _valid_index(cache_dir: Path, root: Path) -> dict[str, Any] | None:
    """The cache index when every input file still has the content it was cached with."""
    wait_for_cache_writer(cache_dir)
    try:
        index = json.loads((cache_dir / "ledger.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if index.get("versions") != versions():
        return None
    if ledger_inputs(index.get("files", []), root) != index.get("inputs"):
        return None
    return index


def _read_cache(cache_dir: Path, root: Path) -> Ledger | None:
    index = _valid_index(cache_dir, root)
    if index is None:
        return None
    try:
        with open(cache_dir / "ledger.pickle", "rb") as handle, gc_paused():
            payload = pickle.load(handle)
    except Exception:
        return None
    if payload.get("key") != index.get("key"):
        return None
    entries, errors, options = payload["result"]
    return Ledger(entries, errors, options, from_cache=True, inputs=index["inputs"])


def _write_cache(cache_dir: Path, ledger: Ledger, inputs: dict[str, str | None]) -> None:
    _store_cache(cache_dir, *_cache_files(ledger, inputs))


def _cache_files(ledger: Ledger, inputs: dict[str, str | None]) -> tuple[bytes, str]:
    """The cache's two files for `ledger`: the pickle, and the index naming its key."""
    key = hashlib.sha256(json.dumps([inputs, versions()]).encode()).hexdigest()
    payload = {"key": key, "result": (ledger.entries, ledger.errors, ledger.options)}
    index = {"key": key, "versions": versions(), "files": ledger.files, "inputs": inputs}
    return pickle.dumps(payload, pickle.HIGHEST_PROTOCOL), json.dumps(index, indent=1)


def _store_cache(cache_dir: Path, blob: bytes, index: str) -> None:
    # Pickle first, index second: a reader that sees the new index finds the matching pickle.
    try:
        atomic_write(cache_dir / "ledger.pickle", blob, durable=False)
        atomic_write(cache_dir / "ledger.json", index, durable=False)
    except OSError:
        pass  # a read-only checkout still works, only slower


def _write_cache_in_background(cache_dir: Path, root: Path, ledger: Ledger) -> None:
    """Write the cache from a detached process, so the command that parsed need not wait.

    Pickling a large ledger takes a third as long as parsing it; the command's own work
    goes on meanwhile. The writer holds `writer.lock` while it works: a later bo run that
    wants the cache waits for it (faster than parsing again), and only one writer runs.
    Set BO_CACHE_SYNC=1 to write in the foreground.
    """
    inputs = ledger.inputs
    if not hasattr(os, "fork") or os.environ.get("BO_CACHE_SYNC"):
        _write_cache(cache_dir, ledger, inputs)
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock = os.open(cache_dir / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return  # a read-only checkout still works, only slower
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)  # another run is writing the cache right now
        return
    preload.detached(lambda: _write_cache(cache_dir, ledger, inputs), keep={lock})
    os.close(lock)  # the grandchild holds the lock now


def wait_for_cache_writer(cache_dir: Path) -> None:
    """Block until a background cache writer (if one is running) has finished."""
    try:
        lock = os.open(cache_dir / WRITER_LOCK, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)
    finally:
        os.close(lock)


def load_ledger(path: Path, root: Path | None = None, *, use_cache: bool = True) -> Ledger:
    """Load the beancount ledger at `path`, from bo's cache when no input file changed.

    The cache lives in `root/.bo/cache` and is keyed on the content (not the mtime) of the
    entry file, every file it includes, and the close records, so a `git checkout` that
    restores old timestamps can never serve stale entries. A ledger that a `bo.preload`
    child parsed comes first, once its files are found unchanged.
    """
    path = path.resolve()
    root = (root or path.parent).resolve()
    if not path.is_file():
        raise BadInputError("ledger file not found", Source(str(path)))
    cache_dir = root / CACHE_DIR
    if use_cache:
        held = _held.get((path, root))
        if held is not None and ledger_inputs(held.files, root) == held.inputs:
            return held
    preloaded = _preloaded(path, root, cache_dir if use_cache else None)
    if preloaded is not None:
        return preloaded
    cached = _read_cache(cache_dir, root) if use_cache else None
    if cached is not None and cached.options.get("filename") == str(path):
        return cached
    ledger = _parse_ledger(path, root)
    if use_cache and ledger.inputs and root not in preload.borrowed:
        _write_cache_in_background(cache_dir, root, ledger)
    return ledger


def _parse_ledger(path: Path, root: Path) -> Ledger:
    """Parse the ledger at `path` (both resolved) with beancount, its errors as findings."""
    started = time.time_ns()
    # Called directly like fava does: beancount's load_file() wraps this in its own
    # mtime-keyed pickle cache, which would write `.main.beancount.picklecache` into the books.
    with gc_paused():
        entries, errors, options = loader._load([(str(path), True)], None, None, None)
    files = [str(path), *options.get("include", [])]
    findings = [_locate_include(_as_finding(e), files) for e in errors]
    findings += _outside_dates(entries)
    ledger = Ledger(entries, findings, options)
    # Hashed after the parse (only then are the included files known): a file changed while
    # beancount read it would pass for what was read, so that ledger gets no digests, and no
    # cache or preload can serve it again.
    inputs = ledger_inputs(ledger.files, root)
    return replace(ledger, inputs={} if _changed_since(inputs, started) else inputs)


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


# A ledger lent to the commands run inside this process (a close runs its `bo` command steps
# in-process): they read the same books again. Checked against the files' digests first.
_held: dict[tuple[Path, Path], Ledger] = {}


@contextlib.contextmanager
def lending(books: Books) -> Iterator[None]:
    """While inside, a load of these books that finds their files unchanged gets this
    ledger, without reading its cache or its text."""
    _held[(books.ledger_path.resolve(), books.root.resolve())] = books.ledger
    try:
        yield
    finally:
        _held.clear()


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds bo.yaml."""
    root = preload.books_root(start)
    if root is not None:
        return root
    raise BadInputError(
        f"no {SETTINGS_FILE} in {start.resolve()} or any folder above it; "
        "run bo inside a books repo, pass --books DIR, or create one with `bo init DIR`"
    )


@dataclass
class Books:
    """One books repository: its root, settings and (loaded on first use) ledger."""

    root: Path
    settings: Settings
    use_cache: bool = True
    _ledger: Ledger | None = field(default=None, repr=False)

    @property
    def ledger_path(self) -> Path:
        return self.root / self.settings.ledger

    @property
    def ledger(self) -> Ledger:
        """The loaded ledger; raises LedgerError if its text cannot be parsed."""
        if self._ledger is None:
            ledger = load_ledger(self.ledger_path, self.root, use_cache=self.use_cache)
            if ledger.unreadable:
                raise LedgerError(ledger.unreadable)
            problems = check_settings_accounts(self.settings, ledger)
            if problems:
                raise SettingsError(problems)
            self._ledger = ledger
        return self._ledger


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
    from bo.settings import load_settings

    if books is not None:
        if not (books / SETTINGS_FILE).is_file():
            raise BadInputError(f"--books {books}: no {SETTINGS_FILE} there")
        root = books.resolve()
    else:
        root = find_root(cwd)
    settings = load_settings(root)
    problem = ledger_problem(root, settings.ledger)
    if problem:
        raise SettingsError([Finding(settings.source("ledger"), f"`ledger`: {problem}")])
    return Books(root, settings, use_cache)


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


def _result_key(root: Path, files: list[str], extra: str) -> str:
    digest = hashlib.sha256(json.dumps([ledger_inputs(files, root), versions(), extra]).encode())
    settings = root / SETTINGS_FILE
    digest.update(settings.read_bytes() if settings.is_file() else b"")
    return digest.hexdigest()


def cached_result(root: Path, name: str, extra: str) -> Any | None:
    """A command's result stored by `store_result`, if no input changed since.

    `extra` holds what else the result depends on (a date, the digest of other files).
    Lets a read-only command over unchanged books answer without loading a single entry.
    """
    try:
        stored = json.loads((root / CACHE_DIR / f"{name}.json").read_text(encoding="utf-8"))
        if stored["key"] != _result_key(root, stored["files"], extra):
            return None
        return stored["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_result(root: Path, name: str, extra: str, files: list[str], value: Any) -> None:
    record = {"key": _result_key(root, files, extra), "files": files, "value": value}
    with contextlib.suppress(OSError):
        atomic_write(root / CACHE_DIR / f"{name}.json", json.dumps(record), durable=False)


def preload_message(root: Path, limit: int) -> bytes | None:
    """What a `bo.preload` child sends for the books at `root`: the parsed ledger as the
    cache's own files (the parent checks them as it checks the cache, and keeps them). None
    when there is nothing worth sending: bo's cache is valid (load_ledger reads it, faster
    than unpickling a second copy), the ledger has more than `limit` bytes of text, or bo.yaml
    names no ledger that can be read."""
    try:
        path = _ledger_setting(root)
        if path is None or _ledger_text(path, limit) > limit:
            return None
    except (OSError, RuntimeError, ValueError):  # a symlink loop, bad bytes
        return None
    if _valid_index(root / CACHE_DIR, root) is not None:
        return None
    ledger = _parse_ledger(path, root)
    if not ledger.inputs:
        return None  # a file changed while it was read: the command parses it again
    return pickle.dumps(_cache_files(ledger, ledger.inputs), pickle.HIGHEST_PROTOCOL)


def _preloaded(path: Path, root: Path, cache_dir: Path | None) -> Ledger | None:
    """The ledger a `bo.preload` child parsed, if it sent one and no file changed since;
    its cache files are written to `cache_dir` (when given) as they came."""
    try:
        message = preload.take(root)
        if message is None:
            return None
        with gc_paused():
            blob, index_text = pickle.loads(message)
            payload = pickle.loads(blob)
        index = json.loads(index_text)
        entries, errors, options = payload["result"]
        if options.get("filename") != str(path):
            return None
        if ledger_inputs(index["files"], root) != index["inputs"]:
            return None  # a file changed since the child read it
    except Exception:  # nothing sent (the child failed, or found the cache valid), or torn
        return None
    if cache_dir is not None and root not in preload.borrowed:
        _store_cache(cache_dir, blob, index_text)
    return Ledger(entries, errors, options, inputs=index["inputs"])


# bo.yaml's `ledger:` as people write it: at the start of a line, a plain or quoted path,
# perhaps a comment. Read without importing yaml, which is 10 ms of a preload's parse of a
# small ledger; anything else is read by yaml.
_LEDGER_LINE = re.compile(
    r"""^ledger:[ \t]+(?:"([^"\\\n]+)"|'([^'\n]+)'|([^\s"'#&*!|>{\[][^\s#]*))"""
    r"(?:[ \t]+#[^\n]*)?[ \t]*$",
    re.MULTILINE,
)


def _ledger_setting(root: Path) -> Path | None:
    """bo.yaml's `ledger`, resolved; None when bo.yaml cannot be read as a mapping.

    Only a guess, for the preload: the command validates bo.yaml, and a ledger parsed from
    another file than the one it names is not taken (`_preloaded`).
    """
    text = (root / SETTINGS_FILE).read_text(encoding="utf-8")
    found = _LEDGER_LINE.findall(text)
    if len(found) == 1:
        ledger: object = next(part for part in found[0] if part)
    else:
        import yaml

        try:
            raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            return None
        ledger = raw.get("ledger", DEFAULT_LEDGER) if isinstance(raw, dict) else None
    path = (root / ledger).resolve() if isinstance(ledger, str) else None
    return path if path is not None and path.is_file() else None


def small_enough_to_preload(path: Path) -> bool:
    """Whether the ledger at `path` is small enough for a `bo.preload` child to parse."""
    try:
        return _ledger_text(path, preload.PRELOAD_BYTES) <= preload.PRELOAD_BYTES
    except OSError:
        return False


def _ledger_text(path: Path, limit: int) -> int:
    """Bytes of beancount text in the ledger's folder and below, counted until past `limit`
    (an include from elsewhere goes uncounted: the size only decides whether to preload)."""
    total = 0
    for folder, subfolders, names in os.walk(path.parent):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.endswith(".beancount"):
                total += os.stat(os.path.join(folder, name)).st_size
        if total > limit:
            break
    return total

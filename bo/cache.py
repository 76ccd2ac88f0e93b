"""bo's caches: results keyed on the digests of their inputs, kept outside the books.

A books repository is data that anyone may have written, so bo never unpickles anything
from it. Caches live in the user's cache folder (`BO_CACHE_DIR`, else the platform's, e.g.
`~/.cache/bo`), one folder per books root, and every cache file carries an HMAC made with a
secret that never leaves this machine. The HMAC is checked before a byte is unpickled: a file
that someone planted, one copied from another machine, or one a crash left half-written is
ignored and computed again. Writes are atomic (temp file + rename), so an interrupted write
leaves the old file or none.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAGIC = b"bo-cache-1\n"
SECRET_FILE = "secret"
_DIGEST = hashlib.sha256().digest_size

# Content digests by (path, size, modification, change time, inode) for this process: the
# same file is named by several caches' keys in one command.
_digests: dict[str, tuple[tuple[int, int, int, int], str | None]] = {}
_secrets: dict[Path, bytes] = {}


def cache_home() -> Path:
    """The folder of bo's caches on this machine."""
    chosen = os.environ.get("BO_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bo", appauthor=False))


@functools.cache
def code_version() -> str:
    """bo's version and a digest of its own source files, once per process: what other
    code computed (an edited checkout, another install of the same version) is never read
    back as this code's result."""
    import bo

    return f"{bo.__version__}+{source_digest(Path(bo.__file__).parent)}"


def source_digest(package: Path) -> str:
    """A digest of the name, size and modification time of every Python file under
    `package`: a stat per file, where hashing their bytes would cost every command more."""
    signer = hashlib.sha256()
    folders = [""]
    while folders:
        relative = folders.pop()
        with os.scandir(os.path.join(package, relative)) as found:
            entries = sorted(found, key=lambda entry: entry.name)
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir() and entry.name != "__pycache__":
                folders.append(name)
            elif entry.name.endswith(".py"):
                info = entry.stat()
                signer.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return signer.hexdigest()[:16]


def books_folder(root: Path) -> Path:
    """The cache folder of the books at `root` (by its resolved path)."""
    resolved = root.resolve()
    tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:20]
    return cache_home() / "books" / f"{resolved.name or 'root'}-{tag}"


def _secret() -> bytes:
    """This machine's cache secret, made on first use (readable by its owner only)."""
    path = cache_home() / SECRET_FILE
    known = _secrets.get(path)
    if known is not None:
        return known
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    if len(key) != 32:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        if key:  # damaged: replace it (every cache made with it goes stale)
            os.replace(tmp, path)
        else:
            # Linked, not renamed: a secret another run made meanwhile is kept.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
            os.unlink(tmp)
        key = path.read_bytes()
    _secrets[path] = key
    return key


def _mac(name: str, key: str, blob: bytes) -> bytes:
    signer = hmac.new(_secret(), digestmod=hashlib.sha256)
    signer.update(f"{name}\0{key}\0".encode())
    signer.update(blob)
    return signer.digest()


def store(folder: Path, name: str, key: str, value: Any) -> None:
    """Keep `value` as the result `name` for inputs `key`; a cache that cannot be written
    only makes the next run slower."""
    from bo.io import atomic_write

    try:
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        head = MAGIC + _mac(name, key, blob) + key.encode() + b"\n"
        atomic_write(folder / f"{name}.cache", head + blob, durable=False)
    except OSError:
        pass


def load(folder: Path, name: str, key: str) -> Any | None:
    """The value stored as `name` for exactly `key`, when its HMAC proves bo wrote it."""
    try:
        with open(folder / f"{name}.cache", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    if not raw.startswith(MAGIC):
        return None
    mac = raw[len(MAGIC) : len(MAGIC) + _DIGEST]
    rest = raw[len(MAGIC) + _DIGEST :]
    stored_key, newline, blob = rest.partition(b"\n")
    if not newline or stored_key != key.encode():
        return None
    try:
        expected = _mac(name, key, blob)
    except OSError:
        return None
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        return pickle.loads(blob)
    except Exception:  # made by another version of a library it names: compute again
        return None


def file_result(folder: Path, slot: str, path: Path, compute: Callable[[], Any], *key: Any) -> Any:
    """`compute()`, which reads the file at `path` (and depends on nothing else but `key`),
    or what it gave before for the same bytes: kept in `folder` as `slot`, and stored only
    when the file did not change while it was read. A missing file is computed each time."""
    digest = file_digest(path)
    if digest is None:
        return compute()
    full = key_of(str(path), digest, *key)
    found = load(folder, slot, full)
    if found is not None:
        return found[0]
    value = compute()
    if file_digest(path) == digest:
        store(folder, slot, full, (value,))
    return value


def file_digest(path: Path | str) -> str | None:
    """The sha256 of a file's content; None when it does not exist (or is not a file)."""
    name = str(path)
    try:
        info = os.stat(name)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    # The change time is set by the kernel on every write and cannot be set back: a file
    # with the same one holds the same bytes it was hashed with in this process.
    mark = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    known = _digests.get(name)
    if known is not None and known[0] == mark:
        return known[1]
    try:
        with open(name, "rb") as handle:
            digest: str | None = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        digest = None
    _digests[name] = (mark, digest)
    return digest


def key_of(*parts: Any) -> str:
    """One digest of `parts` (JSON-able values: names, digests, dates as text)."""
    import json

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

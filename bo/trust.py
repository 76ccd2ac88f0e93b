"""Which books may run code on this machine: their checklists' `command:` steps and report
templates of their own.

A books repository is data: cloned from a client, it must not be a program. Two things in
it can still make bo act beyond reading: a checklist step `command:` (bo runs it) and a
template in `templates/` (Jinja renders it; sandboxed, yet it is code someone else wrote).
bo runs them only for books this machine's user has trusted with `bo trust`, which records,
outside every books repository, the books' resolved path and a digest of exactly those
files. Any change to one of them (a pull that edits a command) withdraws the trust until
`bo trust` is run again; a clone elsewhere is a different path and is not trusted.

Books whose checklists have no command and whose templates are bo's own need no trust.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bo.errors import RefusedError
from bo.io import SETTINGS_FILE, atomic_write

TRUST_FILE = "trusted-books.json"
CONFIG_ENV = "BO_CONFIG_DIR"  # where the record lives instead of the user's config folder
# A checklist that may hold a command step: the key anywhere in it, in block or flow style.
_COMMAND = re.compile(r"(?m)(?:^|[\s{,-])command\s*:")


def config_dir() -> Path:
    """bo's folder in this user's configuration (`~/.config/bo` on Linux), or BO_CONFIG_DIR."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_config_path("bo")


def record_path() -> Path:
    """The file that lists the trusted books of this user on this machine."""
    return config_dir() / TRUST_FILE


def code_files(root: Path) -> dict[str, str]:
    """The books' files that can run code, relative path -> sha256: checklists with a
    `command:` step, every file in templates/ that is not bo's own default of its name
    (a template may include any other file there), and the beangulp importers bo.yaml
    names (importer_files)."""
    from bo.close.checklist import SOPS_DIR
    from bo.resources import defaults_dir

    found = {}
    for path in sorted((root / SOPS_DIR).glob("*.yaml")):
        data = _read(path)
        if data is not None and _COMMAND.search(data.decode("utf-8", errors="replace")):
            found[path.relative_to(root).as_posix()] = hashlib.sha256(data).hexdigest()
    templates, defaults = root / "templates", defaults_dir("templates")
    if templates.is_dir():
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            data = _read(path)
            if data is None or _read(defaults / path.relative_to(templates)) == data:
                continue
            found[path.relative_to(root).as_posix()] = hashlib.sha256(data).hexdigest()
    found.update(importer_files(root))
    return found


def importer_files(root: Path) -> dict[str, str]:
    """The beangulp importers bo.yaml names, as `bo trust` digests them: each format's
    settings (which code runs, with which arguments) and its file in the books."""
    text = _read(root / SETTINGS_FILE)
    if text is None or b"beangulp" not in text:  # most books: no second parse of bo.yaml
        return {}
    import yaml

    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}  # bad settings are refused before any importer could load
    formats = loaded.get("statement_formats") if isinstance(loaded, dict) else None
    found = {}
    for name, fmt in formats.items() if isinstance(formats, dict) else ():
        if not isinstance(fmt, dict) or fmt.get("kind") != "beangulp":
            continue
        settings = json.dumps(fmt, sort_keys=True, default=str).encode()
        found[f"{SETTINGS_FILE} (statement_formats.{name})"] = hashlib.sha256(settings).hexdigest()
        module = fmt.get("module")
        code = _read(root / module) if isinstance(module, str) and module.endswith(".py") else None
        if code is not None:
            found[module] = hashlib.sha256(code).hexdigest()
    return found


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def digest(files: dict[str, str]) -> str:
    """One digest over the names and contents of `files`."""
    text = "".join(f"{name}\0{sha}\n" for name, sha in sorted(files.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _load() -> dict[str, dict[str, str]]:
    try:
        loaded = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _key(root: Path) -> str:
    return str(root.resolve())


def is_trusted(root: Path, files: dict[str, str] | None = None) -> bool:
    """Whether the books at `root` may run their commands and templates here: they have
    none, or this user trusted them as they are now."""
    files = code_files(root) if files is None else files
    if not files:
        return True
    entry = _load().get(_key(root))
    return isinstance(entry, dict) and entry.get("digest") == digest(files)


def require_trust(root: Path, what: str) -> None:
    """Refuse (exit 3) to run `what` from books not trusted on this machine, saying what to
    read and the command that trusts them."""
    refusal = untrusted(root, what)
    if refusal:
        raise RefusedError(refusal)


def untrusted(root: Path, what: str) -> str | None:
    """Why `what` may not run from the books at `root`, with how to trust them; None when
    it may (the close's command steps fail with this, and the close goes on)."""
    files = code_files(root)
    if is_trusted(root, files):
        return None
    before = _load().get(_key(root))
    why = (
        "their files that can run code changed since they were trusted"
        if isinstance(before, dict)
        else "they are not trusted on this machine"
    )
    return (
        f"not run: {what} is code from the books, and {why}. Read "
        f"{', '.join(sorted(files))}; if you trust them, run: bo trust --books {root.resolve()}"
    )


def trust(root: Path, now: datetime) -> dict[str, str]:
    """Record the books at `root` as trusted, as their files are now; returns those files."""
    files = code_files(root)
    with _locked():
        record = _load()
        record[_key(root)] = {
            "digest": digest(files),
            "files": ", ".join(sorted(files)),
            "trusted": now.astimezone(UTC).isoformat(timespec="seconds"),
        }
        atomic_write(record_path(), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return files


def revoke_trust(root: Path) -> bool:
    """Forget the trust in the books at `root`; True when there was one."""
    with _locked():
        record = _load()
        if record.pop(_key(root), None) is None:
            return False
        atomic_write(record_path(), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return True


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One writer of the record at a time: two `bo trust` runs never lose each other's."""
    path = record_path().with_suffix(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield

"""The edges that touch the disk: atomic writes, the books lock, git (no shell)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bo.errors import BadInputError, BoError, ExitCode, LockHeldError

SETTINGS_FILE = "bo.yaml"  # a books repo's settings, at its root
DEFAULT_LEDGER = "ledgers/main.beancount"  # its `ledger` unless it says otherwise
BO_DIR = ".bo"  # bo's private, git-ignored state in the books: the lock
LOCK_FILE = "lock"


def write_out(path: Path, content: str | bytes) -> None:
    """Write a command's `--out` file atomically; one that cannot be written (a folder, no
    permission, no such folder) is bad input, exit 2, never a crash."""
    try:
        atomic_write(path, content)
    except OSError as exc:
        raise BadInputError(f"--out {path}: cannot write it: {exc.strerror or exc}") from None


def atomic_write(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write `content` to `path` so readers see the old file or the new one, never half.

    `durable=False` skips the fsync, for caches: after a power cut they may be lost or
    torn, and a torn cache fails its key check and is rebuilt.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    import shutil
    import tempfile

    # The temp file lives beside the target: os.replace is only atomic within one filesystem.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if durable:  # the books' own files: a cache killed half-written is only rebuilt
            fault("temp-file")
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# atomic_write's temporary files are `.NAME.bo-XXXXXXXX.tmp`: a run killed between writing
# one and renaming it leaves it behind, and nothing bo commits may include it.
TEMP_MARK = ".bo-"
_TEMP_RE = re.compile(r"^\..+\.bo-[A-Za-z0-9_]+\.tmp$")


def is_temp_file(name: str) -> bool:
    """Whether a file name is one of atomic_write's temporary files."""
    return _TEMP_RE.match(Path(name).name) is not None


_faults: dict[str, int] = {}


def fault(point: str) -> None:
    """A test hook at each point where bo writes or commits: `BO_FAULT=POINT` (or
    `POINT:N`, the Nth time) kills bo there with SIGKILL, as a power cut or `kill -9` would,
    so tests can prove that the next run recovers."""
    wanted = os.environ.get("BO_FAULT")
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _faults[point] = _faults.get(point, 0) + 1
    if _faults[point] == int(nth or 1):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def check_inside(root: Path, path: Path) -> None:
    """Refuse to write `path` unless it lies inside the books at `root` (symlinks resolved):
    what bo writes must stay where git and `bo audit` see it."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise BoError(
            f"{path} resolves outside the books ({root}); bo writes only inside them: "
            "remove the symlink that leads out",
            exit_code=ExitCode.BAD_INPUT,
        )


def umask() -> int:
    """The process umask (reading it means setting it, so set it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def books_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the books' advisory lock for a writing command; a second writer is refused (exit 3).

    flock is released by the kernel when the process dies, so a crashed run never leaves a
    stale lock behind; the file's text only says who holds it.
    """
    import socket

    lock_path = root / BO_DIR / LOCK_FILE
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _describe_holder(handle.read())
            raise LockHeldError(
                f"another bo run holds the lock on these books ({holder}); "
                "wait for it to finish and run again",
                exit_code=ExitCode.REFUSED,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "user": login_name(),
                    "host": socket.gethostname(),
                    "command": command,
                    "since": datetime.now().isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        yield
    finally:
        handle.close()  # closing the descriptor releases the flock


def _describe_holder(text: str) -> str:
    try:
        info = json.loads(text)
        return (
            f"`{info['command']}` by {info['user']}@{info['host']}, "
            f"pid {info['pid']}, since {info['since']}"
        )
    except (ValueError, KeyError, TypeError):
        return "holder unknown"


class GitError(BoError):
    """A git command failed."""

    exit_code = ExitCode.REFUSED


def has_git() -> bool:
    """Whether a git executable is on PATH."""
    import shutil

    return shutil.which("git") is not None


def git(root: Path, *args: str, check: bool = True, input: str | None = None) -> str:
    """Run git in `root` with an argument list (never a shell) and return its stdout;
    `input` is fed to its stdin."""
    import subprocess

    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, input=input
    )
    if check and result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip()
        raise GitError(f"git {' '.join(args[:3])} failed: {said}")
    return result.stdout


def git_config(root: Path, key: str) -> str | None:
    """A git setting as git sees it from `root` (the repository's, else the user's), or None
    when unset or git is not installed: how bo learns who runs it (`user.email`)."""
    if not has_git():
        return None
    return git(root, "config", "--get", key, check=False).strip() or None


def git_toplevel(path: Path) -> Path | None:
    """The top of the git work tree holding `path` (books may sit in a subfolder of a
    repository), or None outside one or without git."""
    if not has_git():
        return None
    import subprocess

    result = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True
    )
    return Path(result.stdout.strip()).resolve() if result.returncode == 0 else None


def git_ok(root: Path, *args: str) -> int:
    """Run git in `root` for its exit code alone (a question such as check-ignore)."""
    import subprocess

    return subprocess.run(["git", *args], cwd=root, capture_output=True).returncode


def login_name() -> str:
    """The operating-system user running bo."""
    import getpass

    return getpass.getuser()


def run_command(words: list[str], cwd: Path) -> tuple[int, str]:
    """Run a program (an argument list, never a shell) in `cwd`: its exit code and output.

    Raises OSError when it cannot start (not found, not executable).
    """
    import subprocess

    proc = subprocess.run(words, cwd=cwd, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


# What `git diff --raw` names as the blob of a file that does not exist on one side.
NO_BLOB = "0" * 40


class GitBlobs:
    """Blob text from one `git cat-file --batch` process, started on first need."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: Any | None = None
        self.recent: dict[str, str] = {}

    def text(self, sha: str) -> str:
        if sha == NO_BLOB:
            return ""
        if sha in self.recent:
            return self.recent[sha]
        if self.proc is None:
            import subprocess

            self.proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{sha}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return ""
        body = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after each object
        text = body.decode("utf-8", errors="replace")
        # A commit's new version is the next commit's old one: keep the latest few.
        if len(self.recent) > 64:
            self.recent.clear()
        self.recent[sha] = text
        return text

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait()


@contextlib.contextmanager
def git_blobs(root: Path) -> Iterator[GitBlobs]:
    reader = GitBlobs(root)
    try:
        yield reader
    finally:
        reader.close()

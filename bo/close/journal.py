"""bo's writes that never half-finish: each command's files, commit and tag, journaled.

A command that changes the books in git (close, signoff, reopen, dupes --dismiss) writes
through a `Journal`. Before its first write, the journal `.bo/journal.json` (beside the
books lock; `.bo/` is never committed) names the command and HEAD; before each write it
adds the file's new content digest and, for a file git does not hold as it is, what was
there before; then it moves on: writing, written, committing (with the message, author and
tag), committed. A run killed anywhere (a power cut, `kill -9`) leaves the journal behind,
and the next writing run starts with `recover`:

- killed while writing: every file is put back as it was (from git, or from the journal)
  and bo's temporary files are removed: the command is undone, as if it never ran;
- killed after writing, before its commit: the files are committed as the command would
  have (same message, same author), then tagged;
- killed after the commit, before the tag: the tag is made (or removed, for a reopen).

A commit that git refuses (a pre-commit hook) undoes the writes too: a refusal always means
nothing was written. Outside git nothing is committed and each file is written atomically,
so a run that stops half-way leaves whole files that the next run brings up to date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from bo.close.git import TRAILER, identity_args, in_git
from bo.errors import RefusedError
from bo.io import BO_DIR, GitError, atomic_write, fault, git, is_temp_file

JOURNAL = "journal.json"


@dataclass(frozen=True)
class Tag:
    """An annotated tag: its name and message (a lock's evidence)."""

    name: str
    message: str


@dataclass
class Commit:
    """How a command's files are committed."""

    subject: str
    command: str  # the `Bo-Command:` trailer: the bo command that made the commit
    body: str = ""
    author: str | None = None  # `Name <email>`: the person who acted
    tag: Tag | None = None
    untag: str | None = None  # a tag the command removes (a reopened period's)
    # Folders whose new files are committed too (a command step's reports), and files
    # written but left out of the commit (git ignores them: said once, never refused).
    folders: list[Path] = field(default_factory=list)
    uncommitted: set[Path] = field(default_factory=set)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _head(root: Path) -> str:
    return git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).strip()


class Journal:
    """One command's writes and commit, on the record until they are done."""

    def __init__(self, root: Path, data: dict) -> None:
        self.root = root
        self.data = data

    @classmethod
    def start(cls, root: Path, command: str) -> Journal | None:
        """A journal for `command`; None outside git, where nothing is committed."""
        if not in_git(root):
            return None
        journal = cls(root, {"command": command, "stage": "writing", "head": _head(root),
                             "files": {}, "before": {}, "commit": [], "folders": []})  # fmt: skip
        journal._save()
        fault("journal")
        return journal

    @property
    def path(self) -> Path:
        return self.root / BO_DIR / JOURNAL

    def _save(self) -> None:
        atomic_write(self.path, json.dumps(self.data, indent=1, sort_keys=True))

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def write(self, writes: dict[Path, str]) -> list[Path]:
        """Write the files whose content differs from the disk, journaled first; the files
        written."""
        changed = {
            path: text
            for path, text in writes.items()
            if not (path.is_file() and path.read_text(encoding="utf-8") == text)
        }
        if not changed:
            return []
        files, before = self.data["files"], self.data["before"]
        fresh = [p for p in changed if self._name(p) not in files]
        before.update(self._uncommitted(fresh))
        for path, text in changed.items():
            files[self._name(path)] = _digest(text)
        self._save()
        for path, text in changed.items():
            atomic_write(path, text)
            fault("write")
        return list(changed)

    def _uncommitted(self, paths: list[Path]) -> dict[str, str]:
        """What there was in files git does not hold as they are (a hand edit to a
        record's explanations, a file git ignores): an undo puts it back from here."""
        existing = [p for p in paths if p.is_file()]
        if not existing:
            return {}
        names = [self._name(p) for p in existing]
        listed = git(self.root, "status", "--porcelain", "-z", "-uall", "--ignored", "--",
                     *names)  # fmt: skip
        dirty = [item[3:] for item in listed.split("\0") if len(item) > 3]
        return {
            name: (self.root / name).read_text(encoding="utf-8")
            for name in names
            if any(name == d or (d.endswith("/") and name.startswith(d)) for d in dirty)
        }

    def finish(self, commit: Commit, paths: list[Path]) -> str | None:
        """Commit `paths` (and the new files in `commit.folders`) and tag; the journal is
        then removed. The new commit, or None when there was nothing to commit."""
        self.data.update(
            stage="committing",
            subject=commit.subject,
            body=commit.body,
            author=commit.author,
            trailer=commit.command,
            tag={"name": commit.tag.name, "message": commit.tag.message} if commit.tag else None,
            untag=commit.untag,
            commit=[self._name(p) for p in paths if p not in commit.uncommitted],
            folders=[self._name(p) for p in commit.folders],
        )
        fault("written")
        return _finish(self.root, self.data)

    def abort(self) -> None:
        """Undo every write so far (bad input found after a command step wrote its files)."""
        _undo(self.root, self.data)
        self.path.unlink(missing_ok=True)


def commit_writes(root: Path, writes: dict[Path, str], commit: Commit) -> str | None:
    """Write `writes` and commit them as `commit` says, journaled; outside git, just write."""
    journal = Journal.start(root, commit.command)
    if journal is None:
        for path, text in writes.items():
            if not (path.is_file() and path.read_text(encoding="utf-8") == text):
                atomic_write(path, text)
        return None
    journal.write(writes)
    return journal.finish(commit, list(writes))


def _save(root: Path, data: dict) -> None:
    atomic_write(root / BO_DIR / JOURNAL, json.dumps(data, indent=1, sort_keys=True))


def _finish(root: Path, data: dict) -> str | None:
    data["stage"] = "committing"
    _save(root, data)
    fault("committing")
    names = _to_commit(root, data)
    commit = None
    if names:
        body = f"{data['body'].rstrip()}\n\n" if data.get("body") else ""
        message = f"{data['subject']}\n\n{body}{TRAILER}: {data['trailer']}\n"
        author = ["--author", data["author"]] if data.get("author") else []
        try:
            # -f: these are the files to commit, chosen already; a tracked file in a folder
            # git ignores (reports/) would otherwise fail the add.
            git(root, "add", "-f", "--", *names)
            if git(root, "diff", "--cached", "--name-only", "--", *names).strip():
                git(root, *identity_args(root), "commit", "-q", *author, "-F", "-", "--",
                    *names, input=message)  # fmt: skip
                fault("commit")
                commit = _head(root)
        except GitError:
            # A hook refused the commit: put the books back as they were, so a refusal
            # always means nothing was written.
            git(root, "reset", "-q", "--", *names, check=False)
            _undo(root, data)
            (root / BO_DIR / JOURNAL).unlink(missing_ok=True)
            raise
    data["stage"] = "committed"
    data["committed"] = commit
    _save(root, data)
    _tag(root, data)
    (root / BO_DIR / JOURNAL).unlink(missing_ok=True)
    return commit


def _to_commit(root: Path, data: dict) -> list[str]:
    """The journal's files, and the new or changed files in its folders: never a temporary
    file of bo's and never a file git ignores."""
    names = [n for n in data["commit"] if (root / n).exists()]
    folders = [f for f in data.get("folders", []) if (root / f).is_dir()]
    if folders:
        listed = git(root, "ls-files", "-z", "-m", "-o", "--exclude-standard", "--", *folders)
        names += [n for n in listed.split("\0") if n and not is_temp_file(n)]
    return list(dict.fromkeys(names))


def _tag(root: Path, data: dict) -> None:
    if data.get("untag"):
        git(root, "tag", "-d", data["untag"], check=False)
    tag = data.get("tag")
    if tag:
        target = data.get("committed") or _head(root)
        git(root, "tag", "-a", "-f", "-F", "-", tag["name"], target, input=tag["message"])
    fault("tag")


def _undo(root: Path, data: dict) -> None:
    """Put every file the journal names back as it was before the command wrote it."""
    head = data.get("head") or ""
    before = data.get("before") or {}
    for name in data["files"]:
        if name in before:
            atomic_write(root / name, before[name])
        elif head and git(root, "ls-tree", "--name-only", head, "--", name, check=False).strip():
            git(root, "checkout", "-q", head, "--", name)
        else:
            (root / name).unlink(missing_ok=True)
    _remove_temp_files(root, data)


def _remove_temp_files(root: Path, data: dict) -> None:
    folders = {(root / name).parent for name in data["files"]}
    folders |= {root / f for f in data.get("folders", [])}
    for folder in folders:
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                if is_temp_file(path.name):
                    path.unlink(missing_ok=True)


def recover(root: Path) -> str | None:
    """Finish or undo a command that was interrupted, from its journal; what was done, in a
    line (None when there was nothing to recover)."""
    path = root / BO_DIR / JOURNAL
    # A run killed while saving its journal leaves the journal's temporary file; under the
    # books lock nothing else is writing one.
    for left in path.parent.glob(f".{JOURNAL}.bo-*.tmp") if path.parent.is_dir() else ():
        if is_temp_file(left.name):
            left.unlink(missing_ok=True)
    if not path.is_file() or not in_git(root):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stage, command = data["stage"], data["command"]
    except (ValueError, KeyError, TypeError):
        path.unlink()
        return None
    if stage == "committing" and _head(root) != data["head"] and _made_by(root, data):
        stage = "committed"
        data["committed"] = _head(root)
    if stage in ("writing", "written"):
        _undo(root, data)
        path.unlink()
        return f"an interrupted `bo {command}` was undone: its files are as they were"
    if stage == "committing":
        changed = [
            name
            for name, digest in data["files"].items()
            if not (root / name).is_file()
            or _digest((root / name).read_text(encoding="utf-8")) != digest
        ]
        if changed:
            raise RefusedError(
                f"an interrupted `bo {command}` wrote files that have changed since "
                f"({', '.join(changed)}); commit or restore them, then delete {path}"
            )
        _remove_temp_files(root, data)
        commit = _finish(root, data)
        made = f"committed {commit[:10]}" if commit else "nothing left to commit"
        return f"an interrupted `bo {command}` was finished: {made}"
    _remove_temp_files(root, data)
    _tag(root, data)
    path.unlink()
    tag = data.get("tag")
    return f"an interrupted `bo {command}` was finished" + (
        f": tagged {tag['name']}" if tag else ""
    )


def _made_by(root: Path, data: dict) -> bool:
    """Whether HEAD is the commit the journal was about to make."""
    said = git(root, "log", "-1", f"--format=%(trailers:key={TRAILER},valueonly)", check=False)
    parent = git(root, "rev-parse", "-q", "--verify", "HEAD^", check=False).strip()
    return said.strip() == data.get("trailer") and parent == data["head"]

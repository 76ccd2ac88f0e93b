"""Who enters and approves: the person git's `user.email` names in bo.yaml (bo.identity),
or, with `--as NAME`, the person they are a delegate of."""

from __future__ import annotations

from pathlib import Path

from bo.identity import Signer, acting_as, named, whoami
from bo.settings import Settings


def current_signer(settings: Settings, root: Path, name: str | None, doing: str) -> Signer:
    """An unknown `--as NAME` is bad input (exit 2) before git is asked who runs bo."""
    if name is not None:
        named(settings, name)
    return acting_as(settings, whoami(settings, root, doing), name)

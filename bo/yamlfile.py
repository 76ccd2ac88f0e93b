"""Read a YAML file into a pydantic model, with errors that name file:line and field path."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bo.errors import Finding, SettingsError, Source

FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# The largest YAML file bo reads: a close or reconciliation record of a busy month is a few
# megabytes; anything near this is not a file bo wrote or a person typed.
MAX_YAML_BYTES = 64 * 1024 * 1024
# Values that anchors and aliases (`&a`, `*a`) may add to a file once expanded. A few
# hundred serve any honest reuse; a "billion laughs" file of 775 bytes expands to billions.
ALIAS_BUDGET = 10_000
# An anchor where YAML allows one: `&name` after a space, a flow bracket or a comma. A file
# without one has no aliases either, and is spared the count.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")

M = TypeVar("M", bound=BaseModel)


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping gives one key twice: YAML would keep the last silently."""


class _CheckedConstructor:
    """Mixin for the loaders: a key given twice in one mapping is an error naming both
    lines (`<<` merges may repeat a key; that is what they are for)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                line = key_node.start_mark.line + 1
                # By tag too: `1:` and `"1":` are two keys.
                key = (key_node.tag, key_node.value)
                first = seen.get(key)
                if first is not None:
                    where = f"on lines {first} and {line}" if first != line else f"on line {line}"
                    raise DuplicateKeyError(
                        None,
                        None,
                        f"key `{key_node.value}` appears twice in one mapping, {where}; YAML "
                        "would keep only the second: remove one",
                        key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep)  # type: ignore[misc]


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastLoader(_CheckedConstructor, _BASE_LOADER):  # type: ignore[misc,valid-type]
    """libyaml when PyYAML was built with it, for the files bo writes itself (records of a
    busy month are large); files people write go through the line-tracking loader below."""


FAST_LOADER = FastLoader


class _DecimalLoader(_CheckedConstructor, _BASE_LOADER):  # type: ignore[misc,valid-type]
    """SafeLoader (libyaml's when there) reading YAML floats as Decimal, so `1250.10` never
    passes through float."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan: keep YAML's meaning
        return loader.construct_yaml_float(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _line_map(root: yaml.Node, lines: dict[tuple[Any, ...], int]) -> None:
    """Field path -> line of each node, each node visited once: an aliased node's fields
    are found at its anchor, and an alias is never expanded to build a message."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                # Point a bad key at its own line, its value's children at theirs.
                lines[(*path, key_node.value)] = key_node.start_mark.line + 1
                stack.append((value_node, (*path, key_node.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))


def check_aliases(text: str, root: yaml.Node | None, filename: str) -> None:
    """Refuse a file whose aliases expand past ALIAS_BUDGET values, counted over the
    composed graph (each node once), never by expanding it."""
    if root is None or not _ANCHOR.search(text):
        return
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in size:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        if children_done or not children:
            size[id(node)] = 1 + sum(size[id(child)] for child in children)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)
    if size[id(root)] - len(size) > ALIAS_BUDGET:
        raise SettingsError(
            [
                Finding(
                    Source(filename),
                    f"its aliases (`*name`) would expand to {size[id(root)]:,} values; bo "
                    f"reads at most {ALIAS_BUDGET:,} through aliases: write the repeated "
                    "parts out",
                )
            ]
        )


def read_text(path: Path, shown: str | None = None) -> str:
    """The text of a file bo reads (settings, checklists, records, templates): a regular
    file of sane size in UTF-8, else a SettingsError naming it (and the line of a bad byte).
    FileNotFoundError passes through: callers say what a missing file means."""
    name = shown or str(path)
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise SettingsError([Finding(Source(name), "is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_YAML_BYTES:
        what = "a device or a pipe" if not stat.S_ISREG(info.st_mode) else "too large"
        raise SettingsError(
            [Finding(Source(name), f"is {what}: bo reads files of text up to 64 MB")]
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SettingsError(
            [
                Finding(
                    Source(name, line),
                    f"byte {data[exc.start]:#04x} at column {column} is not UTF-8 text: save "
                    "the file as UTF-8",
                )
            ]
        ) from None


def load_fast(text: str, filename: str) -> Any:
    """A YAML file bo wrote (a record), read with libyaml: aliases within budget, no key
    twice; bad YAML is a SettingsError naming the file and line."""
    loader = FAST_LOADER(text)
    try:
        node = loader.get_single_node()
        check_aliases(text, node, filename)
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, filename) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, filename: str) -> SettingsError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = (
            exc.problem
            if isinstance(exc, DuplicateKeyError)
            else f"not valid YAML: {exc.problem or exc}"
        )
        return SettingsError([Finding(Source(filename, line), str(message))])
    return SettingsError([Finding(Source(filename), f"not valid YAML: {exc}")])


class LineMap(Mapping[tuple[Any, ...], int]):
    """Field path -> line, worked out from the parsed file's nodes on first use: most files
    bo reads are valid, and only a problem's message needs its line."""

    def __init__(self, node: yaml.Node | None) -> None:
        self._node = node
        self._lines: dict[tuple[Any, ...], int] | None = None

    def _map(self) -> dict[tuple[Any, ...], int]:
        if self._lines is None:
            self._lines = {}
            if self._node is not None:
                _line_map(self._node, self._lines)
            self._node = None
        return self._lines

    def __getitem__(self, path: tuple[Any, ...]) -> int:
        return self._map()[path]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())


def _line_for(loc: tuple[Any, ...], lines: Mapping[tuple[Any, ...], int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def parse_yaml(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data plus a map from field path to line number."""
    # One parse for both: the node tree gives the line map, and is then constructed.
    loader = _DecimalLoader(text)
    try:
        node = loader.get_single_node()
        check_aliases(text, node, filename)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, filename) from None
    finally:
        loader.dispose()
    return data, LineMap(node)


def dotted(path: tuple[Any, ...]) -> str:
    """A field path as people write it: `rules[2].match.account`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith("function-"):
            text += f".{part}" if text else str(part)
    return text


def _describe(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"] if not str(part).startswith("function-")]
    field = dotted(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = dotted(tuple(error["loc"])[:-1])
        return f"unknown key `{loc[-1]}`" + (f" in `{parent}`" if parent else "")
    if kind == "missing":
        return f"`{field}` is required"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, (str, int, Decimal)) and f"`{given}`" not in message:
        message += f"; got `{given}`"
    return f"`{field}`: {message}" if field else message


def validate_data(
    model: type[M],
    data: Any,
    lines: Mapping[tuple[Any, ...], int],
    filename: str,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate parsed YAML as `model`; every problem becomes a Finding with file:line."""
    if data is None:
        data = {}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = [{**e, "loc": _without_tags(tuple(e["loc"]), data)} for e in exc.errors()]
        problems = [
            Finding(Source(filename, _line_for(e["loc"], lines)), _describe(e), "settings")
            for e in errors
        ]
        raise SettingsError(problems) from None


def _without_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The error's path in the file: pydantic puts a discriminated union's tag (`csv`,
    `late_customer`) into the path, where the file has no such key."""
    path: list[Any] = []
    for number, part in enumerate(loc):
        # A tag left out of the file (`kind` has a default) is in no value either; only a
        # missing key, which comes last, names a key the file does not have.
        last = number == len(loc) - 1
        if isinstance(data, dict) and part not in data and (part in data.values() or not last):
            continue
        path.append(part)
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            data = None
    return tuple(path)


def validate_yaml(
    model: type[M], text: str, filename: str, context: dict[str, Any] | None = None
) -> M:
    """Parse and validate YAML text as `model`."""
    data, lines = parse_yaml(text, filename)
    return validate_data(model, data, lines, filename, context)


def load_yaml_model(model: type[M], path: Path, context: dict[str, Any] | None = None) -> M:
    """Read `path` and validate it as `model`."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise SettingsError([Finding(Source(str(path)), "file not found")]) from None
    return validate_yaml(model, text, str(path), context)


def load_record_file(path: Path) -> dict[str, Any] | None:
    """A YAML file bo wrote (a close or reconciliation record): None if absent; bad YAML is
    bad input naming the file and line."""
    if not path.is_file():
        return None
    loaded = load_fast(read_text(path), str(path))
    return loaded if isinstance(loaded, dict) else None

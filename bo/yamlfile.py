"""Read a YAML file into a pydantic model, with errors that name file:line and field path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bo.errors import Finding, SettingsError, Source

# libyaml when PyYAML was built with it, for the files bo writes itself (records of a busy
# month are large); files people write go through the line-tracking loader below.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

M = TypeVar("M", bound=BaseModel)


class _DecimalLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when there) reading YAML floats as Decimal, so `1250.10` never
    passes through float."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan: keep YAML's meaning
        return loader.construct_yaml_float(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _line_map(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            # Point a bad key at its own line, its value's children at theirs.
            lines[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), lines)


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
                _line_map(self._node, (), self._lines)
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
    try:
        # One parse for both: the node tree gives the line map, and is then constructed.
        loader = _DecimalLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SettingsError(
            [Finding(Source(filename, line), f"not valid YAML: {exc.problem or exc}")]
        ) from None
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
    for part in loc:
        if isinstance(data, dict) and part not in data and part in data.values():
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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError([Finding(Source(str(path)), "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SettingsError([Finding(Source(str(path)), f"not UTF-8 text: {exc}")]) from None
    return validate_yaml(model, text, str(path), context)


def load_record_file(path: Path) -> dict[str, Any] | None:
    """A YAML file bo wrote (a close or reconciliation record): None if absent; bad YAML is
    bad input naming the file and line."""
    if not path.is_file():
        return None
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Source(str(path), mark.line + 1 if mark else None)
        raise SettingsError([Finding(where, f"not valid YAML: {exc}")]) from None
    return loaded if isinstance(loaded, dict) else None

"""The one bounded loader of the JSON and YAML documents users hand to syscope: seccomp profiles
(every dialect) and Falco-shaped rules files.

What it bounds, and why each bound exists:

- **size**: at most ``MAX_BYTES`` are read, so ``/dev/zero`` or a runaway pipe ends with an error
  instead of filling memory;
- **encoding**: the text must be UTF-8 (a BOM is allowed); the error gives the byte offset;
- **nesting**: at most ``MAX_DEPTH`` levels, checked while PyYAML composes (its composer recurses
  once per level, so a deep document would otherwise end in RecursionError) and again on the
  decoded value, with aliases followed (a chain of aliases to deep nodes multiplies the depth);
- **expansion**: YAML anchors and aliases (``&a``/``*a``, and ``<<: *a`` merge keys, which PyYAML
  copies into each merging mapping) are counted as if expanded, and a document whose expanded
  size passes ``MAX_NODES`` is refused before it is constructed: a 1 KB "billion laughs" file
  otherwise costs gigabytes in whatever walks it (jsonschema, json.dumps, the rules compiler);
  an alias to its own anchor (a recursive structure) is refused too;
- **types**: the decoded value must be what JSON can say (objects with string keys, arrays,
  strings, integers, finite floats, booleans, null), so YAML dates, ``!!binary``, ``!!set``,
  ``.nan`` and non-string keys are named in a clear error instead of failing later in code that
  expects JSON values (``Object of type date is not JSON serializable``).

Integer *ranges* depend on the field and are checked by the parsers that know the field.
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Any

import yaml

from syscope.errors import SyscopeError

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000


def read_text(path: str | os.PathLike[str], error: type[SyscopeError] = SyscopeError,
              limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path`` (at most ``limit`` bytes, else ``error``)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise error(f"{name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{name}: larger than {limit} bytes; not a profile or rules file")
    return decode_text(data, name, error)


def decode_text(data: bytes, name: str, error: type[SyscopeError] = SyscopeError) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from None


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts each node as expanded (aliases count their anchor's whole size) and
    the nesting depth while composing, and refuses what passes the bounds before construction."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.total = 0
        self.sizes: dict[int, int] = {}

    def compose_document(self) -> Any:
        self.total, self.sizes = 0, {}
        return super().compose_document()

    def _count(self, n: int, mark: Any) -> None:
        self.total += n
        if self.total > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_NODES} values once aliases are expanded", mark)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                size = self.sizes.get(id(node))
                if size is None:
                    raise yaml.composer.ComposerError(
                        None, None, f"alias *{event.anchor} refers to its own anchor (a recursive structure)",
                        event.start_mark)
                self._count(size, event.start_mark)
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                              self.peek_event().start_mark)
        before = self.total
        node = super().compose_node(parent, index)
        self.depth -= 1
        self._count(1, node.start_mark if node is not None else None)
        self.sizes[id(node)] = self.total - before
        return node


def parse_yaml(text: str, name: str, error: type[SyscopeError] = SyscopeError) -> list[Any]:
    """Every document of a YAML stream, each checked to be a JSON value (see the module doc)."""
    docs: list[Any] = []
    loader: BoundedLoader | None = None
    try:
        # the reader checks the characters as it is made: inside the try
        loader = BoundedLoader(text)
        while loader.check_data():
            docs.append(loader.get_data())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{name}: malformed YAML{at}: {problem}") from None
    except ValueError as exc:
        # int() of a scalar with more digits than Python converts (sys.get_int_max_str_digits)
        raise error(f"{name}: malformed YAML: {_value_problem(exc)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    for doc in docs:
        check_json_value(doc, name, error)
    return docs


def _value_problem(exc: ValueError) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "integer string conversion" in msg:
        return f"an integer of more than {sys.get_int_max_str_digits()} digits"
    return msg


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a JSON number")


def parse_json(text: str, name: str, error: type[SyscopeError] = SyscopeError) -> Any:
    """One JSON document, checked like a YAML one (nesting, NaN/Infinity, size)."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise error(f"{name}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise error(f"{name}: malformed JSON: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        # NaN/Infinity, or an integer with more digits than Python converts
        raise error(f"{name}: malformed JSON: {_value_problem(exc)}") from None
    check_json_value(data, name, error)
    return data


def load(path: str | os.PathLike[str], error: type[SyscopeError] = SyscopeError) -> list[Any]:
    """The documents of a file: YAML for ``.yaml``/``.yml`` (every ``---`` document, empty ones
    dropped), else one JSON document."""
    name = os.fspath(path)
    text = read_text(name, error)
    if name.endswith((".yaml", ".yml")):
        return [d for d in parse_yaml(text, name, error) if d is not None]
    return [parse_json(text, name, error)]


def _type_name(v: Any) -> str:
    return {"date": "a date", "datetime": "a date and time", "bytes": "binary data (!!binary)",
            "set": "a set (!!set)", "tuple": "a tuple"}.get(type(v).__name__, type(v).__name__)


def check_json_value(data: Any, name: str, error: type[SyscopeError] = SyscopeError) -> None:
    """Raise ``error`` naming the JSON path of the first value JSON cannot carry, or of the
    place where nesting (aliases followed) passes ``MAX_DEPTH``."""
    heights: dict[int, int] = {}
    path: list[str] = []

    def where() -> str:
        # a deep path is cut to its last steps: the message stays one readable line
        return "$" + ("".join(path) if len(path) <= 8 else "..." + "".join(path[-6:]))

    def height(v: Any, depth: int) -> int:
        if isinstance(v, (dict, list)):
            h = heights.get(id(v))
            if h is None:
                if depth >= MAX_DEPTH:
                    raise error(f"{name}: {where()}: nested more than {MAX_DEPTH} levels deep")
                heights[id(v)] = -1  # on the stack: seen again below means a cycle
                h = 0
                if isinstance(v, dict):
                    for k, item in v.items():
                        if not isinstance(k, str):
                            raise error(f"{name}: {where()}: key {k!r} is {_type_name(k)}; keys are strings "
                                        "(quote it)")
                        path.append(f".{k}")
                        h = max(h, height(item, depth + 1))
                        path.pop()
                else:
                    for i, item in enumerate(v):
                        path.append(f"[{i}]")
                        h = max(h, height(item, depth + 1))
                        path.pop()
                h += 1
                heights[id(v)] = h
            elif h < 0:
                raise error(f"{name}: {where()}: a recursive structure (an alias inside its own anchor)")
            if depth + h > MAX_DEPTH:
                raise error(f"{name}: {where()}: nested more than {MAX_DEPTH} levels deep (aliases followed)")
            return h
        if v is None or isinstance(v, (str, bool, int)):
            return 0
        if isinstance(v, float):
            if not math.isfinite(v):
                raise error(f"{name}: {where()}: {v} is not a JSON number")
            return 0
        raise error(f"{name}: {where()}: {_type_name(v)} ({v!r:.40}) is not a JSON value; quote it if it is text")

    height(data, 0)

"""syscope.typenames: the tracer's modules get typing.NamedTuple's classes without importing typing."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from syscope import typenames


def _pair(body: str) -> tuple[Any, Any]:
    """The same class body under typing.NamedTuple and under the run-time typenames.NamedTuple."""
    made = []
    for base in (typing.NamedTuple, typenames.NamedTuple):
        ns: dict[str, object] = {"NamedTuple": base}
        exec(compile("from __future__ import annotations\n" + body, "<test>", "exec"), ns)
        made.append(ns["Point"])
    return made[0], made[1]


def test_runtime_namedtuple_is_not_typings() -> None:
    # TYPE_CHECKING is False at run time, so the class below comes from collections.namedtuple
    assert typenames.TYPE_CHECKING is False
    assert typenames.NamedTuple is not typing.NamedTuple


def test_same_class_as_typing_namedtuple() -> None:
    body = '''
class Point(NamedTuple):
    """A point."""
    x: int
    y: int = 2
    label: str | None = None

    def moved(self, dx: int) -> Point:
        return self._replace(x=self.x + dx)

    @property
    def total(self) -> int:
        return self.x + self.y
'''
    theirs, ours = _pair(body)
    for cls in (ours, theirs):
        p = cls(1)
        assert p == (1, 2, None) and issubclass(cls, tuple)
        assert p.moved(3) == cls(4, 2, None) and p.moved(3).total == 6
        assert cls._fields == ("x", "y", "label")
        assert cls._field_defaults == {"y": 2, "label": None}
        assert cls.__doc__ == "A point."
        assert repr(cls(5, 6, "a")) == "Point(x=5, y=6, label='a')"
        # the annotations as written (typing makes ForwardRefs of them: compiled, never evaluated)
        assert list(cls.__annotations__) == ["x", "y", "label"]
        with pytest.raises(AttributeError):
            p.x = 3
        assert not hasattr(p, "__dict__")
    assert ours.__module__ == theirs.__module__


def test_refuses_what_typing_refuses() -> None:
    with pytest.raises(TypeError):
        _pair("class Point(NamedTuple):\n    x: int = 1\n    y: int\n")
    with pytest.raises(AttributeError):
        _pair("class Point(NamedTuple):\n    x: int\n    def _replace(self): pass\n")


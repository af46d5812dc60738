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



class _Pickled(typenames.NamedTuple):
    a: int
    b: str = "b"


def test_its_classes_behave_as_collections_namedtuple() -> None:
    # the class is made without collections.namedtuple (its __new__ compiled into typenames.py):
    # keywords, defaults, _make, _asdict, _replace, errors, pickling, pattern matching as namedtuple's
    import collections
    import copy
    import pickle

    theirs = collections.namedtuple("_Pickled", ["a", "b"], defaults=["b"], module=__name__)
    for cls in (_Pickled, theirs):
        assert cls(b="x", a=1) == (1, "x") and cls(2) == (2, "b") and cls._make([3, "c"]) == (3, "c")
        assert cls(1)._asdict() == {"a": 1, "b": "b"} and cls(1)._replace(b="z") == (1, "z")
        assert cls.__match_args__ == ("a", "b") and cls.a.__doc__ == "Alias for field number 0"
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls(1, 2, 3)
        with pytest.raises(TypeError):
            cls._make([1])
        with pytest.raises(ValueError):
            cls(1)._replace(c=1)
        assert copy.deepcopy(cls(1)) == (1, "b")
        match cls(7):
            case cls(a=7, b="b"):
                pass
            case _:
                raise AssertionError("no match")
    assert pickle.loads(pickle.dumps(_Pickled(4))) == _Pickled(4)
    assert type(pickle.loads(pickle.dumps(_Pickled(4)))) is _Pickled
    assert repr(_Pickled(1)) == "_Pickled(a=1, b='b')" == repr(theirs(1))
    assert _Pickled.__new__.__doc__ == theirs.__new__.__doc__


def test_many_fields_fall_back_to_collections_namedtuple() -> None:
    # up to 16 fields __new__ comes from typenames' functions, beyond from namedtuple itself
    for n in (1, 16, 17, 20):
        ns: dict[str, object] = {"NamedTuple": typenames.NamedTuple}
        fields = "".join(f"    f{i}: int = {i}\n" for i in range(n))
        exec(compile(f"from __future__ import annotations\nclass Point(NamedTuple):\n{fields}", "<test>", "exec"), ns)
        cls: Any = ns["Point"]
        assert cls() == tuple(range(n)) and cls(**{f"f{n - 1}": -1})[-1] == -1 and len(cls._fields) == n

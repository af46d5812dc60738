"""``TYPE_CHECKING`` and ``NamedTuple`` for the modules a traced run imports, without ``typing``.

Importing ``typing`` costs every tracer start-up ~3 ms of CPU (with what it imports), and a
``typing.NamedTuple`` class with postponed annotations (``from __future__ import annotations``)
compiles a ``ForwardRef`` for each field's annotation (~0.1 ms a class; benchmarks/startup.py).
The modules on that path name typing's other names (``Any``, ``TextIO``, ``Literal``...) under
``if TYPE_CHECKING:`` only, and take these two from here:

* ``TYPE_CHECKING`` is False at run time; mypy treats any name ``TYPE_CHECKING`` as true
  (mypy's reachability analysis goes by the name), so the checker still sees those imports;
* ``NamedTuple`` is ``typing.NamedTuple`` for the checker, and at run time makes the same class
  ``typing.NamedTuple`` makes: ``collections.namedtuple`` of the annotated fields, with the
  class body's defaults, methods and docstring, without evaluating the annotations.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import collections

    # the class body's names typing.NamedTuple does not copy onto the class (collections.namedtuple
    # made them, or they are the class's own), and the ones the body may not define
    _FROM_NAMEDTUPLE = frozenset({"__module__", "__name__", "__annotations__"})
    _PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                             "_make", "_replace", "_asdict", "_source"})

    class _NamedTupleMeta(type):
        def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, object]) -> type:
            if not bases:  # _NamedTupleBase itself
                return super().__new__(mcs, name, bases, ns)
            if bases != (_NamedTupleBase,):
                raise TypeError("can only inherit from a NamedTuple type")
            annotations = ns.get("__annotations__", {})
            assert isinstance(annotations, dict)
            fields = list(annotations)
            defaults = [ns[f] for f in fields if f in ns]
            if any(f in ns for f in fields[:len(fields) - len(defaults)]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            cls = collections.namedtuple(name, fields, defaults=defaults, module=str(ns["__module__"]))
            cls.__annotations__ = dict(annotations)
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _FROM_NAMEDTUPLE and key not in cls._fields:
                    setattr(cls, key, value)
            return cls

    class _NamedTupleBase(metaclass=_NamedTupleMeta):
        pass

    def NamedTuple(*args: object, **kwargs: object) -> type:
        raise TypeError("syscope.typenames.NamedTuple: only the class form (class X(NamedTuple): ...)")

    def _mro_entries(bases: tuple[object, ...]) -> tuple[type]:
        return (_NamedTupleBase,)

    NamedTuple.__mro_entries__ = _mro_entries  # type: ignore[attr-defined]

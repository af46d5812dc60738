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
    import sys as _sys
    from _collections import _tuplegetter

    # the class body's names typing.NamedTuple does not copy onto the class (collections.namedtuple
    # made them, or they are the class's own), and the ones the body may not define
    _FROM_NAMEDTUPLE = frozenset({"__module__", "__name__", "__annotations__"})
    _PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                             "_make", "_replace", "_asdict", "_source"})
    _tuple_new = tuple.__new__

    # collections.namedtuple compiles each class's __new__ from source (eval of a lambda: ~0.27 M
    # instructions of the ~0.46 M a class costs, and ~10 classes are made at every tracer
    # start-up).  These are the same functions, compiled once into this module's bytecode; a
    # class gets the one of its field count, its code given the field names as parameter names
    # (code.replace: no compiling), so keywords and defaults work as namedtuple's do.
    def _new1(_cls, a):
        return _tuple_new(_cls, (a,))

    def _new2(_cls, a, b):
        return _tuple_new(_cls, (a, b))

    def _new3(_cls, a, b, c):
        return _tuple_new(_cls, (a, b, c))

    def _new4(_cls, a, b, c, d):
        return _tuple_new(_cls, (a, b, c, d))

    def _new5(_cls, a, b, c, d, e):
        return _tuple_new(_cls, (a, b, c, d, e))

    def _new6(_cls, a, b, c, d, e, f):
        return _tuple_new(_cls, (a, b, c, d, e, f))

    def _new7(_cls, a, b, c, d, e, f, g):
        return _tuple_new(_cls, (a, b, c, d, e, f, g))

    def _new8(_cls, a, b, c, d, e, f, g, h):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h))

    def _new9(_cls, a, b, c, d, e, f, g, h, i):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i))

    def _new10(_cls, a, b, c, d, e, f, g, h, i, j):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j))

    def _new11(_cls, a, b, c, d, e, f, g, h, i, j, k):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k))

    def _new12(_cls, a, b, c, d, e, f, g, h, i, j, k, m):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m))

    def _new13(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n))

    def _new14(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o))

    def _new15(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p))

    def _new16(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q):
        return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q))

    _FunctionType = type(_new1)  # types.FunctionType, without importing types (start-up)
    _NEW = {fn.__code__.co_argcount - 1: fn for fn in (
        _new1, _new2, _new3, _new4, _new5, _new6, _new7, _new8, _new9, _new10, _new11, _new12, _new13, _new14,
        _new15, _new16)}

    def _namedtuple(name: str, fields: list[str], defaults: list[object], module: str) -> type:
        """collections.namedtuple(name, fields, defaults=defaults, module=module) (CPython 3.11's
        class: the same attributes, methods and behaviour), its __new__ from _NEW."""
        template = _NEW.get(len(fields))
        if template is None or any(f.startswith("_") or not f.isidentifier() for f in fields) \
                or len(set(fields)) != len(fields):
            # more fields, or names namedtuple refuses: its own class (and its errors); imported
            # here only, as collections costs a start-up ~6 M instructions
            import collections

            return collections.namedtuple(name, fields, defaults=defaults, module=module)
        field_names = tuple(_sys.intern(f) for f in fields)
        with_default = field_names[len(field_names) - len(defaults):] if defaults else ()
        code = template.__code__.replace(co_varnames=("_cls", *field_names), co_name="__new__",
                                         co_qualname=f"{name}.__new__")
        new = _FunctionType(code, {"_tuple_new": _tuple_new, "__builtins__": {}}, "__new__",
                            tuple(defaults) if defaults else None)
        new.__doc__ = f"Create new instance of {name}({', '.join(field_names)})"
        namespace: dict[str, object] = {
            "__doc__": f"{name}({', '.join(field_names)})", "__slots__": (), "_fields": field_names,
            "_field_defaults": dict(zip(with_default, defaults, strict=True)),
            "__new__": new, "_make": _make, "_replace": _replace, "__repr__": _repr, "_asdict": _asdict,
            "__getnewargs__": _getnewargs, "__match_args__": field_names,
        }
        for index, field in enumerate(field_names):
            namespace[field] = _tuplegetter(index, _sys.intern(f"Alias for field number {index}"))
        cls = type(name, (tuple,), namespace)
        cls.__module__ = module
        return cls

    @classmethod
    def _make(cls, iterable):
        """Make a new object from a sequence or iterable"""
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **kwds):
        """Return a new object replacing specified fields with new values"""
        result = self._make(map(kwds.pop, self._fields, self))
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    def _repr(self):
        """Return a nicely formatted representation string"""
        return f"{self.__class__.__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self, strict=True))})"

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self, strict=True))

    def _getnewargs(self):
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    _repr.__name__ = _repr.__qualname__ = "__repr__"
    _getnewargs.__name__ = _getnewargs.__qualname__ = "__getnewargs__"

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
            cls = _namedtuple(name, fields, defaults, str(ns["__module__"]))
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

"""``cache``, ``lru_cache`` and ``import_module`` for the modules a traced run imports, without
``functools`` and ``importlib``.

Importing ``functools`` costs every tracer start-up ~8 M instructions: it imports ``collections``
(with ``keyword``, ``operator``, ``reprlib``) for its own ``_CacheInfo``; ``importlib`` with the
``warnings`` it imports ~2 M.  The cache here is the C accelerator's ``_lru_cache_wrapper``
(CPython's Modules/_functoolsmodule.c), the very object ``functools.lru_cache`` wraps a function
in: the same speed per call, the same ``cache_clear()``, ``cache_info()`` a plain tuple (hits,
misses, maxsize, currsize) instead of a named one.  An interpreter without that accelerator gets
``functools``' own.  The checker sees ``functools``' and ``importlib``'s signatures.
"""

from __future__ import annotations

import sys

from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from functools import cache as cache
    from functools import lru_cache as lru_cache
    from importlib import import_module as import_module
else:
    try:
        from _functools import _lru_cache_wrapper
    except ImportError:  # not CPython: functools' pure-Python cache
        from functools import cache, lru_cache
    else:

        def _cache_info(hits, misses, maxsize, currsize):
            return (hits, misses, maxsize, currsize)

        def _wrap(user_function, maxsize):
            wrapper = _lru_cache_wrapper(user_function, maxsize, False, _cache_info)
            # what functools.update_wrapper copies: a cached function still names itself
            for attr in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
                setattr(wrapper, attr, getattr(user_function, attr))
            wrapper.__dict__.update(user_function.__dict__)
            wrapper.__wrapped__ = user_function
            return wrapper

        def cache(user_function, /):
            """functools.cache: an unbounded cache of the function's results by its arguments."""
            return _wrap(user_function, None)

        def lru_cache(maxsize=128):
            """functools.lru_cache(maxsize): the ``maxsize`` results last used kept."""
            return lambda user_function: _wrap(user_function, maxsize)

    def import_module(name):
        """importlib.import_module of an absolute name: the import statement's own machinery
        imports it (and its parents), sys.modules has it."""
        __import__(name)
        return sys.modules[name]

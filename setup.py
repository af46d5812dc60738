"""The one compiled part of syscope: the ptrace tracer's per-stop calls (src/syscope/_kernel/_stops*.c).

Everything else is in pyproject.toml.  The extension is optional: without a C compiler or the
Python headers the build goes on and syscope._kernel.stops uses its ctypes versions instead.
"""

from setuptools import Extension, setup

_KERNEL = "src/syscope/_kernel/"
setup(ext_modules=[Extension("syscope._kernel._stops",
                             [_KERNEL + f for f in ("_stops.c", "_stops_line.c", "_stops_plans.c", "_stops_spawn.c",
                                                    "_stops_structs.c")],
                             depends=[_KERNEL + "_stops.h"], optional=True)])

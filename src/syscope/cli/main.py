"""``syscope`` entry point: picks the subcommand, turns SyscopeError into one line + exit code.

``syscope [strace options] [--] CMD`` (no subcommand) is the tracer, so that a strace user's
habits carry over.  A first word that names a subcommand selects it; to trace a program whose
name is also a subcommand (``env``, ``ps``, ``run``...) write ``syscope -- env ...``.
"""

from __future__ import annotations

import gc
import os
import sys

from syscope import bytecode
from syscope.errors import SyscopeError, progname
from syscope.lean import import_module
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: types costs every command line ~1.4 M instructions
    from types import ModuleType

# subcommand -> module under syscope.cli; imported lazily so `syscope -- ls` loads only the tracer.
SUBCOMMANDS: dict[str, str] = {
    "trace": "trace_cmd",
    "syscalls": "syscalls_cmd",
    "profile": "profile_cmd",
    "run": "run_cmd",
    "watch": "watch_cmd",
    "ps": "ps_cmd",
    "env": "env_cmd",
    "fds": "fds_cmd",
    "report": "report_cmd",
    "timeline": "timeline_cmd",
}


_finished: list[str] = []  # the subcommands whose main() returned (not raised)
# the subcommands that refused their command line before they opened, started or changed
# anything (a module's refused_before_start() says so)
_refused: list[str] = []


def _import_quietly(name: str) -> ModuleType:
    """Import a subcommand's module without the cyclic collector: importing it makes ~10^4
    long-lived objects (classes, functions, tables), which the collector would scan again and
    again as they are made, and none of which is garbage (~1 ms of every command line's CPU)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return import_module(name)
    finally:
        if enabled:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] in SUBCOMMANDS:
        module_name, rest = SUBCOMMANDS[argv[0]], argv[1:]
    else:
        module_name, rest = SUBCOMMANDS["trace"], argv
    try:
        module = _import_quietly(f"syscope.cli.{module_name}")
        code = int(module.main(rest))
        _finished.append(module_name)
        return code
    except SyscopeError as exc:
        print(f"{progname()}: {exc}", file=sys.stderr)
        refused = getattr(sys.modules.get(f"syscope.cli.{module_name}"), "refused_before_start", None)
        if refused is not None and refused():
            _refused.append(module_name)
        return exc.exit_code
    except KeyboardInterrupt:
        import signal  # here only: its enums are start-up time every command line would pay

        return 128 + signal.SIGINT
    except BrokenPipeError:
        # `syscope ... | head`: the reader went away; not an error worth a traceback.
        sys.stdout = None
        return 141


def console_entry() -> None:
    """The ``syscope`` console script and ``python -m syscope``."""
    code = main(sys.argv[1:])
    try:
        bytecode.save()  # the modules this command line imported, for the next one (bytecode.py)
    except (OSError, ValueError, EOFError):
        pass  # a cache not written: the next command line imports as this one did
    if _finished == ["trace_cmd"] or _refused:
        # The tracer has closed its outputs and let go of every tracee when its main returns (its
        # `finally`; not so when it raised): what the interpreter's exit would still do, tear down
        # the decoder's ~10^5 objects module by module (~10 ms, after the traced program has
        # ended), changes nothing anyone sees.  Nor when a command line was refused before
        # anything was opened or started (~7 ms of the ~40 such a run costs: strace's syntax tests
        # run thousands).  Only the standard streams may still hold text.
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass  # a closed pipe or stream: the interpreter's exit would not write it either
        os._exit(code)
    sys.exit(code)

"""``syscope`` entry point: picks the subcommand, turns SyscopeError into one line + exit code.

``syscope [strace options] [--] CMD`` (no subcommand) is the tracer, so that a strace user's
habits carry over.  A first word that names a subcommand selects it; to trace a program whose
name is also a subcommand (``env``, ``ps``, ``run``...) write ``syscope -- env ...``.
"""

from __future__ import annotations

import importlib
import signal
import sys

from syscope.errors import SyscopeError, progname

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


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] in SUBCOMMANDS:
        module_name, rest = SUBCOMMANDS[argv[0]], argv[1:]
    else:
        module_name, rest = SUBCOMMANDS["trace"], argv
    try:
        module = importlib.import_module(f"syscope.cli.{module_name}")
        return int(module.main(rest))
    except SyscopeError as exc:
        print(f"{progname()}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except BrokenPipeError:
        # `syscope ... | head`: the reader went away; not an error worth a traceback.
        sys.stdout = None
        return 141


def console_entry() -> None:
    sys.exit(main(sys.argv[1:]))

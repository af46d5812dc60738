"""The tracer's command line read without argparse, when it can be read whole.

A traced run's start-up spent ~5 ms of CPU on its command line: importing argparse (and gettext,
and locale, which argparse asks for each message's translation) and building the tracer's parser
of ~75 options (benchmarks/startup.py).  The parser (cli/trace_cmd.py build_parser) still defines
the options: tools/gen_trace_optable.py writes what each does into cli/trace_optable.py, and this
module applies those actions as argparse's do, to the options cli/strace_argv.py scans as
getopt_long does (the same scanner argparse's path uses).  It gives up (None) on anything it
would have to word or print -- an unknown or ambiguous option, a missing argument, a value not
among an option's choices or not a number, --help -- and argparse reads the command line then.
tests/unit/test_trace_fastargs.py checks that both give the same settings.  (One difference is
getopt's reading, strace's: ``-o --`` is the file "--", where argparse drops a "--" from a value.)
"""

from __future__ import annotations

from syscope.cli.strace_argv import scan, uint_value
from syscope.cli.trace_optable import ACTIONS, DEFAULTS, SPELLINGS
from syscope.errors import UsageError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from argparse import Namespace
else:
    # types.SimpleNamespace (what argparse.Namespace is to its readers), as types.py itself finds
    # it: the class of sys.implementation, without importing types (~1.4 M instructions of start-up)
    import sys

    Namespace = type(sys.implementation)


def fast_args(argv: list[str]) -> Namespace | None:
    """What ``build_parser().parse_args(canonical_argv(parser, argv))`` gives, or None when this
    cannot tell (argparse's path then reads argv, and words the error or prints the help)."""
    try:
        options, command = scan(SPELLINGS, argv)
    except UsageError:
        return None
    ns = {dest: list(v) if isinstance(v, list) else v for dest, v in DEFAULTS.items()}
    for spelling, value in options:
        kind, dest, const, choices, limit, qualifier = ACTIONS[SPELLINGS[spelling][0]]
        if kind == "help":
            return None
        arg: object = const if value is None else value  # an optional argument not given: const
        if kind in ("store", "append", "qualifier") and isinstance(arg, str):
            # argparse's _get_values: the type converts the text, then its choices are checked
            if limit is not None:
                arg = uint_value(arg, limit)
                if arg is None:
                    return None
            if choices is not None and arg not in choices:
                return None
        if kind in ("store", "store_const"):
            ns[dest] = arg
        elif kind == "count":
            count = ns.get(dest)
            ns[dest] = (0 if count is None else count) + 1  # type: ignore[operator]
        elif kind in ("append", "append_const"):
            items = ns.get(dest)
            ns[dest] = [*(items or ()), arg]  # type: ignore[misc]  # argparse copies the list
        else:  # "qualifier": cli/trace_long_options.py _Qualifier
            items = ns.get(dest)
            ns[dest] = [*(items or ()), f"{qualifier}={arg}"]  # type: ignore[misc]
            if qualifier == "decode-fds":
                ns["decode_fds_long"] = True
    return Namespace(**ns, command=["--", *command])

"""A command line scanned as getopt_long(3) scans strace's, then spelt for argparse.

strace 6.1 reads its options with getopt_long and the optstring ``"+a:Ab:cCdDe:..."`` (strace.c):

* the leading ``+`` stops the scan at the first word that is not an option, so the command's
  own options stay the command's (``strace -f ls -l``);
* a long option may be shortened to any prefix that names one option only (``--signal=`` is
  ``--signals=``, ``--daemon`` is ``--daemonize``);
* a required argument is the rest of the word or the next word (``-s80``, ``-s 80``,
  ``--output=F``, ``--output F``), an optional one only ``--name=value``, never the next word
  (``--decode-fds ls`` runs ls);
* ``-e=x`` gives ``=x`` to -e, and ``-e -x`` gives it ``-x``.

argparse does each of these differently, so the tracer scans first, with the options of its own
argparse parser (one table, which the man page is also generated from), and hands argparse one
unambiguous spelling of each option in the same order, then ``--`` and the command.
"""

from __future__ import annotations

import argparse

from syscope.errors import UsageError
from syscope.typenames import NamedTuple


class _Option(NamedTuple):
    action: argparse.Action
    takes: str  # "none", "required" or "optional" (getopt's has_arg)


def _table(parser: argparse.ArgumentParser) -> dict[str, _Option]:
    table: dict[str, _Option] = {}
    for action in parser._actions:  # argparse has no public view of its options
        if not action.option_strings:
            continue
        takes = "none" if action.nargs == 0 else "optional" if action.nargs == "?" else "required"
        for spelling in action.option_strings:
            table[spelling] = _Option(action, takes)
    return table


def _long(name: str, table: dict[str, _Option]) -> str:
    """The full spelling of --NAME: itself, or the one option it is a prefix of (glibc's getopt
    accepts a prefix of several spellings when they all mean the same option)."""
    if f"--{name}" in table:
        return f"--{name}"
    matches = [s for s in table if s.startswith(f"--{name}")]
    if not matches:
        raise UsageError(f"unrecognized option '--{name}'")
    if len({id(table[s].action) for s in matches}) > 1:
        raise UsageError(f"option '--{name}' is ambiguous; possibilities: " + " ".join(f"'{s}'" for s in matches))
    return matches[0]


def _short_value(flag: str, value: str) -> list[str]:
    # argparse drops a leading "=" of an attached value ("-e=x") and refuses a separate one that
    # starts with "-" ("-e", "-x"), and an empty attached value is no value at all
    if value and not value.startswith("="):
        return [flag + value]
    return [flag, value]


def canonical_argv(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """argv with its options spelt for ``parser`` (which must not abbreviate: allow_abbrev=False),
    ``--`` and the command after them.  Unknown options and missing arguments are UsageErrors
    with getopt's wording."""
    table = _table(parser)
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            full = _long(name, table)
            takes = table[full].takes
            if takes == "none":
                if eq:
                    raise UsageError(f"option '{full}' doesn't allow an argument")
                out.append(full)
            elif takes == "optional":
                out.append(f"{full}={value}" if eq else full)
            else:
                if not eq:
                    if i + 1 >= len(argv):
                        raise UsageError(f"option '{full}' requires an argument")
                    i += 1
                    value = argv[i]
                out.append(f"{full}={value}")
            i += 1
            continue
        if not arg.startswith("-") or arg == "-":
            break  # the command
        j = 1
        while j < len(arg):
            flag = f"-{arg[j]}"
            option = table.get(flag)
            if option is None:
                raise UsageError(f"invalid option -- '{arg[j]}'")
            if option.takes == "none":
                out.append(flag)
                j += 1
                continue
            value = arg[j + 1:]
            if not value:
                if i + 1 >= len(argv):
                    raise UsageError(f"option requires an argument -- '{arg[j]}'")
                i += 1
                value = argv[i]
            out.extend(_short_value(flag, value))
            break
        i += 1
    return [*out, "--", *argv[i:]]

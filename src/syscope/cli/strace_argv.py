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

from syscope.errors import UsageError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from collections.abc import Hashable, Mapping

    # an option's spellings -> (what tells its options apart: the same for every spelling of one,
    # how it takes an argument: "none", "required" or "optional", getopt's has_arg)
    Table = Mapping[str, tuple[Hashable, str]]


def _table(parser: argparse.ArgumentParser) -> dict[str, tuple[Hashable, str]]:
    table: dict[str, tuple[Hashable, str]] = {}
    for action in parser._actions:  # argparse has no public view of its options
        if not action.option_strings:
            continue
        takes = "none" if action.nargs == 0 else "optional" if action.nargs == "?" else "required"
        for spelling in action.option_strings:
            table[spelling] = (id(action), takes)
    return table


def _long(name: str, table: Table) -> str:
    """The full spelling of --NAME: itself, or the one option it is a prefix of (glibc's getopt
    accepts a prefix of several spellings when they all mean the same option)."""
    if f"--{name}" in table:
        return f"--{name}"
    matches = [s for s in table if s.startswith(f"--{name}")]
    if not matches:
        raise UsageError(f"unrecognized option '--{name}'")
    if len({table[s][0] for s in matches}) > 1:
        raise UsageError(f"option '--{name}' is ambiguous; possibilities: " + " ".join(f"'{s}'" for s in matches))
    return matches[0]


def scan(table: Table, argv: list[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """The options of argv as getopt_long scans them, each (full spelling, its argument: None
    when it takes none or an optional one was not given), and the command after them.  Unknown
    options and missing arguments are UsageErrors with getopt's wording."""
    options: list[tuple[str, str | None]] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            full = _long(name, table)
            takes = table[full][1]
            if takes == "none":
                if eq:
                    raise UsageError(f"option '{full}' doesn't allow an argument")
                options.append((full, None))
            elif takes == "optional":
                options.append((full, value if eq else None))
            else:
                if not eq:
                    if i + 1 >= len(argv):
                        raise UsageError(f"option '{full}' requires an argument")
                    i += 1
                    value = argv[i]
                options.append((full, value))
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
            if option[1] == "none":
                options.append((flag, None))
                j += 1
                continue
            value = arg[j + 1:]
            if not value:
                if i + 1 >= len(argv):
                    raise UsageError(f"option requires an argument -- '{arg[j]}'")
                i += 1
                value = argv[i]
            options.append((flag, value))
            break
        i += 1
    return options, argv[i:]


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
    options, command = scan(_table(parser), argv)
    out: list[str] = []
    for spelling, value in options:
        if value is None:
            out.append(spelling)
        elif spelling.startswith("--"):
            out.append(f"{spelling}={value}")
        else:
            out.extend(_short_value(spelling, value))
    return [*out, "--", *command]


def command_argv(rest: list[str]) -> list[str]:
    """The command after the options (an ``argparse.REMAINDER``), without the ``--`` ending them."""
    return rest[1:] if rest and rest[0] == "--" else rest


def uint_value(text: str, upto: int) -> int | None:
    """strace's string_to_uint_upto (src/util.c): a decimal 0..upto, else None."""
    try:
        value = int(text, 10)
    except ValueError:
        return None
    return value if 0 <= value <= upto else None

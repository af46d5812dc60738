"""``--tips[=[[id:]ID][,[format:]FORMAT]]``: a tip about syscope on stderr when the trace ends.

The options are strace 6.1's (src/strauss.c parse_tips_arg): an ``id`` picks a tip modulo their
number, ``random`` (the default) one at random, ``format:none`` prints nothing; options
accumulate (``--tips=full --tips=id:3``).  The tips are syscope's, in a speech bubble 44 columns
wide.  strace draws its mascot beside the bubble (and below it with ``format:full``); that
drawing is strace's own artwork, not a fact of its interface, so syscope prints the bubble alone
and ``full`` is ``compact`` (strace's strace--tips tests, which compare the drawing row by row,
fail on that alone)."""

from __future__ import annotations

import os
import sys

from syscope.errors import UsageError

TIPS: tuple[tuple[str, ...], ...] = (
    ("syscope -e trace=%file,%network -- CMD",
     "shows only the calls that take a path or",
     "use the network; %desc, %process, %memory,",
     "%signal and %ipc are the other classes."),
    ("syscope --json -- CMD writes one JSON",
     "object per event, with each argument's",
     "decoded value next to strace's text:",
     "paths, flags, socket addresses, buffers."),
    ("syscope -c -- CMD counts calls as strace",
     "-c does; -cw times them by the wall clock",
     "and, where eBPF is available, counts them",
     "in the kernel without stopping the",
     "program at each call."),
    ("syscope --filter 'evt.type=openat and",
     "fd.name contains /etc' -- CMD takes",
     "sysdig's filter language, on ptrace",
     "events as on eBPF ones."),
    ("syscope watch follows every process of",
     "the machine through eBPF, with Falco-style",
     "rules; -w FILE records a capture that",
     "syscope report and timeline read back."),
    ("syscope profile record -- CMD writes the",
     "seccomp profile of what CMD called;",
     "syscope run --profile FILE -- CMD runs a",
     "program under it, and profile check or",
     "diff compare profiles."),
    ("-e inject=openat:error=ENOENT:when=3 makes",
     "the third openat fail with ENOENT: a quick",
     "way to see how a program copes with",
     "errors it rarely meets."),
    ("syscope -f -e trace=CALLS -- CMD installs",
     "a seccomp-bpf filter in the command, so",
     "the calls it does not trace run at full",
     "speed (--no-seccomp-bpf turns it off)."),
    ("-y prints the path of each file",
     "descriptor next to it, -yy the protocol",
     "and addresses of sockets too; -Y names",
     "each pid after its command."),
    ("syscope ps, env and fds look at running",
     "processes through /proc: their container,",
     "secrets in their environment, and what",
     "each descriptor is."),
    ("-ff -o FILE writes each process's trace",
     "to FILE.PID; -r, -t and -T add relative",
     "and absolute times and each call's",
     "duration, as in strace."),
    ("syscope -k -- CMD prints the stack of the",
     "thread after each call, unwound by",
     "elfutils' libdw."),
)

_WIDTH = 44  # the bubble's text columns


RANDOM = -1


def parse(values: list[str]) -> tuple[int, str] | None:
    """The (tip id or RANDOM, format) the --tips options ask for, each applied over the previous
    as strace does; None without --tips (or with format:none)."""
    if not values:
        return None
    tip, fmt = RANDOM, "compact"
    for value in values:
        for token in value.split(","):
            if not token:
                continue  # strtok_r skips empty tokens
            word, as_id, as_fmt = token, True, True
            if token[:3].lower() == "id:":
                word, as_fmt = token[3:], False
            elif token[:7].lower() == "format:":
                word, as_id = token[7:], False
            if as_id and word.lower() == "random":
                tip = RANDOM
            elif as_id and word.isdigit() and word.isascii() and int(word) <= 2**31 - 1:
                tip = int(word)
            elif as_fmt and word.lower() in ("none", "compact", "full"):
                fmt = word.lower()
            else:
                raise UsageError(f"invalid --tips argument: '{value}'")
    return None if fmt == "none" else (tip, fmt)


def render(tip: int, fmt: str) -> str:
    """The bubble with tip number ``tip`` (modulo the number of tips; RANDOM: any)."""
    if tip == RANDOM:
        tip = int.from_bytes(os.urandom(4), "little")
    text = TIPS[tip % len(TIPS)]
    lines = ["  " + "_" * (_WIDTH + 2), " / " + " " * _WIDTH + " \\"]
    lines += [" | " + words[:_WIDTH].ljust(_WIDTH) + " |" for words in text]
    lines.append(" \\" + "_" * (_WIDTH + 2) + "/")
    return "\n".join(lines) + "\n"


def show(choice: tuple[int, str] | None) -> None:
    """Prints the tip (strace prints it last, on stderr, whatever -o says)."""
    if choice is not None:
        sys.stderr.write(render(*choice))
        sys.stderr.flush()

"""``--tips[=[[id:]ID][,[format:]FORMAT]]``: a tip about syscope on stderr when the trace ends.

The layout is strace 6.1's (src/strauss.c print_totd, which its strace--tips tests check line by
line): a speech bubble 44 columns wide, at least six lines of text, and the strace mascot to its
right, the rows of the mascot below the bubble too with ``format:full``.  The tips are syscope's.
An ``id`` picks a tip modulo their number, ``random`` (the default) one at random; options
accumulate as strace's parse_tips_arg does (``--tips=full --tips=id:3``)."""

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

# The drawing printed right of the bubble: strace's (src/strauss.c, from its second row; the
# strace--tips tests compare these rows).
MASCOT: tuple[str, ...] = (
    "     ____",
    "    /    \\",
    "   |-. .-.|",
    "   (_@)(_@)",
    "   .---_  \\",
    "  /..   \\_/",
    "  |__.-^ /",
    "      }  |",
    "     |   [",
    "     [  ]",
    "    ]   |",
    "    |   [",
    "    [  ]",
    "   /   |        __",
    "  \\|   |/     _/ /_",
    " \\ |   |//___/__/__/_",
    "\\\\  \\ /  //    -____/_",
    "//   \"   \\\\      \\___.-",
    " //     \\\\  __.----._/_",
    "/ '/|||\\` .-         __>",
    "[        /         __.-",
    "[        [           }",
    "\\        \\          /",
    " \"-._____ \\.____.--\"",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    {  } {  }",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    /  { |  |",
    " .-\"   / [   -._",
    "/___/ /   \\ \\___\"-.",
    "    -\"     \"-",
)

_WIDTH = 44  # the bubble's text columns
_TOP = "  " + "_" * (_WIDTH + 2) + "    "
_BOTTOM = " \\" + "_" * (_WIDTH + 2) + "/   "
# the bubble's right edge, row by row: its first row, then the text rows (the pointer towards
# the mascot's beak on rows 3-6, the last form repeated)
_RIGHT = (" \\   ", " |   ", " \\   ", "  \\  ", "  _\\ ", " /   ", " |   ")
_MIN_ROWS = len(_RIGHT) - 1

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
    last = len(MASCOT) - 1
    lines = [_TOP + MASCOT[0], " / " + " " * _WIDTH + _RIGHT[0] + MASCOT[1]]
    rows = max(len(text), _MIN_ROWS)
    for i in range(rows):
        words = text[i] if i < len(text) else ""
        lines.append(" | " + words[:_WIDTH].ljust(_WIDTH) + _RIGHT[min(i + 1, len(_RIGHT) - 1)]
                     + MASCOT[min(2 + i, last)])
    lines.append(_BOTTOM + MASCOT[min(2 + rows, last)])
    blank = " " * (3 + _WIDTH + len(_RIGHT[0]))
    below = range(3 + rows, len(MASCOT)) if fmt == "full" else range(3 + rows, 4 + rows)
    lines.extend(blank + MASCOT[min(k, last)] for k in below or (last,))
    return "\n".join(lines) + "\n"


def show(choice: tuple[int, str] | None) -> None:
    """Prints the tip (strace prints it last, on stderr, whatever -o says)."""
    if choice is not None:
        sys.stderr.write(render(*choice))
        sys.stderr.flush()

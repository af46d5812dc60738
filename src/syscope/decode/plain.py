"""The forms a line prints without any table: pointers and hex numbers as strace prints them,
the signal names (strace's signalent), and the rows of a packed constant table.  decode/fmt.py,
the decoder's formatting, gives them too; a signal's line (decode/siginfo.py) takes them from
here, so that a traced run's first ``--- SIGCHLD ---`` does not import fmt and the constant
tables (~5.7 M instructions)."""

from __future__ import annotations

# Signal names as strace's signalent for x86_64/i386/aarch64 (the generic Linux numbering).
SIGNALS = [
    "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS", "SIGRTMIN",
]
SIGRTMIN = 32  # the kernel's, not glibc's (which reserves 32-34 for NPTL)
SIGRTMAX = 64


def pairs(packed: str) -> list[tuple[int, str]]:
    """The rows of a constant table as the generated modules pack it (tools/data_module.py): one
    string of value and name pairs, "0 SI_USER -1 SI_QUEUE ..." (consts_<arch>.py, cplans_<arch>.py)."""
    words = packed.split()
    return list(zip(map(int, words[::2]), words[1::2], strict=True))


def ptr(v: int) -> str:
    """A pointer as strace prints it: hex, or NULL."""
    return f"{v:#x}" if v else "NULL"


def hexnum(v: int) -> str:
    """A number in hex as strace prints it (``%#x``): 0 has no prefix."""
    return f"{v:#x}" if v else "0"


def signame(sig: int) -> str:
    if 0 < sig < len(SIGNALS):
        return SIGNALS[sig]
    if SIGRTMIN < sig <= SIGRTMAX:
        return f"SIGRT_{sig - SIGRTMIN}"
    return str(sig)


def sigset_name(sig: int) -> str:
    """A signal's name in a set: without "SIG" (``INT``, ``RT_3``), or its number."""
    if 0 < sig < len(SIGNALS):
        return SIGNALS[sig][3:]
    if SIGRTMIN < sig <= SIGRTMAX:
        return f"RT_{sig - SIGRTMIN}"
    return str(sig)

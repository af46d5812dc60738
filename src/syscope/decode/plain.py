"""The forms a line prints without any table: pointers and hex numbers as strace prints them,
and the signal names (strace's signalent).  decode/fmt.py, the decoder's formatting, gives them
too; a signal's line (decode/siginfo.py) takes them from here, so that a traced run's first
``--- SIGCHLD ---`` does not import fmt and the constant tables (~5.7 M instructions)."""

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

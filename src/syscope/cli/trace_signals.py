"""syscope trace's fatal signals (SIGINT, SIGTERM, SIGHUP) as -I/--interruptible says (strace.c:
-I1 dies of the signal -- strace has no handler; syscope's only ends the loop first, see
interrupt_handler --, -I2 the trace ends and detaches, -I3/-I4 they are sat out; which one applies
when -I is not given: trace_options.implied_by_output).  Handlers, never
SIG_IGN: the command started after them must not inherit an ignored signal (execve(2) resets
caught signals to their defaults, ignored ones stay ignored)."""

from __future__ import annotations

import os

from syscope.cli.trace_options import blocked_signals
from syscope.command import ignored_at_start
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import signal
    from collections.abc import Callable
    from typing import Any
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal


def install_handlers(tracer: Any, interrupted: list[int], output: Any, level: int | None) -> None:
    """``interrupted`` collects the signals that ended the trace; ``output`` is trace_cmd's."""
    ignored_at_start()  # read before the handlers below change them (command.restore_signals)
    blocked = blocked_signals(level)
    for s in blocked:
        # -I never: syscope sits these out
        signal.signal(s, lambda _signo, _frame: None)
    on_signal = interrupt_handler(tracer, interrupted, output, level)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if s not in blocked:
            signal.signal(s, on_signal)


def interrupt_handler(tracer: Any, interrupted: list[int], output: Any,
                       level: int | None) -> Callable[[int, object], None]:
    """SIGINT/SIGTERM/SIGHUP: the trace ends; the ptrace tracer sends the signal to the command
    and detaches (strace's cleanup()), the eBPF one's command gets it now.  -I1 (anywhere):
    strace sets no handler and dies of the signal; so does syscope, once the lines strace would
    have printed by then are out: the loop ends at its next safe point (request_stop(die=True))
    and trace_cmd calls output.die_now."""
    from syscope.sources.ptrace.engine import Tracer  # imported once the trace starts (start-up)

    def on_signal(signo: int, _frame: object) -> None:
        if isinstance(tracer, Tracer) and tracer.dying:
            # -I1 asked twice: the loop has not come round (a write blocked on a full pipe)
            signal.signal(signo, signal.SIG_DFL)
            os.kill(os.getpid(), signo)
        interrupted.append(signo)
        if isinstance(tracer, Tracer):
            tracer.request_stop(signo, die=level == 1)
            return
        tracer.request_stop()
        if tracer.child is not None:
            try:
                os.kill(tracer.child, signo)
            except OSError:
                pass
    return on_signal

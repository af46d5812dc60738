"""The eBPF tracer's ring starts small and grows while the consumer is behind (trace_source
FIRST_RING_SIZE, trace.bpf.c `rings`): a bigger ring swapped in mid-trace must lose no call and
keep each thread's order, and a loss, if the machine starves the consumer anyway, is counted."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable

from syscope.cli.trace_ebpf import report_losses
from syscope.events import SyscallEvent
from syscope.sources.ebpf.trace_source import EbpfTracer

COUNT = 100_000


def _line(ev: SyscallEvent) -> str:
    return f"{ev.name}({ev.args[0] if ev.args else ''}) = {ev.retval}\n"


def _traced_io(argv: list[str], ring_size: int,
               line: Callable[[SyscallEvent], str] = _line) -> tuple[EbpfTracer, list[str]]:
    """``argv`` traced to its end through a ring of ``ring_size`` bytes: the tracer and the
    read(0)/write(1) lines it printed, in order."""
    tracer = EbpfTracer(argv, [], follow_forks=True, ring_size=ring_size)
    out = io.StringIO()
    try:
        tracer.write_lines(out, line)
        for _ev in tracer.events():
            pass
    finally:
        tracer.close()
    return tracer, [ln for ln in out.getvalue().splitlines() if ln.startswith(("read(0)", "write(1)"))]


def test_ring_grows_without_losing_or_reordering_calls() -> None:
    # /dev/urandom 16 bytes a call: no two calls alike, and more bytes than a varying run's calls
    # may differ in (trace.bpf.c VARY_SIZE), so each is a record of its own
    argv = ["/bin/dd", "if=/dev/urandom", "of=/dev/null", "bs=16", f"count={COUNT}"]
    tracer, io_lines = _traced_io(argv, 1 << 20)
    assert tracer.ring_size > 1 << 20
    # a loss would be counted (a starved consumer on a loaded machine): what is printed plus
    # what is counted lost is every call, and what is printed is in order
    assert len(io_lines) + tracer.dropped >= 2 * COUNT
    assert len(io_lines) <= 2 * COUNT
    if not tracer.dropped:
        assert io_lines == ["read(0) = 16", "write(1) = 16"] * COUNT


def test_runs_on_the_tracers_cpu_fill_a_small_ring_and_every_call_is_printed() -> None:
    # tracer and dd on one CPU: each turn of the consumer switches dd out and ends its run, so
    # runs' records come all the time, and they do not wake the consumer (trace.bpf.c
    # run_wakeup) until the ring is an eighth full: with a 64 KiB ring that is every ~13 runs,
    # and the ring must still never overflow nor a line be lost or out of place
    count = 200_000
    argv = ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={count}"]
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(affinity)})
    try:
        tracer, io_lines = _traced_io(argv, 64 << 10)
    finally:
        os.sched_setaffinity(0, affinity)
    assert tracer.dropped == 0
    assert io_lines == ["read(0) = 1", "write(1) = 1"] * count


def test_a_consumer_that_falls_behind_reports_the_calls_lost(capsys) -> None:  # type: ignore[no-untyped-def]
    # the consumer is held in its first line's rendering while dd makes 20000 calls, each a
    # record of its own (16 random bytes), into a one-page ring: most cannot be kept, and the
    # trace says how many calls it lost, beside what it printed
    count = 20_000
    argv = ["/bin/dd", "if=/dev/urandom", "of=/dev/null", "bs=16", f"count={count}"]
    waited = []

    def slow_line(ev: SyscallEvent) -> str:
        if not waited:
            waited.append(True)
            time.sleep(2)  # dd runs on meanwhile (~0.1 s for its calls)
        return _line(ev)

    tracer, io_lines = _traced_io(argv, 4096, slow_line)
    assert tracer.dropped > 0
    assert len(io_lines) + tracer.dropped >= 2 * count
    report_losses(tracer)
    assert f"syscope: {tracer.dropped} calls lost: the ring buffer was full" in capsys.readouterr().err

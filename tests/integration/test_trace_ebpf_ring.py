"""The eBPF tracer's ring starts small and grows while the consumer is behind (trace_source
FIRST_RING_SIZE, trace.bpf.c `rings`): a bigger ring swapped in mid-trace must lose no call and
keep each thread's order, and a loss, if the machine starves the consumer anyway, is counted."""

from __future__ import annotations

import io

from syscope.events import SyscallEvent
from syscope.sources.ebpf.trace_source import EbpfTracer

COUNT = 100_000


def _line(ev: SyscallEvent) -> str:
    return f"{ev.name}({ev.args[0] if ev.args else ''}) = {ev.retval}\n"


def test_ring_grows_without_losing_or_reordering_calls() -> None:
    # /dev/urandom 16 bytes a call: no two calls alike, and more bytes than a varying run's calls
    # may differ in (trace.bpf.c VARY_SIZE), so each is a record of its own
    argv = ["/bin/dd", "if=/dev/urandom", "of=/dev/null", "bs=16", f"count={COUNT}"]
    tracer = EbpfTracer(argv, [], follow_forks=True, ring_size=1 << 20)
    out = io.StringIO()
    try:
        tracer.write_lines(out, _line)
        for _ev in tracer.events():
            pass
    finally:
        tracer.close()
    assert tracer.ring_size > 1 << 20
    lines = out.getvalue().splitlines()
    io_lines = [ln for ln in lines if ln.startswith(("read(0)", "write(1)"))]
    # a loss would be counted (a starved consumer on a loaded machine): what is printed plus
    # what is counted lost is every call, and what is printed is in order
    assert len(io_lines) + tracer.dropped >= 2 * COUNT
    assert len(io_lines) <= 2 * COUNT
    if not tracer.dropped:
        assert io_lines == ["read(0) = 16", "write(1) = 16"] * COUNT

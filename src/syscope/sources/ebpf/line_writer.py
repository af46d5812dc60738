"""The plain trace's output of the eBPF tracer (``EbpfTracer.write_lines``): lines gathered and
written a batch at a time, and the lines of a run of repeated calls written in bulk.

A run (trace.bpf.c REC_REPEAT) is one or two lines repeated ``count`` times: dd bs=1 sends runs
of about a hundred thousand calls, megabytes of text.  Built whole (``unit * count``), each run is
a fresh string the allocator gets from the kernel page by page (each page faulted in and zeroed),
copied once more to join it to the batch and once more to encode it, then unmapped.  A long run
is instead written as a block of REPEAT_BLOCK bytes of its lines, encoded once and kept for the
runs that follow with the same lines, handed again and again straight to the file's byte layer:
what is left is the one copy into the file.
"""

from __future__ import annotations

import io

from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO

# The bytes of repeated lines written at once: large enough that a write's fixed cost (a system
# call, the file system's per-write work) is small beside its copy; below the allocator's
# threshold for a mapping of its own (glibc malloc M_MMAP_THRESHOLD, 128 KiB) so the text a block
# is made from, and a short run's text, reuse the heap's pages.  A run is cut at each preemption
# of its thread (trace.bpf.c trace_switch): on a busy CPU runs are a few thousand calls.
REPEAT_BLOCK = 64 << 10
# blocks kept (a run's lines are its thread's prefix and its call's; a few patterns at a time)
BLOCKS_KEPT = 8


class LineWriter:
    """Lines for ``out``, in order: ``add`` one text, ``repeat`` a run's, ``flush`` them out."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.parts: list[str] = []
        # the byte layer under a text file (its encoder is applied here, once per block)
        self._raw = out.buffer if isinstance(out, io.TextIOWrapper) else None
        self._blocks: dict[str, bytes] = {}

    def add(self, text: str) -> None:
        self.parts.append(text)

    def repeat(self, unit: str, times: int) -> None:
        """``unit`` (a run's lines) ``times`` times, after what was added before."""
        if not unit or times <= 0:
            return
        per = max(1, REPEAT_BLOCK // len(unit))
        if self._raw is None or times < per:
            self.parts.append(unit * times)
            return
        block = self._blocks.get(unit)
        if block is None:
            if len(self._blocks) >= BLOCKS_KEPT:
                self._blocks.clear()
            block = (unit * per).encode(self.out.encoding, self.out.errors or "strict")
            self._blocks[unit] = block
        full, rest = divmod(times, per)
        self.flush()
        self.out.flush()  # the text layer's pending bytes go first
        write = self._raw.write
        for _ in range(full):
            write(block)
        if rest:
            self.parts.append(unit * rest)

    def flush(self) -> None:
        if self.parts:
            self.out.write("".join(self.parts))
            self.parts.clear()

"""The eBPF tracer's plain-trace output (sources/ebpf/line_writer.py): a run's repeated lines
written in blocks straight to the -o file's bytes come out whole and in order with the lines
around them, as one string of them would."""

from __future__ import annotations

import io
from pathlib import Path

from syscope.cli.trace_options import open_output
from syscope.sources.ebpf.line_writer import REPEAT_BLOCK, LineWriter

UNIT = 'read(0, "\\0", 1)                  = 1\nwrite(1, "\\0", 1)                 = 1\n'


def _script(w: LineWriter) -> str:
    """Lines around runs short and long (several blocks and a remainder); the text it must give."""
    per = REPEAT_BLOCK // len(UNIT)
    want = []
    for times, other in ((3, "getpid() = 7\n"), (per, "close(3) = 0\n"), (5 * per + 11, "exit_group(0) = ?\n"),
                         (2 * per - 1, "+++ exited with 0 +++\n")):
        w.add(other)
        w.repeat(UNIT, times)
        want.append(other + UNIT * times)
        w.flush()
    w.add("last\n")
    w.repeat("x\n", 0)
    want.append("last\n")
    return "".join(want)


def test_runs_in_blocks_to_the_trace_file_keep_every_line_in_order(tmp_path: Path) -> None:
    out = open_output(str(tmp_path / "trace"), append=False)
    w = LineWriter(out)
    want = _script(w)
    w.flush()
    out.close()
    assert (tmp_path / "trace").read_text() == want


def test_runs_to_a_text_stream_without_bytes_are_written_as_text() -> None:
    out = io.StringIO()
    w = LineWriter(out)
    want = _script(w)
    w.flush()
    assert out.getvalue() == want

"""strace's ``-c`` table.

Layout as strace 6.1 prints it (src/count.c, call_summary_pers): one column per ``-U`` name
(default ``time-percent,total-time,avg-time,calls,errors,name``), each as wide as the larger of
its header and its widest value, separated by one space; a dashed rule under the header, the rows,
a rule and a ``total`` row.  An errors cell of zero is blank (``%*.0lu``); the name column is
left-aligned and, when last, not padded.  Rows start in syscall-number order and are sorted by
``-S`` with glibc's qsort, a merge sort, so ties keep syscall-number order; ``-S nothing`` keeps it
whole.  ``-O`` subtracts a fixed overhead from every call's time, never below zero (count_syscall).
"""

from __future__ import annotations

from syscope.errors import UsageError
from syscope.events import Event, SyscallEvent
from syscope.syscalls import native_arch
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Literal

    SortKey = Literal["time", "min-time", "max-time", "avg-time", "calls", "errors", "name", "nothing"]
    Column = Literal["percent", "time", "min-time", "max-time", "avg-time", "calls", "errors", "name"]

# (typing and dataclasses only for the checker: with what they import, ~5 ms of every -c run's
# start-up on one CPU, as much as the rest of a traced /bin/true)
SORT_KEYS: tuple[str, ...] = ("time", "min-time", "max-time", "avg-time", "calls", "errors", "name", "nothing")
DEFAULT_COLUMNS: tuple[Column, ...] = ("percent", "time", "avg-time", "calls", "errors", "name")

# strace 6.1's column_aliases[] (src/count.c), shared by -S and -U; None is "nothing"
_ALIASES: dict[str, Column | None] = {
    "time": "percent", "time_percent": "percent", "time-percent": "percent",
    "time_total": "time", "time-total": "time", "total_time": "time", "total-time": "time",
    "min_time": "min-time", "min-time": "min-time", "shortest": "min-time", "time_min": "min-time",
    "time-min": "min-time",
    "longest": "max-time", "max_time": "max-time", "max-time": "max-time", "time_max": "max-time",
    "time-max": "max-time",
    "avg_time": "avg-time", "avg-time": "avg-time", "time_avg": "avg-time", "time-avg": "avg-time",
    "calls": "calls", "count": "calls", "error": "errors", "errors": "errors",
    "name": "name", "syscall": "name", "syscall_name": "name", "syscall-name": "name",
    "none": None, "nothing": None,
}
# -S by column: the percent and total-time columns both sort by total time
_SORT_OF: dict[Column | None, SortKey] = {
    "percent": "time", "time": "time", "min-time": "min-time", "max-time": "max-time",
    "avg-time": "avg-time", "calls": "calls", "errors": "errors", "name": "name", None: "nothing"}

# (header, minimum width) of each column: cdesc[] in count.c ("historical field sizes")
_HEAD: dict[Column, tuple[str, int]] = {
    "percent": ("% time", 6), "time": ("seconds", 11), "min-time": ("shortest", 8),
    "max-time": ("longest", 7), "avg-time": ("usecs/call", 11), "calls": ("calls", 9),
    "errors": ("errors", 9), "name": ("syscall", 16)}


def parse_sort_key(text: str) -> SortKey:
    """-S KEY: any of strace's column names, or nothing."""
    if text not in _ALIASES:
        raise UsageError(f"invalid sortby: '{text}'")
    return _SORT_OF[_ALIASES[text]]


def parse_columns(text: str) -> tuple[Column, ...]:
    """-U COLUMNS: comma-separated column names; the name column is appended when missing
    (strace's set_count_summary_columns: "without it table is meaningless")."""
    out: list[Column] = []
    for name in text.split(","):
        col = _ALIASES.get(name)
        if col is None:
            raise UsageError(f"unknown column name: '{name}'")
        if col in out:
            raise UsageError(f"call summary column has been provided more than once: '{name}'")
        out.append(col)
    if "name" not in out:
        out.append("name")
    return tuple(out)


def parse_overhead(text: str) -> float:
    """-O OVERHEAD in seconds: a number with a suffix s/ms/us/ns, microseconds without one
    (strace's parse_ts: str2timescale_sfx's default for an empty suffix is 1000 ns)."""
    units = (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0))
    num, scale = text, 1e-6
    for suffix, mult in units:
        if text.endswith(suffix):
            num, scale = text[: -len(suffix)], mult
            break
    try:
        value = float(num) * scale
    except ValueError:
        value = -1.0
    if not num or value < 0 or value != value:
        raise UsageError(f"invalid -O argument: '{text}'")
    return value


class _Row:
    """A call's counts: ``order`` its number, the table's starting order."""

    __slots__ = ("order", "name", "calls", "errors", "seconds", "shortest", "longest")

    def __init__(self, order: int, name: str) -> None:
        self.order, self.name = order, name
        self.calls = self.errors = 0
        self.seconds, self.shortest, self.longest = 0.0, float("inf"), 0.0


class SummaryTable:
    """Accumulates per-syscall calls, errors and seconds, and renders strace's table.

    ``overhead`` (-O) is taken off each call's time, ``columns`` (-U) picks the columns."""

    def __init__(self, overhead: float = 0.0, columns: Sequence[Column] = DEFAULT_COLUMNS,
                 native: str | None = None) -> None:
        self._rows: dict[str, _Row] = {}
        self.overhead = overhead
        self.columns = tuple(columns)
        self.native = native or native_arch()
        # calls of another personality (i386 calls of an x86_64 tracer): strace's call_summary()
        # prints them in a table of their own, after the native one
        self._other: SummaryTable | None = None

    def _row(self, name: str, order: int) -> _Row:
        row = self._rows.get(name)
        if row is None:
            row = self._rows[name] = _Row(order, name)
        return row

    def add(self, name: str, seconds: float, failed: bool, order: int = 1 << 30) -> None:
        """One call; its time less the overhead, never below zero (strace's count_syscall)."""
        seconds = max(seconds - self.overhead, 0.0)
        row = self._row(name, order)
        row.calls += 1
        row.errors += failed
        row.seconds += seconds
        if seconds < row.shortest:
            row.shortest = seconds
        if seconds > row.longest:
            row.longest = seconds

    def add_counts(self, name: str, calls: int, errors: int, seconds: float,
                   order: int = 1 << 30, shortest: float | None = None,
                   longest: float | None = None) -> None:
        """Merge counters gathered elsewhere (the eBPF source counts in the kernel, the
        overhead already taken off there)."""
        row = self._row(name, order)
        row.calls += calls
        row.errors += errors
        row.seconds += seconds
        if calls:
            row.shortest = min(row.shortest, shortest if shortest is not None else seconds / calls)
            row.longest = max(row.longest, longest if longest is not None else seconds / calls)

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent) and ev.phase == "exit" and not ev.unfinished:
            table = self
            if ev.arch != self.native:
                if self._other is None:
                    self._other = SummaryTable(self.overhead, self.columns, ev.arch)
                table = self._other
            # the call's system CPU time when the source measured it (strace -c), else the wall
            # clock between entry and exit (-w, and sources that cannot tell)
            cpu = ev.cpu_time
            table.add(ev.name, cpu if cpu is not None else ev.duration or 0.0, ev.errno is not None, ev.nr)

    def counts(self) -> dict[str, tuple[int, int, float]]:
        """name -> (calls, errors, seconds)."""
        return {r.name: (r.calls, r.errors, r.seconds) for r in self._rows.values()}

    def render(self, sort_by: str = "time") -> str:
        rows = sorted((r for r in self._rows.values() if r.calls), key=lambda r: (r.order, r.name))
        # list.sort is stable, as glibc's merge-sorting qsort: ties stay in syscall-number order
        if sort_by == "time":
            rows.sort(key=lambda r: -r.seconds)
        elif sort_by == "min-time":
            rows.sort(key=lambda r: -r.shortest)
        elif sort_by == "max-time":
            rows.sort(key=lambda r: -r.longest)
        elif sort_by == "avg-time":
            rows.sort(key=lambda r: -_avg_ns(r.seconds, r.calls))
        elif sort_by == "calls":
            rows.sort(key=lambda r: -r.calls)
        elif sort_by == "errors":
            rows.sort(key=lambda r: -r.errors)
        elif sort_by == "name":
            rows.sort(key=lambda r: r.name)
        # strace's call_summary prints a personality's table only once a call of it was counted
        # (count.c: countv[] is allocated by the first): none at all when nothing was
        text = _render(rows, self.columns) if rows else ""
        if self._other is not None:
            bits = 32 if self._other.native == "i386" else 64
            text += f"System call usage summary for {bits} bit mode:\n" + self._other.render(sort_by)
        return text

    def close(self) -> None:
        pass


def _avg_ns(seconds: float, calls: int) -> int:
    """ts_div(): the average as whole nanoseconds."""
    return int(round(seconds * 1e9)) // calls if calls else 0


def _render(rows: list[_Row], columns: tuple[Column, ...]) -> str:
    total_s = sum(r.seconds for r in rows)
    total_calls = sum(r.calls for r in rows)
    total_err = sum(r.errors for r in rows)
    shortest = min((r.shortest for r in rows), default=0.0)
    longest = max((r.longest for r in rows), default=0.0)
    widest_min = max((r.shortest for r in rows), default=0.0)
    avg_max = max((_avg_ns(r.seconds, r.calls) for r in rows), default=0)
    values = {"percent": 6, "time": len(f"{total_s:.6f}"), "min-time": len(f"{int(widest_min)}.000000"),
              "max-time": len(f"{int(longest)}.000000"), "avg-time": len(str(avg_max // 1000)),
              "calls": len(str(total_calls)), "errors": len(str(total_err)),
              "name": max((len(r.name) for r in rows), default=0) + 1}
    width = {c: max(_HEAD[c][1], values[c]) for c in columns}
    last = len(columns) - 1

    def line(cells: dict[Column, object]) -> str:
        out = []
        for i, c in enumerate(columns):
            v, w = cells[c], width[c]
            if c == "name":
                out.append(str(v) if i == last else f"{v!s:<{w}}")
            elif c in ("percent",):
                out.append(f"{v:{w}.2f}")
            elif c in ("time", "min-time", "max-time"):
                out.append(f"{v:{w}.6f}")
            elif c == "errors":
                out.append(f"{v:{w}d}" if v else " " * w)  # %*.0lu: zero prints nothing
            else:
                out.append(f"{v:{w}d}")
        return " ".join(out)

    head = []
    for i, c in enumerate(columns):
        text = _HEAD[c][0]
        head.append(text if (c == "name" and i == last) else
                    f"{text:<{width[c]}}" if c == "name" else f"{text:>{width[c]}}")
    rule = " ".join("-" * width[c] for c in columns)
    out = [" ".join(head), rule]
    for r in rows:
        pct = 100.0 * r.seconds / total_s if r.seconds and total_s else 0.0
        out.append(line({"percent": pct, "time": r.seconds, "min-time": r.shortest, "max-time": r.longest,
                         "avg-time": _avg_ns(r.seconds, r.calls) // 1000, "calls": r.calls,
                         "errors": r.errors, "name": r.name}))
    out.append(rule)
    avg_total = int(total_s / total_calls * 1e6) if total_calls else 0
    out.append(line({"percent": 100.0, "time": total_s, "min-time": shortest if rows else 0.0,
                     "max-time": longest, "avg-time": avg_total, "calls": total_calls,
                     "errors": total_err, "name": "total"}))
    return "\n".join(out) + "\n"

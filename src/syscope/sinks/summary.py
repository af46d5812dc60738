"""strace's ``-c`` table.

Layout as strace 6.1 prints it (src/count.c): a header, a dashed rule, one row per syscall
``%6.2f %11.6f %11lu %9u %9.u %s`` (the ``%9.u`` leaves the errors column blank when zero), a
rule, and a ``total`` row.  Rows sort by time descending by default; ties keep syscall-number
order, which is what strace's output shows for the many zero-time rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from syscope.errors import UsageError
from syscope.events import Event, SyscallEvent

SortKey = Literal["time", "calls", "errors", "name", "nothing"]
SORT_KEYS: tuple[str, ...] = ("time", "calls", "errors", "name", "nothing")
# strace accepts these aliases for -S (strace.1: "time, min-time, max-time, avg-time, calls,
# errors, name, nothing"; "count" is an old spelling of calls).
_SORT_ALIASES = {"time": "time", "total-time": "time", "calls": "calls", "count": "calls",
                 "errors": "errors", "error": "errors", "name": "name", "syscall": "name",
                 "nothing": "nothing", "none": "nothing"}

_RULE = "------ ----------- ----------- --------- --------- ----------------"
_HEADER = "% time     seconds  usecs/call     calls    errors syscall"


def parse_sort_key(text: str) -> SortKey:
    key = _SORT_ALIASES.get(text)
    if key is None:
        raise UsageError(f"invalid sortby: '{text}'")
    return key  # type: ignore[return-value]


@dataclass(slots=True)
class _Row:
    order: int  # first-seen key for stable ties: syscall number when known
    name: str
    calls: int = 0
    errors: int = 0
    seconds: float = 0.0


class SummaryTable:
    """Accumulates per-syscall calls, errors and seconds, and renders strace's table."""

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}

    def _row(self, name: str, order: int) -> _Row:
        row = self._rows.get(name)
        if row is None:
            row = self._rows[name] = _Row(order, name)
        return row

    def add(self, name: str, seconds: float, failed: bool, order: int = 1 << 30) -> None:
        self.add_counts(name, 1, int(failed), seconds, order)

    def add_counts(self, name: str, calls: int, errors: int, seconds: float,
                   order: int = 1 << 30) -> None:
        """Merge counters gathered elsewhere (the eBPF source counts in the kernel)."""
        row = self._row(name, order)
        row.calls += calls
        row.errors += errors
        row.seconds += seconds

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent) and ev.phase == "exit" and not ev.unfinished:
            self.add(ev.name, ev.duration or 0.0, ev.errno is not None, ev.nr)

    def counts(self) -> dict[str, tuple[int, int, float]]:
        """name -> (calls, errors, seconds)."""
        return {r.name: (r.calls, r.errors, r.seconds) for r in self._rows.values()}

    def render(self, sort_by: str = "time") -> str:
        rows = sorted(self._rows.values(), key=lambda r: (r.order, r.name))
        if sort_by == "time":
            rows.sort(key=lambda r: -r.seconds)
        elif sort_by == "calls":
            rows.sort(key=lambda r: -r.calls)
        elif sort_by == "errors":
            rows.sort(key=lambda r: -r.errors)
        elif sort_by == "name":
            rows.sort(key=lambda r: r.name)
        total_s = sum(r.seconds for r in rows)
        total_calls = sum(r.calls for r in rows)
        total_err = sum(r.errors for r in rows)
        out = [_HEADER, _RULE]
        for r in rows:
            pct = 100.0 * r.seconds / total_s if total_s > 0 else 0.0
            out.append(_line(pct, r.seconds, r.calls, r.errors, r.name))
        out.append(_RULE)
        out.append(_line(100.0 if total_s > 0 else 0.0, total_s, total_calls, total_err, "total"))
        return "\n".join(out) + "\n"

    def close(self) -> None:
        pass


def _line(pct: float, seconds: float, calls: int, errors: int, name: str) -> str:
    usecs = int(seconds * 1e6 / calls) if calls else 0
    err = f"{errors:9d}" if errors else " " * 9
    return f"{pct:6.2f} {seconds:11.6f} {usecs:11d} {calls:9d} {err} {name}"

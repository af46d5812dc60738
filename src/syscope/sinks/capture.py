"""The capture writer (``syscope watch -w``): version 2, the eBPF ring's records in compressed
blocks (layout: syscope.sources.capture, docs/capture.md).  Version-1 files (gzip JSON lines) are
still read by syscope.sources.file."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import struct
import time
import zlib
from pathlib import Path
from typing import Any

from syscope.context.fds import fd_num
from syscope.context.process import Context
from syscope.errors import UsageError
from syscope.events import Event, SyscallEvent
from syscope.sources.capture import (
    BLOCK_HEADER,
    BLOCK_MAGIC,
    CODEC_LZ4,
    ENTRY,
    FILE_HEADER,
    JSON_ENTRY,
    MAGIC,
    STATE_ONLY,
    VERSION,
)

# where a record's kind byte is: the ring header (8), then struct event's ts_enter, ts_exit,
# args[6], ret, pid, tid, ppid, uid, nr (92 bytes), cpu (2)
_KIND_OFFSET = 8 + 94
_KIND_ARGV = 4
BLOCK_BYTES = 1 << 20  # records per block: ~2,700 (a block is the unit a cut file loses)
FLUSH_EVERY = 1.0  # seconds: a quiet capture still reaches the disk, block by block


class CaptureWriter:
    """Writes a version-2 capture.  The file is created 0600 (it holds what processes read and
    wrote); ``close()`` writes the last block (call it on every stop: watch does on SIGTERM,
    SIGINT and SIGHUP)."""

    def __init__(self, path: Path, ctx: Context, meta: dict[str, Any] | None = None) -> None:
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            os.fchmod(self._fd, 0o600)  # an existing file keeps its mode through O_TRUNC
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        import lz4.block

        self._compress = lz4.block.compress
        self._ctx = ctx
        self._buf = bytearray()
        self._last = time.monotonic()
        self._fds: dict[tuple[int, int], str] = {}
        self.records = 0
        # CLOCK_MONOTONIC (the records' bpf_ktime_get_ns) -> wall clock, as the live source has it
        wall = time.time() - time.clock_gettime(time.CLOCK_MONOTONIC)
        m = {"format": "syscope-capture", "version": list(VERSION), "mono_to_wall": wall,
             "record_size": _record_size(), **(meta or {})}
        raw = json.dumps(m).encode()
        self._write(FILE_HEADER.pack(MAGIC, len(raw)) + raw)

    # ------------------------------------------------------------------ entries
    def write_records(self, data: bytes | memoryview, n: int) -> None:
        """``n`` ring records as the kernel wrote them (headers included)."""
        view = memoryview(data)
        # events, not records: an exec's argv pieces are facts of its exec record
        self.records += n - view[_KIND_OFFSET::_record_size()].tobytes().count(_KIND_ARGV)
        if self._buf:
            # top up the pending block first; entries never straddle blocks (records are
            # whole, RECORD.size each)
            take = max(0, BLOCK_BYTES - len(self._buf))
            take -= take % _record_size()
            self._buf += view[:take]
            view = view[take:]
            if len(self._buf) >= BLOCK_BYTES:
                self.flush()
        step = BLOCK_BYTES - BLOCK_BYTES % _record_size()
        while len(view) >= step:
            # whole blocks straight from the batch: no copy into the pending buffer
            self._block(view[:step])
            view = view[step:]
        if len(view):
            self._buf += view

    def write_record(self, rec: bytes, state_only: bool = False) -> None:
        """Ring records of one event (an exec's argv pieces and its record, or one record);
        ``state_only``: they update the replay's tables but are no event of the capture."""
        if state_only:
            b = bytearray(rec)
            for off in range(0, len(b), _record_size()):
                word = struct.unpack_from("<I", b, off)[0]
                struct.pack_into("<I", b, off, word | STATE_ONLY)
            rec = bytes(b)
        self.write_records(rec, len(rec) // _record_size())
        if state_only:
            self.records -= 1  # the event's record was counted: it is not an event of the file

    def write_state(self, obj: dict[str, Any]) -> None:
        """A process or fd fact (``{"rec": "proc", ...}``, ``{"rec": "fd", ...}``)."""
        raw = json.dumps(obj).encode()
        self._buf += ENTRY.pack(len(raw) | JSON_ENTRY, 0) + raw + b"\0" * (-len(raw) & 7)

    def seed(self, pid: int | None = None) -> None:
        """The state before the first record: the context's process and fd tables as the live
        source seeded them from /proc (``Context.seed_from_procfs``)."""
        for p in list(self._ctx.procs.values()):
            self.write_state({"rec": "proc", **dataclasses.asdict(p)})
        for (p_, fd), name in list(self._ctx.fds.items()):
            self.write_state({"rec": "fd", "pid": p_, "fd": fd, "name": name})
        self.flush()

    def note_fd(self, ev: Event) -> None:
        """Before a filtered capture's event: the name its fd had, when the live session knew it
        from /proc (opened before the capture began, or by a call the filter left out)."""
        if not isinstance(ev, SyscallEvent):
            return
        n = fd_num(ev)
        if n is None or n < 0:
            return
        name = self._ctx.fds.get((ev.pid, n))
        if name is not None and self._fds.get((ev.pid, n)) != name:
            self._fds[(ev.pid, n)] = name
            self.write_state({"rec": "fd", "pid": ev.pid, "fd": n, "name": name})

    # ------------------------------------------------------------------ blocks
    def flush_if_due(self) -> None:
        if self._buf and time.monotonic() - self._last >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        self._last = time.monotonic()
        if not self._buf:
            return
        raw = bytes(self._buf)
        self._buf.clear()
        self._block(raw)

    def _block(self, raw: bytes | memoryview) -> None:
        comp = self._compress(raw, store_size=False)
        self._write(BLOCK_HEADER.pack(BLOCK_MAGIC, CODEC_LZ4, 0, 0, len(raw), len(comp),
                                      zlib.crc32(comp)))
        self._write(comp)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                n = os.write(self._fd, view)
            except OSError as exc:
                raise UsageError(f"cannot write the capture: {exc.strerror}") from None
            view = view[n:]

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            self.flush()
        finally:
            os.close(self._fd)
            self._fd = -1


@functools.cache
def _record_size() -> int:
    from syscope.sources.ebpf.source import RECORD

    return RECORD.size


__all__ = ["CaptureWriter", "BLOCK_BYTES"]

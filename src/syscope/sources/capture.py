"""Capture files version 2 (``syscope watch -w``): the eBPF ring's records as they came, in
compressed blocks, decoded only when read.  The layout is described in docs/capture.md.

    file    := header block*
    header  := "SYSCOPE2" u32 meta_len  meta (JSON, meta_len bytes)
    block   := "SCB2" u8 codec u8 0 u16 0 u32 raw_len u32 comp_len u32 crc32  payload
    payload := codec-compressed raw_len bytes: entry*
    entry   := u32 word u32 0  data (rounded up to 8 bytes)

An entry is a ring record exactly as the kernel wrote it (word = its length, 376: the 8-byte
header + ``struct event`` of syscope.bpf.c), or carries flag bits in ``word``: STATE_ONLY (a
record that updates the process/fd tables but is no event of its own: the fork/exec/exit records
of a filtered capture) or JSON (a state object: ``{"rec": "proc", ...ProcInfo}`` or ``{"rec":
"fd", "pid", "fd", "name"}``, process and fd facts from before the capture or learned from /proc
while it ran).  All integers little-endian.  crc32 is zlib's, of the compressed bytes.

Every block is complete on its own, so a file cut anywhere (a crash, a full disk, SIGKILL) is
read up to its last whole block; SIGTERM/SIGINT/SIGHUP close the writer, which writes what it
holds.  A reader refuses a newer major version and skips entries with flag bits it does not know.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from syscope.context.process import Context, ProcInfo
from syscope.errors import SyscopeError, UsageError
from syscope.events import Event

MAGIC = b"SYSCOPE2"
BLOCK_MAGIC = b"SCB2"
VERSION = (2, 0)
FILE_HEADER = struct.Struct("<8sI")
BLOCK_HEADER = struct.Struct("<4sBBHIII")
ENTRY = struct.Struct("<II")
# entry word flags, above any record length; BUSY (bit 31) and DISCARD (bit 30) are the ring's
# and never stored
STATE_ONLY = 1 << 29
JSON_ENTRY = 1 << 28
LEN_MASK = (1 << 28) - 1
KNOWN_FLAGS = STATE_ONLY | JSON_ENTRY
CODEC_NONE, CODEC_LZ4 = 0, 1
# a header claiming more is not one of ours (a damaged file): the writer's blocks hold ~1 MiB,
# its header a few hundred bytes; nothing larger is ever allocated for a file's say-so
MAX_BLOCK = 16 << 20
MAX_META = 1 << 20


def _decompress(codec: int, data: bytes, raw_len: int) -> bytes:
    if codec == CODEC_NONE:
        return data
    if codec == CODEC_LZ4:
        import lz4.block

        return bytes(lz4.block.decompress(data, uncompressed_size=raw_len))
    raise ValueError(f"unknown codec {codec}")


def read_meta(f: IO[bytes], path: Path) -> dict[str, Any]:
    head = f.read(FILE_HEADER.size)
    if len(head) < FILE_HEADER.size or head[:8] != MAGIC:
        raise UsageError(f"{path}: not a syscope capture file")
    (n,) = struct.unpack_from("<I", head, 8)
    if n > MAX_META:
        raise UsageError(f"{path}: damaged capture header")
    try:
        meta = json.loads(f.read(n))
        major = int(meta["version"][0])
        float(meta.get("mono_to_wall", 0.0))
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError):
        raise UsageError(f"{path}: damaged capture header") from None
    if major > VERSION[0]:
        raise SyscopeError(f"{path}: capture format version {major}.x is newer than this syscope "
                           f"reads ({VERSION[0]}.x); upgrade syscope")
    return meta


def blocks(f: IO[bytes]) -> Iterator[bytes]:
    """The payloads of the complete blocks, in order; stops quietly at a cut or damaged one
    (``truncated`` is then reported by the caller from ``f``'s position)."""
    while True:
        head = f.read(BLOCK_HEADER.size)
        if len(head) < BLOCK_HEADER.size:
            return
        magic, codec, _r1, _r2, raw_len, comp_len, crc = BLOCK_HEADER.unpack(head)
        if magic != BLOCK_MAGIC or raw_len > MAX_BLOCK or comp_len > MAX_BLOCK:
            raise _Damaged
        data = f.read(comp_len)
        if len(data) < comp_len or zlib.crc32(data) != crc:
            raise _Damaged
        try:
            payload = _decompress(codec, data, raw_len)
        except Exception:  # noqa: BLE001 - the codecs raise their own types for damaged data
            raise _Damaged from None
        if len(payload) != raw_len:
            raise _Damaged
        yield payload


class _Damaged(Exception):
    """A block that is not whole: the file was cut (or damaged) there."""


def entries(payload: bytes) -> Iterator[tuple[int, memoryview]]:
    """(flags, data) of each entry of a block; data is the whole ring record for a record."""
    view = memoryview(payload)
    off, end = 0, len(payload)
    while off + ENTRY.size <= end:
        word, _ = ENTRY.unpack_from(payload, off)
        n = word & LEN_MASK
        if off + ENTRY.size + n > end:
            return
        if word & JSON_ENTRY:
            yield word & ~LEN_MASK, view[off + ENTRY.size:off + ENTRY.size + n]
        else:
            yield word & ~LEN_MASK, view[off:off + ENTRY.size + n]
        off += ENTRY.size + ((n + 7) & ~7)


def apply_state(d: dict[str, Any], ctx: Context) -> None:
    rec = d.get("rec")
    if rec == "proc":
        d["cmdline"] = tuple(d.get("cmdline", ()))
        fields = {k: v for k, v in d.items() if k in ProcInfo.__slots__}
        ctx.procs[int(d["pid"])] = ProcInfo(**fields)
    elif rec == "fd":
        ctx.fds[(int(d["pid"]), int(d["fd"]))] = str(d["name"])


def read_capture_v2(path: Path, ctx: Context) -> Iterator[Event]:
    """Events of a version-2 capture; fills ``ctx`` (``ctx.live = False``) with its process and
    fd facts as they were when each event happened."""
    from syscope.sources.ebpf.source import RECORD, raw_event
    from syscope.sources.ebpf.stream import Converter

    try:
        f = open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    with f:
        meta = read_meta(f, path)
        ctx.live = False
        conv = Converter(ctx, float(meta.get("mono_to_wall", 0.0)))
        size = RECORD.size
        try:
            for payload in blocks(f):
                for flags, data in entries(payload):
                    if flags & ~KNOWN_FLAGS:
                        continue  # an entry kind of a newer minor version
                    if flags & JSON_ENTRY:
                        try:
                            apply_state(json.loads(bytes(data)), ctx)
                        except (ValueError, TypeError, KeyError, AttributeError):
                            raise UsageError(f"{path}: damaged state entry in a capture block") from None
                        continue
                    if len(data) != size:
                        continue  # a record layout this reader does not know
                    ev = conv.convert(raw_event(RECORD.unpack(data)))
                    if ev is None:
                        continue
                    if flags & STATE_ONLY:
                        conv.settle(ev)
                        continue
                    yield ev
                    # after the consumer saw it, as live (a close(2) still names its fd)
                    conv.settle(ev)
        except _Damaged:
            print(f"syscope: {path}: cut short or damaged after byte {f.tell()}; "
                  "read up to the last complete block", file=sys.stderr)


def is_v2(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


__all__ = ["MAGIC", "VERSION", "read_capture_v2", "is_v2", "blocks", "entries", "read_meta",
           "apply_state", "STATE_ONLY", "JSON_ENTRY"]

"""Decoder on recorded register values and memory bytes: message calls (recvmmsg's timeout, the
-e read=/write= dumps).  The expected texts are what strace 6.1 prints for the same calls (its
tests recvmmsg-timeout.c and read-write.c); the memory is a dict of address -> bytes laid out as
the kernel's structs."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions, Decoder
from syscope.decode.decoder import dump_offset_width, dumpstr
from syscope.events import SyscallEvent

MSGVEC, IOV, BUF, TIMEOUT = 0x1000, 0x2000, 0x3000, 0x4000


def _recvmmsg(opts: DecodeOptions, retval: int, left: tuple[int, int]) -> str:
    """recvmmsg(3, [one message of one byte], 1, 0, {0, 12345678}): the kernel rewrites the
    timeout with the time left between entry and exit."""
    # struct mmsghdr: msghdr (name, namelen, iov, iovlen, control, controllen, flags), msg_len
    hdr = struct.pack("<QI4xQQQQi4xI4x", 0, 0, IOV, 1, 0, 0, 0, 1)
    mem = DictMemory({MSGVEC: hdr, IOV: struct.pack("<QQ", BUF, 1), BUF: b"A",
                      TIMEOUT: struct.pack("<qq", 0, 12345678)})
    ev = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=299, name="recvmmsg",
                      raw_args=(3, MSGVEC, 1, 0, TIMEOUT, 0), ts_enter=0.0)
    dec = Decoder(opts)
    dec.decode_entry(ev, mem)
    mem.blocks[TIMEOUT] = struct.pack("<qq", *left)
    ev.retval = retval
    dec.decode_exit(ev, mem)
    return f"recvmmsg({', '.join(ev.args)}) = {ev.ret_text}"


def test_recvmmsg_timeout_as_given_and_left() -> None:
    # strace's mmsghdr.c keeps the timeout's text from entry and prints what is left after the count
    assert _recvmmsg(DecodeOptions(), 1, (0, 12335924)) == (
        'recvmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="A", iov_len=1}], '
        "msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=1}], 1, 0, {tv_sec=0, tv_nsec=12345678})"
        " = 1 (left {tv_sec=0, tv_nsec=12335924})")


def test_recvmmsg_timeout_expired_and_not_verbose() -> None:
    assert _recvmmsg(DecodeOptions(), 0, (0, 0)).endswith(
        "[], 1, 0, {tv_sec=0, tv_nsec=12345678}) = 0 (Timeout)")
    # -e verbose=none: the vector and the timeout are addresses, no "left"
    quiet = DecodeOptions(no_verbose=frozenset({"recvmmsg"}))
    assert _recvmmsg(quiet, 1, (0, 1)) == f"recvmmsg(3, {MSGVEC:#x}, 1, 0, {TIMEOUT:#x}) = 1"


def test_dump_offset_width_follows_length() -> None:
    # src/util.c dumpstr: five hex digits up to 1 MiB, then as many as the last offset needs
    assert dump_offset_width(1) == 5
    assert dump_offset_width(1 << 20) == 5
    assert dump_offset_width((1 << 20) + 1) == 6
    assert dump_offset_width((1 << 24) + 1) == 7


def test_dumpstr_reads_in_pieces_and_says_where_it_stopped() -> None:
    data = bytes(range(256)) * (4096 + 256)  # 1 MiB and a 64 KiB piece: six-digit offsets
    mem = DictMemory({BUF: data})
    lines = dumpstr(mem, BUF, len(data) + 2)
    assert lines[0].startswith(" | 000000  00 01 02")
    assert lines[-2].startswith(" | 10fff0  f0 f1 f2")
    # the last 64 KiB piece (2 bytes past the mapping) faults: one line says so and the dump ends
    assert lines[-1] == f" | <Cannot fetch 2 bytes from pid 1 @{BUF + len(data):#x}>"
    # a first piece that faults prints nothing, as strace does
    assert dumpstr(DictMemory({}), BUF, 16) == []

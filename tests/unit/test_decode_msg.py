"""Decoder on recorded register values and memory bytes: message calls (recvmmsg's timeout, the
-e read=/write= dumps).  The expected texts are what strace 6.1 prints for the same calls (its
tests recvmmsg-timeout.c and read-write.c); the memory is a dict of address -> bytes laid out as
the kernel's structs."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

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


def _sendmsg_control(control: bytes) -> str:
    """sendmsg(-1, {msg_control=CONTROL}, 0) = -1 EBADF, as strace's msg_control.c makes it."""
    hdr = struct.pack("<QI4xQQQQi4x", 0, 0, 0, 0, BUF, len(control), 0)
    line = decode_line("sendmsg", (0xFFFFFFFF, MSGVEC, 0), DictMemory({MSGVEC: hdr, BUF: control}), -9)
    return line.split("msg_control=", 1)[1].split(", msg_controllen=", 1)[0]


def _cmsg(level: int, type_: int, data: bytes) -> bytes:
    size = 16 + len(data)
    return struct.pack("<QiI", size, level, type_) + data + b"\0" * (-size % 8)


def test_cmsg_ip_types_and_recverr() -> None:
    # struct sock_extended_err and its offender (linux/errqueue.h), as strace's msg_control.c sends it
    ee = struct.pack("<IBBBBII", 0xDEADBEEF, 2, 3, 4, 0, 0xFACEFEED, 0xBADC0DED)
    offender = struct.pack("<HH4s8x", 2, 0x3930, bytes([127, 0, 0, 1]))
    assert _sendmsg_control(_cmsg(0, 11, ee + offender)) == (
        "[{cmsg_len=48, cmsg_level=SOL_IP, cmsg_type=IP_RECVERR, cmsg_data={ee_errno=3735928559, ee_origin=2, "
        "ee_type=3, ee_code=4, ee_info=4207869677, ee_data=3134983661, offender={sa_family=AF_INET, "
        'sin_port=htons(12345), sin_addr=inet_addr("127.0.0.1")}}}]')
    # at SOL_IP the kernel sends SCM_SECURITY with its SOL_SOCKET number, which is IP_HDRINCL's
    assert _sendmsg_control(_cmsg(0, 3, b"")) == "[{cmsg_len=16, cmsg_level=SOL_IP, cmsg_type=SCM_SECURITY}]"
    assert _sendmsg_control(_cmsg(0, 0xFACEFEED, b"")) == \
        "[{cmsg_len=16, cmsg_level=SOL_IP, cmsg_type=0xfacefeed /* IP_??? */}]"


def test_cmsg_timestamps_and_short_data() -> None:
    ts = struct.pack("<qq", 123456789, 987654321)
    assert _sendmsg_control(_cmsg(1, 35, ts)) == (  # SO_TIMESTAMPNS_OLD, a struct timespec
        "[{cmsg_len=32, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMPNS_OLD, "
        "cmsg_data={tv_sec=123456789, tv_nsec=987654321}}]")
    three = _cmsg(1, 65, ts * 3)  # SO_TIMESTAMPING_NEW: struct scm_timestamping64, three timespecs
    assert _sendmsg_control(three).count("{tv_sec=123456789, tv_nsec=987654321}") == 3
    # data shorter than the struct: the printer runs and says it could not show it
    assert _sendmsg_control(_cmsg(1, 29, b"\1" * 8)) == \
        "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMP_OLD, cmsg_data=???}]"


def _mmsghdr(name: int, namelen: int, iov: int, msg_len: int = 0) -> bytes:
    return struct.pack("<QI4xQQQQi4xI4x", name, namelen, iov, 1, 0, 0, 0, msg_len)


def test_sendmmsg_failed_prints_vector_up_to_unreadable() -> None:
    # strace's mmsg_name.c: a failed sendmmsg still shows the messages, without msg_len, and
    # "... /* ADDR */" where the vector runs into unmapped memory
    mem = DictMemory({MSGVEC: _mmsghdr(0, 0, IOV), IOV: struct.pack("<QQ", BUF, 1), BUF: b"4"})
    assert decode_line("sendmmsg", (0xFFFFFFFF, MSGVEC, 2, 0x40), mem, -9) == (
        "sendmmsg(-1, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"4\", iov_len=1}], "
        f"msg_iovlen=1, msg_controllen=0, msg_flags=0}}}}, ... /* {MSGVEC + 64:#x} */], 2, MSG_DONTWAIT) "
        "= -1 EBADF (Bad file descriptor)")


def test_recvmmsg_name_by_the_length_offered() -> None:
    # each message's msg_namelen before the call (read at entry) and after: the address is
    # decoded no further than the caller's buffer, and not at all below a family's two bytes
    names = {0x5000 + 0x100 * k: struct.pack("<H", 1) + b"m" * 36 for k in range(3)}
    vec = b"".join(_mmsghdr(0x5000 + 0x100 * k, k + 1, IOV, 1) for k in range(3))
    mem = DictMemory({MSGVEC: vec, IOV: struct.pack("<QQ", BUF, 1), BUF: b"0", **names})
    ev = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=299, name="recvmmsg",
                      raw_args=(3, MSGVEC, 3, 0, 0, 0), ts_enter=0.0)
    dec = Decoder(DecodeOptions())
    dec.decode_entry(ev, mem)
    mem.blocks[MSGVEC] = b"".join(_mmsghdr(0x5000 + 0x100 * k, 38, IOV, 1) for k in range(3))
    ev.retval = 3
    dec.decode_exit(ev, mem)
    names_shown = [part.split(", msg_iov=")[0] for part in ev.args[1].split("{msg_hdr=")[1:]]
    assert names_shown == ["{msg_name=0x5000, msg_namelen=1 => 38",
                           "{msg_name={sa_family=AF_UNIX}, msg_namelen=2 => 38",
                           '{msg_name={sa_family=AF_UNIX, sun_path="m"}, msg_namelen=3 => 38']

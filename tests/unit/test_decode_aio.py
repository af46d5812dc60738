"""Native AIO (kinds/aio.py) on recorded registers and memory.  Each expected line is the form
strace 6.1 prints for the same registers and bytes in its own suite (tests/aio.c,
tests/aio_pgetevents.c); the suite itself runs under the real tracer in
tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

EINVAL, EFAULT = 22, 14
# struct iocb (linux/aio_abi.h): data, key, rw_flags, opcode, reqprio, fildes, buf, nbytes,
# offset, reserved2, flags, resfd
IOCB = struct.Struct("<QIiHhIQQqQII")


def test_io_setup_prints_the_context_written_at_exit() -> None:
    mem = DictMemory({0x1000: struct.pack("<Q", 0x7FA2695AD000)})
    assert decode_line("io_setup", (0xDEADBEEF00000002, 0x1000), mem, 0) == "io_setup(2, [0x7fa2695ad000]) = 0"
    # a failed call wrote nothing: the address
    assert decode_line("io_setup", (2, 0x1000), mem, -EINVAL).startswith("io_setup(2, 0x1000) = -1 EINVAL")


def test_io_submit_iocbs_by_opcode() -> None:
    data = bytes(range(64))
    cbs = [
        IOCB.pack(0xBADFACEDC0FFEEED, 0xDEFACED0, 0, 0xF00D, 0, 0xDEFACED1, 0, 0, 0, 0, 0, 0),
        IOCB.pack(0, 0xDEFACED0, 0, 1, -16657, 0xDEFACED1, 0, 0x1020304050607080, 0xDEADDA7ABADC0DED - (1 << 64), 0,
                  0xFACEF157, 0xDED1CA7E),
        IOCB.pack(0, 0, 0, 1, 5, 3, 0x5000, 64, 0, 0, 0, 0),
        IOCB.pack(0, 0, 0, 8, 0, 3, 0x6000, 0x8090A0B0C0D0E0F0, 7, 0, 0, 0),
        IOCB.pack(0, 0, 0, 7, 0, 0, 0x7000, 1, 0, 0, 0, 0),
    ]
    ptrs = [0x2000 + 64 * k for k in range(len(cbs))] + [0, 0xFFFFFFFFFFFFFFFF]
    mem = DictMemory({0x1000: struct.pack(f"<{len(ptrs)}Q", *ptrs), 0x2000: b"".join(cbs), 0x5000: data,
                      0x7000: struct.pack("<QQ", 0x5000, 16)})
    line = decode_line("io_submit", (0x7F00, 1057, 0x1000), mem, -EINVAL)
    assert line == (
        "io_submit(0x7f00, 1057, ["
        "{aio_data=0xbadfacedc0ffeeed, aio_key=3740978896, aio_lio_opcode=61453 /* IOCB_CMD_??? */, "
        "aio_fildes=-553988399}, "
        "{aio_data=0, aio_key=3740978896, aio_lio_opcode=IOCB_CMD_PWRITE, "
        "aio_reqprio=IOPRIO_PRIO_VALUE(0x5 /* IOPRIO_CLASS_??? */, 7919), aio_fildes=-553988399, aio_buf=NULL, "
        "aio_nbytes=1161981756646125696, aio_offset=-2401022805662757395, "
        "aio_flags=IOCB_FLAG_RESFD|IOCB_FLAG_IOPRIO|0xfacef154, aio_resfd=-556676482}, "
        "{aio_data=0, aio_lio_opcode=IOCB_CMD_PWRITE, aio_reqprio=5, aio_fildes=3, "
        'aio_buf="\\0\\1\\2\\3\\4\\5\\6\\7\\10\\t\\n\\v\\f\\r\\16\\17\\20\\21\\22\\23\\24\\25\\26\\27\\30\\31'
        '\\32\\33\\34\\35\\36\\37"..., aio_nbytes=64, aio_offset=0}, '
        "{aio_data=0, aio_lio_opcode=IOCB_CMD_PWRITEV, aio_fildes=3, aio_buf=0x6000, "
        "aio_nbytes=9264081114510713072, aio_offset=7}, "
        "{aio_data=0, aio_lio_opcode=IOCB_CMD_PREADV, aio_fildes=0, aio_buf=[{iov_base=0x5000, iov_len=16}], "
        "aio_offset=0}, "
        "NULL, 0xffffffffffffffff, ... /* 0x1038 */]) = -1 EINVAL (Invalid argument)")
    # a negative count: the array's address alone; -X verbose names the opcode after its number
    assert decode_line("io_submit", (0x7F00, 0xFFFFFFFFFFFFFFFF, 0x1000), mem, -EINVAL).startswith(
        "io_submit(0x7f00, -1, 0x1000)")
    verbose = decode_line("io_submit", (0x7F00, 1, 0x1018), mem, 1, DecodeOptions(xlat_verbose=True))
    assert "aio_lio_opcode=8 /* IOCB_CMD_PWRITEV */" in verbose


def test_io_getevents_and_cancel_events_at_exit() -> None:
    events = struct.pack("<QQqq", 0xFEEDFACE11111111, 0x2000, 4096, 0) + struct.pack("<QQqq", 2, 0x2040, -5, 1)
    mem = DictMemory({0x3000: events, 0x4000: struct.pack("<qq", 0, 123456789),
                      0x2000: IOCB.pack(0xDEADBEEFBADC0DED, 0, 0, 0, 99, 0xFFFFFFD6, 0, 0, 0, 0, 0, 0)})
    line = decode_line("io_getevents", (0x7F00, 2, 3, 0x3000, 0x4000), mem, 2)
    assert line == ("io_getevents(0x7f00, 2, 3, [{data=0xfeedface11111111, obj=0x2000, res=4096, res2=0}, "
                    "{data=0x2, obj=0x2040, res=-5, res2=1}], {tv_sec=0, tv_nsec=123456789}) = 2")
    assert decode_line("io_getevents", (0x7F00, 2, 3, 0x3020, 0), mem, -EINVAL).startswith(
        "io_getevents(0x7f00, 2, 3, 0x3020, NULL) = -1 EINVAL")
    assert decode_line("io_cancel", (0x7F00, 0x2000, 0x3000), mem, -EINVAL).startswith(
        "io_cancel(0x7f00, {aio_data=0xdeadbeefbadc0ded, aio_lio_opcode=IOCB_CMD_PREAD, aio_reqprio=99, "
        "aio_fildes=-42}, 0x3000) = -1 EINVAL")
    assert decode_line("io_cancel", (0x7F00, 0x2000, 0x3000), mem, 0).endswith(
        ", {data=0xfeedface11111111, obj=0x2000, res=4096, res2=0}) = 0")


def test_io_pgetevents_sigmask_struct() -> None:
    mem = DictMemory({0x5000: struct.pack("<QQ", 0x6000, 8), 0x6000: struct.pack("<Q", 1 << 30)})
    line = decode_line("io_pgetevents", (0x7F00, 0, 0, 0, 0, 0x5000), mem, -EINVAL)
    assert line.startswith("io_pgetevents(0x7f00, 0, 0, NULL, NULL, {sigmask=[SYS], sigsetsize=8}) = -1 EINVAL")


def test_i386_iocb_pointers_and_time64_timeout() -> None:
    # i386: the iocb pointers are 32-bit words; io_pgetevents_time64 takes a 64-bit timespec
    mem = DictMemory({0x1000: struct.pack("<I", 0x2000),
                      0x2000: IOCB.pack(0xFEEDFACE11111111, 0, 0, 0, 11, 0, 0x5000, 4096, 7, 0, 0, 0),
                      0x4000: struct.pack("<qq", 1, 2), 0x5000: struct.pack("<II", 0x6000, 8),
                      0x6000: struct.pack("<Q", 0)})
    assert decode_line("io_submit", (0x7F00, 1, 0x1000), mem, 1, arch="i386") == (
        "io_submit(0x7f00, 1, [{aio_data=0xfeedface11111111, aio_lio_opcode=IOCB_CMD_PREAD, aio_reqprio=11, "
        "aio_fildes=0, aio_buf=0x5000, aio_nbytes=4096, aio_offset=7}]) = 1")
    assert decode_line("io_pgetevents_time64", (0x7F00, 0, 0, 0, 0x4000, 0x5000), mem, -EINVAL, arch="i386").startswith(
        "io_pgetevents_time64(0x7f00, 0, 0, NULL, {tv_sec=1, tv_nsec=2}, {sigmask=[], sigsetsize=8}) = -1 EINVAL")

"""bpf(2)'s union bpf_attr (kinds/bpf.py) on recorded registers and memory.  Each expected line is
one strace 6.1 printed for the same registers and bytes in its own test suite (tests/kernel_version.c,
tests/bpf.c); the suite itself runs under the real tracer in tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

EINVAL, EPERM = 22, 1
BPF_MAP_CREATE, BPF_PROG_LOAD = 0, 5

# struct BPF_PROG_LOAD of tests/kernel_version.c: prog_type 32, insn_cnt 0xbadc0ded, log_level 24,
# log_size 3141592653, kern_version 0xcafef00d, the rest zero (128 bytes)
_PROG = struct.pack("<IIQQIIQII", 32, 0xBADC0DED, 0, 0, 24, 3141592653, 0, 0xCAFEF00D, 0).ljust(128, b"\0")
_PROG_TAIL = ("insn_cnt=3134983661, insns=NULL, license=NULL, log_level=24, log_size=3141592653, log_buf=NULL, "
              "kern_version={kv}, prog_flags=0, prog_name=\"\", prog_ifindex=0, expected_attach_type={at}, "
              "prog_btf_fd=0, func_info_rec_size=0, func_info=NULL, func_info_cnt=0, line_info_rec_size=0, "
              "line_info=NULL, line_info_cnt=0, attach_btf_id=0, attach_prog_fd=0, fd_array=NULL}}, 128)")


def test_prog_load_kernel_version_in_each_xlat_style() -> None:
    mem = DictMemory({0x1000: _PROG})
    line = decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 128), mem, -EINVAL, DecodeOptions(verbose=True))
    assert line == ("bpf(BPF_PROG_LOAD, {prog_type=0x20 /* BPF_PROG_TYPE_??? */, "
                    + _PROG_TAIL.format(kv="KERNEL_VERSION(51966, 240, 13)", at="BPF_CGROUP_INET_INGRESS")
                    + " = -1 EINVAL (Invalid argument)")
    raw = decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 128), mem, -EINVAL, DecodeOptions(verbose=True, raw_all=True))
    assert raw.startswith("bpf(0x5, {prog_type=0x20, " + _PROG_TAIL.format(kv="0xcafef00d", at="0"))
    xv = decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 128), mem, -EPERM,
                     DecodeOptions(verbose=True, xlat_verbose=True))
    assert xv.startswith("bpf(0x5 /* BPF_PROG_LOAD */, {prog_type=0x20 /* BPF_PROG_TYPE_??? */, " + _PROG_TAIL.format(
        kv="0xcafef00d /* KERNEL_VERSION(51966, 240, 13) */", at="0 /* BPF_CGROUP_INET_INGRESS */"))


def test_prog_load_stops_at_the_size_given() -> None:
    # a size short of log_level: the first release's fields only
    mem = DictMemory({0x1000: struct.pack("<IIQQ", 1, 2, 0, 0)})
    line = decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 24), mem, -EINVAL)
    assert line.startswith("bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt=2, insns=NULL, "
                           "license=NULL}, 24) = -1 EINVAL")


def test_map_create_extra_data_and_unknown_command() -> None:
    attr = struct.pack("<IIII", 1, 4, 8, 16).ljust(72, b"\0") + b"\0\x01"
    mem = DictMemory({0x1000: attr})
    line = decode_line("bpf", (BPF_MAP_CREATE, 0x1000, 74), mem, -EINVAL, DecodeOptions(verbose=True))
    assert line.startswith("bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, key_size=4, value_size=8, "
                           "max_entries=16, map_flags=0, inner_map_fd=0, map_name=\"\", map_ifindex=0, btf_fd=0, "
                           "btf_key_type_id=0, btf_value_type_id=0, btf_vmlinux_value_type_id=0, map_extra=0, "
                           'extra_data="\\x00\\x01" /* bytes 72..73 */}, 74)')
    # without -v the extra bytes are "..."; a command strace does not decode prints the address
    assert "map_extra=0, ...}" in decode_line("bpf", (BPF_MAP_CREATE, 0x1000, 74), mem, -EINVAL)
    assert decode_line("bpf", (0xFFFF, 0x1000, 8), mem, -EINVAL).startswith("bpf(0xffff /* BPF_??? */, 0x1000, 8)")


def test_prog_load_names_and_log_buffer_cut_at_the_size_given() -> None:
    # tests/bpf.c: a 68-byte BPF_PROG_LOAD with a 4-byte log holding no NUL and a prog_name the
    # size cuts short: the array's last byte is the place of its NUL
    attr = struct.pack("<IIQQIIQII", 0, 1, 0x3000, 0x2000, 7, 4, 0x4000, 0x10203, 0) + b"0123456789abcdef"
    mem = DictMemory({0x1000: attr + b"\0" * 8, 0x2000: b"GPL\0", 0x4000: b"log "})
    line = decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 68), mem, -EINVAL)
    assert line.startswith('bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_UNSPEC, insn_cnt=1, insns=0x3000, '
                           'license="GPL", log_level=7, log_size=4, log_buf="log "..., '
                           'kern_version=KERNEL_VERSION(1, 2, 3), prog_flags=0, prog_name="0123456789abcde"..., '
                           "prog_ifindex=0}, 68)")
    # an attr the caller cannot give whole is its address
    assert decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 256), mem, -14).startswith("bpf(BPF_PROG_LOAD, 0x1000, 256)")


def test_test_run_in_its_named_struct_and_id_commands() -> None:
    mem = DictMemory({0x1000: struct.pack("<iI", -1, 0), 0x2000: struct.pack("<II", 0xDEADBEEF, 0)})
    assert decode_line("bpf", (10, 0x1000, 4), mem, -9).startswith(
        "bpf(BPF_PROG_TEST_RUN, {test={prog_fd=-1, retval=0, data_size_in=0, data_size_out=0, data_in=NULL, "
        "data_out=NULL, repeat=0, duration=0}}, 4) = -1 EBADF")
    assert decode_line("bpf", (13, 0x2000, 4), mem, -2).startswith(
        "bpf(BPF_PROG_GET_FD_BY_ID, {prog_id=3735928559, next_id=0}, 4) = -1 ENOENT")


def test_raw_tracepoint_open_and_btf_id() -> None:
    mem = DictMemory({0x1000: struct.pack("<QI", 0x2000, 3), 0x2000: b"sys_enter\0", 0x3000: struct.pack("<I", 7)})
    assert decode_line("bpf", (17, 0x1000, 12), mem, -22).startswith(
        'bpf(BPF_RAW_TRACEPOINT_OPEN, {raw_tracepoint={name="sys_enter", prog_fd=3}}, 12) = -1 EINVAL')
    assert decode_line("bpf", (19, 0x3000, 4), mem, -2).startswith("bpf(BPF_BTF_GET_FD_BY_ID, {btf_id=7}, 4)")


def test_batch_commands_print_the_fields_they_take() -> None:
    mem = DictMemory({0x1000: struct.pack("<QQQQIiQQ", 0, 0, 0, 0, 0, -1, 0, 0)})
    assert decode_line("bpf", (24, 0x1000, 40), mem, -9).startswith(
        "bpf(BPF_MAP_LOOKUP_BATCH, {batch={in_batch=NULL, out_batch=NULL, keys=NULL, values=NULL, count=0, "
        "map_fd=-1, elem_flags=BPF_ANY, flags=0}}, 40) = -1 EBADF")
    assert decode_line("bpf", (27, 0x1000, 40), mem, -9).startswith(
        "bpf(BPF_MAP_DELETE_BATCH, {batch={keys=NULL, count=0, map_fd=-1, elem_flags=BPF_ANY, flags=0}}, 40)")

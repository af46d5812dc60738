"""bpf(2)'s union bpf_attr (kinds/bpf.py) on recorded registers and memory.  Each expected line is
one strace 6.1 printed for the same registers and bytes in its own test suite (tests/kernel_version.c,
tests/bpf.c); the suite itself runs under the real tracer in tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions, Decoder
from syscope.events import SyscallEvent

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


def _entry_then_exit(args: tuple[int, ...], mem: DictMemory, written: dict[int, bytes], retval: int,
                     opts: DecodeOptions | None = None) -> str:
    """A call decoded at entry, then the kernel's write-back applied to the memory, then at exit."""
    ev = SyscallEvent(pid=1, tid=1, arch="x86_64", nr=321, name="bpf", raw_args=(*args, 0, 0, 0), ts_enter=0.0)
    dec = Decoder(opts or DecodeOptions())
    dec.decode_entry(ev, mem)
    mem.blocks.update(written)
    ev.retval = retval
    if -4096 < retval < 0:
        ev.errno = -retval
    dec.decode_exit(ev, mem)
    return f"bpf({', '.join(ev.args)}) = {ev.ret_text}"


def test_ebpf_instructions_under_verbose() -> None:
    # tests/bpf.c's one-instruction program: BPF_JMP|BPF_K|BPF_EXIT with an out-of-range src_reg
    insn = struct.pack("<BBhi", 0x95, 0xBA, -8531, 0xBADC0DED - (1 << 32))
    attr = struct.pack("<IIQQ", 1, 1, 0x2000, 0)
    mem = DictMemory({0x1000: attr, 0x2000: insn})
    assert decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 24), mem, -EINVAL, DecodeOptions(verbose=True)).startswith(
        "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt=1, insns=[{code=BPF_JMP|BPF_K|BPF_EXIT, "
        "dst_reg=BPF_REG_10, src_reg=0xb /* BPF_REG_??? */, off=-8531, imm=0xbadc0ded}], license=NULL}, 24)")
    # eBPF's own class, size and operation names (BPF_ALU64, BPF_DW, BPF_MOV)
    two = struct.pack("<BBhi", 0xB7, 0x01, 0, 0) + struct.pack("<BBhi", 0x18, 0x11, 0, 5)
    mem = DictMemory({0x1000: struct.pack("<IIQQ", 1, 2, 0x2000, 0), 0x2000: two})
    assert ("insns=[{code=BPF_ALU64|BPF_K|BPF_MOV, dst_reg=BPF_REG_1, src_reg=BPF_REG_0, off=0, imm=0}, "
            "{code=BPF_LD|BPF_DW|BPF_IMM, dst_reg=BPF_REG_1, src_reg=BPF_REG_1, off=0, imm=0x5}]"
            in decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 24), mem, -EINVAL, DecodeOptions(verbose=True)))
    # without -v the program is its address
    assert "insns=0x2000, " in decode_line("bpf", (BPF_PROG_LOAD, 0x1000, 24), mem, -EINVAL)


BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_QUERY, BPF_TASK_FD_QUERY = 15, 16, 20


def test_prog_query_prints_what_the_kernel_wrote_back() -> None:
    # BPF_PROG_QUERY: target_fd, attach_type, query_flags, attach_flags, prog_ids, prog_cnt
    attr = struct.pack("<IIIIQI", 0xBB40E64D, 0xFEEDFACE, 0xDEADF00D, 0xBEEFCAFE, 0x2000, 4)
    ids = struct.pack("<4I", 0, 1, 0xFFFFFFFF, 2718281828)
    head = ("bpf(BPF_PROG_QUERY, {query={target_fd=-1153374643, attach_type=0xfeedface /* BPF_??? */, "
            "query_flags=BPF_F_QUERY_EFFECTIVE|0xdeadf00c, attach_flags=BPF_F_ALLOW_MULTI|BPF_F_REPLACE|0xbeefcaf8, ")
    mem = DictMemory({0x1000: attr, 0x2000: ids})
    # a failed call: the array is its address (strace reads nothing a failed call wrote)
    assert _entry_then_exit((BPF_PROG_QUERY, 0x1000, 28), mem, {}, -EINVAL) == (
        head + "prog_ids=0x2000, prog_cnt=4}}, 28) = -1 EINVAL (Invalid argument)")
    # the kernel answered with two ids: the count as it went in and as it came back
    back = {0x1000: attr[:24] + struct.pack("<I", 2), 0x2000: struct.pack("<4I", 7, 9, 0, 0)}
    assert _entry_then_exit((BPF_PROG_QUERY, 0x1000, 28), DictMemory({0x1000: attr, 0x2000: ids}), back, 0) == (
        head + "prog_ids=[7, 9], prog_cnt=4 => 2}}, 28) = 0")


def test_obj_get_info_and_task_fd_query() -> None:
    # an fd that is no bpf object: the info struct is its address
    mem = DictMemory({0x1000: struct.pack("<iIQ", -1, 0xDEADBEEF, 0xFACEFEEDBADC0DED) + b"\0" * 8 + b"\x01"})
    assert _entry_then_exit((BPF_OBJ_GET_INFO_BY_FD, 0x1000, 16), mem, {}, -77, DecodeOptions(verbose=True)) == (
        "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=-1, info_len=3735928559, info=0xfacefeedbadc0ded}}, 16) = "
        "-1 EBADFD (File descriptor in bad state)")
    assert _entry_then_exit((BPF_OBJ_GET_INFO_BY_FD, 0x1000, 25), mem, {}, -7).endswith(
        "info=0xfacefeedbadc0ded}, ...}, 25) = -1 E2BIG (Argument list too long)")
    # BPF_TASK_FD_QUERY: the kernel writes the name into buf, its length (without the NUL) into
    # buf_len, and what the fd is; strace prints buf_len bytes of it, up to a NUL not among them
    attr = struct.pack("<IiIIQIIQQ", 1405705229, 3, 0, 16, 0x2000, 0, 0, 0, 0)
    back = {0x1000: struct.pack("<IiIIQIIQQ", 1405705229, 3, 0, 9, 0x2000, 12, 5, 0x10, 0x400000),
            0x2000: b"sys_enter\0".ljust(16, b"\0")}
    line = _entry_then_exit((BPF_TASK_FD_QUERY, 0x1000, 48), DictMemory({0x1000: attr, 0x2000: b"\0" * 16}), back, 0)
    assert line == ('bpf(BPF_TASK_FD_QUERY, {task_fd_query={pid=1405705229, fd=3, flags=0, buf_len=16 => 9, '
                    'buf="sys_enter"..., prog_id=12, fd_type=BPF_FD_TYPE_URETPROBE, probe_offset=0x10, '
                    'probe_addr=0x400000}}, 48) = 0')


def test_btf_load_and_link_commands() -> None:
    mem = DictMemory({0x1000: struct.pack("<QQIII", 0x2000, 0xFACEFEEDDEADBEEF, 9, 0xFFFFFFFF, 42),
                      0x2000: b"bPf\0daTum"})
    assert decode_line("bpf", (18, 0x1000, 28), mem, -EINVAL).startswith(
        'bpf(BPF_BTF_LOAD, {btf="bPf\\0daTum", btf_log_buf=0xfacefeeddeadbeef, btf_size=9, '
        "btf_log_size=4294967295, btf_log_level=42}, 28)")
    # BPF_LINK_CREATE with BPF_TRACE_KPROBE_MULTI (42): the union's kprobe_multi member
    syms = struct.pack("<QQ", 0x3000, 0)
    link = struct.pack("<IIIIIIQQQ", 0, 0, 42, 0, 0xFACEBEEF, 2, 0x2000, 0x4000, 0x4000)
    mem = DictMemory({0x1000: link, 0x2000: syms, 0x3000: b"foo\0", 0x4000: struct.pack("<QQ", 1, 0xBADC0DED)})
    assert decode_line("bpf", (28, 0x1000, 48), mem, -EINVAL).startswith(
        "bpf(BPF_LINK_CREATE, {link_create={prog_fd=0, target_fd=0, attach_type=BPF_TRACE_KPROBE_MULTI, flags=0, "
        'kprobe_multi={flags=BPF_F_KPROBE_MULTI_RETURN|0xfacebeee, cnt=2, syms=["foo", NULL], '
        "addrs=[0x1, 0xbadc0ded], cookies=[0x1, 0xbadc0ded]}}}, 48)")
    # an attach type without a union member: the union is extra data
    other = struct.pack("<iiII", -1, -1, 5, 0xBADC0DED) + b"\0\0\0 "
    line = decode_line("bpf", (28, 0x1000, 20), DictMemory({0x1000: other}), -9, DecodeOptions(verbose=True))
    assert line.startswith("bpf(BPF_LINK_CREATE, {link_create={prog_fd=-1, target_fd=-1, "
                           "attach_type=BPF_SK_SKB_STREAM_VERDICT, flags=0xbadc0ded}, "
                           'extra_data="\\x00\\x00\\x00\\x20" /* bytes 16..19 */}, 20)')
    # BPF_LINK_UPDATE: old_prog_fd only with BPF_F_REPLACE
    upd = DictMemory({0x1000: struct.pack("<iiIi", -1, -2, 4, -3)})
    assert decode_line("bpf", (29, 0x1000, 16), upd, -9).startswith(
        "bpf(BPF_LINK_UPDATE, {link_update={link_fd=-1, new_prog_fd=-2, flags=BPF_F_REPLACE, old_prog_fd=-3}}, 16)")


def test_layouts_match_the_kernel_header(tmp_path: Path) -> None:
    """Every offset the decoder reads is the one <linux/bpf.h> gives (compiled with offsetof)."""
    from syscope.decode.kinds import bpf, bpf_info

    checks: list[tuple[str, str, int]] = []
    for cmd, (fields, _size) in bpf._LAYOUTS.items():
        wrap = bpf._WRAPPED.get(cmd)
        checks += [("union bpf_attr", f"{wrap}.{f[0]}" if wrap else f[0], off) for off, f in fields
                   if f[0] not in ("dummy", "pad")]  # strace's names of the header's unnamed padding
    for struct_name, (fields, _size) in (("struct bpf_map_info", bpf_info.MAP_INFO),
                                         ("struct bpf_prog_info", bpf_info.PROG_INFO)):
        # gpl_compatible is a bitfield; pad is strace's name of the header's unnamed padding
        checks += [(struct_name, f[0], off) for off, f in fields if f[0] not in ("gpl_compatible", "pad")]
    body = "".join(f'printf("%zu\\n", offsetof({s}, {m}));\n' for s, m, _o in checks)
    src = tmp_path / "offsets.c"
    src.write_text(f"#include <stdio.h>\n#include <stddef.h>\n#include <linux/bpf.h>\nint main(void) {{\n{body}}}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "offsets"), str(src)], check=True)
    got = subprocess.run([str(tmp_path / "offsets")], check=True, capture_output=True, text=True).stdout.split()
    assert [(s, m, int(g)) for (s, m, _o), g in zip(checks, got, strict=True)] == checks

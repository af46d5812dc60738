"""The structured calls of kinds/quota.py, memfd.py, fanotify.py, pages.py, kexec.py,
bpf_filter.py, io_uring.py, keys.py, sched_attr.py, waitv.py and fsconfig.py on recorded registers
and memory.  Each expected line is one strace 6.1 printed for the same registers and bytes in its
own test suite (tests/quotactl.c, memfd_create.c, fanotify_mark.c ...); the suite itself runs
under the real tracer in tests/differential/test_strace_suite.py."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

EINVAL, ENOENT, E2BIG, EOPNOTSUPP = 22, 2, 7, 95


def test_quotactl_qcmd_and_dqinfo() -> None:
    # QCMD(Q_SETINFO, USRQUOTA) with a struct if_dqinfo: unknown flag bits after the names
    mem = DictMemory({0x1000: b"/dev/bogus/\0", 0x2000: struct.pack("<QQII", 1, 2, 0x10001 | 0xDEACABCC, 0x97969594)})
    line = decode_line("quotactl", (0x80000600, 0x1000, 0xFFFFFFFF, 0x2000), mem, -ENOENT)
    assert line == ('quotactl(QCMD(Q_SETINFO, USRQUOTA), "/dev/bogus/", {dqi_bgrace=1, dqi_igrace=2, '
                    "dqi_flags=DQF_ROOT_SQUASH|DQF_SYS_FILE|0xdeacabcc, dqi_valid=IIF_FLAGS|0x97969590}) "
                    "= -1 ENOENT (No such file or directory)")
    # an unknown command and type; -X raw prints the number alone
    assert decode_line("quotactl", (0xBADC0DED, 0, 0xFFFFFFFF, 0), DictMemory({}), -EINVAL).startswith(
        "quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), NULL, -1, NULL)")
    raw = decode_line("quotactl", (0x80000800, 0, 0, 0), DictMemory({}), -EINVAL, DecodeOptions(raw_all=True))
    assert raw.startswith("quotactl(2147485696, NULL")


def test_memfd_create_huge_page_field() -> None:
    mem = DictMemory({0x1000: b"x\0"})
    assert decode_line("memfd_create", (0x1000, 0x78000000), mem, -EINVAL).startswith(
        'memfd_create("x", 30<<MFD_HUGE_SHIFT)')
    assert decode_line("memfd_create", (0, 0xFFFFFFFF), mem, -EINVAL).startswith(
        "memfd_create(NULL, MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT)")


def test_fanotify_mark_mask_names_fan_dir_modify() -> None:
    line = decode_line("fanotify_mark", (3, 0, 0xFFFFFFFFA7F82000 | 0x80000, 0xFFFFFFFF, 0), DictMemory({}), -EINVAL)
    assert line.startswith("fanotify_mark(3, 0, FAN_DIR_MODIFY|0xffffffffa7f02000, FAN_NOFD, NULL)")


def test_move_pages_status_at_exit() -> None:
    mem = DictMemory({0x1000: struct.pack("<QQ", 0x5000, 0x6000), 0x3000: struct.pack("<ii", -14, 0)})
    line = decode_line("move_pages", (1, 2, 0x1000, 0, 0x3000, 2), mem, 0)
    assert line == "move_pages(1, 2, [0x5000, 0x6000], NULL, [-EFAULT, 0], MPOL_MF_MOVE) = 0"


def test_kexec_load_arch_field_and_flags() -> None:
    line = decode_line("kexec_load", (0, 0, 0, 0xBADC0DEDDA7A1054), DictMemory({}), -38)
    assert line.startswith("kexec_load(NULL, 0, NULL, "
                           "0xda7a0000 /* KEXEC_ARCH_??? */|0xbadc0ded00001054 /* KEXEC_??? */)")


def test_seccomp_filter_program_under_v() -> None:
    insns = struct.pack("<HBBI", 0x20, 0, 0, 0) + struct.pack("<HBBI", 0x15, 0, 1, 3) \
        + struct.pack("<HBBI", 0x06, 0, 0, 0x7FFF0000) + struct.pack("<HBBI", 0x06, 0, 0, 0x50010)
    mem = DictMemory({0x1000: struct.pack("<H6xQ", 4, 0x2000), 0x2000: insns})
    line = decode_line("seccomp", (1, 0, 0x1000), mem, 0, DecodeOptions(verbose=True))
    assert line == ("seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), "
                    "BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW), "
                    "BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x10)]}) = 0")
    # without -v the program is its address
    assert decode_line("seccomp", (1, 0, 0x1000), mem, 0).startswith(
        "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=0x2000})")


def test_io_uring_register_files_update_skip() -> None:
    mem = DictMemory({0x1000: struct.pack("<IIQ", 7, 0, 0x2000), 0x2000: struct.pack("<iii", -1, -2, -3)})
    line = decode_line("io_uring_register", (0, 6, 0x1000, 3), mem, -EOPNOTSUPP)
    assert line.startswith("io_uring_register(0, IORING_REGISTER_FILES_UPDATE, "
                           "{offset=7, fds=[-1, IORING_REGISTER_FILES_SKIP, -3]}, 3)")


def test_keyctl_describe_prints_the_text_at_exit() -> None:
    mem = DictMemory({0x1000: b"keyring;0;0;3f030000;_tid\0"})
    line = decode_line("keyctl", (6, 0xFFFFFFFF, 0x1000, 256), mem, 26, DecodeOptions(string_limit=10))
    assert line == 'keyctl(KEYCTL_DESCRIBE, KEY_SPEC_THREAD_KEYRING, "keyring;0;"..., 256) = 26'


def test_sched_setattr_e2big_shows_the_size_the_kernel_wants() -> None:
    mem = DictMemory({0x1000: struct.pack("<I", 1)})
    line = decode_line("sched_setattr", (0, 0x1000, 0), mem, -E2BIG)
    assert line == "sched_setattr(0, {size=1} => {size=1}, 0) = -1 E2BIG (Argument list too long)"


def test_futex_waitv_and_fsconfig() -> None:
    mem = DictMemory({0x1000: struct.pack("<QQII", 0, 0x4000, 0x82, 0), 0x3000: b"source\0", 0x3100: b"/dev/sda\0"})
    assert decode_line("futex_waitv", (0x1000, 1, 0, 0, 1), mem, -EINVAL).startswith(
        "futex_waitv([{val=0, uaddr=0x4000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}], 1, 0, NULL, CLOCK_MONOTONIC)")
    assert decode_line("fsconfig", (3, 1, 0x3000, 0x3100, 0), mem, -EINVAL).startswith(
        'fsconfig(3, FSCONFIG_SET_STRING, "source", "/dev/sda", 0)')

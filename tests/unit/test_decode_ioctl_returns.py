"""ioctl families that decorate the return value (strace's RVAL_FD / RVAL_STR) and the families
of strace's nsfs.c, kvm.c, sock.c, tee.c: on recorded registers and memory, as strace 6.1 prints."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions
from syscope.decode.ioctl.names import numbers

M64 = (1 << 64) - 1
ADDR = 0x7F0000001000
EBADF = -9


def cmd(name: str) -> int:
    return numbers("x86_64")[name]


def test_nsfs_type_is_named_after_the_number_and_owner_uid_is_read() -> None:
    got = decode_line("ioctl", (5, cmd("NS_GET_NSTYPE"), 0), DictMemory({}), 0x10000000)
    assert got == "ioctl(5, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)"
    failed = decode_line("ioctl", (M64, cmd("NS_GET_NSTYPE"), 0), DictMemory({}), EBADF)
    assert failed == "ioctl(-1, NS_GET_NSTYPE) = -1 EBADF (Bad file descriptor)"
    uid = decode_line("ioctl", (5, cmd("NS_GET_OWNER_UID"), ADDR), DictMemory({ADDR: struct.pack("<I", 1000)}), 0)
    assert uid == "ioctl(5, NS_GET_OWNER_UID, [1000]) = 0"


def test_a_returned_descriptor_prints_plain_without_y() -> None:
    got = decode_line("ioctl", (3, cmd("NS_GET_USERNS"), 0), DictMemory({}), 7, DecodeOptions())
    assert got == "ioctl(3, NS_GET_USERNS) = 7"
    # the next ioctl of the thread, of a family that does not decorate, prints the bare number
    after = decode_line("ioctl", (3, cmd("RTC_AIE_ON"), 0), DictMemory({}), 12)
    assert after == "ioctl(3, RTC_AIE_ON) = 12"


def test_kvm_memory_region_and_capability() -> None:
    region = struct.pack("<IIQQQ", 0, 1, 0x1000, 4096, 0x7F0000200000)
    got = decode_line("ioctl", (4, cmd("KVM_SET_USER_MEMORY_REGION"), ADDR), DictMemory({ADDR: region}), 0)
    assert got == ("ioctl(4, KVM_SET_USER_MEMORY_REGION, {slot=0, flags=KVM_MEM_LOG_DIRTY_PAGES, "
                   "guest_phys_addr=0x1000, memory_size=4096, userspace_addr=0x7f0000200000}) = 0")
    cap = decode_line("ioctl", (3, cmd("KVM_CHECK_EXTENSION"), 3), DictMemory({}), 1)
    assert cap == "ioctl(3, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) = 1"


def test_kvm_regs_are_abbreviated_without_v() -> None:
    regs = struct.pack("<18Q", 2, 2, *([0] * 14), 0x1000, 2)
    mem = DictMemory({ADDR: regs})
    short = decode_line("ioctl", (5, cmd("KVM_SET_REGS"), ADDR), mem, 0)
    assert short == "ioctl(5, KVM_SET_REGS, {rax=0x2, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0x2}) = 0"
    whole = decode_line("ioctl", (5, cmd("KVM_SET_REGS"), ADDR), mem, 0, DecodeOptions(verbose=True))
    assert whole.startswith("ioctl(5, KVM_SET_REGS, {rax=0x2, rbx=0x2, rcx=0, rdx=0, rsi=0, rdi=0, rsp=0, rbp=0, r8=0")


def test_kvm_cpuid_written_by_the_kernel() -> None:
    table = struct.pack("<II", 1, 0) + struct.pack("<7I12x", 0x40000000, 0, 1, 0x40000001, 0x4B4D564B, 0, 0)
    mem = DictMemory({ADDR: table})
    short = decode_line("ioctl", (3, cmd("KVM_GET_SUPPORTED_CPUID"), ADDR), mem, 0)
    assert short == "ioctl(3, KVM_GET_SUPPORTED_CPUID, {nent=1, entries=[...]}) = 0"
    whole = decode_line("ioctl", (3, cmd("KVM_GET_SUPPORTED_CPUID"), ADDR), mem, 0, DecodeOptions(verbose=True))
    assert whole == ("ioctl(3, KVM_GET_SUPPORTED_CPUID, {nent=1, entries=[{function=0x40000000, index=0, "
                     "flags=KVM_CPUID_FLAG_SIGNIFCANT_INDEX, eax=0x40000001, ebx=0x4b4d564b, ecx=0, edx=0}]}) = 0")
    failed = decode_line("ioctl", (3, cmd("KVM_GET_SUPPORTED_CPUID"), ADDR), mem, -7)
    assert failed == f"ioctl(3, KVM_GET_SUPPORTED_CPUID, {ADDR:#x}) = -1 E2BIG (Argument list too long)"


def test_sock_ifreq_set_and_get() -> None:
    ifr = b"eth0".ljust(16, b"\0") + struct.pack("<H6B", 1, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97).ljust(24, b"\0")
    mem = DictMemory({ADDR: ifr})
    hw = decode_line("ioctl", (3, cmd("SIOCSIFHWADDR"), ADDR), mem, EBADF)
    assert hw == ('ioctl(3, SIOCSIFHWADDR, {ifr_name="eth0", ifr_hwaddr={sa_family=ARPHRD_ETHER, '
                  "sa_data=92:93:94:95:96:97}}) = -1 EBADF (Bad file descriptor)")
    # the address is as long as the device type's (print_mac.c): none for ARPHRD_PPP, the
    # in6_addr of ARPHRD_TUNNEL6 (cut to sa_data's 14 bytes), all 14 for a type without a length
    for hatype, shown in ((512, "ARPHRD_PPP"), (769, "ARPHRD_TUNNEL6"), (0xFFFE, "ARPHRD_NONE")):
        ifr_t = b"tun0".ljust(16, b"\0") + struct.pack("<H", hatype) + bytes(range(1, 15)) + bytes(8)
        got_t = decode_line("ioctl", (3, cmd("SIOCSIFHWADDR"), ADDR), DictMemory({ADDR: ifr_t}), EBADF)
        data = ":".join(f"{b:02x}" for b in range(1, 15)) if hatype != 512 else ""
        assert got_t == ('ioctl(3, SIOCSIFHWADDR, {ifr_name="tun0", ifr_hwaddr={sa_family=' + shown
                         + f", sa_data={data}}}}}) = -1 EBADF (Bad file descriptor)")
    mtu = b"lo".ljust(16, b"\0") + struct.pack("<i", 65536).ljust(24, b"\0")
    got = decode_line("ioctl", (3, cmd("SIOCGIFMTU"), ADDR), DictMemory({ADDR: mtu}), 0)
    assert got == 'ioctl(3, SIOCGIFMTU, {ifr_name="lo", ifr_mtu=65536}) = 0'
    failed = decode_line("ioctl", (3, cmd("SIOCGIFMTU"), ADDR), DictMemory({ADDR: mtu}), -19)
    assert failed == 'ioctl(3, SIOCGIFMTU, {ifr_name="lo"}) = -1 ENODEV (No such device)'
    null = decode_line("ioctl", (M64, cmd("SIOCGSTAMP_OLD"), 0), DictMemory({}), EBADF)
    assert null == "ioctl(-1, SIOCGSTAMP_OLD, NULL) = -1 EBADF (Bad file descriptor)"


def test_tee_shared_memory_and_invoke_buffer() -> None:
    shm = struct.pack("<QIi", 0x1000, 0x81, 0)
    got = decode_line("ioctl", (M64, cmd("TEE_IOC_SHM_ALLOC"), ADDR), DictMemory({ADDR: shm}), EBADF)
    assert got == ("ioctl(-1, TEE_IOC_SHM_ALLOC, {size=0x1000, flags=TEE_IOCTL_SHM_MAPPED|0x80}) "
                   "= -1 EBADF (Bad file descriptor)")
    buf = ADDR + 0x100
    invoke = struct.pack("<6I", 7, 0xBADC0DED, 9, 0, 0, 1) + struct.pack("<4Q", 1, 2, 3, 4)
    mem = DictMemory({ADDR: struct.pack("<QQ", buf, len(invoke)), buf: invoke})
    call = decode_line("ioctl", (M64, cmd("TEE_IOC_INVOKE"), ADDR), mem, EBADF)
    assert call == ("ioctl(-1, TEE_IOC_INVOKE, {buf_len=56, buf_ptr={func=7, session=0xbadc0ded, cancel_id=9, "
                    "num_params=1, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, a=0x2, b=0x3, c=0x4}]}})"
                    " = -1 EBADF (Bad file descriptor)")


def test_perf_modify_attributes_abbreviated_and_whole() -> None:
    # PERF_TYPE_SOFTWARE, size PERF_ATTR_SIZE_VER0, PERF_COUNT_SW_CPU_CLOCK, disabled=1 and freq=1
    attr = struct.pack("<IIQQQQQ", 1, 64, 0, 4000, 0, 0, 1 | 1 << 10).ljust(64, b"\0")
    mem = DictMemory({ADDR: attr})
    short = decode_line("ioctl", (M64, cmd("PERF_EVENT_IOC_MODIFY_ATTRIBUTES"), ADDR), mem, EBADF)
    assert short == ("ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_SOFTWARE, size=PERF_ATTR_SIZE_VER0, "
                     "config=PERF_COUNT_SW_CPU_CLOCK, sample_freq=4000, sample_type=0, read_format=0, disabled=1, "
                     "freq=1, precise_ip=0 /* arbitrary skid */, ...}) = -1 EBADF (Bad file descriptor)")
    whole = decode_line("ioctl", (M64, cmd("PERF_EVENT_IOC_MODIFY_ATTRIBUTES"), ADDR), mem, EBADF,
                        DecodeOptions(verbose=True))
    assert whole.endswith("sigtrap=0, wakeup_events=0, config1=0}) = -1 EBADF (Bad file descriptor)")
    assert "inherit=0, pinned=0" in whole

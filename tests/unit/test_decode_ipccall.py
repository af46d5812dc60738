"""The i386 ipc(2) multiplexer decoded as the call it stands for, on recorded registers and memory
(strace's decode_ipc_subcall and the indirect branches of its ipc_*.c decoders); the programs
c_sysv_m32_v and c_zeroflags_m32 of the differential run the calls under both tracers."""

from __future__ import annotations

import struct

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

EINVAL, ENOMSG = 22, 42


def ipc_line(args: tuple[int, ...], mem: DictMemory, retval: int, opts: DecodeOptions | None = None) -> str:
    return decode_line("ipc", args, mem, retval, opts, arch="i386", nr=117)


def test_get_calls_keep_their_order() -> None:
    assert ipc_line((13, 0, 0o600), DictMemory({}), 5) == "msgget(IPC_PRIVATE, 0600) = 5"
    assert ipc_line((23, 0, 4096, 0o1600), DictMemory({}), 6) == "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 6"


def test_semctl_union_read_through_the_pointer() -> None:
    # ipc(SEMCTL, id, num, IPC_64|IPC_RMID, &arg): the union's value in brackets
    mem = DictMemory({0x1000: struct.pack("<I", 0)})
    assert ipc_line((3, 9, 0, 0x100, 0x1000), mem, 0) == "semctl(9, 0, IPC_64|IPC_RMID, [NULL]) = 0"


def test_msgrcv_through_the_kludge() -> None:
    # version 0: struct ipc_kludge {msgp, msgtyp} at ptr; the message at msgp at exit
    mem = DictMemory({0x2000: struct.pack("<Ii", 0x3000, 7), 0x3000: struct.pack("<i", 7) + b"hi\0\0"})
    assert ipc_line((12, 4, 2, 0, 0x2000), mem, 2, DecodeOptions()) == 'msgrcv(4, {mtype=7, mtext="hi"}, 2, 7, 0) = 2'
    # failed: the kludge's address and no msgtyp (fetch_msgrcv_args prints the address)
    assert ipc_line((12, 4, 2, 0x800, 0x2000), mem, -ENOMSG).startswith("msgrcv(4, 0x2000, 2, IPC_NOWAIT) = -1 ENOMSG")


def test_shmat_result_is_the_stored_address() -> None:
    # ipc(SHMAT, id, flags, &raddr, shmaddr) returns 0; the attach address is at raddr
    mem = DictMemory({0x4000: struct.pack("<I", 0xF7F00000)})
    assert ipc_line((21, 8, 0x1000, 0x4000, 0), mem, 0) == "shmat(8, NULL, SHM_RDONLY) = 0xf7f00000"
    assert ipc_line((22, 0, 0, 0, 0xF7F00000), DictMemory({}), 0) == "shmdt(0xf7f00000) = 0"
    # a source that did not copy the stored address: ipc's own result
    assert ipc_line((21, 8, 0, 0x5000, 0), DictMemory({}), 0) == "shmat(8, NULL, 0) = 0"


def test_unknown_operation_stays_ipc() -> None:
    assert ipc_line((99, 1, 2, 3, 0), DictMemory({}), -EINVAL).startswith("ipc(")

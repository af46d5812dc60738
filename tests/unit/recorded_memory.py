"""A recorded tracee memory for decoder tests (the MemoryReader contract, no process needed)."""

from __future__ import annotations

from syscope.decode import DecodeOptions, Decoder
from syscope.events import SyscallEvent


class DictMemory:
    """A recorded tracee memory: reads inside a recorded block succeed, anything else faults."""

    def __init__(self, blocks: dict[int, bytes]) -> None:
        self.tid = 1
        self.blocks = blocks

    def read(self, addr: int, size: int) -> bytes | None:
        for base, data in self.blocks.items():
            if base <= addr < base + len(data):
                return data[addr - base: addr - base + size]
        return None

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        data = self.read(addr, limit)
        if data is None:
            return None
        nul = data.find(b"\0")
        return (data[:nul], True) if nul >= 0 else (data, False)


def decode_line(name: str, args: tuple[int, ...], mem: DictMemory, retval: int | None,
                opts: DecodeOptions | None = None, arch: str = "x86_64", nr: int = 0) -> str:
    """One call decoded from recorded registers and memory, as its strace line (without padding),
    under the name the decoder gives it (i386's ipc(2) shows the call it stands for)."""
    ev = SyscallEvent(pid=1, tid=1, arch=arch, nr=nr, name=name,
                      raw_args=tuple(args) + (0,) * (6 - len(args)), ts_enter=0.0)
    dec = Decoder(opts or DecodeOptions())
    dec.decode_entry(ev, mem)
    ev.retval = retval
    if retval is not None and -4096 < retval < 0:
        ev.errno = -retval
    dec.decode_exit(ev, mem)
    return f"{ev.name}({', '.join(ev.args)}) = {ev.ret_text}"

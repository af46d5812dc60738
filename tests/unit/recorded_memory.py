"""A recorded tracee memory for decoder tests (the MemoryReader contract, no process needed)."""

from __future__ import annotations


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

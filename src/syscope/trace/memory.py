"""Reading a stopped tracee's memory (the MemoryReader contract in CONTRIBUTING.md)."""

from __future__ import annotations

from syscope._kernel.ptrace import process_vm_read

_PAGE = 4096


class ProcessMemory:
    """process_vm_readv(2) on one thread; reads never cross a page they cannot reach."""

    __slots__ = ("tid",)

    def __init__(self, tid: int) -> None:
        self.tid = tid

    def read(self, addr: int, size: int) -> bytes | None:
        if size <= 0:
            return b""
        data = process_vm_read(self.tid, addr, size)
        if data is None or len(data) == size:
            return data
        # A partial read stops at a fault: retry page by page so we return what is mapped.
        out = bytearray(data)
        while len(out) < size:
            chunk = process_vm_read(self.tid, addr + len(out), min(size - len(out), _PAGE))
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        # Read up to the end of the current page first, as strace's umovestr does, so that a
        # string ending just before an unmapped page is still read.
        out = b""
        pos = addr
        while len(out) < limit:
            want = min(_PAGE - (pos % _PAGE), limit - len(out))
            chunk = process_vm_read(self.tid, pos, want)
            if chunk is None:
                return None if not out else (out, False)
            nul = chunk.find(b"\0")
            if nul >= 0:
                return out + chunk[:nul], True
            out += chunk
            pos += len(chunk)
        return out[:limit], False

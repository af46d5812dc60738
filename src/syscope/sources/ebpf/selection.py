"""What the BPF hooks may drop before copying anything: the kernel side of a filter.

A ``KernelSelection`` names the syscalls, processes (tgid), thread names (comm) and uids whose
calls are sent to user space; ``None`` in a dimension means "any".  It is a conservative
over-approximation of a filter (``syscope.filters.pushdown`` computes it), so the user-space
filter that runs on what arrives gives the same results as without it, at less cost.  Fork, exec
and exit records are never dropped by it: they keep the process table whole.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from syscope.sources.ebpf import names
from syscope.syscalls import roles

COMPAT_BASE = 512  # i386 calls at COMPAT_BASE + nr (syscope.bpf.c)
SOCKETCALL_NR_32 = 102  # arch/x86/entry/syscalls/syscall_32.tbl
_SELNR_YES, _SELNR_ALWAYS = 1, 2
COMM_LEN = 16  # TASK_COMM_LEN (include/linux/sched.h): 15 bytes and a NUL


@dataclass(frozen=True)
class KernelSelection:
    syscalls: frozenset[str] | None = None  # evt.type values; None: every call
    # calls sent from every process whenever ``syscalls`` is set (the ones that keep the fd
    # table, so fd.name resolves as it would without the selection)
    always: frozenset[str] = field(default_factory=frozenset)
    tgids: frozenset[int] | None = None
    comms: frozenset[str] | None = None
    uids: frozenset[int] | None = None

    def is_everything(self) -> bool:
        return self.syscalls is None and self.tgids is None and self.comms is None \
            and self.uids is None

    def describe(self) -> str:
        """One line for --verbose output and tests: what the kernel checks."""
        parts = []
        if self.syscalls is not None:
            parts.append(f"evt.type in ({', '.join(sorted(self.syscalls))})")
        if self.tgids is not None:
            parts.append(f"proc.pid in ({', '.join(map(str, sorted(self.tgids)))})")
        if self.comms is not None:
            parts.append(f"proc.name in ({', '.join(sorted(self.comms))})")
        if self.uids is not None:
            parts.append(f"user.uid in ({', '.join(map(str, sorted(self.uids)))})")
        return " and ".join(parts) or "everything"

    def nr_entries(self) -> dict[int, int]:
        """sel_nr map index -> SELNR_* for the wanted calls of both syscall tables."""
        out: dict[int, int] = {}
        wanted = self.syscalls or frozenset()
        sock = {n for n, _a in roles.SOCKETCALLS.values()} | {"socketcall"}
        for how, group in ((_SELNR_YES, wanted), (_SELNR_ALWAYS, self.always)):
            for arch, base in (("x86_64", 0), ("i386", COMPAT_BASE)):
                nrs = names.by_name(arch)
                named = names.by_nr(arch)
                for name in group:
                    nr = nrs.get(name)
                    if nr is None and name.startswith("syscall_") and name[8:].isdigit():
                        # the converter's name of a call its table does not know
                        nr = int(name[8:])
                        if nr in named:
                            nr = None
                    if nr is not None and nr < COMPAT_BASE:
                        out[base + nr] = out.get(base + nr, 0) | how
                    if arch == "i386" and name in sock:
                        # an i386 socketcall(2) is shown as the call it multiplexes
                        idx = base + SOCKETCALL_NR_32
                        out[idx] = out.get(idx, 0) | how
        return out

    def tgid_keys(self) -> list[bytes] | None:
        return None if self.tgids is None else [struct.pack("<I", t) for t in self.tgids]

    def uid_keys(self) -> list[bytes] | None:
        return None if self.uids is None else [struct.pack("<I", u & 0xFFFFFFFF) for u in self.uids]

    def comm_keys(self) -> list[bytes] | None:
        """16-byte comm keys; a longer name is compared on the 15 bytes the kernel keeps."""
        if self.comms is None:
            return None
        out = []
        for c in self.comms:
            b = c.encode(errors="surrogateescape")[:COMM_LEN - 1]
            if b"\0" in b:
                continue  # no comm contains a NUL: this name matches no thread
            out.append(b.ljust(COMM_LEN, b"\0"))
        return out


EVERYTHING = KernelSelection()

__all__ = ["KernelSelection", "EVERYTHING", "COMM_LEN"]

"""The registry of argument kinds: each kind (a word in a signature row of sigs.py) is one small
builder function, registered by the family module that knows it (kinds/scalar.py, fs.py, net.py
...).  The generic decoder (decoder.py) looks a kind up here when it compiles a plan, once per
(arch, syscall); nothing here runs per call.

A kind declares, next to its builder, how the strace options that are about *kinds* treat it
(strace's own split: printxval/printflags for constants, umove_or_printaddr for structures):

- ``scalar``: it prints a register, a string or a data buffer, not a structure, so
  ``-e verbose=!call`` does not turn it into an address;
- ``xlat``: it prints a named constant; "hex" or "dec" is how the number shows under ``-X verbose``
  (``0x80000 /* O_CLOEXEC */``), and "hex" kinds print that number alone under ``-X raw``;
  ``verbose``/``raw`` replace those generic forms when a kind needs its own;
- ``value``: how the structured argument (``syscope.events.Arg``) gets its decoded value from
  the register alone (flag names, a signed int ...); ``stores``: the kind reads memory and
  keeps the value itself from the bytes it read (``store``), so tracee memory is read once;
  neither: the value is the register.
- ``kept``: an input the kernel may rewrite while the call runs (recvmmsg(2)'s timeout is
  updated with the time left): when the signature places it after an output, so that it prints
  at exit, it is still read at entry and its text kept until then, as strace prints it
  (mmsghdr.c do_recvmmsg saves the timeout's text at entry).
- ``c``: how the tracer's C line maker prints the kind (decode/cformat.py): (decoder, i, arch,
  kind) -> a ``cformat.COp``, or None when the kind prints, under the decoder's options, what
  the C code does not make; a kind without it makes its calls Python's to print.
- ``entry`` (an output kind): a builder of an entry-half function that reads what the kernel
  then overwrites and keeps it for the exit half in the decoder's ``kept`` (by thread and
  argument), printing nothing: recvmmsg's msg_namelen of each message (save_mmsgvec_namelen).

Kinds with a parameter (``buf:2``, ``F:open_flags``) register their name before the colon and
get the whole kind string.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, Protocol

from syscope.events import SyscallEvent


class Memory(Protocol):
    tid: int

    def read(self, addr: int, size: int) -> bytes | None: ...

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None: ...


ArgFn = Callable[[SyscallEvent, Memory], "str | None"]
RetFn = Callable[[SyscallEvent], str]
# a kind's builder: (decoder, argument index, arch, the kind as written in the signature).  The
# decoder is a base.DecoderBase, as the builders in kinds/ annotate it; not named here because
# base.py imports this module (no import cycle between the modules of decode/)
Builder = Callable[[Any, int, str, str], ArgFn]
RetBuilder = Callable[[Any, str], RetFn]
# the structured value of argument i from the registers alone: (arch, i, kind) -> ev -> value
ValueFactory = Callable[[str, int, str], Callable[[SyscallEvent], Any]]
# a kind's C form (decode/cformat.py): (decoder, argument index, arch, kind) -> COp | None
CFactory = Callable[[Any, int, str, str], Any]

_WORD = {"i386": 4}


def word_size(arch: str) -> int:
    """sizeof(long) and of a pointer in the tracee (4 on i386, 8 on the 64-bit arches)."""
    return _WORD.get(arch, 8)


class KindSpec(NamedTuple):  # not a frozen dataclass: ~200 are built at every tracer start-up
    name: str
    build: Builder
    scalar: bool = False
    xlat: Literal["hex", "dec"] | None = None
    value: ValueFactory | None = None
    stores: bool = False
    verbose: Builder | None = None
    raw: Builder | None = None
    kept: bool = False
    entry: Builder | None = None
    c: CFactory | None = None


ENTRY: dict[str, KindSpec] = {}  # arguments the kernel reads (decoded at entry)
EXIT: dict[str, KindSpec] = {}  # arguments the kernel writes (">kind": decoded at exit)
RETURNS: dict[str, RetBuilder] = {}  # return-value kinds


def register(*names: str, out: bool = False, scalar: bool = False, xlat: Literal["hex", "dec"] | None = None,
         value: ValueFactory | None = None, stores: bool = False, verbose: Builder | None = None,
         raw: Builder | None = None, kept: bool = False,
         entry: Builder | None = None, c: CFactory | None = None) -> Callable[[Builder], Builder]:
    """Register a builder for these kind names (``out=True``: the ``>name`` form)."""
    table = EXIT if out else ENTRY

    def register(fn: Builder) -> Builder:
        for n in names:
            if n in table:
                raise ValueError(f"argument kind {n!r} registered twice")
            table[n] = KindSpec(n, fn, scalar, xlat, value, stores, verbose, raw, kept, entry, c)
        return fn
    return register


def returns(*names: str) -> Callable[[RetBuilder], RetBuilder]:
    def register(fn: RetBuilder) -> RetBuilder:
        for n in names:
            RETURNS[n] = fn
        return fn
    return register


def base_name(kind: str) -> str:
    """``buf:2`` -> ``buf``; ``>rbuf`` -> ``rbuf``."""
    return kind.lstrip(">").split(":", 1)[0]


def spec(kind: str) -> KindSpec | None:
    """The spec a signature word resolves to: ``>x`` in EXIT first, then ENTRY (an output kind
    without its own exit form decodes at exit as at entry)."""
    name = base_name(kind)
    if kind.startswith(">"):
        return EXIT.get(name) or ENTRY.get(name)
    return ENTRY.get(name)


def is_scalar(kind: str) -> bool:
    s = spec(kind)
    return s is not None and s.scalar


def is_kept(kind: str) -> bool:
    """An input kind read at entry even when it prints at exit (``kept``)."""
    s = spec(kind)
    return s is not None and s.kept and not kind.startswith(">")


@functools.cache
def compiled(code: str) -> struct.Struct:
    return struct.Struct(code)


def read_struct(mem: Memory, addr: int, code: str | struct.Struct) -> tuple[Any, ...] | None:
    """A struct of ``code`` (struct module layout, or a compiled Struct) read at addr; None when
    addr is NULL, the read faults or comes back short."""
    st = code if isinstance(code, struct.Struct) else compiled(code)
    data = mem.read(addr, st.size) if addr else None
    if data is None or len(data) < st.size:
        return None
    return st.unpack(data)


def store(ev: SyscallEvent, i: int, value: Any) -> None:
    """Keep the decoded value of argument i for ``ev.structured_args`` (the bytes already read)."""
    vals = ev.arg_values
    if vals is None:
        ev.arg_values = {i: value}
    else:
        vals[i] = value

"""What every netlink decoder shares: reading the tracee, strace's constant and string forms,
the struct nlattr walker (strace src/nlattr.c decode_nlattr) and data-driven header structs.

A decoder returns its text, or None for "not mine": the caller then prints the bytes as a hex
string, as strace does when a family decoder declines (src/netlink.c decode_payload).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from syscope.decode import fmt
from syscope.decode.fmt import ptr
from syscope.decode.registry import Memory
from syscope.lean import cache

NLA_HDRLEN = 4
NLA_F_NESTED = 1 << 15
NLA_F_NET_BYTEORDER = 1 << 14
NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF


def align4(n: int) -> int:
    return (n + 3) & ~3


class Ctx:
    """One decode: the tracee's memory, the -s limit and -X style, the printers of its descriptors and pids."""

    def __init__(self, mem: Memory, arch: str, xs: int, slimit: int, abbrev: bool, xflag: int,
                 fd_text: Callable[[int], str],
                 bpf_program: Callable[[Memory, int, int], str] | None = None,
                 pid_text: Callable[[int], str] = str) -> None:
        self.mem, self.arch, self.xs, self.slimit, self.abbrev, self.xflag = mem, arch, xs, slimit, abbrev, xflag
        self.fd_text = fd_text
        # a process id of the tracee's namespace (nlmsg_pid: PRINT_FIELD_TGID), translated under
        # --pidns-translation by the caller's printer
        self.pid_text = pid_text
        # classic BPF instructions at an address (a socket filter), printed by the decoder's own
        # printer (kinds/bpf_filter.py), handed in by the caller
        self.bpf_program = bpf_program
        self.family = 0  # the family byte of the header being printed (inet_diag_sockid's addresses)

    def read(self, addr: int, n: int) -> bytes | None:
        """umoven(): all n bytes or None (a fault part-way fails the whole read)."""
        if n <= 0:
            return b""
        if not addr or addr + n > 1 << 64:
            return None
        data = self.mem.read(addr, n)
        return data if data is not None and len(data) == n else None

    # -- strace's xlat printers (src/xlat.c), -X style 0 abbrev, 1 verbose, 2 raw -------------
    def rows(self, table: str) -> list[tuple[int, str]]:
        return _rows(self.arch, table)

    def name(self, table: str, value: int) -> str | None:
        return _names(self.arch, table).get(value)

    def xval(self, value: int, table: str | None, dflt: str | None, fmt_u: bool = False) -> str:
        """printxval_ex: the name, ``0x.. /* NAME */`` under -X verbose, the number under -X raw,
        ``0x.. /* DFLT */`` for a value without a name (no comment without a default)."""
        num = str(value) if fmt_u else fmt.hexnum(value)
        if self.xs == 2:
            return num
        name = self.name(table, value) if table else None
        if name is not None:
            return f"{num} /* {name} */" if self.xs == 1 else name
        return f"{num} /* {dflt} */" if dflt else num

    def xval_rows(self, value: int, rows: list[tuple[int, str]], dflt: str | None, fmt_u: bool = False) -> str:
        """xval over rows made on the spot (a table shifted or renamed)."""
        num = str(value) if fmt_u else fmt.hexnum(value)
        if self.xs == 2:
            return num
        name = next((n for v, n in rows if v == value), None)
        if name is not None:
            return f"{num} /* {name} */" if self.xs == 1 else name
        return f"{num} /* {dflt} */" if dflt else num

    def flags(self, value: int, dflt: str | None, *tables: str | list[tuple[int, str]] | None) -> str:
        """printflags_ex over one or more tables (a table's name or its rows), in their order."""
        if self.xs == 2:
            return fmt.hexnum(value) if value or dflt else ""
        if not value:
            # a table may name the empty set (NUD_NONE)
            for table in tables:
                for v, n in (self.rows(table) if isinstance(table, str) else table or []):
                    if not v:
                        return f"0 /* {n} */" if self.xs == 1 else n
            return "0" if dflt else ""
        names: list[str] = []
        rest = value
        for table in tables:
            if table is None:
                continue
            for v, n in self.rows(table) if isinstance(table, str) else table:
                if (rest == v and not names) or (v and rest & v == v):
                    names.append(n)
                    rest &= ~v
                if not rest:
                    break
            if not rest and names:
                break
        if names:
            if rest:
                names.append(fmt.hexnum(rest))
            text = "|".join(names)
            return f"{fmt.hexnum(value)} /* {text} */" if self.xs == 1 else text
        if rest:
            return f"{fmt.hexnum(rest)} /* {dflt} */" if dflt else fmt.hexnum(rest)
        return "0" if dflt else ""

    def ifindex(self, index: int) -> str:
        """print_ifindex: ``if_nametoindex("lo")`` for an interface that exists (the tracer's
        namespace), else the number."""
        try:
            name = socket.if_indextoname(index) if index else None
        except OSError:
            name = None
        if name is None or self.xs == 2:
            return str(index)
        text = f'if_nametoindex("{fmt.quote(name.encode())}")'
        return f"{index} /* {text} */" if self.xs == 1 else text

    # -- strings (src/util.c printstr_ex) -------------------------------------------------
    def hexstr(self, addr: int, n: int) -> str:
        """printstr_ex(QUOTE_FORCE_HEX): every byte as \\xNN, ``...`` past -s."""
        if not addr:
            return "NULL"
        data = self.read(addr, min(n, self.slimit + 1))
        if data is None:
            return ptr(addr)
        shown = data[: self.slimit]
        text = '"' + "".join(f"\\x{c:02x}" for c in shown) + '"'
        return text + "..." if n > self.slimit else text

    def strn(self, addr: int, n: int) -> str:
        """printstrn: the bytes quoted as usual, ``...`` past -s."""
        if not addr:
            return "NULL"
        data = self.read(addr, min(n, self.slimit + 1))
        if data is None:
            return ptr(addr)
        text = '"' + fmt.quote(data[: self.slimit], self.xflag) + '"'
        return text + "..." if n > self.slimit else text

    def nla_str(self, addr: int, n: int) -> str:
        """decode_nla_str (QUOTE_OMIT_TRAILING_0 | QUOTE_EXPECT_TRAILING_0): a string whose
        last byte should be its NUL; without one it is followed by ``...``."""
        if not addr:
            return "NULL"
        data = self.read(addr, min(n, self.slimit + 1))
        if data is None:
            return ptr(addr)
        size = min(len(data), self.slimit)
        shown = data[:size]
        if shown.endswith(b"\0"):
            return '"' + fmt.quote(shown[:-1], self.xflag) + '"'
        text = '"' + fmt.quote(shown, self.xflag) + '"'
        return text + "..." if n else text


@cache
def _rows(arch: str, table: str) -> list[tuple[int, str]]:
    from syscope.decode.netlink.spec import DECLARED
    # a declared table adds the kernel-internal values to the generated one of the same name
    return fmt.consts(arch).get(table, []) + DECLARED.get(table, [])


@cache
def _names(arch: str, table: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for v, n in _rows(arch, table):
        out.setdefault(v, n)
    return out


# an attribute's decoder: (ctx, address of its data, data length, opaque) -> text, or None to
# have the data printed as a hex string (strace's nla_decoder_t returning false)
AttrDecoder = Callable[[Ctx, int, int, Any], "str | None"]
# a table of them by the attribute type's name (its number comes from the generated table), or
# one decoder for every type (it gets the type as opaque)
Decoders = Mapping[str, AttrDecoder] | AttrDecoder | None


@dataclass(frozen=True)
class Attrs:
    """An attribute list: the table naming its types, strace's default for an unknown type,
    the decoders by type name."""
    table: str | None
    dflt: str | None
    decoders: Decoders = None


def records(ctx: Ctx, addr: int, length: int, hdr_len: int, show: Callable[[int, int, bytes], tuple[int, str]]) -> str:
    """The loop strace's decode_netlink and decode_nlattr share: the length-prefixed records
    of a buffer, each ``show(addr, length left, header)`` -> (its own length, its text), the
    next one 4-aligned after it; several records make an array, a short tail prints as bytes,
    an unreadable header as its address, and after -s records ``...`` (abbreviated output only)."""
    out: list[str] = []
    is_array = False
    elt = 0
    while True:
        if length < hdr_len:
            out.append(ctx.hexstr(addr, length))
            break
        raw = ctx.read(addr, hdr_len)
        if raw is None:
            out.append(f"... /* {ptr(addr)} */" if is_array else ptr(addr))
            break
        if ctx.abbrev and elt == ctx.slimit:
            out.append("...")
            break
        own_len, text = show(addr, length, raw)
        next_addr = next_len = 0
        if own_len >= hdr_len:
            step = align4(own_len)
            next_len = length - step if length >= step else 0
            if next_len and addr + step < 1 << 64:
                next_addr = addr + step
        is_array = is_array or bool(next_addr)
        out.append(text)
        if not next_addr:
            break
        addr, length = next_addr, next_len
        elt += 1
    return "[" + ", ".join(out) + "]" if is_array else out[0]


def nlattr_list(ctx: Ctx, addr: int, length: int, attrs: Attrs, opaque: Any = None) -> str:
    """decode_nlattr: ``{nla_len=N, nla_type=NAME}`` and its data ``[{...}, data]``."""
    def one(at: int, left: int, raw: bytes) -> tuple[int, str]:
        nla_len = raw[0] | raw[1] << 8
        return nla_len, _one_attr(ctx, at, left, nla_len, raw[2] | raw[3] << 8, attrs, opaque)
    return records(ctx, addr, length, NLA_HDRLEN, one)


def _one_attr(ctx: Ctx, addr: int, length: int, nla_len: int, nla_type: int, attrs: Attrs, opaque: Any) -> str:
    parts = []
    if nla_type & NLA_F_NESTED:
        parts.append(ctx.xval(NLA_F_NESTED, "nla_flags", None))
    if nla_type & NLA_F_NET_BYTEORDER:
        parts.append(ctx.xval(NLA_F_NET_BYTEORDER, "nla_flags", None))
    kind = nla_type & NLA_TYPE_MASK
    parts.append(ctx.xval(kind, attrs.table, attrs.dflt))
    head = f"{{nla_len={nla_len}, nla_type={'|'.join(parts)}}}"
    size = min(nla_len, length)
    if size <= NLA_HDRLEN:
        return head
    data_addr, data_len = addr + NLA_HDRLEN, size - NLA_HDRLEN
    dec = attrs.decoders
    text: str | None = None
    if isinstance(dec, Mapping):
        name = ctx.name(attrs.table, kind) if attrs.table else None
        one = dec.get(name) if name is not None else None
        if one is not None:
            text = one(ctx, data_addr, data_len, opaque)
    elif dec is not None:
        text = dec(ctx, data_addr, data_len, nla_type)
    if text is None:
        text = ctx.hexstr(data_addr, data_len)
    return f"[{head}, {text}]"


# -- attribute data decoders (strace src/nlattr.c) ------------------------------------------
def _int(size: int, signed: bool, hexa: bool) -> AttrDecoder:
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        if length < size:
            return None
        data = ctx.read(addr, size)
        if data is None:
            return ptr(addr)
        v = int.from_bytes(data, "little", signed=signed)
        return fmt.hexnum(v) if hexa else str(v)
    return dec


u8, u16, u32, u64 = (_int(n, False, False) for n in (1, 2, 4, 8))
s8, s16, s32, s64 = (_int(n, True, False) for n in (1, 2, 4, 8))
x8, x16, x32, x64 = (_int(n, False, True) for n in (1, 2, 4, 8))


def nla_clock_t(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    """decode_nla_clock_t: up to 8 bytes of clock ticks, with the seconds in a comment
    (print_clock_t: sysconf(_SC_CLK_TCK) ticks a second)."""
    if length > 8:
        return None
    data = ctx.read(addr, length)
    if data is None:
        return ptr(addr)
    v = int.from_bytes(data, "little")
    tck = os.sysconf("SC_CLK_TCK")
    if ctx.xs == 2 or tck <= 0 or not v:
        return str(v)
    width = min(len(str(tck)) - 1, 9)
    frac = f"{(v % tck) / tck:.{width}f}"[1:] if width else ""
    return f"{v} /* {v // tck}{frac if width else '.'} s */"


def array_of(size: int, show: Callable[[Ctx, bytes], str]) -> AttrDecoder:
    """An attribute holding an array of fixed-size items (print_array): the items that fit,
    ``...`` after -s of them, ``... /* ADDR */`` at the first that cannot be read."""
    return indexed_array_of(size, lambda ctx, k, data: show(ctx, data))


def indexed_array_of(size: int, show: Callable[[Ctx, int, bytes], str]) -> AttrDecoder:
    """array_of whose items are shown with their index (print_array_ex with an index table)."""
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        count = length // size
        if not count:
            return None
        items: list[str] = []
        for k in range(count):
            data = ctx.read(addr + k * size, size)
            if data is None:
                if k == 0:
                    return ptr(addr)
                items.append(f"... /* {ptr(addr + k * size)} */")
                break
            if ctx.abbrev and k >= ctx.slimit:
                items.append("...")
                break
            items.append(show(ctx, k, data))
        return "[" + ", ".join(items) + "]"
    return dec


def xint(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    """decode_nla_xint: hex of the attribute's own width (1, 2, 4 or 8 bytes)."""
    one = {1: x8, 2: x16, 4: x32, 8: x64}.get(length)
    return one(ctx, addr, length, opaque) if one else None


def nla_str(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return ctx.nla_str(addr, length)


def nla_strn(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return ctx.strn(addr, length)


def _scalar(ctx: Ctx, addr: int, length: int, size: int, show: Callable[[int], str]) -> str | None:
    if length < size:
        return None
    data = ctx.read(addr, size)
    return ptr(addr) if data is None else show(int.from_bytes(data, "little"))


def nla_fd(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _scalar(ctx, addr, length, 4, lambda v: ctx.fd_text(v - (1 << 32) if v >> 31 else v))


def nla_uid(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _scalar(ctx, addr, length, 4, lambda v: "-1" if v == 0xFFFFFFFF else str(v))


def nla_ifindex(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _scalar(ctx, addr, length, 4, ctx.ifindex)


def nla_be16(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _scalar(ctx, addr, length, 2, lambda v: f"htons({int.from_bytes(v.to_bytes(2, 'little'), 'big')})")


def nla_be64(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _scalar(ctx, addr, length, 8, lambda v: f"htobe64({int.from_bytes(v.to_bytes(8, 'little'), 'big')})")


def inet_text(ctx: Ctx, family: int, raw: bytes, name: str | None = None) -> str:
    """print_inet_addr: ``inet_addr("1.2.3.4")``, ``inet_pton(AF_INET6, "::1")`` (with a field
    name: ``name=inet_addr(...)``, ``inet_pton(AF_INET6, "::1", &name)``); -X raw prints the
    bytes, -X verbose the bytes and the call in a comment."""
    hexed = '"' + "".join(f"\\x{c:02x}" for c in raw) + '"'
    label = f"{name}=" if name else ""
    if family == socket.AF_INET:
        call = f'inet_addr("{socket.inet_ntop(family, raw[:4])}")'
    elif family == socket.AF_INET6:
        call = f'inet_pton(AF_INET6, "{socket.inet_ntop(family, raw[:16])}"' + (f", &{name})" if name and
                                                                                 ctx.xs == 0 else ")")
        if ctx.xs == 0:
            return call
    else:
        return label + hexed
    if ctx.xs == 2:
        return label + hexed
    if ctx.xs == 1:
        return f"{label}{hexed} /* {call} */"
    return label + call


def _inet(ctx: Ctx, addr: int, length: int, family: int) -> str | None:
    size = 4 if family == socket.AF_INET else 16
    if length < size:
        return None
    data = ctx.read(addr, size)
    if data is None:
        return ptr(addr)
    return inet_text(ctx, family, data)


def nla_in_addr(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _inet(ctx, addr, length, socket.AF_INET)


def nla_in6_addr(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    return _inet(ctx, addr, length, socket.AF_INET6)


def inet_addr_any(ctx: Ctx, addr: int, length: int, family: int, name: str | None = None) -> str:
    """decode_inet_addr: an address of the family when the data is at least its size, else the
    bytes as a hex string (``name=`` before either when the address is a named field)."""
    size = 4 if family == socket.AF_INET else 16 if family == socket.AF_INET6 else 0
    label = f"{name}=" if name else ""
    if not size or length < size:
        return label + ctx.hexstr(addr, length)
    data = ctx.read(addr, size)
    if data is None:
        return label + ptr(addr)
    return inet_text(ctx, family, data, name)


def hwaddr(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
    """decode_nla_hwaddr without a device type: ``aa:bb:cc`` (print_hwaddr; MAX_ADDR_LEN 32)."""
    if length > 32:
        return None
    data = ctx.read(addr, length)
    if data is None:
        return ptr(addr)
    return mac_text(ctx, data)


def mac_text(ctx: Ctx, data: bytes) -> str:
    """print_hwaddr/PRINT_FIELD_MAC in this decode's -X style."""
    return fmt.mac_addr(data, ctx.xs)


def struct_dec(fields: tuple[Field, ...], size: int = 0) -> AttrDecoder:
    """A struct attribute: None (hex) when shorter than the struct (``size``: strace's
    offsetofend when padding follows), its address when unreadable."""
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        want = size or fields_size(fields)
        if length < want:
            return None
        data = ctx.read(addr, want)
        if data is None:
            return ptr(addr)
        return "{" + ", ".join(fields_text(ctx, data, fields)) + "}"
    return dec


def nla_xval(table: str, dflt: str | None, size: int = 0, wrap: str = "", be: bool = False) -> AttrDecoder:
    """decode_nla_xval: a constant of up to 8 bytes (at least size); ``htons(NAME)`` forms for
    network-order values."""
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        if length > 8 or length < size:
            return None
        n = min(length, size) if size else length
        data = ctx.read(addr, n)
        if data is None:
            return ptr(addr)
        v = int.from_bytes(data, "big" if be else "little")
        text = ctx.xval(v, table, dflt)
        return f"{wrap}({text})" if wrap else text
    return dec


# decode_nla_ip_proto: an IPPROTO_* of whatever width the attribute has (up to 8 bytes)
nla_ip_proto = nla_xval("inet_protocols", "IPPROTO_???")


def nla_flags(table: str, dflt: str, size: int = 0) -> AttrDecoder:
    """decode_nla_flags: a flag set of up to 8 bytes (at least size)."""
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        if length > 8 or length < size:
            return None
        n = min(length, size) if size else length
        data = ctx.read(addr, n)
        if data is None:
            return ptr(addr)
        return ctx.flags(int.from_bytes(data, "little"), dflt, table)
    return dec


def nested(attrs: Attrs) -> AttrDecoder:
    """An attribute holding an attribute list."""
    def dec(ctx: Ctx, addr: int, length: int, opaque: Any) -> str | None:
        return nlattr_list(ctx, addr, length, attrs)
    return dec


# -- header structs -------------------------------------------------------------------------
# a field printer: (ctx, value) -> text; a value of several items (a cookie) is a tuple
Show = Callable[[Ctx, Any], str]


def show_u(ctx: Ctx, v: int) -> str:
    return str(v)


def show_d(ctx: Ctx, v: int) -> str:
    return str(v)


def show_x(ctx: Ctx, v: int) -> str:
    return fmt.hexnum(v)


def show_ifindex(ctx: Ctx, v: int) -> str:
    return ctx.ifindex(v)


def show_xval(table: str, dflt: str | None) -> Show:
    return lambda ctx, v: ctx.xval(v, table, dflt)


def show_flags(table: str, dflt: str) -> Show:
    return lambda ctx, v: ctx.flags(v, dflt, table)


@dataclass(frozen=True)
class Field:
    name: str
    code: str  # struct module code of the field (its size and signedness)
    show: Show | None  # None: padding, never printed
    only_set: bool = False  # printed only when not zero (strace's reserved fields)


def fields_size(fields: tuple[Field, ...]) -> int:
    import struct as _struct
    return _struct.calcsize("<" + "".join(f.code for f in fields))


def fields_values(data: bytes, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The fields' values by name (a field of several items is their tuple)."""
    import struct as _struct
    out: dict[str, Any] = {}
    off = 0
    for f in fields:
        got = _struct.unpack_from("<" + f.code, data, off)
        off += _struct.calcsize("<" + f.code)
        out[f.name] = got[0] if len(got) == 1 else got
    return out


def fields_text(ctx: Ctx, data: bytes, fields: tuple[Field, ...]) -> list[str]:
    """``name=value`` of each field, unpacked from data in order."""
    import struct as _struct
    out = []
    off = 0
    for f in fields:
        size = _struct.calcsize("<" + f.code)
        got = _struct.unpack_from("<" + f.code, data, off)
        v: Any = got[0] if len(got) == 1 else got
        off += size
        if f.show is None or (f.only_set and not v):
            continue
        out.append(f"{f.name}={f.show(ctx, v)}")
    return out


def struct_of(ctx: Ctx, addr: int, n: int, fields: tuple[tuple[str, str], ...]) -> str | None:
    """A fixed struct of plain numbers (``u``/``d`` printed in decimal): None when the data is
    shorter than the struct, its address when it cannot be read."""
    import struct as _struct
    code = "<" + "".join(c for _n, c in fields)
    size = _struct.calcsize(code)
    if n < size:
        return None
    data = ctx.read(addr, size)
    if data is None:
        return ptr(addr)
    vals = _struct.unpack(code, data)
    return "{" + ", ".join(f"{name}={v}" for (name, _c), v in zip(fields, vals, strict=True)) + "}"


@dataclass(frozen=True)
class Header:
    family_field: str
    fields: tuple[Field, ...]  # the fields after the family byte
    attrs: Attrs | None
    family_only: int = 0  # the struct's size when only its family is printed



def header_text(ctx: Ctx, hd: Header, family: int, addr: int, n: int) -> str:
    parts = [f"{hd.family_field}={ctx.xval(family, 'nl_addrfams', 'AF_???')}"]
    values: dict[str, Any] = {"family": family}
    ctx.family = family
    if hd.family_only:
        size, decode_nla = hd.family_only, True
    else:
        size, decode_nla = 1 + fields_size(hd.fields), False
        if n >= size:
            data = ctx.read(addr + 1, size - 1)
            if data is None:
                parts.append(ptr(addr + 1))
            else:
                parts += fields_text(ctx, data, hd.fields)
                values.update(fields_values(data, hd.fields))
                decode_nla = True
        else:
            parts.append("...")
    text = "{" + ", ".join(parts) + "}"
    off = align4(size)
    if decode_nla and n > off and hd.attrs is not None:
        text += ", " + nlattr_list(ctx, addr + off, n - off, hd.attrs, values)
    return text

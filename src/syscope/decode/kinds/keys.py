"""The kernel key management calls: add_key(2), request_key(2), keyctl(2) (strace src/keyctl.c)."""

from __future__ import annotations

import errno
import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, read_struct, register, word_size
from syscope.events import SyscallEvent


def key_serial(d: DecoderBase, arch: str) -> fmt.Enum:
    return fmt.enum(arch, "key_spec")


def key_serial_text(d: DecoderBase, spec: fmt.Enum, v: int) -> str:
    # printxval_d(key_spec, id, NULL): a special keyring by name, any other serial in decimal
    # with no comment; -X verbose: -1 /* KEY_SPEC_THREAD_KEYRING */, -X raw: the number
    name = spec.get(v)
    if name is None or d.xs == 2:
        return str(v)
    return f"{v} /* {name} */" if d.xs == 1 else name


@register("key_serial", scalar=True)
def build_key_serial(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    spec = key_serial(d, arch)

    def serial(ev: SyscallEvent, mem: Memory) -> str:
        return key_serial_text(d, spec, _s32(ev.raw_args[i]))
    return serial


# keyctl(2) ----------------------------------------------------------------------------------------
_DH_PARAMS = struct.Struct("<iii")  # struct keyctl_dh_params {private, prime, base}
_PKEY_QUERY = struct.Struct("<IIHHHH10I")  # struct keyctl_pkey_query
_PKEY_PARAMS = struct.Struct("<iII7I")  # struct keyctl_pkey_params {key_id, in_len, out_len/in2_len, __spare}


class _Keyctl:
    """keyctl(2)'s arguments by command (strace SYS_FUNC(keyctl)): what prints at entry, and
    what the kernel wrote, printed at exit."""

    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d, self.arch, self.word = d, arch, word_size(arch)
        self.c = {n: v for v, n in fmt.consts(arch).get("keyctl_commands", [])}
        self.spec = key_serial(d, arch)
        self.perms = fmt.flags(arch, "key_perms", d.xs)
        self.reqkeys = fmt.enum(arch, "key_reqkeys")
        self.pkey_ops = fmt.flags(arch, "keyctl_pkey_ops", d.xs)
        self.move_flags = fmt.flags(arch, "keyctl_move_flags", d.xs)
        self.caps = [fmt.flags(arch, "keyctl_caps0", d.xs), fmt.flags(arch, "keyctl_caps1", d.xs)]
        c = self.c.get
        self.reads = {c("KEYCTL_DESCRIBE"), c("KEYCTL_READ"), c("KEYCTL_GET_SECURITY")}
        self.pkey_out = {c("KEYCTL_PKEY_ENCRYPT"), c("KEYCTL_PKEY_DECRYPT"), c("KEYCTL_PKEY_SIGN")}

    # -- the printers strace's keyctl.c uses
    def serial(self, v: int) -> str:
        return key_serial_text(self.d, self.spec, _s32(v))

    def str_(self, mem: Memory, addr: int) -> str:
        return self.d.cstr(mem, addr, self.d.opts.string_limit, whole=True)

    def strn(self, mem: Memory, addr: int, n: int) -> str:
        return self.d.buf(mem, addr, n)

    def read_text(self, ev: SyscallEvent, mem: Memory, addr: int, length: int, has_nul: bool) -> str:
        # printstr_ex(buf, MIN(rval, len), has_nul ? QUOTE_OMIT_TRAILING_0 : 0)
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        n = min(ev.retval, length) if ev.retval >= 0 else length
        if not addr:
            return "NULL"
        limit = self.d.opts.string_limit
        size = min(limit + 1, n)
        data = mem.read(addr, size) if size else b""
        if data is None or len(data) < size:
            return _ptr(addr)
        shown = data[: min(size, limit)]
        if has_nul and len(shown) == n and shown.endswith(b"\0"):
            shown = shown[:-1]
        return '"' + fmt.quote(shown, self.d.opts.xflag) + '"' + ("..." if n > limit else "")

    def reqkey(self, v: int) -> str:
        # printxvals_ex(.., XLAT_STYLE_FMT_D): the number in decimal in the -X forms and unknown
        name = self.reqkeys.get(v)
        if self.d.xs == 2:
            return str(v)
        if name is None:
            return f"{v} /* KEY_REQKEY_DEFL_??? */"
        return f"{v} /* {name} */" if self.d.xs == 1 else name

    def err(self, v: int) -> str:
        # print_err(error, false): the errno's name, -X verbose "N /* NAME */"
        name = errno.errorcode.get(v)
        if name is None or self.d.xs == 2:
            return str(v)
        return f"{v} /* {name} */" if self.d.xs == 1 else name

    def dh_params(self, mem: Memory, addr: int) -> str:
        got = read_struct(mem, addr, _DH_PARAMS)
        if got is None:
            return _ptr(addr)
        return f"{{private={self.serial(got[0])}, prime={self.serial(got[1])}, base={self.serial(got[2])}}}"

    def kdf(self, mem: Memory, addr: int) -> str:
        # sizeof(struct keyctl_kdf_params): 56 with the tail padding of its pointers on 64-bit
        code = struct.Struct("<QQI8I4x" if self.word == 8 else "<III8I")
        got = read_struct(mem, addr, code)
        if got is None:
            return _ptr(addr)
        hashname, other, otherlen, *spare = got
        parts = [f"hashname={self.str_(mem, hashname)}",
                 f"otherinfo={self.strn(mem, other, otherlen) if otherlen else _ptr(other)}",
                 f"otherinfolen={otherlen}"]
        if any(spare):
            parts.append("__spare=[" + ", ".join(_hex(x) for x in spare) + "]")
        return "{" + ", ".join(parts) + "}"

    def pkey_query(self, ev: SyscallEvent, mem: Memory, addr: int) -> str:
        got = read_struct(mem, addr, _PKEY_QUERY) if ev.errno is None and ev.retval is not None else None
        if got is None:
            return _ptr(addr)
        ops, key_size, data, sig, enc, dec, *spare = got
        parts = [f"supported_ops={self.pkey_ops(ops)}", f"key_size={key_size}", f"max_data_size={data}",
                 f"max_sig_size={sig}", f"max_enc_size={enc}", f"max_dec_size={dec}"]
        if any(spare):
            parts.append("__spare=[" + ", ".join(_hex(x) for x in spare) + "]")
        return "{" + ", ".join(parts) + "}"

    def pkey_params(self, mem: Memory, addr: int, out: bool) -> tuple[str, tuple[int, ...] | None]:
        got = read_struct(mem, addr, _PKEY_PARAMS)
        if got is None:
            return _ptr(addr), None
        key_id, in_len, len2, *spare = got
        parts = [f"key_id={self.serial(key_id)}", f"in_len={in_len}", f"{'out_len' if out else 'in2_len'}={len2}"]
        if any(spare):
            parts.append("__spare=[" + ", ".join(_hex(x) for x in spare) + "]")
        return "{" + ", ".join(parts) + "}", got

    def entry(self, ev: SyscallEvent, mem: Memory) -> list[str]:
        cmd = _s32(ev.raw_args[0])
        a2, a3, a4, a5 = ev.raw_args[1:5]
        c = self.c.get
        if cmd == c("KEYCTL_GET_KEYRING_ID"):
            return [self.serial(a2), str(_s32(a3))]
        if cmd == c("KEYCTL_JOIN_SESSION_KEYRING"):
            return [self.str_(mem, a2)]
        if cmd == c("KEYCTL_UPDATE"):
            return [self.serial(a2), self.strn(mem, a3, a4), str(a4)]
        if cmd in (c("KEYCTL_REVOKE"), c("KEYCTL_CLEAR"), c("KEYCTL_INVALIDATE"), c("KEYCTL_ASSUME_AUTHORITY")):
            return [self.serial(a2)]
        if cmd in (c("KEYCTL_LINK"), c("KEYCTL_UNLINK")):
            return [self.serial(a2), self.serial(a3)]
        if cmd in self.reads:
            return [self.serial(a2)]
        if cmd == c("KEYCTL_SEARCH"):
            return [self.serial(a2), self.str_(mem, a3), self.str_(mem, a4), self.serial(a5)]
        if cmd == c("KEYCTL_CHOWN"):
            return [self.serial(a2), _uid(a3), _uid(a4)]
        if cmd == c("KEYCTL_SETPERM"):
            return [self.serial(a2), self.perms(a3 & 0xFFFFFFFF)]
        if cmd == c("KEYCTL_INSTANTIATE"):
            return [self.serial(a2), self.strn(mem, a3, a4), str(a4), self.serial(a5)]
        if cmd == c("KEYCTL_NEGATE"):
            return [self.serial(a2), str(a3 & 0xFFFFFFFF), self.serial(a4)]
        if cmd == c("KEYCTL_SET_REQKEY_KEYRING"):
            return [self.reqkey(_s32(a2))]
        if cmd == c("KEYCTL_SET_TIMEOUT"):
            return [self.serial(a2), str(a3 & 0xFFFFFFFF)]
        if cmd == c("KEYCTL_SESSION_TO_PARENT"):
            return []
        if cmd == c("KEYCTL_REJECT"):
            return [self.serial(a2), str(a3 & 0xFFFFFFFF), self.err(a4 & 0xFFFFFFFF), self.serial(a5)]
        if cmd == c("KEYCTL_INSTANTIATE_IOV"):
            return [self.serial(a2), self.d.iov(mem, a3, a4, self.word, None), str(a4), self.serial(a5)]
        if cmd == c("KEYCTL_GET_PERSISTENT"):
            return [_uid(a2), self.serial(a3)]
        if cmd == c("KEYCTL_DH_COMPUTE"):
            return [self.dh_params(mem, a2)]
        if cmd == c("KEYCTL_PKEY_QUERY"):
            return [self.serial(a2), _hex(a3), self.str_(mem, a4)]
        if cmd in self.pkey_out or cmd == c("KEYCTL_PKEY_VERIFY"):
            return self.pkey_entry(ev, mem, cmd in self.pkey_out)
        if cmd == c("KEYCTL_RESTRICT_KEYRING"):
            return [self.serial(a2), self.str_(mem, a3), self.str_(mem, a4)]
        if cmd == c("KEYCTL_MOVE"):
            return [self.serial(a2), self.serial(a3), self.serial(a4), self.move_flags(a5 & 0xFFFFFFFF)]
        if cmd == c("KEYCTL_CAPABILITIES"):
            return []
        return [_hex(a2), _hex(a3), _hex(a4), _hex(a5)]

    def pkey_entry(self, ev: SyscallEvent, mem: Memory, out: bool) -> list[str]:
        a2, a3, a4, a5 = ev.raw_args[1:5]
        text, got = self.pkey_params(mem, a2, out)
        parts = [text, self.str_(mem, a3), self.strn(mem, a4, got[1]) if got else _ptr(a4)]
        if not out or got is None:
            parts.append(self.strn(mem, a5, got[2]) if got else _ptr(a5))
        return parts

    def exit(self, ev: SyscallEvent, mem: Memory) -> list[str]:
        cmd = _s32(ev.raw_args[0])
        a2, a3, a4, a5 = ev.raw_args[1:5]
        c = self.c.get
        failed = ev.errno is not None or ev.retval is None
        if cmd in self.reads:
            return [self.read_text(ev, mem, a3, a4, cmd != c("KEYCTL_READ")), str(a4)]
        if cmd == c("KEYCTL_DH_COMPUTE"):
            buf = _ptr(a3) if failed else self.strn(mem, a3, min(ev.retval or 0, a4) if (ev.retval or 0) >= 0 else a4)
            return [buf, str(a4), self.kdf(mem, a5)]
        if cmd == c("KEYCTL_PKEY_QUERY"):
            return [self.pkey_query(ev, mem, a5)]
        if cmd in self.pkey_out:
            got = read_struct(mem, a2, _PKEY_PARAMS)
            if got is None:
                return []  # the entry half printed everything (RVAL_DECODED)
            return [_ptr(a5) if failed else self.strn(mem, a5, got[2])]
        if cmd == c("KEYCTL_CAPABILITIES"):
            return [self.capabilities(ev, mem, a2, a3), str(a3)]
        return []

    def capabilities(self, ev: SyscallEvent, mem: Memory, addr: int, buflen: int) -> str:
        if ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        pos = [0]

        def elem(chunk: bytes) -> str:
            k = pos[0]
            pos[0] += 1
            return self.caps[k](chunk[0]) if k < len(self.caps) else _hex(chunk[0])
        return self.d.array(mem, addr, min(buflen, ev.retval), 1, elem)


def _uid(v: int) -> str:
    v &= 0xFFFFFFFF
    return "-1" if v == 0xFFFFFFFF else str(v)


@register("keyctl_args", scalar=True)
def build_keyctl_args(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    k = _Keyctl(d, arch)

    def args(ev: SyscallEvent, mem: Memory) -> str | None:
        return ", ".join(k.entry(ev, mem)) or None
    return args


@register("keyctl_out", out=True)
def build_out_keyctl_out(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    k = _Keyctl(d, arch)

    def out(ev: SyscallEvent, mem: Memory) -> str | None:
        return ", ".join(k.exit(ev, mem)) or None
    return out

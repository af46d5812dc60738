"""Trusted Execution Environment requests (type 0xa4, linux/tee.h), as strace's tee.c: the
version, sessions opened and invoked through a tee_ioctl_buf_data (the argument struct and its
parameters in one buffer), supplicant requests, cancel/close, and shared memory.  A call the
kernel answers prints ``=> {...}`` with what it wrote."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, family
from syscope.lean import cache

_SPECS = {"TEE_IOC_VERSION": "version", "TEE_IOC_OPEN_SESSION": "open_session", "TEE_IOC_INVOKE": "invoke",
          "TEE_IOC_CANCEL": "cancel", "TEE_IOC_CLOSE_SESSION": "close_session", "TEE_IOC_SUPPL_RECV": "suppl_recv",
          "TEE_IOC_SUPPL_SEND": "suppl_send", "TEE_IOC_SHM_ALLOC": "shm_alloc",
          "TEE_IOC_SHM_REGISTER": "shm_register"}
# TEE_IOC_SHM_REGISTER_FD: _IOWR(0xa4, 8, struct tee_ioctl_shm_register_fd_data), a command of
# Linaro's kernels strace decodes (tee.c) and the upstream header does not define
_SHM_REGISTER_FD = 3 << 30 | 32 << 16 | 0xA4 << 8 | 8
# the argument structs in the buffer: their size and where num_params is
_BUF_ARGS = {"open_session": (56, 52), "invoke": (24, 20), "suppl_recv": (8, 4), "suppl_send": (8, 4)}
_PARAM = struct.Struct("<4Q")  # struct tee_ioctl_param: attr, a, b, c
_ATTR_META = 0x100  # TEE_IOCTL_PARAM_ATTR_META
_LOGIN_GROUPS = ("TEE_IOCTL_LOGIN_GROUP", "TEE_IOCTL_LOGIN_GROUP_APPLICATION")
_LOGIN_PLAIN = ("TEE_IOCTL_LOGIN_PUBLIC", "TEE_IOCTL_LOGIN_USER", "TEE_IOCTL_LOGIN_APPLICATION",
                "TEE_IOCTL_LOGIN_USER_APPLICATION")


_REQUESTS = Requests(_SPECS, {_SHM_REGISTER_FD: "shm_register_fd"})


@cache
def _names(arch: str, table: str) -> dict[int, str]:
    return {v: n for v, n in reversed(tables.rows(arch, table))}


def _max_arg_size(arch: str) -> int:
    rows = tables.rows(arch, "tee_ioctl_max_arg_size")
    return rows[0][0] if rows else 1024


def _param(c: Call, data: bytes) -> str:
    attr, a, b, cc = _PARAM.unpack(data)
    text = "{attr=" + c.xval("tee_ioctl_param_attr_types", attr & ~_ATTR_META)
    if attr & _ATTR_META:
        text += "|TEE_IOCTL_PARAM_ATTR_META"
    kind = _names(c.arch, "tee_ioctl_param_attr_types").get(attr, "")
    if kind.endswith("TYPE_NONE"):
        return text + "}"
    if "_MEMREF_" in kind:
        return text + f", shm_offs={fmt.hexnum(a)}, size={fmt.hexnum(b)}, shm_id={cc}}}"
    return text + f", a={fmt.hexnum(a)}, b={fmt.hexnum(b)}, c={fmt.hexnum(cc)}}}"


def _params(c: Call, addr: int, count: int) -> str:
    return ", params=" + c.d.array(c.mem, addr, count, _PARAM.size, lambda b: _param(c, b))


def _uuid(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _entry_fields(c: Call, spec: str, a: bytes) -> str:
    if spec == "open_session":
        login = struct.unpack_from("<I", a, 32)[0]
        text = f"uuid={_uuid(a[:16])}, clnt_login={c.xval('tee_ioctl_login_types', login)}"
        name = _names(c.arch, "tee_ioctl_login_types").get(login)
        if name in _LOGIN_GROUPS:
            gid = struct.unpack_from("<I", a, 16)[0]
            text += ", clnt_uuid=" + ("-1" if gid == 0xFFFFFFFF else str(gid))
        elif name not in _LOGIN_PLAIN:
            text += ", clnt_uuid=[" + ", ".join(fmt.hexnum(x) for x in a[16:32]) + "]"
        cancel_id, num = struct.unpack_from("<I", a, 36)[0], struct.unpack_from("<I", a, 52)[0]
        return text + f", cancel_id={cancel_id}, num_params={num}"
    if spec == "invoke":
        func, session, cancel, _r, _o, num = struct.unpack_from("<6I", a)
        return f"func={func}, session={fmt.hexnum(session)}, cancel_id={cancel}, num_params={num}"
    if spec == "suppl_recv":
        func, num = struct.unpack_from("<2I", a)
        return f"func={func}, num_params={num}"
    return f"num_params={struct.unpack_from('<I', a, 4)[0]}"  # suppl_send


def _exit_fields(c: Call, spec: str, a: bytes) -> str:
    if spec == "open_session":
        session, ret, origin = struct.unpack_from("<3I", a, 40)
        return f"session={fmt.hexnum(session)}, ret={ret}, ret_origin={c.xval('tee_ioctl_origins', origin)}"
    if spec == "invoke":
        ret, origin = struct.unpack_from("<2I", a, 12)
        return f"ret={ret}, ret_origin={c.xval('tee_ioctl_origins', origin)}"
    if spec == "suppl_recv":
        return f"num_params={struct.unpack_from('<I', a, 4)[0]}"
    return f"ret={struct.unpack_from('<I', a)[0]}"  # suppl_send


def _buf_call(c: Call, spec: str) -> str:
    """tee_fetch_buf_data: the buffer's length and address when the length is out of bounds, the
    buffer unreadable, or (at entry) the parameters do not fill it exactly."""
    got = c.unpack("QQ")
    if got is None:
        return c.addr()
    ptr, length = got
    plain = f"{{buf_len={length}, buf_ptr={fmt.hexnum(ptr)}}}"
    size, num_off = _BUF_ARGS[spec]
    if length > _max_arg_size(c.arch) or length < size:
        return plain
    a = c.read(size, ptr)
    if a is None:
        return plain
    num = struct.unpack_from("<I", a, num_off)[0]
    if size + _PARAM.size * num != length:
        return plain
    text = f"{{buf_len={length}, buf_ptr={{{_entry_fields(c, spec, a)}{_params(c, ptr + size, num)}}}"
    if c.failed:
        return text + "}"
    # the kernel's answer, from the same buffer (strace reads it again at exit)
    return text + f" => {{{_exit_fields(c, spec, a)}{_params(c, ptr + size, num)}}}}}"


def _shm(c: Call, spec: str) -> str:
    """SHM_ALLOC / SHM_REGISTER / SHM_REGISTER_FD: what the call asks, then what the kernel set."""
    code = {"shm_alloc": "QIi", "shm_register": "QQIi", "shm_register_fd": "qQI4xi4x"}[spec]
    size = struct.calcsize("<" + code)
    before = c.read_entry(size)
    if before is None:
        return c.addr()
    vals = struct.unpack("<" + code, before)
    flags = c.flags("tee_ioctl_shm_flags", vals[-2])
    if spec == "shm_alloc":
        text = f"{{size={fmt.hexnum(vals[0])}, flags={flags}}}"
    elif spec == "shm_register":
        text = f"{{addr={fmt.hexnum(vals[0])}, length={fmt.hexnum(vals[1])}, flags={flags}}}"
    else:
        text = f"{{fd={c.d.fd_or_num(c.ev, vals[0])}, flags={flags}}}"
    if c.failed:
        return text
    after = c.read(size)
    if after is None:
        return text + " => " + c.addr()
    v = struct.unpack("<" + code, after)
    if spec == "shm_register_fd":
        return text + f" => {{size={fmt.hexnum(v[1])}, id={v[3]}}}"
    first = f"size={fmt.hexnum(v[0])}" if spec == "shm_alloc" else f"length={fmt.hexnum(v[1])}"
    return text + f" => {{{first}, flags={c.flags('tee_ioctl_shm_flags', v[-2])}, id={v[-1]}}}"


@family(0xA4)
def tee(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    if spec in _BUF_ARGS:
        return _buf_call(c, spec)
    if spec.startswith("shm"):
        return _shm(c, spec)
    if spec == "cancel":
        got = c.unpack("II")
        return c.addr() if got is None else f"{{cancel_id={got[0]}, session={fmt.hexnum(got[1])}}}"
    if spec == "close_session":
        got = c.unpack("I")
        return c.addr() if got is None else f"{{session={fmt.hexnum(got[0])}}}"
    # TEE_IOC_VERSION: written by the kernel
    if c.failed:
        return c.addr()
    got = c.unpack("III")
    if got is None:
        return c.addr()
    impl, impl_caps, gen_caps = got
    caps = (c.flags("tee_ioctl_optee_caps", impl_caps)
            if _names(c.arch, "tee_ioctl_impl_ids").get(impl) == "TEE_IMPL_ID_OPTEE" else fmt.hexnum(impl_caps))
    return (f"{{impl_id={c.xval('tee_ioctl_impl_ids', impl)}, gen_caps={c.flags('tee_ioctl_gen_caps', gen_caps)}, "
            f"impl_caps={caps}}}")

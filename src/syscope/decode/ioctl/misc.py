"""Small ioctl families, as strace's inotify_ioctl.c ('I'), watchdog_ioctl.c ('W'),
random_ioctl.c ('R'), nbd_ioctl.c (0xab) and counter_ioctl.c ('>')."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import NO_ARG, Call, Requests, Struct, family, simple, struct_arg

_SPECS = {
    0x49: {"INOTIFY_IOC_SETNEXTWD": "d"},
    0x57: {"WDIOC_GETSTATUS": "out:i", "WDIOC_GETBOOTSTATUS": "out:i", "WDIOC_GETTEMP": "out:i",
           "WDIOC_GETTIMEOUT": "out:i", "WDIOC_GETPRETIMEOUT": "out:i", "WDIOC_GETTIMELEFT": "out:i",
           "WDIOC_SETTIMEOUT": "in:i", "WDIOC_SETPRETIMEOUT": "in:i",
           # linux/watchdog.h says it takes an int; the kernel ignores it
           "WDIOC_KEEPALIVE": "none"},
    0x52: {"RNDGETENTCNT": "out:i", "RNDADDTOENTCNT": "in:i", "RNDADDENTROPY": "entropy",
           "RNDZAPENTCNT": "none", "RNDCLEARPOOL": "none", "RNDRESEEDCRNG": "none"},
    0xAB: {"NBD_DISCONNECT": "none", "NBD_CLEAR_SOCK": "none", "NBD_DO_IT": "none", "NBD_CLEAR_QUE": "none",
           "NBD_PRINT_DEBUG": "none", "NBD_SET_SOCK": "fd", "NBD_SET_BLKSIZE": "u", "NBD_SET_SIZE": "u",
           "NBD_SET_SIZE_BLOCKS": "u", "NBD_SET_TIMEOUT": "u", "NBD_SET_FLAGS": "nbd_flags"},
    0x3E: {"COUNTER_ADD_WATCH_IOCTL": "watch", "COUNTER_ENABLE_EVENTS_IOCTL": "none",
           "COUNTER_DISABLE_EVENTS_IOCTL": "none"},
}

# linux/counter.h struct counter_watch {struct counter_component {u8 type, scope; u8 parent,
# id} component; u8 event, channel}
_COMPONENT = Struct([("type", "B", "xval:counter_component_types"), ("scope", "B", "xval:counter_scopes"),
                     ("parent", "B", "u"), ("id", "B", "u")])
_WATCH = Struct([("component", "4s", lambda c, v: _COMPONENT.text(c, v)), ("event", "B", "xval:counter_event_types"),
                 ("channel", "B", "u")])


_REQUESTS = {typ: Requests(specs) for typ, specs in _SPECS.items()}


def _small(c: Call) -> str | None:
    spec = _REQUESTS[(c.code >> 8) & 0xFF].spec(c)
    if spec is None:
        return None
    if spec == "entropy":
        # linux/random.h struct rand_pool_info {int entropy_count, buf_size; u32 buf[]}
        got = c.unpack("ii")
        if got is None:
            return c.addr()
        return f"{{entropy_count={got[0]}, buf_size={got[1]}, buf={c.strn(c.arg + 8, got[1] & 0xFFFFFFFF)}}}"
    if spec == "fd":
        return c.d.fd_or_num(c.ev, fmt.s32(c.arg))
    if spec == "nbd_flags":
        return c.flags("nbd_ioctl_flags", c.arg)
    if spec == "watch":
        return struct_arg(c, _WATCH, out=False)
    if spec == "none":
        return NO_ARG
    return simple(c, spec)


for _typ in _SPECS:
    family(_typ)(_small)


# lirc(4) requests ('i', linux/lirc.h) as strace's lirc_ioctl.c: one unsigned int, read at exit
# for the getters
_LIRC = {"LIRC_GET_FEATURES": "features", "LIRC_GET_SEND_MODE": "mode", "LIRC_GET_REC_MODE": "mode",
         "LIRC_SET_SEND_MODE": "mode", "LIRC_SET_REC_MODE": "mode", "LIRC_SET_TRANSMITTER_MASK": "x",
         **dict.fromkeys(("LIRC_GET_REC_RESOLUTION", "LIRC_GET_MIN_TIMEOUT", "LIRC_GET_MAX_TIMEOUT", "LIRC_GET_LENGTH",
                          "LIRC_SET_SEND_CARRIER", "LIRC_SET_REC_CARRIER", "LIRC_SET_SEND_DUTY_CYCLE",
                          "LIRC_SET_REC_TIMEOUT", "LIRC_SET_REC_TIMEOUT_REPORTS", "LIRC_SET_MEASURE_CARRIER_MODE",
                          "LIRC_SET_REC_CARRIER_RANGE", "LIRC_SET_WIDEBAND_RECEIVER", "LIRC_GET_REC_TIMEOUT"), "u")}


_LIRC_REQUESTS = Requests(_LIRC)


@family(0x69)
def lirc(c: Call) -> str | None:
    spec = _LIRC_REQUESTS.spec(c)
    if spec is None:
        return None
    if c.code >> 30 == 2 and c.failed:  # _IOC_READ: the value the kernel wrote
        return c.addr()
    got = c.unpack("I")
    if got is None:
        return c.addr()
    v = got[0]
    if spec == "features":
        return f"[{c.flags('lirc_features', v)}]"
    if spec == "mode":
        return f"[{c.xval('lirc_modes', v)}]"
    return f"[{fmt.hexnum(v)}]" if spec == "x" else f"[{v}]"


# the modem lines of TIOCMGET/TIOCMBIS/TIOCMBIC/TIOCMSET (tty_ioctl(4)), strace's term.c
_TIOCM = {"TIOCMGET": "out", "TIOCMBIS": "in", "TIOCMBIC": "in", "TIOCMSET": "in"}


TIOCM_REQUESTS = Requests(_TIOCM)


def modem_flags(c: Call, way: str) -> str:
    if way == "out" and c.failed:
        return c.addr()
    got = c.unpack("I")
    return c.addr() if got is None else f"[{c.flags('modem_flags', got[0])}]"


# perf_event_open(2) fd requests ('$', linux/perf_event.h) as strace's perf_ioctl.c (the
# attributes of PERF_EVENT_IOC_MODIFY_ATTRIBUTES are not decoded yet: their address is printed)
_PERF = {"PERF_EVENT_IOC_ENABLE": "flags", "PERF_EVENT_IOC_DISABLE": "flags", "PERF_EVENT_IOC_RESET": "flags",
         "PERF_EVENT_IOC_REFRESH": "d", "PERF_EVENT_IOC_PERIOD": "in:Q", "PERF_EVENT_IOC_SET_OUTPUT": "fd",
         "PERF_EVENT_IOC_SET_BPF": "fd", "PERF_EVENT_IOC_PAUSE_OUTPUT": "u", "PERF_EVENT_IOC_SET_FILTER": "filter",
         "PERF_EVENT_IOC_ID": "out:Q", "PERF_EVENT_IOC_QUERY_BPF": "query_bpf",
         "PERF_EVENT_IOC_MODIFY_ATTRIBUTES": "attr"}
_PAGE = 4096  # strace reads a filter string of up to a page (get_pagesize())


_PERF_REQUESTS = Requests(_PERF)


@family(0x24)
def perf(c: Call) -> str | None:
    spec = _PERF_REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "flags":
        return c.flags("perf_ioctl_flags", c.arg & 0xFFFFFFFF)
    if spec == "fd":
        return c.d.fd_or_num(c.ev, fmt.s32(c.arg))
    if spec == "filter":
        return c.d.cstr(c.mem, c.arg, c.d.slimit, whole=True) if c.verbose else c.addr()
    if spec == "attr":
        if not c.arg or not c.verbose:
            return c.addr()
        from syscope.decode.ioctl import perf_attr  # a perf ioctl's attr only: term.py imports this module

        return perf_attr.text(lambda a, n: c.read(n, a), c.arg, c.arch, c.xs, c.d.abbrev)
    if spec == "query_bpf":
        # struct perf_event_query_bpf {u32 ids_len, prog_cnt, ids[]}
        got = c.unpack("I")
        if got is None:
            return c.addr()
        cnt = None if c.failed else c.unpack("I", c.arg + 4)
        if cnt is None:
            return f"{{ids_len={got[0]}, ...}}"
        ids = c.d.array(c.mem, c.arg + 8, cnt[0], 4, lambda b: str(int.from_bytes(b, "little")))
        return f"{{ids_len={got[0]}, prog_cnt={cnt[0]}, ids={ids}}}"
    return simple(c, spec)


# userfaultfd(2) requests (0xaa, linux/userfaultfd.h) as strace's userfaultfd.c: what the
# call is given, then what the kernel wrote back (UFFDIO_API's features, the ioctls a range
# supports, the bytes copied)
_UFFD = {"UFFDIO_API": "api", "UFFDIO_COPY": "copy", "UFFDIO_REGISTER": "register", "UFFDIO_UNREGISTER": "range",
         "UFFDIO_WAKE": "range", "UFFDIO_ZEROPAGE": "zeropage"}


_UFFD_REQUESTS = Requests(_UFFD)


def _range(start: int, length: int) -> str:
    return f"{{start={fmt.hexnum(start)}, len={fmt.hexnum(length)}}}"


@family(0xAA)
def uffdio(c: Call) -> str | None:
    spec = _UFFD_REQUESTS.spec(c)
    if spec is None:
        return None
    if spec == "range":
        got = c.unpack("QQ")
        return c.addr() if got is None else _range(*got)
    size = {"api": 24, "copy": 40, "register": 32, "zeropage": 32}[spec]
    before, after = c.read_entry(size), None if c.failed else c.read(size)
    if before is None:
        return c.addr()
    if spec == "api":
        # struct uffdio_api {u64 api, features, ioctls}
        api, features, _ = struct.unpack("<QQQ", before)
        text = f"{{api={fmt.hexnum(api)}, features={c.flags('uffd_api_features', features)}"
        if after is not None:
            _, features2, ioctls = struct.unpack("<QQQ", after)
            if features2 != features:
                text += f" => features={c.flags('uffd_api_features', features2)}"
            text += f", ioctls={_bits(c, 'uffd_api_flags', ioctls)}"
        return text + "}"
    if spec == "copy":
        # struct uffdio_copy {u64 dst, src, len, mode; s64 copy}
        dst, src, ln, mode, _ = struct.unpack("<QQQQq", before)
        text = (f"{{dst={fmt.hexnum(dst)}, src={fmt.hexnum(src)}, len={fmt.hexnum(ln)}, "
                f"mode={c.flags('uffd_copy_flags', mode)}")
        return text + (f", copy={fmt.hexnum(struct.unpack_from('<q', after, 32)[0] & (1 << 64) - 1)}}}"
                       if after is not None else "}")
    # struct uffdio_register {struct uffdio_range range; u64 mode, ioctls} and struct
    # uffdio_zeropage {range; u64 mode; s64 zeropage}
    start, ln, mode, last = struct.unpack("<QQQQ", before)
    table = "uffd_register_mode_flags" if spec == "register" else "uffd_zeropage_flags"
    text = f"{{range={_range(start, ln)}, mode={c.flags(table, mode)}"
    if after is None:
        return text + "}"
    last = struct.unpack_from("<Q", after, 24)[0]
    if spec == "register":
        return text + f", ioctls={_bits(c, 'uffd_register_ioctl_flags', last)}}}"
    return text + f", zeropage={fmt.hexnum(last)}}}"


def _bits(c: Call, table: str, v: int) -> str:
    return tables.bits(c.arch, table, c.xs, "<<")(v)

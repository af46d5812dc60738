"""Console and keyboard requests (type 'K', linux/kd.h, linux/keyboard.h), as strace's
kd_ioctl.c and kd_mpers_ioctl.c."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import NO_ARG, Call, Requests, family

_PIT_TICK_RATE = 1193182  # the kernel's PIT_TICK_RATE (include/linux/timex.h), KIOCSOUND's clock
_E_TABSZ = 256  # E_TABSZ: the screen map's size
_MAX_DIACR = 256
_GPFIRST, _GPLAST = 0x3B4, 0x3DF  # drivers/tty/vt/vt_ioctl.c: the ports KDADDIO takes

_SPECS = {"KIOCSOUND": "sound", "KDMKTONE": "tone", "KDGETLED": "led_get", "KDSETLED": "led_set",
          "KDGKBLED": "kbled_get", "KDSKBLED": "kbled_set", "KDGKBTYPE": "kbtype", "KDADDIO": "io", "KDDELIO": "io",
          "KDSETMODE": "setmode", "KDGETMODE": "getmode", "GIO_SCRNMAP": "scrnmap_get", "PIO_SCRNMAP": "scrnmap_set",
          "GIO_UNISCRNMAP": "uniscrnmap_get", "PIO_UNISCRNMAP": "uniscrnmap_set", "KDGKBMODE": "kbmode_get",
          "KDSKBMODE": "kbmode_set", "KDGKBENT": "kbent_get", "KDSKBENT": "kbent_set", "KDGKBSENT": "kbsent_get",
          "KDSKBSENT": "kbsent_set", "KDGKBDIACR": "diacr_get", "KDSKBDIACR": "diacr_set",
          "KDGKBDIACRUC": "diacruc_get", "KDSKBDIACRUC": "diacruc_set", "KDGETKEYCODE": "keycode_get",
          "KDSETKEYCODE": "keycode_set", "KDSIGACCEPT": "sigaccept", "KDKBDREP": "kbdrep", "GIO_FONT": "font_get",
          "PIO_FONT": "font_set", "KDGKBMETA": "meta_get", "KDSKBMETA": "meta_set", "PIO_UNIMAPCLR": "unimapclr",
          "GIO_CMAP": "cmap_get", "PIO_CMAP": "cmap_set", "KDENABIO": "none", "KDDISABIO": "none",
          "KDMAPDISP": "none", "KDUNMAPDISP": "none", "PIO_FONTRESET": "none", "GIO_UNIMAP": "unimap_get",
          "PIO_UNIMAP": "unimap_set", "GIO_FONTX": "fontx_get", "PIO_FONTX": "fontx_set", "KDFONTOP": "fontop"}


_REQUESTS = Requests(_SPECS)


def char(v: int) -> str:
    """print_char with SCF_QUOTES|SCF_ESC_WS: ``'a'``, ``'\\''``, ``'\\n'``, ``'\\x80'``."""
    if 0x20 <= v < 0x7F:
        return "'\\" + chr(v) + "'" if chr(v) in "'\\" else f"'{chr(v)}'"
    if 9 <= v <= 13:
        return "'\\" + "tnvfr"[v - 9] + "'"
    return f"'\\x{v:02x}'"


def _hexstr(c: Call, addr: int, length: int) -> str:
    return c.strn(addr, length, force_hex=True)


@family(0x4B)
def kd(c: Call) -> str | None:
    spec = _REQUESTS.spec(c)
    if spec is None:
        return None
    get = spec.endswith("_get")
    # what the kernel writes is read at exit: a failed call's is its address
    exit_only = get and spec not in ("kbent_get", "kbsent_get", "keycode_get", "unimap_get", "fontx_get")
    if c.failed and (exit_only or spec in ("kbtype", "getmode")):
        return c.addr()
    return _HANDLERS[spec.removesuffix("_get").removesuffix("_set")](c, get)


def _sound(c: Call, get: bool) -> str:
    freq = _PIT_TICK_RATE // c.arg if c.arg else 0
    if c.xs == 2:
        return str(c.arg)
    return f"{c.arg} /* {freq} Hz */" if freq else f"{c.arg} /* off */"


def _tone(c: Call, get: bool) -> str:
    v = c.arg & 0xFFFFFFFF
    ticks, count = v >> 16, v & 0xFFFF
    freq = _PIT_TICK_RATE // count if ticks and count else 0
    text = f"{ticks}<<16|{count}" if ticks else str(count)
    if c.xs == 2:
        return text
    return text + (f" /* {freq} Hz, {ticks} ms */" if freq else " /* off */")


def _leds(c: Call, get: bool, default: bool) -> str:
    if get:
        got = c.unpack("B")
        if got is None:
            return c.addr()
        val = got[0]
    else:
        val = c.arg & 0xFF
    rows = tables.rows(c.arch, "kd_led_flags")
    if default:
        rows = rows + [(v << 4, f"{n}<<4") for v, n in rows]
    text = fmt.Flags(rows, c.xs, "LED_")(val)
    return f"[{text}]" if get else text


def _u8_xval(c: Call, table: str) -> str:
    got = c.unpack("B")
    return c.addr() if got is None else f"[{c.xval(table, got[0])}]"


def _io(c: Call, get: bool) -> str:
    text = fmt.hexnum(c.arg)
    if _GPFIRST <= c.arg <= _GPLAST and c.xs != 2:
        text += f" /* GPFIRST + {c.arg - _GPFIRST} */"
    return text


def _getmode(c: Call, get: bool) -> str:
    got = c.unpack("I")
    return c.addr() if got is None else f"[{c.xval('kd_modes', got[0])}]"


def _xval_d(c: Call, table: str, v: int) -> str:
    """printxval_d: a signed decimal with the name (``-1 /* K_??? */``)."""
    name = tables.enum(c.arch, table).get(v & 0xFFFFFFFF)
    n = fmt.s32(v)
    if c.xs == 2:
        return str(n)
    if name is None:
        return f"{n} /* {tables.unknown(table, tables.rows(c.arch, table))}??? */"
    return f"{n} /* {name} */" if c.xs else name


def _kbmode(c: Call, get: bool) -> str:
    if not get:
        return _xval_d(c, "kd_kbd_modes", c.arg)
    got = c.unpack("I")
    return c.addr() if got is None else f"[{_xval_d(c, 'kd_kbd_modes', got[0])}]"


def _scrnmap(c: Call, get: bool) -> str:
    return _hexstr(c, c.arg, _E_TABSZ)


def _uniscrnmap(c: Call, get: bool) -> str:
    base = tables.value(c.arch, "kd_uni", "UNI_DIRECT_BASE") or 0xF000
    mask = tables.value(c.arch, "kd_uni", "UNI_DIRECT_MASK") or 0x1FF

    def one(b: bytes) -> str:
        v = struct.unpack("<H", b)[0]
        direct = v & ~mask == base
        if c.xs == 2:
            return fmt.hexnum(v)
        if not direct:
            return fmt.hexnum(v)
        rel = f"UNI_DIRECT_BASE+{fmt.hexnum(v & mask)}"
        return f"{fmt.hexnum(v)} /* {rel} */" if c.xs else rel
    return c.d.array(c.mem, c.arg, _E_TABSZ, 2, one)


def _keymap_table(c: Call, table: int) -> str:
    if tables.enum(c.arch, "kd_key_tables").get(table) is not None:
        return c.xval("kd_key_tables", table)
    return tables.bits(c.arch, "kd_keymap_flags", c.xs, "<<")(table)


def _key_value(c: Call, v: int) -> str:
    text = fmt.hexnum(v)
    if c.xs == 2:
        return text
    ktyp, kval = v >> 8, v & 0xFF
    if ktyp not in (0, 5, 8, 11, 13):  # KT_LATIN, KT_CONS, KT_META, KT_LETTER, KT_DEAD2: no names
        name = next((n for x, n in tables.rows(c.arch, "kd_keys") if x == v), None)
        if name is not None:
            return f"{text} /* {name} */"
    ktype = tables.enum(c.arch, "kd_key_types").get(ktyp) or fmt.hexnum(ktyp)
    shown = char(kval) if ktyp in (0, 8, 11, 13) else fmt.hexnum(kval)
    return f"{text} /* K({ktype}, {shown}) */"


def _kbent(c: Call, get: bool) -> str:
    # struct kbentry {u8 kb_table, kb_index; u16 kb_value}
    head = c.unpack("BB")
    if head is None:
        return c.addr()
    text = f"{{kb_table={_keymap_table(c, head[0])}, kb_index={head[1]}"
    if get and c.failed:
        return text + "}"
    val = c.unpack("H", c.arg + 2)
    if val is None:
        return text + ", kb_value=???}"
    return text + f", kb_value={_key_value(c, val[0])}}}"


def _kbsent(c: Call, get: bool) -> str:
    # struct kbsentry {u8 kb_func; u8 kb_string[512]}
    head = c.unpack("B")
    if head is None:
        return c.addr()
    rows = [(v & 0xFF, f"KVAL({n})") for v, n in tables.rows(c.arch, "kd_keys") if v >> 8 == 1]
    text = f"{{kb_func={fmt.Enum(rows, 'KVAL(K_', c.xs)(head[0])}"
    if get and c.failed:
        return text + "}"
    got = c.mem.read_cstr(c.arg + 1, 512) if c.verbose else None
    if got is None or not got[1] and len(got[0]) < 512:
        return text + ", kb_string=???}"  # a fault before the NUL (umovestr failed)
    data, nul = got
    limit = c.d.slimit
    more = not nul or len(data) >= limit
    return text + ', kb_string="' + fmt.quote(data[:limit], c.d.opts.xflag) + '"' + ("..." if more else "") + "}"


def _diacr(c: Call, get: bool) -> str:
    return _diacrs(c, 3, "kbdiacr", lambda b: f"{{diacr={char(b[0])}, base={char(b[1])}, result={char(b[2])}}}")


def _diacruc(c: Call, get: bool) -> str:
    def one(b: bytes) -> str:
        d, base, r = struct.unpack("<III", b)
        return f"{{diacr={fmt.hexnum(d)}, base={fmt.hexnum(base)}, result={fmt.hexnum(r)}}}"
    return _diacrs(c, 12, "kbdiacruc", one)


def _diacrs(c: Call, size: int, name: str, show: object) -> str:
    got = c.unpack("I")
    if got is None:
        return c.addr()
    cnt = got[0]
    assert callable(show)
    arr = c.d.array(c.mem, c.arg + 4, min(cnt, _MAX_DIACR), size, show)
    if cnt > _MAX_DIACR and arr.endswith("]") and not arr.endswith("...]"):
        arr = arr[:-1] + ", ...]"
    return f"{{kb_cnt={cnt}, {name}={arr}}}"


def _keycode(c: Call, get: bool) -> str:
    # struct kbkeycode {u32 scancode, keycode}
    got = c.unpack("II")
    if got is None:
        return c.addr()
    text = f"{{scancode={fmt.hexnum(got[0])}, keycode={fmt.hexnum(got[1])}"
    if get and not c.failed:
        text += f" => {fmt.hexnum(got[1])}"
    return text + "}"


def _sigaccept(c: Call, get: bool) -> str:
    if c.arg >= 0x7FFFFFFF:
        return str(c.arg)
    name = fmt.signame(c.arg)
    if name == str(c.arg) or c.xs == 2:
        return str(c.arg)
    return f"{c.arg} /* {name} */" if c.xs else name


def _kbdrep(c: Call, get: bool) -> str:
    got = c.unpack("ii")
    if got is None:
        return c.addr()
    text = f"{{delay={got[0]}, period={got[1]}}}"
    return text if c.failed else f"{text} => {text}"


def _font(c: Call, get: bool) -> str:
    return _hexstr(c, c.arg, 8192)


def _meta(c: Call, get: bool) -> str:
    if not get:
        return c.xval("kd_meta_vals", c.arg & 0xFFFFFFFF)
    got = c.unpack("I")
    return c.addr() if got is None else f"[{c.xval('kd_meta_vals', got[0])}]"


def _unimapclr(c: Call, get: bool) -> str:
    got = c.unpack("HHH")
    if got is None:
        return c.addr()
    return f"{{advised_hashsize={got[0]}, advised_hashstep={got[1]}, advised_hashlevel={got[2]}}}"


def _cmap(c: Call, get: bool) -> str:
    return _hexstr(c, c.arg, 3 * 16)


def _unimap(c: Call, get: bool) -> str:
    # struct unimapdesc {u16 entry_ct; struct unipair {u16 unicode, fontpos} *entries}
    code = "H6xQ" if c.word == 8 else "H2xI"
    got = c.unpack(code)
    if got is None:
        return c.addr()
    cnt, entries = got

    def pair(b: bytes) -> str:
        uni, pos = struct.unpack("<HH", b)
        return f"{{unicode={fmt.hexnum(uni)}, fontpos={fmt.hexnum(pos)}}}"

    def pairs(n: int) -> str:
        return c.d.array(c.mem, entries, n, 4, pair)
    text = f"{{entry_ct={cnt}"
    if not get:
        return text + f", entries={pairs(cnt)}}}"
    after = c.unpack(code)
    text += f" => {after[0] if after else cnt}"
    if c.failed and c.ev.errno != 12:  # ENOMEM: the kernel wrote how many it has
        return text + f", entries={fmt.ptr(entries)}}}"
    return text + f", entries={pairs(cnt)}}}"


def _fontx(c: Call, get: bool) -> str:
    # struct consolefontdesc {u16 charcount, charheight; char *chardata}
    code = "HH4xQ" if c.word == 8 else "HHI"
    got = c.unpack(code)
    if got is None:
        return c.addr()
    cnt, height, data = got
    if get:
        text = f"{{charcount={cnt}, charheight={height}, chardata={fmt.ptr(data)}}}"
        if c.failed:
            return text
        return text + f" => {{charcount={cnt}, charheight={height}, chardata={_hexstr(c, data, min(cnt, 512) * 32)}}}"
    return f"{{charcount={cnt}, charheight={height}, chardata={_hexstr(c, data, min(cnt, 512) * 32)}}}"


def _fontop(c: Call, get: bool) -> str:
    # struct console_font_op {u32 op, flags, width, height, charcount; u8 *data}
    code = "5I4xQ" if c.word == 8 else "6I"
    got = c.unpack(code)
    if got is None:
        return c.addr()
    op = got[0]
    names = {n: v for v, n in tables.rows(c.arch, "kd_font_ops")}
    text = _font_op(c, got, names, True)
    if op in (names.get("KD_FONT_OP_SET"), names.get("KD_FONT_OP_COPY")) or c.failed:
        return text
    return f"{text} => {_font_op(c, got, names, False)}"


def _font_op(c: Call, v: tuple[int, ...], names: dict[str, int], entering: bool) -> str:
    op, flags, width, height, count, data = v
    plain = op in (names.get("KD_FONT_OP_SET_DEFAULT"), names.get("KD_FONT_OP_COPY"))
    parts = []
    if entering:
        parts.append(f"op={c.xval('kd_font_ops', op)}")
        if not plain:
            parts.append(f"flags={c.flags('kd_font_flags', flags)}")
    if op != names.get("KD_FONT_OP_COPY"):
        parts.append(f"width={width}")
    parts.append(f"height={height}")
    if not plain:
        parts.append(f"charcount={count}")
    size = (min(width, 32) + 7) // 8 * 32 * min(count, 512)
    if op == names.get("KD_FONT_OP_GET") and entering:
        parts.append(f"data={fmt.ptr(data)}")
    elif op in (names.get("KD_FONT_OP_GET"), names.get("KD_FONT_OP_SET")):
        parts.append(f"data={_hexstr(c, data, size)}")
    elif op == names.get("KD_FONT_OP_SET_DEFAULT"):
        if entering:
            parts.append(f"data={_font_name(c, data)}")
    elif op != names.get("KD_FONT_OP_COPY"):
        parts.append(f"data={fmt.ptr(data)}")
    return "{" + ", ".join(parts) + "}"


def _font_name(c: Call, addr: int) -> str:
    """printstr_ex(data, KERNEL_MAX_FONT_NAME (32), QUOTE_0_TERMINATED): "..." when no NUL
    comes within the 32 bytes; the address when the name faults before them."""
    got = c.mem.read_cstr(addr, 32) if addr and c.verbose else None
    if got is None or not got[1] and len(got[0]) < 32:
        return c.addr(addr)
    data, nul = got
    limit = min(31, c.d.slimit)  # the 32 bytes hold the NUL too
    more = not nul or len(data) > limit
    return '"' + fmt.quote(data[:limit], c.d.opts.xflag) + '"' + ("..." if more else "")


def _led(c: Call, get: bool) -> str:
    return _leds(c, get, False)


def _kbled(c: Call, get: bool) -> str:
    return _leds(c, get, True)


_HANDLERS = {
    "sound": _sound, "tone": _tone, "led": _led, "kbled": _kbled,
    "kbtype": lambda c, get: _u8_xval(c, "kd_kbd_types"), "io": _io,
    "setmode": lambda c, get: c.xval("kd_modes", c.arg & 0xFFFFFFFF), "getmode": _getmode, "scrnmap": _scrnmap,
    "uniscrnmap": _uniscrnmap, "kbmode": _kbmode, "kbent": _kbent, "kbsent": _kbsent, "diacr": _diacr,
    "diacruc": _diacruc, "keycode": _keycode, "sigaccept": _sigaccept, "kbdrep": _kbdrep, "font": _font,
    "meta": _meta, "unimapclr": _unimapclr, "cmap": _cmap, "none": lambda c, get: NO_ARG, "unimap": _unimap,
    "fontx": _fontx, "fontop": _fontop,
}

"""Input device requests (type 'E', linux/input.h EVIOC*) as strace's evdev.c and
evdev_mpers.c: read requests print at exit (the address when the call failed), write requests
what the kernel is given."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.ioctl import tables
from syscope.decode.ioctl.core import Call, Requests, Struct, family, simple, struct_arg

_READ, _WRITE = 2, 1
_FIXED = {"EVIOCGVERSION": "xout:i", "EVIOCGEFFECTS": "out:I", "EVIOCGID": "id", "EVIOCGREP": "out:II",
          "EVIOCGKEYCODE": "keycode", "EVIOCGKEYCODE_V2": "keycode2", "EVIOCSREP": "in:II",
          "EVIOCSKEYCODE": "keycode", "EVIOCSKEYCODE_V2": "keycode2", "EVIOCRMFF": "d", "EVIOCGRAB": "u",
          "EVIOCREVOKE": "u", "EVIOCSCLOCKID": "in:I", "EVIOCSFF": "ff"}
# linux/input.h struct input_id {u16 bustype, vendor, product, version}
_ID = Struct([("bustype", "H", "u"), ("vendor", "H", "u"), ("product", "H", "u"), ("version", "H", "u")])
# struct input_keymap_entry {u8 flags, len; u16 index; u32 keycode; u8 scancode[32]}
_KEYMAP = Struct([("flags", "B", "u"), ("len", "B", "u"), ("index", "H", "u"), ("keycode", "I", "xval:evdev_keycode"),
                  ("scancode", "32s", lambda c, v: "[" + ", ".join(fmt.hexnum(b) for b in v) + "]")])
# struct input_absinfo {s32 value, minimum, maximum, fuzz, flat, resolution}: strace prints them unsigned
_ABS_FIELDS = ("value", "minimum", "maximum", "fuzz", "flat", "resolution")
# the bitset of each EVIOCGBIT(ev, ...) and its names (event codes up to the table's *_MAX)
_BITS = {0: ("evdev_ev", 0x1F), 1: ("evdev_keycode", 0x2FF), 2: ("evdev_relative_axes", 0x0F),
         3: ("evdev_abs", 0x3F), 4: ("evdev_misc", 0x07), 5: ("evdev_switch", 0x10), 0x11: ("evdev_leds", 0x0F),
         0x12: ("evdev_snd", 0x07), 0x14: ("evdev_autorepeat", 0x01), 0x15: ("evdev_ff_types", 0x7F),
         0x17: ("evdev_ff_status", 0x01)}
_BY_NR = {0x09: ("evdev_prop", 0x1F), 0x1A: ("evdev_snd", 0x07), 0x1B: ("evdev_switch", 0x10),
          0x18: ("evdev_keycode", 0x2FF), 0x19: ("evdev_leds", 0x0F)}


_FIXED_REQUESTS = Requests(_FIXED)


@family(0x45)
def evdev(c: Call) -> str | None:
    d = c.code >> 30
    if d not in (_READ, _WRITE):
        return None
    spec = _FIXED_REQUESTS.spec(c)
    if d == _READ and c.failed:
        return c.addr()
    if spec is not None:
        return _fixed_cmd(c, spec)
    if d == _WRITE:
        return _abs(c) if c.nr >= 0xC0 else c.addr()
    nr = c.nr
    if nr == 0x0A:
        return _mtslots(c)
    if nr in (0x06, 0x07, 0x08):
        # EVIOCGNAME/PHYS/UNIQ: as many bytes as the call returned
        return c.strn(c.arg, c.ev.retval or 0)
    if nr in _BY_NR:
        return _bitset(c, *_BY_NR[nr])
    if 0x40 <= nr < 0x80:
        return _abs(c)
    if 0x20 <= nr < 0x40:
        ev = nr - 0x20
        if ev == 0x16:  # EV_PWR
            return simple(c, "out:i")
        return _bitset(c, *_BITS[ev]) if ev in _BITS else c.addr()
    return c.addr()


def _fixed_cmd(c: Call, spec: str) -> str:
    if spec == "id":
        return struct_arg(c, _ID, out=False)
    if spec == "keycode":
        got = c.unpack("II")
        return c.addr() if got is None else f"[{got[0]}, {c.xval('evdev_keycode', got[1])}]"
    if spec == "keycode2":
        only = None if not c.d.abbrev else ("flags", "len")
        data = c.read(_KEYMAP.size)
        if data is None:
            return c.addr()
        text = _KEYMAP.text(c, data, only)
        return text[:-1] + ", ...}" if only else text
    if spec == "ff":
        return _ff_effect(c)
    return simple(c, spec.replace("out:", "in:") if spec.startswith("out") else spec)


def _abs(c: Call) -> str:
    size = c.size
    if size < 20:
        return c.addr()
    data = c.read(min(size, 24))
    if data is None:
        return c.addr()
    vals = struct.unpack_from(f"<{len(data) // 4}I", data)
    shown = 2 if c.d.abbrev else min(len(vals), 6)
    parts = [f"{_ABS_FIELDS[k]}={vals[k]}" for k in range(shown)]
    if c.d.abbrev or size > 20 and size != 24:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"


def _mtslots(c: Call) -> str:
    n = c.size // 4
    if not n:
        return c.addr()
    got = c.unpack("I")
    if got is None:
        return c.addr()
    values = c.d.array(c.mem, c.arg + 4, n - 1, 4, lambda b: str(struct.unpack("<i", b)[0]))
    return f"{{code={c.xval('evdev_mtslots', got[0])}, values={values}}}"


def _bitset(c: Call, table: str, max_nr: int) -> str:
    """decode_bitset: the bits set in the bytes the call returned (up to the table's max),
    ``[KEY_1 KEY_2 ...]``; -X raw/verbose: the words in hex."""
    ret = c.ev.retval or 0
    bits = max_nr if ret > max_nr // 8 else ret * 8
    nbytes = (bits + 7) // 8
    size = (nbytes + c.word - 1) // c.word * c.word
    if not size:
        return c.addr()
    data = c.read(size)
    if data is None:
        return c.addr()
    value = int.from_bytes(data, "little")
    out = ""
    if c.xs != 2:
        names: list[str] = []
        enum = tables.enum(c.arch, table, c.xs)
        shown = 0
        for i in range(bits):
            if value >> i & 1:
                if names and c.d.abbrev and shown >= 3:
                    names.append("...")
                    break
                if names:
                    shown += 1
                names.append(enum(i))
        out = "[" + " ".join(names) + "]"
    if c.xs:
        words = [int.from_bytes(data[k:k + c.word], "little") for k in range(0, size, c.word)]
        raw = "[" + ", ".join(fmt.hexnum(w) for w in words) + "]"
        out = f"{out} /* {raw} */" if c.xs == 1 else raw
    return out


# linux/input.h struct ff_effect: u16 type; s16 id; u16 direction; struct ff_trigger {u16 button,
# interval}; struct ff_replay {u16 length, delay}; then the union at offset 16 (8-aligned for
# the periodic effect's custom_data pointer)
_FF_HEAD = struct.Struct("<HhHHHHH")
_ENVELOPE = "envelope={{attack_length={}, attack_level={}, fade_length={}, fade_level={}}}"


def _ff_effect(c: Call) -> str:
    size = 48 if c.word == 8 else 44
    data = c.read(size)
    if data is None:
        return c.addr()
    typ, eid, direction, button, interval, length, delay = _FF_HEAD.unpack_from(data)
    head = f"{{type={c.xval('evdev_ff_types', typ)}, id={eid}, direction={direction}"
    if c.d.abbrev:
        return head + ", ...}"
    head += f", trigger={{button={button}, interval={interval}}}, replay={{length={length}, delay={delay}}}"
    u = data[16:]

    def envelope(off: int) -> str:
        a, b, cc, dd = struct.unpack_from("<HHHH", u, off)
        return _ENVELOPE.format(a, b, cc, f"{dd:#x}" if dd else "0")
    if typ == tables.value(c.arch, "evdev_ff_types", "FF_CONSTANT"):
        head += f", constant={{level={struct.unpack_from('<h', u)[0]}, {envelope(2)}}}"
    elif typ == tables.value(c.arch, "evdev_ff_types", "FF_RAMP"):
        s, e = struct.unpack_from("<hh", u)
        head += f", ramp={{start_level={s}, end_level={e}, {envelope(4)}}}"
    elif typ == tables.value(c.arch, "evdev_ff_types", "FF_PERIODIC"):
        w, p, m, o, ph = struct.unpack_from("<HHhhH", u)
        clen = struct.unpack_from("<I", u, 20)[0]
        cdata = struct.unpack_from("<Q" if c.word == 8 else "<I", u, 24 if c.word == 8 else 24)[0]
        head += (f", periodic={{waveform={w}, period={p}, magnitude={m}, offset={o}, phase={ph}, {envelope(10)}, "
                 f"custom_len={clen}, custom_data={fmt.ptr(cdata)}}}")
    elif typ == tables.value(c.arch, "evdev_ff_types", "FF_RUMBLE"):
        s, w = struct.unpack_from("<HH", u)
        head += f", rumble={{strong_magnitude={s}, weak_magnitude={w}}}"
    return head + "}"

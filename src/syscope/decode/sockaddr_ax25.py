"""struct sockaddr_ax25 and struct full_sockaddr_ax25 (netax25/ax25.h, linux/ax25.h) as strace's
sockaddr.c prints them: a callsign as ``VALID-13`` when it is a sane one, its raw bytes otherwise."""

from __future__ import annotations

import struct

SIZE = 16  # sizeof(struct sockaddr_ax25): family, ax25_address sax25_call (7 bytes), int sax25_ndigis
_CALL_LEN = 7  # sizeof(ax25_address): six shifted characters, then the SSID byte
_MAX_DIGIS = 8  # AX25_MAX_DIGIS: full_sockaddr_ax25's fsa_digipeater entries

_NATIVE, _VERBOSE, _RAW = 0, 1, 2


def _style(call: bytes) -> int:
    """How a callsign can be shown (strace check_ax25_address): natively when every character
    is an uppercase letter or digit shifted left by one, padded with trailing spaces, and the SSID
    byte holds nothing but the SSID; with its raw bytes besides when not; raw only when a
    character is unprintable (or a comment's * or /)."""
    style = _NATIVE
    space_seen = char_seen = False
    for byte in call[:-1]:
        if byte & 1:
            style = _VERBOSE
        c = byte >> 1
        if c == 0x20:
            space_seen = True
        else:
            char_seen = True
        if not (0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or c == 0x20) or (c != 0x20 and space_seen):
            style = _VERBOSE
        if c < 0x20 or c > 0x7E or c in (0x2A, 0x2F):
            return _RAW
    if call[-1] & ~0x1E or (not char_seen and call[-1]):
        style = _VERBOSE
    return style


def _text(call: bytes) -> str:
    """``CALL-SSID``; ``*`` for the empty callsign with SSID 0."""
    chars = bytes(b >> 1 for b in call[:-1]).rstrip(b" ")
    text = chars.decode("latin-1") + f"-{(call[-1] >> 1) & 0xF}"
    return "*" if text == "-0" else text


def _call(call: bytes, verbose: int) -> str:
    style = _style(call)
    if style == _NATIVE:
        style = verbose  # a sane callsign follows the -X style
    if style == _NATIVE:
        return _text(call)
    raw = '{ax25_call="' + "".join(f"\\x{c:02x}" for c in call) + '"}'
    return raw if style == _RAW else f"{raw} /* {_text(call)} */"


def sockaddr_ax25(data: bytes, head: str, verbose: int) -> str:
    """data is at least SIZE bytes; a longer address is a full_sockaddr_ax25 whose digipeaters
    are shown as far as sax25_ndigis asks and the address holds (``...`` past either end)."""
    ndigis = struct.unpack_from("<i", data, 12)[0]
    fields = f"sax25_call={_call(data[2:2 + _CALL_LEN], verbose)}, sax25_ndigis={ndigis}"
    if not ndigis and len(data) <= SIZE:
        return f"{{{head}, {fields}}}"
    parts = [head, f"fsa_ax25={{{fields}}}"]
    has = min((len(data) - SIZE) // _CALL_LEN, _MAX_DIGIS)
    want = min(max(ndigis, 0), _MAX_DIGIS)
    if want:
        items = [_call(data[SIZE + k * _CALL_LEN:SIZE + (k + 1) * _CALL_LEN], verbose) for k in range(min(has, want))]
        if want > has:
            items.append("...")
        parts.append(f"fsa_digipeater=[{', '.join(items)}]")
    if len(data) > SIZE + has * _CALL_LEN:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"

"""ioctl argument decoders by command family (syscope.decode.ioctl), on recorded registers and
memory, as strace 6.1 prints them (that the generated tables are what tools/gen_ioctl.py makes:
test_generated_data_modules.py)."""

from __future__ import annotations

import struct
from pathlib import Path

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions
from syscope.decode.fmt import consts
from syscope.decode.ioctl.names import numbers

ROOT = Path(__file__).resolve().parents[2]
M64 = (1 << 64) - 1
ADDR = 0x7F0000001000
EBADF = -9


def cmd(name: str) -> int:
    return numbers("x86_64")[name]


def test_plain_number_commands_are_named() -> None:
    # linux/hdreg.h defines HDIO_* as plain numbers, not with _IO()
    got = decode_line("ioctl", (M64, 0x0301, 0), DictMemory({}), EBADF)
    assert got == "ioctl(-1, HDIO_GETGEO, NULL) = -1 EBADF (Bad file descriptor)"


def test_a_command_no_decoder_knows_prints_its_argument_in_hex() -> None:
    got = decode_line("ioctl", (M64, 0x12FE, 0xDEADBEEF), DictMemory({}), EBADF)
    assert got == "ioctl(-1, _IOC(_IOC_NONE, 0x12, 0xfe, 0), 0xdeadbeef) = -1 EBADF (Bad file descriptor)"


def test_struct_written_by_the_kernel_is_read_at_exit() -> None:
    geo = struct.pack("<BBHxxxxQ", 255, 63, 1024, 2048)
    mem = DictMemory({ADDR: geo})
    ok = decode_line("ioctl", (3, cmd("HDIO_GETGEO"), ADDR), mem, 0)
    assert ok == "ioctl(3, HDIO_GETGEO, {heads=255, sectors=63, cylinders=1024, start=2048}) = 0"
    failed = decode_line("ioctl", (3, cmd("HDIO_GETGEO"), ADDR), mem, EBADF)
    assert failed == f"ioctl(3, HDIO_GETGEO, {ADDR:#x}) = -1 EBADF (Bad file descriptor)"


def test_evdev_names_carry_their_parameters_in_every_style() -> None:
    code = 2 << 30 | 24 << 16 | 0x45 << 8 | 0x7E  # EVIOCGABS(0x3e)
    plain = decode_line("ioctl", (M64, code, 0), DictMemory({}), EBADF)
    assert plain == "ioctl(-1, EVIOCGABS(0x3e /* ABS_??? */), NULL) = -1 EBADF (Bad file descriptor)"
    verbose = decode_line("ioctl", (M64, code, 0), DictMemory({}), EBADF, DecodeOptions(xlat_verbose=True))
    assert verbose == "ioctl(-1, 0x8018457e /* EVIOCGABS(0x3e) */, NULL) = -1 EBADF (Bad file descriptor)"
    raw = decode_line("ioctl", (M64, code, 0), DictMemory({}), EBADF, DecodeOptions(raw_all=True))
    assert raw == "ioctl(-1, 0x8018457e, NULL) = -1 EBADF (Bad file descriptor)"


def test_entry_and_exit_halves_of_a_read_write_struct() -> None:
    # struct gpioevent_request: lineoffset, handleflags, eventflags, consumer_label[32], fd
    req = struct.pack("<III32si", 4, 0x14, 3, b"line consumer", 101)
    got = decode_line("ioctl", (M64, cmd("GPIO_GET_LINEEVENT_IOCTL"), ADDR), DictMemory({ADDR: req}), 0)
    assert got == ("ioctl(-1, GPIO_GET_LINEEVENT_IOCTL, {lineoffset=4, handleflags=GPIOHANDLE_REQUEST_ACTIVE_LOW"
                   "|GPIOHANDLE_REQUEST_OPEN_SOURCE, eventflags=GPIOEVENT_REQUEST_BOTH_EDGES, "
                   'consumer_label="line consumer"} => {fd=101}) = 0')


def test_commands_without_argument_print_none() -> None:
    got = decode_line("ioctl", (M64, cmd("RTC_AIE_ON"), 0xDEADBEEF), DictMemory({}), EBADF)
    assert got == "ioctl(-1, RTC_AIE_ON) = -1 EBADF (Bad file descriptor)"


def test_verbose_none_prints_the_address() -> None:
    mem = DictMemory({ADDR: struct.pack("<i", 123)})
    opts = DecodeOptions(no_verbose=frozenset({"ioctl"}))
    got = decode_line("ioctl", (M64, cmd("WDIOC_SETTIMEOUT"), ADDR), mem, EBADF, opts)
    assert got == f"ioctl(-1, WDIOC_SETTIMEOUT, {ADDR:#x}) = -1 EBADF (Bad file descriptor)"
    assert decode_line("ioctl", (M64, cmd("WDIOC_SETTIMEOUT"), ADDR), mem, EBADF).endswith(", [123]) = -1 EBADF "
                                                                                           "(Bad file descriptor)")


def test_kd_sound_frequency_and_key_entry() -> None:
    got = decode_line("ioctl", (M64, cmd("KIOCSOUND"), 440), DictMemory({}), EBADF)
    assert got == "ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */) = -1 EBADF (Bad file descriptor)"
    # struct kbentry {kb_table, kb_index, kb_value}: K_F1 is K(KT_FN, 0)
    mem = DictMemory({ADDR: struct.pack("<BBH", 0, 89, 0x100)})
    got = decode_line("ioctl", (M64, cmd("KDGKBENT"), ADDR), mem, 0)
    assert got == "ioctl(-1, KDGKBENT, {kb_table=K_NORMTAB, kb_index=89, kb_value=0x100 /* K_F1 */}) = 0"


def test_termios_tab3_is_xtabs_and_the_input_speed_shifts() -> None:
    bits = {n: v for v, n in consts("x86_64")["termios_bits"]}
    tab3 = {n: v for v, n in consts("x86_64")["tc_tabdly"]}["TAB3"]
    b9600 = {n: v for v, n in consts("x86_64")["baud"]}["B9600"]
    cflag = b9600 | b9600 << 16 | bits["CSIZE"]  # CS8 and the same input speed (CIBAUD, IBSHIFT 16)
    mem = DictMemory({ADDR: struct.pack("<IIII", 0, tab3, cflag, 0) + bytes(20)})
    got = decode_line("ioctl", (3, cmd("TCGETS"), ADDR), mem, 0)
    # the other flags are 0: strace's printflags64(..., NULL) prints nothing for them
    assert "{c_iflag=, c_oflag=NL0|CR0|XTABS|BS0|VT0|FF0|, c_cflag=B9600|B9600<<IBSHIFT|CS8|, c_lflag=, " in got

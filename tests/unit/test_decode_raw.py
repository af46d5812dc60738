"""-e raw= and -e verbose= on recorded registers: strace's printargs prints as many arguments as
the syscall table's entry has, its print_err_ret the C library's text of a restart code; a
register-only argument stays decoded when verbose is off.  The differential program
c_signals_eraw runs such calls under both tracers."""

from __future__ import annotations

from recorded_memory import DictMemory, decode_line  # tests/unit is on sys.path (pytest rootdir import mode)

from syscope.decode import DecodeOptions

ERESTARTNOHAND = 514


def test_raw_prints_the_table_argument_count() -> None:
    raw = DecodeOptions(raw=frozenset({"rt_sigreturn", "preadv"}))
    assert decode_line("rt_sigreturn", (0xA,), DictMemory({}), 0, raw) == "rt_sigreturn() = 0"
    # preadv(fd, vec, vlen, pos_l, pos_h): five registers, as strace's sysent entry
    assert decode_line("preadv", (3, 0x1000, 1, 0, 0), DictMemory({}), 0, raw) == "preadv(0x3, 0x1000, 0x1, 0, 0) = 0"


def test_raw_restart_code_is_the_c_library_text() -> None:
    raw = DecodeOptions(raw=frozenset({"pause"}))
    line = decode_line("pause", (), DictMemory({}), -ERESTARTNOHAND, raw)
    assert line == "pause() = -1 ERESTARTNOHAND (Unknown error 514)"
    line = decode_line("pause", (), DictMemory({}), -ERESTARTNOHAND)
    assert line == "pause() = ? ERESTARTNOHAND (To be restarted if no handler)"


def test_register_arguments_stay_decoded_without_verbose() -> None:
    quiet = DecodeOptions(no_verbose=frozenset({"ioprio_set", "membarrier"}))
    assert decode_line("ioprio_set", (1, 0, 0x4004), DictMemory({}), 0, quiet) == \
        "ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) = 0"
    # membarrier's cpu_id only with MEMBARRIER_CMD_FLAG_CPU: absent, not NULL
    assert decode_line("membarrier", (0, 0, 0), DictMemory({}), 0, quiet) == "membarrier(MEMBARRIER_CMD_QUERY, 0) = 0"

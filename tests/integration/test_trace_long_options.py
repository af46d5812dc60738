"""strace 6.1's long options and the options added with them, end to end: the same command line
given to strace and to syscope prints the same lines (strace is the oracle), or, where the output
is time, the same shape."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SYSCOPE = [sys.executable, "-m", "syscope"]
PY = "/usr/bin/python3"


def _both(tmp_path: Path, options: list[str], command: list[str]) -> tuple[str, str]:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    r = subprocess.run([*SYSCOPE, *options, "-o", str(ours), *command], capture_output=True, text=True, timeout=60)
    s = subprocess.run(["strace", *options, "-o", str(theirs), *command], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (s.returncode, s.stderr)
    return ours.read_text(), theirs.read_text()


@pytest.mark.parametrize("options", [
    ["--trace=openat,close", "--successful-only"],
    ["--trace", "openat", "--failed-only"],
    ["-e", "trace=openat", "--status=failed", "--quiet=exit"],
    ["--trace=%file", "--trace-path=/etc/hostname", "--decode-fds=path"],
    ["--trace=openat", "--decode-fds", "--signal=none"],
    ["--trace=openat", "--no-abbrev", "--string-limit=5", "--columns=60", "--const-print-style=raw"],
])
def test_long_spellings_print_what_strace_prints(tmp_path: Path, options: list[str]) -> None:
    ours, theirs = _both(tmp_path, options, ["/bin/cat", "/etc/hostname", "/nonexistent"])
    assert ours == theirs


def test_output_append_mode_keeps_what_the_file_had(tmp_path: Path) -> None:
    out = tmp_path / "log"
    out.write_text("before\n")
    r = subprocess.run([*SYSCOPE, "-A", "-o", str(out), "--trace=exit_group", "/bin/true"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.read_text() == "before\nexit_group(0)                           = ?\n+++ exited with 0 +++\n"


@pytest.mark.parametrize("pipe", ["|", "!"])
def test_output_into_a_command(tmp_path: Path, pipe: str) -> None:
    # -o '|CMD': the trace goes into `sh -c CMD`, which has finished when the tracer exits
    counts = []
    for tracer in (SYSCOPE, ["strace"]):
        out = tmp_path / f"count-{tracer[-1]}"
        r = subprocess.run([*tracer, "-o", f"{pipe}grep -c ^openat > {out}", "--trace=openat,close", "/bin/cat",
                            "/etc/hostname"], capture_output=True, text=True, timeout=60)
        assert (r.returncode, r.stderr) == (0, "")
        counts.append(out.read_text())
    assert counts[0] == counts[1] and int(counts[0]) >= 3


def test_follow_forks_output_separately_writes_a_file_per_process(tmp_path: Path) -> None:
    texts = {}
    for tracer in (SYSCOPE, ["strace"]):
        out = tmp_path / tracer[-1]
        out.mkdir()
        r = subprocess.run([*tracer, "--follow-forks", "--output-separately", "-o", str(out / "t"),
                            "--trace=exit_group", "/bin/sh", "-c", "/bin/true; /bin/true"],
                           capture_output=True, text=True, timeout=60)
        assert (r.returncode, r.stderr) == (0, "")
        texts[tracer[-1]] = sorted(re.sub(r"si_pid=\d+", "si_pid=PID", f.read_text()) for f in out.glob("t.*"))
    assert len(texts["strace"]) == 3  # the shell and its two children
    assert texts["syscope"] == texts["strace"]


@pytest.mark.parametrize("options, prefix", [
    (["--absolute-timestamps=format:unix,precision:ms"], r"\d{10}\.\d{3} "),
    (["--timestamps=unix,s"], r"\d{10} "),
    (["--timestamps=time,ns"], r"\d\d:\d\d:\d\d\.\d{9} "),
    (["-t"], r"\d\d:\d\d:\d\d "),
    (["--relative-timestamps=ms"], r" +\d+\.\d{3} "),
    (["-t", "-r"], r"\d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) "),
])
def test_timestamp_formats_have_stracess_shape(tmp_path: Path, options: list[str], prefix: str) -> None:
    ours, theirs = _both(tmp_path, [*options, "--trace=exit_group"], ["/bin/true"])
    for text in (ours, theirs):
        assert re.fullmatch(prefix + r"exit_group\(0\) += \?\n" + prefix + r"\+\+\+ exited with 0 \+\+\+\n", text), text


def test_syscall_times_precision(tmp_path: Path) -> None:
    ours, theirs = _both(tmp_path, ["--syscall-times=ns", "--trace=getpid"], [PY, "-c", "import os; os.getpid()"])
    for text in (ours, theirs):
        assert re.search(r"^getpid\(\) += \d+ <0\.\d{9}>$", text, re.M), text
    ours, _ = _both(tmp_path, ["--syscall-times=s", "--trace=getpid"], [PY, "-c", "import os; os.getpid()"])
    assert re.search(r"^getpid\(\) += \d+ <0>$", ours, re.M), ours


def test_interruptible_never_lets_the_command_finish(tmp_path: Path) -> None:
    # -I never: a SIGINT to syscope alone neither stops the trace nor reaches the command
    out = tmp_path / "log"
    proc = subprocess.Popen([*SYSCOPE, "-I", "never", "-o", str(out), "--trace=exit_group", PY, "-c",
                             "import time; time.sleep(1.5)"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.read_text().endswith("exit_group(0)                           = ?\n+++ exited with 0 +++\n")


def test_unwritable_output_is_one_line_and_the_command_runs_on() -> None:
    # -o /dev/full: every flush fails with ENOSPC; strace says so and the command finishes
    r = subprocess.run([*SYSCOPE, "-o", "/dev/full", PY, "-c", "print('done')"], capture_output=True, text=True,
                       timeout=60)
    s = subprocess.run(["strace", "-o", "/dev/full", PY, "-c", "print('done')"], capture_output=True, text=True,
                       timeout=60)
    assert (r.returncode, r.stdout) == (s.returncode, s.stdout) == (0, "done\n")
    assert r.stderr == "syscope: /dev/full: No space left on device\n"
    assert set(s.stderr.splitlines()) == {"strace: /dev/full: No space left on device"}

"""The reproducers of issue 16 (hostile and unlucky input), each with its exact input: every one
ends in a one-line SyscopeError (a non-zero exit without a traceback from the CLI) or works."""

from __future__ import annotations

import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from syscope import docload
from syscope.context import Context
from syscope.errors import FilterError, ProfileError, UsageError
from syscope.events import ExitEvent, SyscallEvent
from syscope.filters.rules import load_rules
from syscope.filters.sysdig import compile_filter
from syscope.seccomp.profile import load

# A 1 KB "billion laughs": ten levels of nine aliases, 9**9 strings once expanded.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def _cli(*args: str, limit_mb: int = 1024, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        # the memory a hostile file may cost: a bound, not a measurement of speed
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit)


def _one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0, r.stdout[-2000:]
    assert "Traceback" not in r.stderr, r.stderr[-4000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("syscope: "), r.stderr[-4000:]
    return lines[0]


def _syscall(phase: str = "exit") -> SyscallEvent:
    return SyscallEvent(pid=10, tid=10, arch="x86_64", nr=1, name="write", raw_args=(1, 0, 2, 0, 0, 0),
                        ts_enter=1.0, phase=phase, args=["1", '"hi"', "2"], retval=2, ts_exit=1.5)


def test_billion_laughs_profile_is_refused_small(tmp_path: Path) -> None:
    f = tmp_path / "laughs.yaml"
    f.write_text(BILLION_LAUGHS)
    assert len(BILLION_LAUGHS) < 1100
    line = _one_line_error(_cli("profile", "check", str(f), limit_mb=400))
    assert "aliases are expanded" in line and "laughs.yaml" in line


def test_billion_laughs_rules_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "rules.yaml"
    f.write_text("- list: l\n  items: &a [a, b, c, d, e, f, g, h, i]\n" + "".join(
        f"- list: l{i}\n  items: &a{i} [" + ",".join([f"*a{i - 1}" if i else "*a"] * 9) + "]\n"
        for i in range(8)))
    with pytest.raises(UsageError, match="aliases are expanded"):
        load_rules(f, Context(live=False))


@pytest.mark.parametrize(("name", "text", "why"), [
    ("p.yaml", b"\xff\xfe{}", "not UTF-8"),
    ("p.yaml", b"defaultAction: SCMP_ACT_ALLOW\ncomment: 2024-01-01\n", "a date"),
    ("p.yaml", b"defaultAction: SCMP_ACT_ALLOW\ndefaultErrnoRet: " + b"9" * 5000 + b"\n", "more than"),
    ("p.yaml", b"[" * 2000 + b"]" * 2000, "nested more than"),
    ("p.yaml", b"&a [*a]", "recursive"),
    ("p.yaml", b"defaultAction: .nan", "not a JSON number"),
    ("p.json", b'{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": ' + b"9" * 5000 + b"}", "digits"),
    ("p.json", b"[" * 100000 + b"]" * 100000, "nested more than"),
    ("p.json", b'{"defaultAction": NaN}', "NaN"),
    ("p.json", b'{"defaultAction": "SCMP_ACT_ALLOW"}\xff', "not UTF-8"),
])
def test_hostile_profiles(tmp_path: Path, name: str, text: bytes, why: str) -> None:
    f = tmp_path / name
    f.write_bytes(text)
    with pytest.raises(ProfileError, match=why):
        load(f)
    assert why in _one_line_error(_cli("profile", "check", str(f)))


def test_profile_from_dev_zero_ends() -> None:
    with pytest.raises(ProfileError, match="larger than"):
        docload.load("/dev/zero", ProfileError)


@pytest.mark.parametrize("depth", [250, 1000, 5000])
def test_deeply_nested_filter_works_or_is_a_clean_error(depth: int) -> None:
    for text in ("(" * depth + "evt.type=write" + ")" * depth, "not " * (2 * depth) + "evt.type=write"):
        try:
            pred = compile_filter(text)
        except FilterError as exc:
            assert "\n" not in str(exc)
            continue
        assert pred(_syscall()) is True


def test_evt_dir_enter_matches() -> None:
    for text in ("evt.dir='>'", 'evt.dir=">"', "evt.dir=>"):
        assert compile_filter(text)(_syscall("enter"))
        assert compile_filter(text)(_syscall())  # a complete call stands for its enter event too
        assert not compile_filter(text)(ExitEvent(pid=10, tid=10, ts=2.0, exit_code=0))
    assert compile_filter("evt.dir='<'")(_syscall())
    assert not compile_filter("evt.dir='<'")(_syscall("enter"))


def test_evt_dir_enter_matches_in_watch() -> None:
    r = _cli("watch", "evt.dir='>' and evt.type=openat and fd.name=/etc/hostname", "--", "/bin/cat", "/etc/hostname")
    assert r.returncode == 0, r.stderr
    assert "openat" in r.stdout and "/etc/hostname" in r.stdout, r.stdout


def _profile(tmp_path: Path, doc: str) -> Path:
    f = tmp_path / "p.json"
    f.write_text(doc)
    return f


def test_default_errno_4095_is_a_clean_error_for_run_and_check(tmp_path: Path) -> None:
    f = _profile(tmp_path, '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4095, '
                           '"syscalls": [{"names": ["execve", "exit_group"], "action": "SCMP_ACT_ALLOW"}]}')
    line = _one_line_error(_cli("run", "--profile", str(f), "--", "/bin/true"))
    assert "errno 4095" in line and "4094" in line
    r = _cli("profile", "check", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "Exception" not in r.stderr
    assert "error: $.defaultErrnoRet: errno 4095" in r.stdout


def test_check_warns_for_errno_zero_and_allow_all(tmp_path: Path) -> None:
    f = _profile(tmp_path, '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 0, '
                           '"syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0}]}')
    r = _cli("profile", "check", str(f))
    assert r.returncode == 1 and "ok" not in r.stdout, r.stdout
    assert "$.defaultErrnoRet: errno 0" in r.stdout and "$.syscalls[0].errnoRet: errno 0" in r.stdout
    f = _profile(tmp_path, '{"defaultAction": "SCMP_ACT_ALLOW"}')
    r = _cli("profile", "check", str(f))
    assert r.returncode == 1 and "allows every system call" in r.stdout, r.stdout
    # a deny-list under an allowing default confines something: no such warning
    f = _profile(tmp_path, '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace"], '
                           '"action": "SCMP_ACT_ERRNO"}]}')
    assert "allows every" not in _cli("profile", "check", str(f)).stdout


def test_ff_output_into_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "out"
    line = _one_line_error(_cli("-ff", "-o", str(out), "--", "/bin/true"))
    assert line == f"syscope: Can't fopen '{out}.PID': No such file or directory"
    # strace 6.1 refuses it as well, with the same words
    r = subprocess.run(["strace", "-ff", "-o", str(out), "/bin/true"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and f"Can't fopen '{out}." in r.stderr


@pytest.mark.parametrize(("option", "value"), [("-a", "99999999999999999999"), ("-a", "-1"), ("-s", "1e9"),
                                                ("-s", "2147483648")])
def test_huge_or_negative_numeric_option(option: str, value: str) -> None:
    line = _one_line_error(_cli(option, value, "--", "/bin/true"))
    assert f"invalid {option} argument: '{value}'" in line
    r = subprocess.run(["strace", option, value, "/bin/true"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and f"invalid {option} argument: '{value}'" in r.stderr


@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGINT])
def test_attach_detach_on_signal_exits_as_strace(signo: int) -> None:
    codes = {}
    for tracer in (["strace"], [sys.executable, "-m", "syscope"]):
        target = subprocess.Popen(["/bin/sleep", "60"])
        try:
            p = subprocess.Popen([*tracer, "-p", str(target.pid), "-o", "/dev/null"], stderr=subprocess.PIPE,
                                 text=True)
            assert p.stderr is not None
            assert "attached" in p.stderr.readline()  # the tracer is attached: now interrupt it
            p.send_signal(signo)
            codes[tracer[0]] = p.wait(timeout=30)
            p.stderr.close()
            assert target.poll() is None  # detached, still running
        finally:
            target.kill()
            target.wait()
    assert codes["strace"] == -signo  # killed by the signal it re-raised (a shell says 128+N)
    assert codes[sys.executable] == codes["strace"]


def _normalized(text: str) -> list[str]:
    # the environment's address and the tool's name differ between strace and syscope
    text = re.sub(r"0x[0-9a-f]+ /\* \d+ vars \*/", "ENV", text)
    return [line.replace("syscope: ", "TOOL: ").replace("strace: ", "TOOL: ") for line in text.splitlines()]


@pytest.mark.parametrize("case", ["no-exec-bit", "missing-interpreter", "missing-file", "directory"])
def test_exec_failure_reported_as_strace(tmp_path: Path, case: str) -> None:
    prog = tmp_path / "x"
    if case == "no-exec-bit":
        prog.write_text("#!/bin/sh\necho hi\n")
        prog.chmod(0o644)
    elif case == "missing-interpreter":
        prog.write_text(f"#!{tmp_path}/no/such/interpreter\necho hi\n")
        prog.chmod(0o755)
    elif case == "directory":
        prog.mkdir()
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    want = subprocess.run(["strace", "./x"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    got = subprocess.run([sys.executable, "-m", "syscope", "./x"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=30)
    assert "Traceback" not in got.stderr
    assert got.returncode == want.returncode, (got.stderr, want.stderr)
    assert _normalized(got.stderr) == _normalized(want.stderr)


@pytest.mark.parametrize("text", ["(" * 300 + "evt.type=openat" + ")" * 300, "not " * 1200 + "evt.type=openat"])
@pytest.mark.parametrize("command", [["watch"], ["--filter"]])
def test_deeply_nested_filter_on_the_command_line(text: str, command: list[str]) -> None:
    # the filter of `watch` (and its kernel-side selection) and the tracer's --filter
    r = _cli(*command, text, *(["-o", "/dev/null"] if command == ["--filter"] else []), "--", "/bin/cat",
             "/etc/hostname")
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stderr, r.stderr[-2000:]
    if r.returncode != 0:
        _one_line_error(r)
    elif command == ["watch"]:
        assert "/etc/hostname" in r.stdout  # it worked: the filter matched cat's openat


_GOOD_LINE = ('{"type": "syscall", "pid": 10, "tid": 10, "arch": "x86_64", "nr": 1, "name": "write", '
              '"args": ["1", "\\"hi\\"", "2"], "raw_args": [1, 0, 2, 0, 0, 0], "retval": 2, "errno": null, '
              '"ret": "2", "ts_enter": 1.0, "ts_exit": 1.5}')


@pytest.mark.parametrize("text", [
    _GOOD_LINE[:70] + "\n",                                              # a truncated line
    _GOOD_LINE.replace('"pid": 10, ', "") + "\n",                         # a missing key
    _GOOD_LINE.replace('"ts_enter": 1.0', '"ts_enter": [1.0]') + "\n",    # '<' between list and float
    _GOOD_LINE.replace('"ts_enter": 1.0', '"ts_enter": "yesterday"') + "\n",  # a bad timestamp
    _GOOD_LINE.replace('"ts_enter": 1.0', '"ts_enter": NaN') + "\n",
    '{"type": [], "pid": 1}\n',
    "\xff\xfe garbage\n",
])
@pytest.mark.parametrize("command", ["report", "timeline"])
def test_damaged_trace_lines(tmp_path: Path, text: str, command: str) -> None:
    f = tmp_path / "t.jsonl"
    f.write_bytes((_GOOD_LINE + "\n").encode() + text.encode("utf-8", "surrogateescape"))
    line = _one_line_error(_cli(command, str(f), "-o", str(tmp_path / "out")))
    assert "t.jsonl:2" in line


@pytest.mark.parametrize("command", ["report", "timeline"])
def test_dev_zero_as_a_trace_ends(tmp_path: Path, command: str) -> None:
    _one_line_error(_cli(command, "/dev/zero", "-o", str(tmp_path / "out"), limit_mb=1024))


def test_check_warns_for_an_arch_libseccomp_lacks(tmp_path: Path) -> None:
    # in the schema's list, but the installed libseccomp (2.5) has no loongarch64
    f = _profile(tmp_path, '{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", '
                           '"SCMP_ARCH_LOONGARCH64"], "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW"}]}')
    r = _cli("profile", "check", str(f))
    assert r.returncode == 1 and "$.architectures[1]: unknown architecture 'SCMP_ARCH_LOONGARCH64'" in r.stdout

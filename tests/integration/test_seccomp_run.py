"""`syscope run` under real seccomp filters loaded through libseccomp."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

DOCKER = "/work/shared/data/seccomp/docker-default.json"

# Each program prints the result of one raw syscall as "ret errno".
C_CLONE3 = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/sched.h>
int main(void) {
    struct clone_args a = {0};
    a.exit_signal = 17;
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0) _exit(0);
    printf("%ld %d\n", r, r < 0 ? errno : 0);
    return 0;
}
"""
C_PERSONALITY = r"""
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
    unsigned long v = strtoul(argv[1], 0, 0);
    long r = syscall(SYS_personality, v);
    printf("%ld %d\n", r < 0 ? -1L : 0L, r < 0 ? errno : 0);
    return 0;
}
"""
C_MKDIR3 = r"""
#include <stdio.h>
#include <errno.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    char p[4096];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/d%d", argv[1], i);
        int r = mkdir(p, 0700);
        printf("%d %d\n", r, r < 0 ? errno : 0);
    }
    return 0;
}
"""


def _cc(tmp: Path, name: str, src: str) -> str:
    c = tmp / f"{name}.c"
    c.write_text(src)
    exe = tmp / name
    subprocess.run(["gcc", "-O0", "-o", str(exe), str(c)], check=True)
    return str(exe)


def syscope(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=60, **kw)  # type: ignore[call-overload]


def test_docker_default_ls_works() -> None:
    plain = subprocess.run(["ls", "/"], capture_output=True, text=True)
    r = syscope("run", "-q", "--profile", DOCKER, "--", "ls", "/")
    assert r.returncode == 0, r.stderr
    assert r.stdout == plain.stdout


def test_docker_default_unshare_user_eperm() -> None:
    r = syscope("run", "-q", "--profile", DOCKER, "--", "unshare", "-U", "true")
    assert r.returncode != 0
    assert "Operation not permitted" in r.stderr
    # Without the filter unshare -U works here (we are root): the refusal is the profile's.
    assert subprocess.run(["unshare", "-U", "true"]).returncode == 0


def test_docker_default_clone3_enosys(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "clone3", C_CLONE3)
    ret, err = subprocess.run([exe], capture_output=True, text=True).stdout.split()
    assert int(ret) > 0 and err == "0"  # the kernel has clone3: the refusal is the profile's
    r = syscope("run", "-q", "--profile", DOCKER, "--", exe)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["-1", "38"]  # ENOSYS


def test_docker_default_personality(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "pers", C_PERSONALITY)
    # 0x0 (PER_LINUX) is allowed; 0x0040000 (ADDR_COMPAT_LAYOUT) is not in Docker's list.
    assert syscope("run", "-q", "--profile", DOCKER, "--", exe, "0").stdout.split() == ["0", "0"]
    assert syscope("run", "-q", "--profile", DOCKER, "--", exe, "0xffffffff").stdout.split() == ["0", "0"]
    r = syscope("run", "-q", "--profile", DOCKER, "--", exe, "0x0200000")
    assert r.stdout.split() == ["-1", "1"]  # EPERM
    assert subprocess.run([exe, "0x0200000"], capture_output=True, text=True).stdout.split()[0] == "0"


def test_docker_default_warns_unknown_names() -> None:
    r = syscope("run", "--profile", DOCKER, "--", "true")
    assert r.returncode == 0
    assert "syscope: warning: mseal: unknown to libseccomp" in r.stderr


def _small_profile(tmp: Path, names: list[str], **extra: object) -> str:
    prof = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
            "architectures": ["SCMP_ARCH_X86_64"],
            "syscalls": [{"names": names, "action": "SCMP_ACT_ALLOW"}], **extra}
    p = tmp / "p.json"
    p.write_text(json.dumps(prof))
    return str(p)


BASE = ["execve", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "set_tid_address", "set_robust_list",
        "rseq", "prlimit64", "openat", "read", "close", "fstat", "newfstatat", "pread64", "access",
        "getrandom", "write", "exit_group", "futex", "clone"]


def test_enforce_mkdir_eperm_and_newer_syscall_enosys(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = _small_profile(tmp_path, BASE)
    r = syscope("run", "-q", "--profile", prof, "--", exe, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["-1 1"] * 3
    assert not (tmp_path / "d0").exists()
    # clone3 (435) is above every number this profile names (rseq, 334, is the highest): ENOSYS,
    # as runc does; mkdir (83) is below it and got the default EPERM above.
    c3 = _cc(tmp_path, "clone3", C_CLONE3)
    r = syscope("run", "-q", "--profile", prof, "--", c3)
    assert r.stdout.split() == ["-1", "38"]


def test_exit_status_and_signal_are_the_commands(tmp_path: Path) -> None:
    r = syscope("run", "-q", "--profile", DOCKER, "--", "/bin/sh", "-c", "exit 7")
    assert r.returncode == 7
    r = syscope("run", "-q", "--profile", DOCKER, "--", "/bin/sh", "-c", "kill -TERM $$")
    assert r.returncode == -signal.SIGTERM


def test_kill_process_action(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = {"defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_KILL_PROCESS"}]}
    p = tmp_path / "k.json"
    p.write_text(json.dumps(prof))
    r = syscope("run", "--profile", str(p), "--", exe, str(tmp_path))
    assert r.returncode == -signal.SIGSYS


def test_masked_eq_and_errno_ret(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "pers", C_PERSONALITY)
    prof = {"defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
                          "args": [{"index": 0, "value": 0xff00, "valueTwo": 0x0800,
                                    "op": "SCMP_CMP_MASKED_EQ"}]}]}
    p = tmp_path / "m.json"
    p.write_text(json.dumps(prof))
    assert syscope("run", "--profile", str(p), "--", exe, "0x0800").stdout.split() == ["-1", "22"]
    assert syscope("run", "--profile", str(p), "--", exe, "0").stdout.split() == ["0", "0"]


def test_caps_select_rules(tmp_path: Path) -> None:
    # Docker's profile allows unshare only with CAP_SYS_ADMIN (includes.caps).
    r = syscope("run", "-q", "--caps", "CHOWN,SYS_ADMIN", "--profile", DOCKER, "--", "unshare", "-U", "true")
    assert r.returncode == 0, r.stderr
    r = syscope("run", "-q", "--caps", "CHOWN", "--profile", DOCKER, "--", "unshare", "-U", "true")
    assert r.returncode == 1


@pytest.mark.parametrize("body, msg", [
    ("{", "malformed JSON at line 1"),
    ('{"defaultAction": "SCMP_ACT_NOPE"}', "$.defaultAction: unknown action"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}', "$.syscalls[0].args[0].index: 6 is out"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}', "$.syscalls[0].args[0].op: unknown op"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]}',
     "$.syscalls[0].names: must name at least one"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}',
     "blocks execve"),
])
def test_bad_profiles_one_line(tmp_path: Path, body: str, msg: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(body)
    marker = tmp_path / "ran"
    r = syscope("run", "--profile", str(p), "--", "/usr/bin/touch", str(marker))
    assert r.returncode == 1
    assert msg in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not marker.exists()


def test_missing_command() -> None:
    r = syscope("run", "--profile", DOCKER, "--", "no-such-cmd-x")
    assert r.returncode == 1
    assert r.stderr == "syscope: Can't stat 'no-such-cmd-x': No such file or directory\n"


def test_log_mode_counts_exactly(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = _small_profile(tmp_path, BASE)
    r = syscope("run", "-q", "--profile", prof, "--mode", "log", "--", exe, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["0 0"] * 3  # complain mode: the calls went through
    assert sorted(p.name for p in tmp_path.glob("d*")) == ["d0", "d1", "d2"]
    report = [ln.split() for ln in r.stderr.splitlines()[1:]]
    assert report == [["3", "mkdir"]]


def test_log_mode_follows_children(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    sh = ["/bin/sh", "-c", f"{exe} {tmp_path}/a & {exe} {tmp_path}/b; wait"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    r = syscope("run", "-q", "--profile", DOCKER, "--mode", "log", "--", *sh)
    assert r.returncode == 0, r.stderr
    assert "no call would have been denied" in r.stderr
    prof = _small_profile(tmp_path, BASE + ["wait4", "rt_sigaction", "rt_sigprocmask", "getpid", "getppid",
                                            "geteuid", "getuid", "getgid", "getegid", "fcntl", "dup2",
                                            "rt_sigreturn", "lseek", "ioctl", "stat", "vfork", "clone3",
                                            "pipe2", "uname", "sysinfo", "getcwd", "faccessat2", "faccessat",
                                            "exit"])
    r = syscope("run", "-q", "--profile", prof, "--mode", "log", "--", *sh)
    assert r.returncode == 0, r.stderr
    counts = {ln.split()[1]: int(ln.split()[0]) for ln in r.stderr.splitlines()[1:]}
    assert counts.get("mkdir") == 6


def test_notify_mode_denies_and_reports(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = _small_profile(tmp_path, BASE)
    r = syscope("run", "-q", "--profile", prof, "--mode", "notify", "--", exe, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["-1 1"] * 3
    lines = [ln for ln in r.stderr.splitlines() if "mkdir(" in ln]
    assert [ln.split("] ", 1)[1] for ln in lines] == [
        f'mkdir("{tmp_path}/d{i}", 0700) [x86_64] denied EPERM' for i in range(3)]
    assert all(ln.startswith("syscope: [pid ") for ln in lines)
    assert not list(tmp_path.glob("d*"))
    r = syscope("run", "-q", "--profile", prof, "--mode", "notify", "--allow-on-notify", "--", exe,
                str(tmp_path))
    assert r.stdout.splitlines() == ["0 0"] * 3
    assert sum("mkdir(" in ln and "allowed" in ln for ln in r.stderr.splitlines()) == 3


C_RAW = r"""
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long r = syscall(strtol(argv[1], 0, 0), 0L, 0L, 0L);
    printf("%ld %d\n", r < 0 ? -1L : r, r < 0 ? errno : 0);
    return 0;
}
"""


def test_enosys_for_numbers_libseccomp_cannot_name(tmp_path: Path) -> None:
    # file_getattr is 468 on x86_64 (kernel 6.17): libseccomp 2.5.4 has no name for it, Docker's
    # profile does not name it, and it is above every number the filter names: ENOSYS, as runc's
    # stub answers, not the default EPERM.
    exe = _cc(tmp_path, "raw", C_RAW)
    plain = subprocess.run([exe, "468"], capture_output=True, text=True).stdout.split()
    assert plain[1] != "38"  # the kernel has file_getattr
    r = syscope("run", "-q", "--profile", DOCKER, "--", exe, "468")
    assert r.stdout.split() == ["-1", "38"]
    # a number below the max that the profile does not allow keeps the default (EPERM): 169 reboot
    r = syscope("run", "-q", "--profile", DOCKER, "--", exe, "169")
    assert r.stdout.split() == ["-1", "1"]


def test_log_mode_with_allowing_default(tmp_path: Path) -> None:
    # A deny-list profile (default ALLOW) over x86_64 + its sub-arches: only mkdir is reported.
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    p = tmp_path / "deny.json"
    p.write_text(json.dumps({"defaultAction": "SCMP_ACT_ALLOW",
                             "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                             "syscalls": [{"names": ["mkdir", "rmdir"], "action": "SCMP_ACT_ERRNO"}]}))
    r = syscope("run", "--profile", str(p), "--mode", "log", "--", exe, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["0 0"] * 3
    assert [ln.split() for ln in r.stderr.splitlines()[1:]] == [["3", "mkdir"]]
    r = syscope("run", "--profile", str(p), "--", exe, str(tmp_path / "x"))
    assert r.stdout.splitlines() == ["-1 1"] * 3


def _profile_file(tmp: Path, fname: str, names: list[str]) -> str:
    p = tmp / fname
    p.write_text(json.dumps({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
                             "architectures": ["SCMP_ARCH_X86_64"],
                             "syscalls": [{"names": names, "action": "SCMP_ACT_ALLOW"}]}))
    return str(p)


def test_name_unknown_to_libseccomp_added_by_number(tmp_path: Path) -> None:
    # mseal is 462 and setxattrat 463 on x86_64 (Linux 6.10 / 6.13, arch/x86/entry/syscalls/
    # syscall_64.tbl); libseccomp 2.5.4 names neither, so the rules go in by the number syscope's
    # x86_64 table gives.  mseal(0, 0, 0) seals nothing and returns 0 (mm/mseal.c).
    exe = _cc(tmp_path, "raw", C_RAW)
    assert subprocess.run([exe, "462"], capture_output=True, text=True).stdout.split() == ["0", "0"]
    listed = _profile_file(tmp_path, "listed.json", [*BASE, "mseal"])
    r = syscope("run", "--profile", listed, "--", exe, "462")
    assert "mseal: unknown to libseccomp 2.5.4, added by number 462 for x86_64" in r.stderr, (
        "syscope's syscall table must know mseal (src/syscope/syscalls, generated from the UAPI "
        "headers): " + r.stderr)
    assert r.stdout.split() == ["0", "0"]
    # not listed, below a higher listed number (setxattrat, 463): the default EPERM
    unlisted = _profile_file(tmp_path, "unlisted.json", [*BASE, "setxattrat"])
    r = syscope("run", "--profile", unlisted, "--", exe, "462")
    assert "setxattrat: unknown to libseccomp 2.5.4, added by number 463" in r.stderr
    assert r.stdout.split() == ["-1", "1"]


def test_name_no_table_knows_is_skipped(tmp_path: Path) -> None:
    # riscv_hwprobe exists only on riscv: neither libseccomp nor the x86_64 table knows it here.
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = _profile_file(tmp_path, "s.json", [*BASE, "riscv_hwprobe"])
    r = syscope("run", "--profile", prof, "--", exe, str(tmp_path))
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        "syscope: warning: riscv_hwprobe: unknown to libseccomp 2.5.4 and to syscope's syscall tables, skipped"]
    assert r.stdout.splitlines() == ["-1 1"] * 3


C_MANY = r"""
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    pid_t p = fork();
    for (int i = 0; i < n; i++) syscall(SYS_getppid);
    if (p == 0) { for (int i = 0; i < n; i++) syscall(SYS_getuid); _exit(0); }
    waitpid(p, 0, 0);
    printf("done\n");
    return 0;
}
"""


def _counts(stderr: str) -> dict[str, int]:
    lines = stderr.splitlines()
    start = lines.index("syscope: calls the profile would have denied:")
    return {ln.split()[1]: int(ln.split()[0]) for ln in lines[start + 1:]}


def test_log_mode_is_lossless_and_per_run(tmp_path: Path) -> None:
    # 40000 getppid (parent and child) + 20000 getuid (child) that the profile denies, from two
    # runs at once: audit records are machine-wide, each run must count its own, all of them.
    exe = _cc(tmp_path, "many", C_MANY)
    prof = tmp_path / "many.json"
    assert syscope("profile", "-o", str(prof), "--", exe, "0").returncode == 0
    for source in ("audit", "notify"):
        argv = [sys.executable, "-m", "syscope", "run", "--profile", str(prof), "--mode", "log",
                "--log-source", source, "--", exe]
        runs = [subprocess.Popen([*argv, n], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in ("20000", "5000")]
        outs = [p.communicate(timeout=120) for p in runs]
        for (out, err), n, p in zip(outs, (20000, 5000), runs, strict=True):
            assert p.returncode == 0 and out == "done\n", err
            assert _counts(err) == {"getppid": 2 * n, "getuid": n}, (source, err)


def test_log_mode_waits_for_descendants(tmp_path: Path) -> None:
    # The shell exits at once; its background child makes the denied calls later.
    exe = _cc(tmp_path, "mk", C_MKDIR3)
    prof = tmp_path / "true.json"
    assert syscope("profile", "-o", str(prof), "--", "/bin/true").returncode == 0
    for i, source in enumerate(("audit", "notify")):
        d = tmp_path / f"d{i}"
        d.mkdir()
        r = syscope("run", "--profile", str(prof), "--mode", "log", "--log-source", source, "--",
                    "/bin/sh", "-c", f"(sleep 0.3; exec {exe} {d}) & exit 0")
        assert r.returncode == 0
        assert _counts(r.stderr)["mkdir"] == 3, (source, r.stderr)
        assert len(list(d.iterdir())) == 3


def test_log_source_audit_refuses_profile_that_logs(tmp_path: Path) -> None:
    p = tmp_path / "l.json"
    p.write_text(json.dumps({"defaultAction": "SCMP_ACT_LOG"}))
    r = syscope("run", "--profile", str(p), "--mode", "log", "--log-source", "audit", "--", "true")
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1
    assert "SCMP_ACT_LOG" in r.stderr and "Traceback" not in r.stderr


def _default_dispositions() -> None:
    """syscope started as from an interactive shell: a background job (pytest started with `&`)
    has SIGINT and SIGQUIT ignored, which syscope rightly passes on (nohup's way)."""
    for s in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(s, signal.SIG_DFL)


@pytest.mark.parametrize("mode", ["enforce", "notify", "log"])
def test_command_gets_default_signal_dispositions(tmp_path: Path, mode: str) -> None:
    # CPython ignores SIGPIPE and SIGXFSZ, and `run` ignores ^C while it waits: none of that may
    # reach the command (ignored dispositions survive execve, signal(7)).
    prof = tmp_path / "allow.json"
    prof.write_text(json.dumps({"defaultAction": "SCMP_ACT_ALLOW"}))
    r = syscope("run", "--profile", str(prof), "--mode", mode, "--", "/bin/grep", "SigIgn", "/proc/self/status",
                preexec_fn=_default_dispositions)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["SigIgn:", "0000000000000000"]


@pytest.mark.parametrize("mode", ["enforce", "notify"])
def test_ctrl_c_is_the_commands(tmp_path: Path, mode: str) -> None:
    # ^C goes to the whole foreground process group: the command dies of it, syscope waits for
    # that and exits as the command did.
    prof = tmp_path / "allow.json"
    prof.write_text(json.dumps({"defaultAction": "SCMP_ACT_ALLOW"}))
    p = subprocess.Popen([sys.executable, "-m", "syscope", "run", "--profile", str(prof), "--mode", mode,
                          "--", "/bin/sh", "-c", "echo ready; exec sleep 30"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=_default_dispositions)
    try:
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
        os.killpg(p.pid, signal.SIGINT)
        assert p.wait(timeout=10) == -signal.SIGINT
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()

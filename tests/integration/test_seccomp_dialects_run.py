"""containers/common's default profile (errno names, ENOSYS default) under ``syscope run``, and the
profile CLI on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import BuildC

from syscope.syscalls import native_arch, table

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CONTAINERS = str(DATA / "seccomp" / "containers-common.json")
DOCKER = str(DATA / "seccomp" / "docker-default.json")


def syscope(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=60)


def test_containers_common_runs_ls(tmp_path: Path) -> None:
    (tmp_path / "seen").write_text("")
    r = syscope("run", "-q", "--profile", CONTAINERS, "--", "/bin/ls", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "seen\n"


ERRNO_OF = r"""
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
    long r = syscall(atol(argv[1]), 0, 0, 0, 0, 0, 0);
    printf("%ld %d\n", r, r < 0 ? errno : 0);
    return 0;
}
"""


def _nr(name: str) -> str:
    info = table(native_arch()).by_name(name)
    assert info is not None
    return str(info.nr)


def test_enosys_default_answers_unnamed_and_new_calls(build_c: BuildC) -> None:
    exe = str(build_c("errno_of", ERRNO_OF))
    # add_key(2) is in no rule of containers/common: the default, ENOSYS
    r = syscope("run", "-q", "--profile", CONTAINERS, "--", exe, _nr("add_key"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["-1", "38"]
    # mseal (newer than this libseccomp) and a number past every table: ENOSYS too
    for nr in (_nr("mseal"), "999"):
        r = syscope("run", "-q", "--profile", CONTAINERS, "--", exe, nr)
        assert r.stdout.split() == ["-1", "38"], nr
    # kexec_load has its own rule with errno EPERM, named so in the file
    r = syscope("run", "-q", "--profile", CONTAINERS, "--", exe, _nr("kexec_load"))
    assert r.stdout.split() == ["-1", "1"]


def test_cli_check_and_diff_read_containers_common() -> None:
    r = syscope("profile", "check", CONTAINERS)
    assert r.returncode == 1 and "error" not in r.stdout, r.stdout  # warnings only
    r = syscope("profile", "diff", DOCKER, CONTAINERS)
    assert r.returncode == 1, r.stderr
    assert "default: SCMP_ACT_ERRNO(EPERM) in" in r.stdout and "SCMP_ACT_ERRNO(ENOSYS) in" in r.stdout


def test_recorded_profile_in_containers_dialect_runs(tmp_path: Path) -> None:
    out = tmp_path / "ls.json"
    out.write_text("")  # so that the recorded ls writes a line too
    r = syscope("profile", "--format", "containers", "-o", str(out), "--", "/bin/ls", str(tmp_path))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert (doc["defaultErrno"], doc["defaultErrnoRet"]) == ("EPERM", 1)
    r = syscope("profile", "check", str(out))
    assert r.returncode == 0 and r.stdout == f"{out}: ok\n", r.stdout
    r = syscope("run", "-q", "--profile", str(out), "--", "/bin/ls", str(tmp_path))
    assert r.returncode == 0 and r.stdout == "ls.json\n", r.stderr
    r = syscope("run", "-q", "--profile", str(out), "--", "/bin/mkdir", str(tmp_path / "d"))
    assert r.returncode != 0 and "Operation not permitted" in r.stderr


def test_enosys_default_on_the_32bit_sub_architecture(build_c: BuildC) -> None:
    # containers/common's archMap gives x86_64 the sub-architectures x86 and x32: a 32-bit
    # program's unnamed calls get the ENOSYS default too, its named rules their errno.
    exe = str(build_c("errno_of32", ERRNO_OF, "-m32"))
    i386 = table("i386")
    for name, want in (("add_key", "38"), ("kexec_load", "1")):
        info = i386.by_name(name)
        assert info is not None
        r = syscope("run", "-q", "--profile", CONTAINERS, "--", exe, str(info.nr))
        assert r.returncode == 0, r.stderr
        assert r.stdout.split() == ["-1", want], name

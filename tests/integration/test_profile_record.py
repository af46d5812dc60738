"""`syscope profile`: record real programs, re-run them under the recorded profile."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from syscope.seccomp.formats import schema

C_MKDIR_RC = r"""
#include <errno.h>
#include <sys/stat.h>
int main(int argc, char **argv) { return mkdir(argv[1], 0700) < 0 ? errno : 0; }
"""
C_32 = r"""
#include <unistd.h>
int main(void) { return getppid() > 0 ? 0 : 1; }
"""
C_FORK_SOCKET = r"""
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/personality.h>
int main(void) {
    personality(0xffffffff);
    pid_t p = fork();
    if (p == 0) { int s = socket(AF_UNIX, SOCK_STREAM, 0); _exit(s < 0); }
    int st; waitpid(p, &st, 0);
    printf("child %d\n", WEXITSTATUS(st));
    return 0;
}
"""
# A process tree: a thread (the only caller of uname), a forked child (the only caller of getppid)
# that execs /bin/echo, and an exit status of its own.
C_TREE = r"""
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/futex.h>
static int word;
static void *worker(void *arg) {
    struct utsname u;
    uname(&u);
    int fd = open("/etc/hostname", O_RDONLY);
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return (void *)(long)(n > 0);
}
int main(void) {
    pthread_t t;
    void *res;
    pthread_create(&t, 0, worker, 0);
    pthread_join(t, &res);
    /* pthread_join calls futex only when the thread is still running: make the call certain */
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
    pid_t p = fork();
    if (p == 0) {
        getppid();
        execl("/bin/echo", "echo", "child", "says", "hi", (char *)0);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    printf("thread %ld child %d\n", (long)res, WEXITSTATUS(st));
    return 3;
}
"""
_STRACE_LINE = re.compile(r"^\d+ +(?:<\.\.\. )?([a-z0-9_]+)[( ]")


def _strace_names(tmp: Path, argv: list[str]) -> set[str]:
    """Names of every call strace -f reports for argv (from the execve of argv on)."""
    log = tmp / "strace.txt"
    subprocess.run(["strace", "-f", "-qq", "-o", str(log), *argv], capture_output=True)
    names = set()
    for line in log.read_text().splitlines():
        m = _STRACE_LINE.match(line)
        if m:
            names.add(m.group(1))
    return names


def _cc(tmp: Path, name: str, src: str, *flags: str) -> str:
    c = tmp / f"{name}.c"
    c.write_text(src)
    exe = tmp / name
    subprocess.run(["gcc", "-O0", *flags, "-o", str(exe), str(c)], check=True)
    return str(exe)


def syscope(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=60)


def test_record_true_then_mkdir_is_eperm(tmp_path: Path) -> None:
    out = tmp_path / "true.json"
    r = syscope("profile", "-o", str(out), "--", "/bin/true")
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, schema("docker"))
    assert doc["defaultAction"] == "SCMP_ACT_ERRNO" and doc["defaultErrnoRet"] == 1
    names = doc["syscalls"][0]["names"]
    assert names == sorted(names) and "execve" in names and "exit_group" in names
    assert "mkdir" not in names
    assert "/bin/true" in doc["comment"]
    assert "vDSO" in r.stderr
    # the recorder's own preparation (python, fork, pidfd...) is not in the profile
    assert "wait4" not in names and "pidfd_getfd" not in names
    exe = _cc(tmp_path, "mkrc", C_MKDIR_RC)
    assert subprocess.run([exe, str(tmp_path / "x")]).returncode == 0
    r = syscope("run", "--profile", str(out), "--", exe, str(tmp_path / "y"))
    assert r.returncode == 1  # EPERM
    assert not (tmp_path / "y").exists()


def test_record_rerun_same_output(tmp_path: Path) -> None:
    out = tmp_path / "ls.json"
    (tmp_path / "a").write_text("x")
    (tmp_path / "b").mkdir()
    r = syscope("profile", "-o", str(out), "--", "/bin/ls", "-la", str(tmp_path))
    assert r.returncode == 0, r.stderr
    plain = subprocess.run(["/bin/ls", "-la", str(tmp_path)], capture_output=True, text=True)
    r = syscope("run", "--profile", str(out), "--", "/bin/ls", "-la", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == plain.stdout


def test_record_follows_children_and_args(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "fs", C_FORK_SOCKET)
    out = tmp_path / "fs.json"
    r = syscope("profile", "--args", "-o", str(out), "--", exe)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, schema("docker"))
    rules = doc["syscalls"]
    socket_rules = [x for x in rules if x["names"] == ["socket"]]
    af_unix = {"index": 0, "value": 1, "valueTwo": 0, "op": "SCMP_CMP_EQ"}
    assert [x["args"] for x in socket_rules] == [[af_unix]]
    pers = [x for x in rules if x["names"] == ["personality"]]
    assert [x["args"][0]["value"] for x in pers] == [0xFFFFFFFF]
    clone = [x for x in rules if x["names"] == ["clone"]]
    assert clone and clone[0]["args"][0]["op"] == "SCMP_CMP_MASKED_EQ"
    assert "socket" not in rules[0]["names"]  # only the conditional rule allows it
    r = syscope("run", "--profile", str(out), "--", exe)
    assert r.returncode == 0 and r.stdout == "child 0\n", r.stderr
    # unshare -U is outside the profile: the child-process rules don't loosen it
    r = syscope("run", "--profile", str(out), "--", "/usr/bin/unshare", "-U", "true")
    assert r.returncode != 0


def test_record_32bit_child_gets_its_arch(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "p32", C_32, "-m32", "-static")
    out = tmp_path / "p.json"
    r = syscope("profile", "-o", str(out), "--", "/bin/sh", "-c", f"{exe}; /bin/true")
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["architectures"] == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]
    r = syscope("run", "--profile", str(out), "--", "/bin/sh", "-c", f"{exe}; /bin/true")
    assert r.returncode == 0, r.stderr


def test_kubernetes_and_oci_formats(tmp_path: Path) -> None:
    r = syscope("profile", "--format", "kubernetes", "--name", "app", "--", "/bin/true")
    assert r.returncode == 0, r.stderr
    doc = yaml.safe_load(r.stdout)
    jsonschema.validate(doc, schema("kubernetes"))
    assert doc["apiVersion"] == "security-profiles-operator.x-k8s.io/v1"
    assert doc["metadata"]["name"] == "app"
    assert "#       type: Localhost" in r.stdout
    # the CRD is cluster-scoped: no namespace, and the kubelet path has none either
    assert "#       localhostProfile: operator/app.json" in r.stdout
    assert "namespace" not in doc["metadata"] and "defaultErrnoRet" not in doc["spec"]
    p = tmp_path / "app.yaml"
    p.write_text(r.stdout)
    assert syscope("run", "--profile", str(p), "--", "/bin/true").returncode == 0
    r = syscope("profile", "check", str(p))
    assert r.returncode == 0 and r.stdout == f"{p}: ok\n"
    r = syscope("profile", "--format", "oci", "--", "/bin/true")
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema("oci"))
    assert "comment" not in doc


def test_merge_unions_runs(tmp_path: Path) -> None:
    a, b, m = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "m.json"
    assert syscope("profile", "-o", str(a), "--", "/bin/true").returncode == 0
    assert syscope("profile", "-o", str(b), "--", "/bin/mkdir", str(tmp_path / "d")).returncode == 0
    r = syscope("profile", "--merge", str(a), str(b), "-o", str(m))
    assert r.returncode == 0, r.stderr
    doc = json.loads(m.read_text())
    jsonschema.validate(doc, schema("docker"))
    names = set(doc["syscalls"][0]["names"])
    assert names == set(json.loads(a.read_text())["syscalls"][0]["names"]) | set(
        json.loads(b.read_text())["syscalls"][0]["names"])
    assert "mkdir" in names
    r = syscope("run", "--profile", str(m), "--", "/bin/mkdir", str(tmp_path / "e"))
    assert r.returncode == 0 and (tmp_path / "e").is_dir()


def _allowed(path: Path) -> set[str]:
    return {n for r in json.loads(path.read_text())["syscalls"] for n in r["names"]}


def test_record_tree_has_every_call_strace_sees(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "tree", C_TREE, "-pthread")
    plain = subprocess.run([exe], capture_output=True, text=True)
    assert plain.returncode == 3 and plain.stdout == "child says hi\nthread 1 child 0\n"
    seen = _strace_names(tmp_path, [exe])
    assert {"uname", "getppid", "execve", "wait4", "exit", "exit_group", "futex"} <= seen
    for recorder in ("ptrace", "notify"):
        out = tmp_path / f"tree-{recorder}.json"
        r = syscope("profile", "--recorder", recorder, "-o", str(out), "--", exe)
        assert r.returncode == 3, r.stderr  # the command's exit status
        assert "(exit 3)" in json.loads(out.read_text())["comment"]
        names = _allowed(out)
        assert seen <= names, (recorder, sorted(seen - names))
        # nothing of syscope's own before the exec of the command
        assert "pidfd_getfd" not in names and "ptrace" not in names and "seccomp" not in names
        r = syscope("run", "--profile", str(out), "--", exe)
        assert (r.returncode, r.stdout) == (3, plain.stdout), (recorder, r.stderr)


def test_record_killed_command_status(tmp_path: Path) -> None:
    out = tmp_path / "k.json"
    r = syscope("profile", "-o", str(out), "--", "/bin/sh", "-c", "kill -TERM $$")
    assert r.returncode == -15
    assert "(killed by SIGTERM)" in json.loads(out.read_text())["comment"]
    assert "kill" in _allowed(out)


def test_record_32bit_dynamic_child(tmp_path: Path) -> None:
    exe = _cc(tmp_path, "d32", C_32, "-m32")
    out = tmp_path / "d.json"
    r = syscope("profile", "-o", str(out), "--", "/bin/sh", "-c", f"{exe} && /bin/true")
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["architectures"] == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]
    names = _allowed(out)
    assert "mmap2" in names  # i386-only: the 32-bit loader's call
    r = syscope("run", "--profile", str(out), "--", "/bin/sh", "-c", f"{exe} && /bin/true")
    assert r.returncode == 0, r.stderr


def test_record_bad_recorder_is_one_line() -> None:
    r = syscope("profile", "--recorder", "bogus", "--", "/bin/true")
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


README = Path(__file__).resolve().parents[2] / "README.md"


def _tour_lines() -> list[str]:
    """The profile/run lines of README's five-minute tour, as written."""
    text = README.read_text()
    tour = text[text.index("## A five-minute tour"):]
    block = tour[tour.index("```sh\n") + 6:]
    block = block[:block.index("```")]
    return [ln for ln in block.splitlines()
            if ln.startswith((".venv/bin/syscope profile", ".venv/bin/syscope run"))]


def test_readme_tour_profile_lines(tmp_path: Path) -> None:
    lines = _tour_lines()
    assert len(lines) == 2 and "profile -o ls.json" in lines[0] and "--profile ls.json" in lines[1]
    # "Run these from the repository": the same relative .venv, in a directory of our own so the
    # recorded ls.json does not land in the checkout.
    (tmp_path / ".venv").symlink_to(README.parent / ".venv")
    for line in lines:
        r = subprocess.run(["/bin/sh", "-c", line], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (line, r.stderr)
        assert "Operation not permitted" not in r.stderr and "Traceback" not in r.stderr, (line, r.stderr)
    names = _allowed(tmp_path / "ls.json")
    assert {"execve", "getdents64", "write"} <= names and "mkdir" not in names
    # under the profile, ls lists /tmp as it does without it: every entry there before and after
    # (others create and remove files in /tmp meanwhile)
    before = set(subprocess.run(["ls", "/tmp"], capture_output=True, text=True).stdout.splitlines())
    r = subprocess.run(["/bin/sh", "-c", lines[1]], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    after = set(subprocess.run(["ls", "/tmp"], capture_output=True, text=True).stdout.splitlines())
    assert r.returncode == 0 and before & after and before & after <= set(r.stdout.splitlines())


C_CLONE3_NEWUSER = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>
int main(void) {
    struct clone_args a = {0};
    a.flags = CLONE_NEWUSER;
    a.exit_signal = 17;
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0) _exit(0);
    if (r > 0) waitpid(r, 0, 0);
    printf("%ld %d\n", r < 0 ? -1L : 1L, r < 0 ? errno : 0);
    return 0;
}
"""


def test_args_clone3_enosys_threads_fall_back_to_checked_clone(tmp_path: Path) -> None:
    tree = _cc(tmp_path, "tree", C_TREE, "-pthread")
    out = tmp_path / "tree-args.json"
    r = syscope("profile", "--args", "-o", str(out), "--", tree)
    assert r.returncode == 3, r.stderr
    assert "clone3: answered ENOSYS" in r.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, schema("docker"))
    rules = {tuple(x["names"]): x for x in doc["syscalls"][1:]}
    assert rules[("clone3",)]["action"] == "SCMP_ACT_ERRNO" and rules[("clone3",)]["errnoRet"] == 38
    assert rules[("clone",)]["args"][0]["op"] == "SCMP_CMP_MASKED_EQ"
    assert "clone3" not in doc["syscalls"][0]["names"] and "clone" not in doc["syscalls"][0]["names"]
    assert syscope("profile", "check", str(out)).returncode in (0, 1)
    # the threads still start (glibc's clone fallback), with the same output
    plain = subprocess.run([tree], capture_output=True, text=True)
    r = syscope("run", "--profile", str(out), "--", tree)
    assert (r.returncode, r.stdout) == (3, plain.stdout), r.stderr
    # clone3 with CLONE_NEWUSER: created without the profile, ENOSYS under it
    c3 = _cc(tmp_path, "c3", C_CLONE3_NEWUSER)
    assert subprocess.run([c3], capture_output=True, text=True).stdout.split() == ["1", "0"]
    merged = tmp_path / "m.json"
    probe = tmp_path / "c3.json"
    assert syscope("profile", "-o", str(probe), "--no-vdso", "--", "/bin/true").returncode == 0
    # the tree's --args profile plus what the loader of c3 needs
    assert syscope("profile", "--merge", str(out), str(probe), "-o", str(merged)).returncode == 0
    r = syscope("run", "--profile", str(merged), "--", c3)
    assert r.stdout.split() == ["-1", "38"], r.stderr


def test_unwritable_output_refused_before_the_command_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    r = syscope("profile", "-o", str(tmp_path / "no" / "p.json"), "--", "/usr/bin/touch", str(marker))
    assert r.returncode != 0 and len(r.stderr.splitlines()) == 1 and "cannot write" in r.stderr
    assert not marker.exists()

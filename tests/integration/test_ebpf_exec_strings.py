"""An exec's path and argv as the eBPF backends see them, where a BPF program cannot read them at
the call's entry: a BPF program cannot fault a page in, and a forked child has none of its
parent's file-backed pages mapped (fork copies no page table entries for them), so the string
literals of a fork+exec are unreadable at its sys_enter.  trace.bpf.c takes an exec's entry copies
at sched_prepare_exec (or at a failed exec's sys_exit), syscope.bpf.c its path from the kernel's
copy; both are compared with the ptrace backend, which reads with process_vm_readv."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

# Each exec in a child of its own, its first touch of the literals.  The argv arrays lie across a
# page boundary, 1 .. 4 of their pointers in the first page: the kernel side copies an array in
# two parts (a read that runs into an unmapped page fails whole), and the strings of the pointers
# in the second part are copied too.  (Python's own argv array for os.execv lands so now and then:
# CI once printed a launched command's third argument as its address.)
EXECS_C = r"""
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static void child(void (*run)(char **), char **argv) {
    pid_t p = fork();
    if (p == 0) {
        run(argv);
        _exit(1);
    }
    waitpid(p, 0, 0);
}
static void run_true(char **argv) {
    char *envp[] = {"A=1", "B=2", 0};
    execve("/bin/true", argv, envp);
}
static void run_missing(char **argv) {
    (void)argv;
    execl("/nonexistent/prog", "prog", "an-argument", (char *)0);
}
int main(void) {
    char *page = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static char *words[] = {"true", "first", "second", "third", "fourth", "fifth"};
    child(run_missing, 0);
    for (int in_first = 1; in_first <= 4; in_first++) {
        char **argv = (char **)(page + 4096 - 8 * in_first);
        memcpy(argv, words, sizeof words);
        argv[6] = 0;
        child(run_true, argv);
    }
    return 0;
}
"""

TRUE_LINE = 'execve("/bin/true", ["true", "first", "second", "third", "fourth", "fifth"], ADDR /* 2 vars */) = 0'
MISSING_LINE = ('execve("/nonexistent/prog", ["prog", "an-argument"], ADDR /* N vars */) = -1 ENOENT '
                '(No such file or directory)')


def _execs(path: Path) -> list[str]:
    lines = []
    for ln in path.read_text().splitlines():
        if "execve(" in ln:
            ln = re.sub(r"^\d+ ", "", re.sub(r"0x[0-9a-f]{6,}", "ADDR", ln))
            lines.append(re.sub(r"/\* \d+ vars \*/\) = -1", "/* N vars */) = -1", ln))
    return lines


def test_a_fork_childs_exec_prints_its_strings_as_ptrace_does(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_exec_strings", EXECS_C)
    runs = {}
    for backend in ("ptrace", "ebpf"):
        out = tmp_path / backend
        r = subprocess.run([*SYSCOPE, "--backend", backend, "-f", "-e", "trace=execve", "-o", str(out), "--", str(exe)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        runs[backend] = _execs(out)
    assert runs["ptrace"][1:] == [MISSING_LINE] + [TRUE_LINE] * 4
    assert runs["ebpf"] == runs["ptrace"]


def test_watch_names_a_fork_childs_exec_path(build_c) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_exec_strings", EXECS_C)
    r = subprocess.run([*SYSCOPE, "watch", "-j", "evt.type=execve", "--", str(exe)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    infos = [json.loads(ln)["evt.info"] for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert infos == [f"res=0 flags=0 filename={exe}", "res=-2(ENOENT) filename=/nonexistent/prog",
                     *["res=0 flags=0 filename=/bin/true"] * 4]

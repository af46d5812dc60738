"""The tracer's own behaviour next to strace 6.1's, on real processes: the program name its
messages start with, a child it never traced ending, calls its tables do not name, the pid
prefix of -p with a command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]
PY = "/usr/bin/python3"

# clone(CLONE_PARENT): the child is its parent's sibling, a child of the tracer that nobody traces
CLONE_PARENT_C = r"""
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
static char stack[65536];
static int child(void *arg) { return 42; }
int main(void) {
    pid_t pid = clone(child, stack + sizeof(stack), CLONE_PARENT | SIGCHLD, 0);
    if (pid < 0) return 1;
    while (!kill(pid, 0)) usleep(1000);  /* until the tracer has reaped it */
    printf("%d\n", pid);
    return 0;
}
"""


def test_messages_start_with_the_programs_path(tmp_path: Path) -> None:
    # run through a launcher (as pip writes one for a console script): argv[0] is its path
    launcher = tmp_path / "tracer"
    launcher.write_text(f"#!{sys.executable}\nimport sys\n\nfrom syscope.cli.main import main\n\n"
                        "sys.exit(main(sys.argv[1:]))\n")
    launcher.chmod(0o755)
    r = subprocess.run([str(launcher), "-e", "trace=nosuchcall", "true"], capture_output=True, text=True, timeout=60)
    s = subprocess.run(["strace", "-e", "trace=nosuchcall", "true"], capture_output=True, text=True, timeout=60)
    assert r.returncode == s.returncode == 1
    assert r.stderr.replace(str(launcher), "strace") == s.stderr
    # under python -m the name is syscope's own
    m = subprocess.run([*SYSCOPE, "-e", "trace=nosuchcall", "true"], capture_output=True, text=True, timeout=60)
    assert m.stderr.startswith("syscope: ")


def test_exit_of_a_child_never_traced(tmp_path: Path) -> None:
    prog = tmp_path / "clone_parent"
    subprocess.run(["gcc", "-O0", "-o", str(prog), "-x", "c", "-"], input=CLONE_PARENT_C, text=True, check=True)
    r = subprocess.run([*SYSCOPE, "-e", "trace=none", str(prog)], capture_output=True, text=True, timeout=60)
    pid = r.stdout.strip()
    assert r.returncode == 0 and pid.isdigit()
    assert f"syscope: Exit of unknown pid {pid} ignored\n" in r.stderr
    # quiet=exit (-qq) leaves it out, as it leaves out the exit lines
    q = subprocess.run([*SYSCOPE, "-qq", "-e", "trace=none", str(prog)], capture_output=True, text=True, timeout=60)
    assert "unknown pid" not in q.stderr


def test_unnamed_syscall_is_traced_with_trace_none(tmp_path: Path) -> None:
    code = "import ctypes; ctypes.CDLL(None).syscall(1000, 1, 2, 3, 4, 5, 6)"
    lines = []
    for tool in (SYSCOPE, ["strace"]):
        out = tmp_path / "out"
        subprocess.run([*tool, "-e", "trace=none", "-o", str(out), PY, "-c", code], check=True, timeout=60)
        lines.append(out.read_text())
    assert lines[0] == lines[1]
    assert lines[0].startswith("syscall_0x3e8(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS")


def test_attach_and_command_lines_carry_pids(tmp_path: Path) -> None:
    # the attached process calls chdir once the command (started after the attach) says so
    flag = tmp_path / "go"
    wait = f"import os, time\nwhile not os.path.exists({str(flag)!r}): time.sleep(0.01)\nos.chdir('/')"
    sleeper = subprocess.Popen([PY, "-c", wait])
    try:
        out = tmp_path / "out"
        subprocess.run([*SYSCOPE, "-q", "-e", "trace=chdir", "-o", str(out), "-p", str(sleeper.pid),
                        PY, "-c", f"import os; os.chdir('/'); open({str(flag)!r}, 'w')"], check=True, timeout=60)
    finally:
        sleeper.wait(timeout=30)
    lines = out.read_text().splitlines()
    chdirs = [ln for ln in lines if "chdir(" in ln]
    assert len(chdirs) == 2
    assert {ln.split()[0] for ln in chdirs} >= {str(sleeper.pid)}
    assert all(ln.split()[0].isdigit() for ln in lines)


def test_detach_on_execve(tmp_path: Path) -> None:
    # -b execve: the command's own exec is traced, the next one is where the tracer lets go
    # (strace exits 0 then: the command's status is no longer its to report)
    cmd = ["/bin/sh", "-c", f"exec {PY} -c 'import os; os.getpid(); raise SystemExit(3)'"]
    for tool, name in ((SYSCOPE, "syscope"), (["strace"], "strace")):
        r = subprocess.run([*tool, "-b", "execve", "-e", "trace=execve,getpid", *cmd],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (name, r.stderr)
        # the shell's own getpid, not python's after the exec
        assert sum(ln.startswith("getpid()") for ln in r.stderr.splitlines()) == 1
        assert r.stderr.count('execve("/bin/sh"') == 1
        assert f"{name}: Process " in r.stderr and " detached" in r.stderr
    both = subprocess.run([*SYSCOPE, "-b", "execve", "--seccomp-bpf", "-f", "-e", "trace=getpid", *cmd],
                          capture_output=True, text=True, timeout=60)
    assert both.stderr.startswith("syscope: --seccomp-bpf is not enabled because it is not compatible with -b\n")


# clone(CLONE_PTRACE) makes the child a tracee of its parent's tracer, wanted or not
CLONE_PTRACE_C = r"""
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static char stack[65536];
static int child(void *arg) { for (;;) pause(); return 0; }
int main(void) {
    pid_t pid = clone(child, stack + sizeof(stack), CLONE_PTRACE | SIGCHLD, 0);
    if (pid < 0) return 1;
    kill(pid, SIGUSR1);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status)) return 2;
    printf("%d\n", pid);
    return 0;
}
"""


def test_clone_ptrace_child_is_let_go(tmp_path: Path) -> None:
    prog = tmp_path / "clone_ptrace"
    subprocess.run(["gcc", "-O0", "-o", str(prog), "-x", "c", "-"], input=CLONE_PTRACE_C, text=True, check=True)
    r = subprocess.run([*SYSCOPE, "-e", "trace=none", str(prog)], capture_output=True, text=True, timeout=60)
    pid = r.stdout.strip()
    assert r.returncode == 0 and pid.isdigit(), r.stderr
    # without -f it is not traced: its signal and death are its parent's business (a SIGCHLD)
    assert f"syscope: Detached unknown pid {pid}\n" in r.stderr
    assert "SIGUSR1 {" not in r.stderr and "killed by" not in r.stderr
    assert "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED" in r.stderr
    q = subprocess.run([*SYSCOPE, "-q", "-e", "trace=none", str(prog)], capture_output=True, text=True, timeout=60)
    assert "Detached unknown" not in q.stderr


def test_daemonized_tracer_is_not_the_commands_parent(tmp_path: Path) -> None:
    # -D: the command is the process we started (our child, its pid), traced by a grandchild
    code = ("import os; s = open('/proc/self/status').read(); "
            "print(os.getpid(), os.getppid(), s.split('TracerPid:')[1].split()[0])")
    for option in ("-D", "-DDD", "--daemonize=pgroup"):  # grandchild, own session, own group
        out = tmp_path / f"trace{option}"
        p = subprocess.Popen([*SYSCOPE, option, "-q", "-e", "trace=getppid", "-o", str(out), PY, "-c", code],
                             stdout=subprocess.PIPE, text=True)
        stdout, _ = p.communicate(timeout=60)
        pid, ppid, tracer = (int(x) for x in stdout.split()[:3])
        assert p.returncode == 0
        assert pid == p.pid and ppid != tracer and tracer > 0
        assert ppid == os.getpid()
        for _ in range(600):  # the tracer writes its last line after the command has ended
            if out.exists() and out.read_text().endswith("+++ exited with 0 +++\n"):
                break
            time.sleep(0.05)
        lines = out.read_text().splitlines()
        # nothing of the tracer's own start: the command's calls from its execve on
        assert [ln.split("(")[0] for ln in lines] == ["getppid", "+++ exited with 0 +++"]
        assert lines[0].endswith(f"= {ppid}")


def test_tracer_lets_go_of_its_stdin_and_stdout() -> None:
    # the command may be one end of a pipe: syscope's own copies would keep it open
    code = "import os; p = os.getppid(); print(os.readlink(f'/proc/{p}/fd/0'), os.readlink(f'/proc/{p}/fd/1'))"
    r = subprocess.run([*SYSCOPE, "-qq", "-e", "trace=none", PY, "-c", code], input="", capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["/dev/null", "/dev/null"]
    # the command's own descriptors are the ones it was given
    own = "import os; print(os.readlink('/proc/self/fd/1'))"
    mine = subprocess.run([*SYSCOPE, "-qq", "-e", "trace=none", PY, "-c", own], capture_output=True, text=True,
                          timeout=60)
    assert mine.stdout.startswith("pipe:")


def test_tracer_started_with_stdin_and_stdout_closed(tmp_path: Path) -> None:
    # strace's redirect-fds.test: with 0 and 1 closed, /dev/null opens as fd 0 itself; the trace is still written
    log = tmp_path / "log"
    r = subprocess.run([*SYSCOPE, "-o", str(log), "-e", "trace=chdir", PY, "-c", "import os; os.chdir('/')"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       timeout=60, preexec_fn=lambda: (os.close(0), os.close(1)))
    assert r.returncode == 0, r.stderr
    assert " ".join(log.read_text().splitlines()[0].split()) == 'chdir("/") = 0'


def test_dies_of_the_commands_signal_even_if_it_was_blocked() -> None:
    # started with SIGTERM blocked, syscope still dies of the SIGTERM that killed the command
    code = "import os, signal; signal.pthread_sigmask(signal.SIG_UNBLOCK, [15]); os.kill(os.getpid(), 15)"
    r = subprocess.run([*SYSCOPE, "-qq", "-e", "trace=none", PY, "-c", code], capture_output=True, timeout=60,
                       preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM]))
    assert r.returncode == -signal.SIGTERM


def test_poked_arguments_are_noted(tmp_path: Path) -> None:
    # poke_enter writes "/tmp\0" over the path chdir is given: the call succeeds, and says why
    code = "import os; os.chdir('/nonexistent-directory')"
    opts = ["-e", "trace=chdir", "-e", "inject=chdir:poke_enter=@arg1=2f746d7000"]
    lines = []
    for tool in (SYSCOPE, ["strace"]):
        out = tmp_path / "out"
        r = subprocess.run([*tool, *opts, "-o", str(out), PY, "-c", code], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        lines.append(out.read_text())
    assert lines[0] == lines[1]
    assert 'chdir("/tmp") = 0 (INJECTED: args)' in " ".join(lines[0].split())
    # an argument the call does not have is said, not written
    bad = subprocess.run([*SYSCOPE, "-e", "trace=chdir", "-e", "inject=chdir:poke_enter=@arg2=2f00", PY, "-c", code],
                         capture_output=True, text=True, timeout=60)
    assert ("syscope: Failed to tamper with process " in bad.stderr
            and "requested to tamper with argument #2, but system call 'chdir' has only 1 arguments" in bad.stderr)


def test_strings_in_hex_non_ascii_chars(tmp_path: Path) -> None:
    # each byte that is not printable in hex, the rest as it is (-x would turn all of it into hex)
    code = "import os\ntry:\n    os.chdir(b'caf\\xc3\\xa9\\x01\\n')\nexcept OSError:\n    pass"
    lines = []
    for tool in (SYSCOPE, ["strace"]):
        out = tmp_path / "out"
        subprocess.run([*tool, "-e", "trace=chdir", "--strings-in-hex=non-ascii-chars", "-o", str(out), PY, "-c", code],
                       check=True, timeout=60)
        lines.append(out.read_text())
    assert lines[0] == lines[1]
    assert lines[0].startswith('chdir("caf\\xc3\\xa9\\x01\\n")')


def test_sigtrap_is_delivered_and_shown() -> None:
    # a SIGTRAP the program sends itself is a signal like any other: shown, then delivered
    code = ("import os, signal; hit = []; signal.signal(signal.SIGTRAP, lambda *a: hit.append(1)); "
            "os.kill(os.getpid(), signal.SIGTRAP); print(len(hit))")
    for tool in (SYSCOPE, ["strace"]):
        r = subprocess.run([*tool, "-e", "trace=kill", PY, "-c", code], capture_output=True, text=True, timeout=60)
        assert r.stdout == "1\n", (tool, r.stderr)
        assert "--- SIGTRAP {si_signo=SIGTRAP, si_code=SI_USER" in r.stderr


def test_debug_says_whether_ptrace_get_syscall_info_works() -> None:
    # strace's -d line that its suite looks for (int_0x80.test, umovestr_cached.test): the check
    # traces a real child through one call; the trace itself still runs
    r = subprocess.run([*SYSCOPE, "-d", "-e", "trace=none", "/bin/true"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == "syscope: PTRACE_GET_SYSCALL_INFO works"
    assert "+++ exited with 0 +++" in r.stderr

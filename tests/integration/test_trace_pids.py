"""--decode-pids=pidns (--pidns-translation) and --decode-pids=comm (-Y) on real processes: a
tracee in its own pid namespace (``unshare --pid --fork``) and strace 6.1 as the oracle for the
shape of each line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]
PY = "/usr/bin/python3"
# a process in a new pid namespace (a user namespace too, as strace's own tests do): it is pid 1
# there, its parent is outside (getppid() = 0); it signals itself and asks its priority
IN_NS = ["unshare", "--user", "--map-root-user", "--pid", "--fork", PY, "-c",
         "import os; os.getpid(); os.getppid(); os.kill(os.getpid(), 0); "
         "os.getpriority(os.PRIO_PROCESS, os.getpid()); os.getpgid(0)"]
CALLS = "--trace=getpid,getppid,kill,getpriority,getpgid"


def _run(tool: list[str], tmp_path: Path, name: str, options: list[str], command: list[str]) -> list[str]:
    out = tmp_path / name
    r = subprocess.run([*tool, *options, "-o", str(out), *command], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out.read_text().splitlines()


def _shape(lines: list[str]) -> list[str]:
    """The lines of the namespaced process with its pids (in the tracer's namespace) as P."""
    prefix = {ln.split()[0] for ln in lines if "getpid()" in ln}
    assert len(prefix) == 1, lines
    pid = prefix.pop()
    return [re.sub(r"(?<!\d)" + pid + r"(?!\d)", "P", ln) for ln in lines if ln.startswith(pid + " ")]


def test_pidns_translation_names_the_tracers_pid(tmp_path: Path) -> None:
    ours = _run(SYSCOPE, tmp_path, "ours", ["-f", "--pidns-translation", CALLS, "-esignal=none"], IN_NS)
    shaped = _shape(ours)
    # pid 1 inside is the process the tracer knows as P: every pid it passes or gets says so
    assert "P getpid() = 1 /* P in strace's PID NS */" in [" ".join(s.split()) for s in shaped]
    assert any("kill(1 /* P in strace's PID NS */, 0)" in s for s in shaped)
    assert any("getpriority(PRIO_PROCESS, 1 /* P in strace's PID NS */)" in s for s in shaped)
    theirs = _run(["strace"], tmp_path, "theirs", ["-f", "--pidns-translation", CALLS, "-esignal=none"], IN_NS)
    assert shaped == _shape(theirs)


def test_without_translation_pids_print_bare(tmp_path: Path) -> None:
    shaped = _shape(_run(SYSCOPE, tmp_path, "ours", ["-f", CALLS, "-esignal=none"], IN_NS))
    assert "/*" not in "".join(shaped)
    assert any(" ".join(s.split()) == "P getpid() = 1" for s in shaped)


def test_decode_pids_comm_names_each_process(tmp_path: Path) -> None:
    # -Y: the name after the pid of each line, and after each pid argument and result
    code = "import os; os.getppid(); os.kill(os.getpid(), 0)"
    ours = _run(SYSCOPE, tmp_path, "ours", ["-f", "-Y", "--trace=getppid,kill", "-esignal=none"], [PY, "-c", code])
    child = [ln for ln in ours if "kill(" in ln]
    assert len(child) == 1
    pid = child[0].split("<", 1)[0]
    assert child[0].startswith(f"{pid}<python3> kill({pid}<python3>, 0)")
    # its parent is the tracer, named as the kernel names a process: its executable's name
    parent = [ln for ln in ours if "getppid()" in ln]
    got = re.fullmatch(rf"{pid}<python3> getppid\(\) += (\d+)<([^>]*)>", parent[0])
    assert got is not None, parent
    assert got.group(2) == Path(sys.executable).name[:15]
    assert ours[-1] == f"{pid}<python3> +++ exited with 0 +++"


# The child exits and stays a zombie: waitid(WNOWAIT) returns once it has exited without reaping
# it, and the SIGCHLD it sent is delivered as waitid returns.  -Y reads /proc/PID/comm when the
# line is printed (strace's print_pid_comm), and a zombie's comm is readable until it is reaped,
# so si_pid names it under both tracers whatever the timing.  (When the parent reaps it first,
# in a wait4 the signal then interrupts, no name is left to print: which comes first is the
# scheduler's choice, and the seccomp prefilter, strace's --seccomp-bpf, lets an untraced parent
# reach its wait4 sooner.)
ZOMBIE_C = r"""
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t p = fork();
    if (p == 0) { prctl(PR_SET_NAME, "zombie-kid"); _exit(3); }
    siginfo_t si;
    waitid(P_PID, p, &si, WEXITED | WNOWAIT);
    getppid();
    waitid(P_PID, p, &si, WEXITED);
    return 0;
}
"""


def test_decode_pids_comm_names_a_zombie_sender(tmp_path: Path) -> None:
    src = tmp_path / "zombie.c"
    src.write_text(ZOMBIE_C)
    exe = tmp_path / "zombie"
    subprocess.run(["gcc", "-O0", "-o", str(exe), str(src)], check=True)
    opts = ["-Y", "--trace=getppid", "-esignal=SIGCHLD"]
    for tool in (SYSCOPE, ["strace"]):
        lines = _run(tool, tmp_path, "out", opts, [str(exe)])
        sig = [ln for ln in lines if ln.startswith("--- SIGCHLD")]
        assert len(sig) == 1, (tool, lines)
        assert re.search(r"si_code=CLD_EXITED, si_pid=\d+<zombie-kid>, si_uid=0, si_status=3,", sig[0]), (tool, sig)

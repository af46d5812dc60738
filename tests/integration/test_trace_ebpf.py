"""``syscope trace --backend ebpf``: strace's lines from what the BPF program copied, compared
with the ptrace backend's lines on the same real programs (addresses and pids normalised)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from syscope.sources.ebpf import build

SYSCOPE = [sys.executable, "-m", "syscope"]
_ADDR = re.compile(r"0x[0-9a-f]{6,}")

FILES_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
int main(int argc, char **argv) {
    char buf[64];
    struct stat st;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0640);
    write(fd, "hello \"quoted\"\n\tand a longer tail past thirty-two bytes", 56);
    struct iovec iov[2] = {{"ab", 2}, {"cdef", 4}};
    writev(fd, iov, 2);
    close(fd);
    fd = open(argv[1], O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    fstat(fd, &st);
    stat("/nonexistent/path", &st);
    lseek(fd, 0, SEEK_SET);
    struct iovec riov[2] = {{buf, 3}, {buf + 8, 40}};
    readv(fd, riov, 2);
    close(fd);
    readlink("/proc/self/exe", buf, sizeof buf);
    unlink(argv[1]);
    return n == 62 ? 3 : 4;
}
"""

FORK_C = r"""
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t p = fork();
    if (p == 0) {
        write(1, "child\n", 6);
        _exit(7);
    }
    int st;
    waitpid(p, &st, 0);
    write(1, "parent\n", 7);
    execl("/bin/true", "true", "one", "two", (char *)0);
    return 1;
}
"""


def _trace(backend: str, out: Path, argv: list[str], *opts: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SYSCOPE, "--backend", backend, *opts, "-o", str(out), "--", *argv],
                          capture_output=True, text=True, timeout=60)


def _lines(path: Path, argv0: str) -> list[str]:
    text = path.read_text().replace(argv0, "PROG")
    # addresses (ASLR) and the tid set_tid_address returns differ between two runs
    return [re.sub(r"(set_tid_address\(ADDR\) += )\d+$", r"\1TID", _ADDR.sub("ADDR", line))
            for line in text.splitlines()]


def _pidless(lines: list[str]) -> list[str]:
    return [re.sub(r"^\d+ ", "", re.sub(r"\b\d{3,7}\b", "N", ln)) for ln in lines]


def test_files_program_prints_as_ptrace_does(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_files", FILES_C)
    target = tmp_path / "data.txt"
    runs = {}
    for backend in ("ptrace", "ebpf"):
        r = _trace(backend, tmp_path / backend, [str(exe), str(target)])
        assert r.returncode == 3, r.stderr
        runs[backend] = _lines(tmp_path / backend, str(exe))
    assert runs["ebpf"] == runs["ptrace"]
    text = "\n".join(re.sub(r"\) +=", ") =", ln) for ln in runs["ebpf"])
    # what only the copied memory can give: strings, buffers, structs, iovecs, a failed path
    assert 'write(3, "hello \\"quoted\\"\\n\\tand a longer tai"..., 56) = 56' in text
    assert 'writev(3, [{iov_base="ab", iov_len=2}, {iov_base="cdef", iov_len=4}], 2) = 6' in text
    assert 'readv(3, [{iov_base="hel", iov_len=3}, {iov_base="lo \\"quoted\\"\\n\\tand a longer tail p"..., ' \
        'iov_len=40}], 2) = 43' in text
    assert 'newfstatat(3, "", {st_mode=S_IFREG|0640, st_size=62, ...}, AT_EMPTY_PATH) = 0' in text
    assert 'newfstatat(AT_FDCWD, "/nonexistent/path", ADDR, 0) = -1 ENOENT (No such file or directory)' in text
    assert "+++ exited with 3 +++" in text


def test_follow_forks_and_exec(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_fork", FORK_C)
    runs = {}
    for backend in ("ptrace", "ebpf"):
        (tmp_path / backend).mkdir()
        r = _trace(backend, tmp_path / backend / "t", [str(exe)], "-ff")
        assert r.returncode == 0, r.stderr
        # one file per process (-ff): no "<unfinished ...>" splits, so the lines compare whole
        runs[backend] = sorted(
            tuple(re.sub(r"\b\d{3,7}\b", "N", re.sub(r"\) +=", ") =", ln)) for ln in _lines(f, str(exe)))
            for f in (tmp_path / backend).iterdir())
    # SIGCHLD comes before or after the parent's wait4 as the scheduler runs the child: apart
    # from it, each process's lines are the same in the same order
    def calls(files: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        return [tuple(ln for ln in f if not ln.startswith("--- SIGCHLD")) for f in files]

    assert calls(runs["ebpf"]) == calls(runs["ptrace"])
    child, parent = sorted(runs["ebpf"], key=len)
    assert child[-3:] == ('write(1, "child\\n", 6) = 6', "exit_group(7) = ?", "+++ exited with 7 +++")
    assert any(ln.startswith("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_uid=0, si_status=7")
               for ln in parent)
    assert any(ln.startswith('execve("/bin/true", ["true", "one", "two"], ADDR /* ') for ln in parent)


def test_exit_group_and_killed(tmp_path: Path) -> None:
    r = _trace("ebpf", tmp_path / "t", ["/usr/bin/python3", "-c", "import os, signal; os.kill(os.getpid(), 9)"])
    assert r.returncode == -9 or r.returncode == 137, r
    text = (tmp_path / "t").read_text()
    assert "+++ killed by SIGKILL +++" in text


def test_trace_selection_and_string_limit(tmp_path: Path) -> None:
    out = tmp_path / "t"
    r = _trace("ebpf", out, ["/bin/echo", "a-rather-long-argument-for-the-limit"], "-e", "trace=write", "-s", "8")
    assert r.returncode == 0, r.stderr
    lines = [re.sub(r"\) +=", ") =", ln) for ln in out.read_text().splitlines()]
    assert lines == ['write(1, "a-rather"..., 37) = 37', "+++ exited with 0 +++"]


def test_ptrace_only_options_are_one_line_errors(tmp_path: Path) -> None:
    for opts in (["-e", "inject=openat:error=ENOENT"], ["-i"], ["-k"], ["-c", "-e", "fault=openat"]):
        r = subprocess.run([*SYSCOPE, "--backend", "ebpf", *opts, "--", "/bin/true"], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode != 0
        assert "Traceback" not in r.stderr
        assert "--backend ebpf:" in r.stderr and "ptrace" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_auto_picks_ptrace_and_ebpf_does_not_ptrace() -> None:
    # proc(5) TracerPid: the command is ptraced under the default backend only
    not_ptraced = ["/bin/grep", "-q", "^TracerPid:[[:space:]]*0$", "/proc/self/status"]
    for opts, code in (([], 1), (["--backend", "auto"], 1), (["--backend", "ebpf"], 0)):
        r = subprocess.run([*SYSCOPE, *opts, "-o", "/dev/null", "--", *not_ptraced], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == code, (opts, r.stderr)


def test_setuid_program_stays_with_ptrace(tmp_path: Path) -> None:
    prog = tmp_path / "suid"
    prog.write_bytes(Path("/bin/true").read_bytes())
    prog.chmod(0o4755)
    r = subprocess.run([*SYSCOPE, "--backend", "ebpf", "--", str(prog)], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "set-user-ID" in r.stderr and "Traceback" not in r.stderr


# mincore: a vector of a byte per page of the range, which the capture plan does not copy
MINCORE_C = r"""
#include <sys/mman.h>
int main(void) {
    unsigned char vec[2];
    void *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return mincore(p, 8192, vec) != 0;
}
"""


def test_not_copied_memory_is_counted(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_mincore", MINCORE_C)
    out = tmp_path / "t"
    r = _trace("ebpf", out, [str(exe)], "-e", "trace=mincore")
    assert r.returncode == 0
    assert re.search(r"^mincore\(0x[0-9a-f]+, 8192, 0x[0-9a-f]+\) += 0$", out.read_text(), re.M), out.read_text()
    assert re.search(r"syscope: 1 calls printed with arguments the eBPF capture plan does not copy", r.stderr)


def test_shipped_trace_object_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    out = build.build(tmp_path / "trace.bpf.o", build.TRACE_SOURCE)
    assert out.read_bytes() == build.TRACE_OBJECT.read_bytes()
    assert b"/work" not in out.read_bytes() and b"/tmp" not in out.read_bytes()


def test_attach_with_p_and_detach_on_sigint() -> None:
    import signal

    victim = subprocess.Popen(["/usr/bin/python3", "-c", "import time\nwhile True: time.sleep(0.02)"])
    try:
        tr = subprocess.Popen([*SYSCOPE, "--backend", "ebpf", "-p", str(victim.pid)], stderr=subprocess.PIPE,
                              text=True)
        assert tr.stderr is not None
        seen = [tr.stderr.readline() for _ in range(3)]  # blocks until the lines come
        tr.send_signal(signal.SIGINT)
        _, rest = tr.communicate(timeout=60)
        assert seen[0] == f"syscope: Process {victim.pid} attached\n"
        assert all(ln.startswith("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=") for ln in seen[1:])
        assert rest.endswith(f"syscope: Process {victim.pid} detached\n")
        assert tr.returncode == -signal.SIGINT  # strace 6.1 dies of the signal that stopped it
        assert victim.poll() is None  # never stopped: it runs on
    finally:
        victim.kill()
        victim.wait()


def test_every_call_of_a_long_run_is_printed(tmp_path: Path) -> None:
    # 300,000 calls: ~35 MB of records, more than one drain of the ring takes after the command ends
    out = tmp_path / "t"
    r = _trace("ebpf", out, ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=150000"])
    assert r.returncode == 0, r.stderr
    lines = out.read_text().splitlines()
    assert sum(1 for ln in lines if ln.startswith(('read(0, "\\0", 1)', 'write(1, "\\0", 1)'))) == 300000
    assert lines[-2:] == ["exit_group(0)                           = ?", "+++ exited with 0 +++"]
    assert "lost" not in r.stderr


# sendmsg/recvmsg over a UNIX datagram pair: an iovec array, a file descriptor passed as
# SCM_RIGHTS control data, a name on an AF_INET datagram, and a recvmsg that fails (EAGAIN).
MSG_C = r"""
#include <arpa/inet.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct iovec iov[2] = {{"hello ", 6}, {"world", 5}};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr mh = {0};
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof ctl.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int fd = 0;
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(sv[0], &mh, 0);
    char got[32];
    struct iovec riov[2] = {{got, 4}, {got + 4, 20}};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } rctl;
    struct msghdr rh = {0};
    rh.msg_iov = riov;
    rh.msg_iovlen = 2;
    rh.msg_control = rctl.buf;
    rh.msg_controllen = sizeof rctl.buf;
    recvmsg(sv[1], &rh, 0);
    recvmsg(sv[1], &rh, MSG_DONTWAIT);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct msghdr uh = {0};
    uh.msg_name = &to;
    uh.msg_namelen = sizeof to;
    uh.msg_iov = iov;
    uh.msg_iovlen = 1;
    sendmsg(u, &uh, 0);
    return 0;
}
"""


def test_sendmsg_and_recvmsg_print_their_messages_as_ptrace_does(build_c, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = build_c("ebpf_msg", MSG_C)
    runs = {}
    for backend in ("ptrace", "ebpf"):
        r = _trace(backend, tmp_path / backend, [str(exe)], "-e", "trace=sendmsg,recvmsg")
        assert r.returncode == 0, r.stderr
        assert "capture plan does not copy" not in r.stderr
        runs[backend] = _lines(tmp_path / backend, str(exe))
    assert runs["ebpf"] == runs["ptrace"]
    text = "\n".join(re.sub(r"\) +=", ") =", ln) for ln in runs["ebpf"])
    assert ('sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello ", iov_len=6}, '
            '{iov_base="world", iov_len=5}], msg_iovlen=2, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, '
            'cmsg_type=SCM_RIGHTS, cmsg_data=[0]}], msg_controllen=24, msg_flags=0}, 0) = 11') in text
    assert 'msg_iov=[{iov_base="hell", iov_len=4}, {iov_base="o world", iov_len=20}]' in text
    assert "recvmsg(4, {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN" in text
    assert "msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}" in text

"""Agreement with strace 6.1 on real programs (coreutils, /usr/bin/python3 snippets), first process
only, through the decode test tracer.  Prints the agreement per program and overall; the floor
asserted is the figure reached (see the issue note), so a decoding regression fails the test.
Normalised: addresses, pids, ports, inode numbers, random bytes, epoll user data (pointers)."""

from __future__ import annotations

import difflib
import glob
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "decode"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(Path(__file__).parent))
import minitrace  # noqa: E402
from test_decode_vs_strace import _RET, _normalise  # noqa: E402

from syscope.decode import DecodeOptions  # noqa: E402

PY = "/usr/bin/python3"
PROGRAMS = [
    ["/bin/ls", "-la", "/etc"],
    ["/bin/cat", "/etc/hostname"],
    ["/usr/bin/id"],
    ["/bin/date", "-u", "+%s"],
    ["/usr/bin/env"],
    ["/bin/stat", "/etc/passwd"],
    ["/usr/bin/head", "-c", "100", "/etc/services"],
    ["/usr/bin/wc", "-l", "/etc/passwd"],
    [PY, "-c", "import socket\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen()\n"
     "c=socket.create_connection(s.getsockname());a,_=s.accept();a.send(b'hi');c.recv(10)"],
    [PY, "-c", "import os,select\nr,w=os.pipe();os.write(w,b'x');select.poll().register(r)\n"
     "p=select.poll();p.register(r);p.poll(100);e=select.epoll();e.register(r);e.poll(0.1)"],
    [PY, "-c", "import socket\nu=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM);u.bind(('::1',0))\n"
     "u.sendto(b'q',u.getsockname());u.recvfrom(5)"],
    [PY, "-c", "import os\nfd=os.open('/tmp',os.O_RDONLY|os.O_DIRECTORY);os.listdir(fd);os.close(fd)"],
    [PY, "-c", "import threading\nt=threading.Thread(target=lambda:None);t.start();t.join()"],
    [PY, "-c", "import subprocess\nsubprocess.run(['/bin/true'])"],
    [PY, "-c", "import signal,os,resource\nsignal.signal(signal.SIGUSR1,lambda *a:None)\n"
     "os.kill(os.getpid(),signal.SIGUSR1);signal.setitimer(signal.ITIMER_REAL,0.5)\n"
     "signal.setitimer(signal.ITIMER_REAL,0);resource.getrusage(resource.RUSAGE_SELF)"],
    [PY, "-c", "import select,os\nr,w=os.pipe();os.write(w,b'x');select.select([r],[w],[],0.5)"],
    [PY, "-c", "import os,mmap,tempfile\nf=tempfile.TemporaryFile();f.write(b'x'*4096);f.flush()\n"
     "m=mmap.mmap(f.fileno(),4096);m.madvise(mmap.MADV_DONTNEED);os.umask(0o22);os.getcwd()"],
    ["/bin/sleep", "0.01"],
    ["/usr/bin/touch", "/tmp/syscope-decode-touch"],
    ["/bin/cp", "/etc/passwd", "/tmp/syscope-decode-cp"],
    ["/bin/ln", "-sf", "/etc/passwd", "/tmp/syscope-decode-ln"],
    ["/bin/readlink", "/tmp/syscope-decode-ln"],
    ["/usr/bin/du", "-s", "/etc/ssl"],
    ["/usr/bin/find", "/etc/ssl", "-maxdepth", "1"],
    ["/bin/df", "/"],
    ["/usr/bin/tail", "-n1", "/etc/passwd"],
    ["/bin/uname", "-a"],
    ["/usr/bin/sort", "/etc/passwd"],
]

_EXTRA = [
    (re.compile(r"htons\(\d+\)"), "htons(PORT)"),
    (re.compile(r"(127\.0\.0\.1|\[::1\]):\d+"), r"\1:PORT"),
    (re.compile(r"(TCP|UDP|TCPv6|UDPv6|UNIX-STREAM|UNIX-DGRAM|UNIX):\[\d+"), r"\1:[INODE"),
    (re.compile(r"u64=\d+"), "u64=N"),
    (re.compile(r"u32=\d+"), "u32=N"),
    (re.compile(r'^(getrandom\()"(?:[^"\\]|\\.)*"'), r'\1"RANDOM"'),
    (re.compile(r"^(sysinfo\()\{.*\}"), r"\1{...}"),
    # times measured by the kernel differ between the two runs
    (re.compile(r"(left \{tv_sec=\d+, tv_nsec=)\d+"), r"\1N"),
    (re.compile(r"(ru_[us]time=\{tv_sec=\d+, tv_usec=)\d+"), r"\1N"),
    (re.compile(r"(it_value=\{tv_sec=\d+, tv_usec=)\d+"), r"\1N"),
    (re.compile(r"/tmp/syscope-decode-\w+"), "/tmp/TMPNAME"),
    (re.compile(r'"/tmp/CU\w{6}"|"/tmp/Cu\w{6}"'), '"/tmp/TMPNAME"'),
    (re.compile(r"f_fsid=\{val=\[[^]]*\]\}|f_bfree=\d+|f_bavail=\d+|f_ffree=\d+"), "FSSTAT"),
]


def _norm(lines: list[str]) -> list[str]:
    out = []
    for line in _normalise(lines):
        for rx, rep in _EXTRA:
            line = rx.sub(rep, line)
        out.append(line)
    return out


def test_agreement_with_strace(tmp_path: Path) -> None:
    pct = _agreement(tmp_path, PROGRAMS, [], DecodeOptions())
    assert pct >= 99.6


def test_socket_endpoints_yy(tmp_path: Path) -> None:
    # -yy: TCP/UDP endpoints and unix socket paths as strace prints them (ports normalised)
    progs = [p for p in PROGRAMS if "socket" in p[-1]]
    pct = _agreement(tmp_path, progs, ["-yy"], DecodeOptions(decode_fds=2))
    assert pct >= 99.0


def test_socket_dumps(tmp_path: Path) -> None:
    # -e read=/write= hex dumps of socket data (sendto/recvfrom) as strace lays them out
    progs = [p for p in PROGRAMS if "socket" in p[-1]]
    pct = _agreement(tmp_path, progs, ["-e", "read=3,4,5,6", "-e", "write=3,4,5,6"],
                     DecodeOptions(read_fds=frozenset({3, 4, 5, 6}), write_fds=frozenset({3, 4, 5, 6})))
    assert pct >= 99.0


@pytest.fixture(autouse=True, scope="module")
def _remove_tmp_files() -> Iterator[None]:
    """The programs above write /tmp/syscope-decode-*: gone when the module is done."""
    yield
    for path in glob.glob("/tmp/syscope-decode-*"):
        os.unlink(path)


def _agreement(tmp_path: Path, programs: list[list[str]], sopts: list[str], dopts: DecodeOptions) -> float:
    total = same = 0
    differing: dict[str, int] = {}
    for argv in programs:
        log = tmp_path / "s.out"
        subprocess.run(["/usr/bin/strace", *sopts, "-o", str(log), *argv], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        want = _norm([x if x.startswith(" | ") else _RET.sub(" = ", x)
                      for x in log.read_text().splitlines() if not x.startswith("+++")])
        got = _norm(minitrace.trace(argv, dopts))
        sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
        ok = sum(b.size for b in sm.get_matching_blocks())
        n = max(len(want), len(got))
        for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
            if tag != "equal":
                for k in range(i1, i2):
                    name = want[k].split("(")[0]
                    differing[name] = differing.get(name, 0) + 1
        print(f"{' '.join(argv)[:60]}: {ok}/{n} = {100 * ok / n:.1f}%")
        total += n
        same += ok
    pct = 100 * same / total
    print(f"overall {same}/{total} = {pct:.2f}%; differing: {sorted(differing.items(), key=lambda x: -x[1])}")
    return pct

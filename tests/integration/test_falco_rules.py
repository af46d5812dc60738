"""Falco's own falco_rules.yaml under ``syscope watch --rules``: real programs doing what its rules
are about (read /etc/shadow, symlink over a sensitive file, PTRACE_TRACEME, grep for private keys,
execute from /dev/shm, a reverse shell's dup2 onto stdin/stdout in a container, ...) alert as
Falco documents them, once each, in Falco's JSON (json_output) and text forms."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests import podman

FALCO_RULES = Path(__file__).resolve().parents[3] / "shared" / "data" / "falco" / "falco_rules.yaml"
PY = "/usr/bin/python3"

# Rules Falco ships in its other files (falco-incubating_rules.yaml), written here in the same
# language: syscope runs them like any rule file, after falco_rules.yaml (whose macros they use).
EXTRA_RULES = """
- macro: chmod
  condition: (evt.type in (chmod, fchmod, fchmodat) and evt.res=SUCCESS)
- rule: Set Setuid or Setgid bit
  desc: setuid or setgid bit set on a file
  condition: chmod and (evt.arg.mode contains "S_ISUID" or evt.arg.mode contains "S_ISGID")
  output: Setuid or setgid bit is set via chmod (fd=%evt.arg.fd filename=%evt.arg.filename mode=%evt.arg.mode
    user=%user.name process=%proc.name command=%proc.cmdline)
  priority: NOTICE
  tags: [process, mitre_privilege_escalation]
- rule: Write below etc
  desc: an attempt to write to any file below /etc
  condition: open_write and etc_dir
  output: File below /etc opened for writing (file=%fd.name flags=%evt.arg.flags process=%proc.name
    command=%proc.cmdline)
  priority: ERROR
  tags: [filesystem, mitre_persistence]
"""

PTRACE_TRACEME = "import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)"  # PTRACE_TRACEME is 0
PTRACE_ATTACH = """
import ctypes, os, signal, time
child = os.fork()
if child == 0:
    time.sleep(5)
    os._exit(0)
libc = ctypes.CDLL(None, use_errno=True)
assert libc.ptrace(16, child, 0, 0) == 0  # PTRACE_ATTACH (linux/ptrace.h)
os.waitpid(child, 0)
os.kill(child, signal.SIGKILL)
libc.ptrace(17, child, 0, 0)
os.waitpid(child, 0)
"""
MEMFD_EXEC = """
import os
fd = os.memfd_create("payload", 0)
os.write(fd, open("/bin/sleep", "rb").read())
os.execv(f"/proc/self/fd/{fd}", ["payload", "0.5"])
"""
TRAVERSAL = "import subprocess; subprocess.run(['/bin/cat', '/etc/../etc/../etc/shadow'], stdout=subprocess.DEVNULL)"


def _script(t: Path) -> str:
    shm = f"/dev/shm/syscope-falco-{os.getpid()}"
    return "; ".join([
        "/bin/cat /etc/shadow >/dev/null",
        f"/bin/ln -s /etc/shadow {t}/shadow-link",
        f"/bin/ln /etc/sudoers {t}/sudoers-hardlink 2>/dev/null",
        f"{PY} -c '{PTRACE_TRACEME}'",
        f"{PY} -c '{PTRACE_ATTACH}'",
        f"/bin/grep -rl 'BEGIN PRIVATE' {t} >/dev/null",
        f"/bin/grep aws_secret_access_key {t}/none 2>/dev/null",
        f"/usr/bin/shred {t}/data",
        f"/bin/cp /bin/true {shm} && {shm}; /bin/rm -f {shm}",
        f": > {t}/syslog",
        f"{PY} -c '{MEMFD_EXEC}'",
        f"{PY} -c \"{TRAVERSAL}\"",
        f"/bin/chmod u+s {t}/data2",
        f"echo x > /etc/syscope-falco-test-{os.getpid()}; /bin/rm -f /etc/syscope-falco-test-{os.getpid()}",
    ])


def watch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "watch", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def alerts(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    t = tmp_path_factory.mktemp("falco")
    (t / "data").write_text("x" * 100)
    (t / "data2").write_text("y")
    extra = t / "extra.yaml"
    extra.write_text(EXTRA_RULES)
    r = watch("--rules", str(FALCO_RULES), "--rules", str(extra), "--json-output",
              "--", "/bin/sh", "-c", _script(t))
    assert "Traceback" not in r.stderr, r.stderr
    assert "rules: 27 loaded, 0 skipped" in r.stderr, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def _by_rule(alerts: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [a for a in alerts if a["rule"] == rule]


def test_falco_rules_load_without_skips() -> None:
    r = watch("--rules", str(FALCO_RULES), "--", "/bin/true")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    # one warning (the plugins the file asks for) and the summary
    assert len(lines) == 2 and "required plugins container are not available" in lines[0]
    assert lines[1] == "syscope: rules: 25 loaded, 0 skipped"


def test_read_sensitive_file_untrusted(alerts: list[dict[str, Any]]) -> None:
    (a,) = [a for a in _by_rule(alerts, "Read sensitive file untrusted")
            if a["output_fields"]["proc.cmdline"] == "cat /etc/shadow"]
    assert a["priority"] == "Warning" and a["source"] == "syscall"
    f = a["output_fields"]
    assert (f["fd.name"], f["proc.name"], f["evt.type"], f["user.name"]) == \
        ("/etc/shadow", "cat", "openat", "root")
    assert f["proc.exepath"].endswith("/bin/cat") and f["proc.pname"] == "sh"
    assert a["tags"][:2] == ["maturity_stable", "host"] and "T1555" in a["tags"]
    assert a["hostname"] == socket.gethostname()
    # Falco's output: the text line, time first; time in ISO 8601 UTC with nanoseconds
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{9}: Warning Sensitive file opened for reading by "
                        r"non-trusted program \| file=/etc/shadow .*", a["output"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", a["time"])
    assert f["evt.time"] > 0


def test_directory_traversal_read(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Directory traversal monitored file read")
    assert a["output_fields"]["fd.nameraw"] == "/etc/../etc/../etc/shadow"
    assert a["output_fields"]["proc.pname"] == "python3"


def test_symlink_over_sensitive_file(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Create Symlink Over Sensitive Files")
    assert a["output_fields"]["evt.arg.target"] == "/etc/shadow"
    assert a["output_fields"]["evt.type"] in ("symlink", "symlinkat")


def test_ptrace_traceme_and_attach(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "PTRACE anti-debug attempt")
    assert a["priority"] == "Notice" and a["output_fields"]["proc.name"] == "python3"
    attach = _by_rule(alerts, "PTRACE attached to process")
    assert attach and all(x["output_fields"]["evt.type"] == "ptrace" for x in attach)
    assert "PTRACE_ATTACH attempt" in attach[0]["output"]


def test_search_private_keys_once_per_exec(alerts: list[dict[str, Any]]) -> None:
    # one alert per exec: the execve call, not the exec event too
    (a,) = _by_rule(alerts, "Search Private Keys or Passwords")
    assert a["output_fields"]["proc.name"] == "grep" and a["output_fields"]["evt.type"] == "execve"
    (b,) = _by_rule(alerts, "Find AWS Credentials")
    assert "aws_secret_access_key" in b["output_fields"]["proc.cmdline"]


def test_remove_bulk_data(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Remove Bulk Data from Disk")
    assert a["output_fields"]["proc.name"] == "shred"


def test_execution_from_dev_shm(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Execution from /dev/shm")
    assert a["output_fields"]["proc.exepath"].startswith("/dev/shm/syscope-falco-")


def test_clear_log_activities(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Clear Log Activities")
    assert a["output_fields"]["fd.name"].endswith("/syslog")


def test_fileless_execution(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Fileless execution via memfd_create")
    # the kernel names the task after the path executed (/proc/self/fd/N: "N")
    assert a["priority"] == "Critical" and a["output_fields"]["proc.cmdline"].endswith(" 0.5")
    # sysdig's execve flags (libs' PPM_EXE_*), as exe_flags=%evt.arg.flags shows them
    assert "EXE_FROM_MEMFD" in a["output_fields"]["evt.arg.flags"].split("|")


def test_setuid_bit_and_write_below_etc(alerts: list[dict[str, Any]]) -> None:
    (a,) = _by_rule(alerts, "Set Setuid or Setgid bit")
    assert "S_ISUID" in a["output_fields"]["evt.arg.mode"]
    assert a["output_fields"]["evt.arg.filename"].endswith("data2")
    (w,) = _by_rule(alerts, "Write below etc")
    assert w["output_fields"]["fd.name"] == f"/etc/syscope-falco-test-{os.getpid()}"
    assert w["output_fields"]["evt.arg.flags"] == "O_WRONLY|O_CREAT|O_TRUNC"


def test_text_alerts_as_falco_prints_them(tmp_path: Path) -> None:
    r = watch("--rules", str(FALCO_RULES), "--", "/bin/sh", "-c", "/bin/cat /etc/shadow >/dev/null")
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{9}: Warning Sensitive file opened for reading by "
                        r"non-trusted program \| file=/etc/shadow gparent=\S+ .* process=cat "
                        r"proc_exepath=\S*/bin/cat parent=sh command=cat /etc/shadow terminal=\S+", line)
    # selection: the tag turns it off, the rule's name back on
    r = watch("--rules", str(FALCO_RULES), "--disable-tag", "filesystem", "--", "/bin/sh", "-c",
              "/bin/cat /etc/shadow >/dev/null")
    assert r.stdout == "" and "rules: 17 loaded, 8 disabled, 0 skipped" in r.stderr


def test_redirect_stdout_to_network_in_container(podman_image: str) -> None:
    # a reverse shell's first step in a container: nc connects, dup2s the socket onto 0 and 1
    r = watch("--rules", str(FALCO_RULES), "--json-output", "--", *podman.PODMAN, "run", "--rm",
              *podman.LIMITS, podman_image, "sh", "-c",
              "nc -l -p 9999 >/dev/null & sleep 0.5; nc 127.0.0.1 9999 -e /bin/true; sleep 0.3")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    redirects = _by_rule(got, "Redirect STDOUT/STDIN to Network Connection in Container")
    assert redirects, (r.stdout, r.stderr)
    fds = sorted(a["output_fields"]["fd.name"] and a["output_fields"]["evt.type"] for a in redirects)
    assert set(fds) <= {"dup", "dup2", "dup3"}
    for a in redirects:
        f = a["output_fields"]
        assert (f["fd.type"], f["fd.sip"], f["fd.rport"]) == ("ipv4", "127.0.0.1", 9999)


def test_terminal_shell_in_container(podman_image: str) -> None:
    # `podman run -it` under script(1): the container's shell has a controlling terminal
    run = " ".join([*podman.PODMAN, "run", "--rm", "-it", *podman.LIMITS, podman_image, "sh", "-c",
                    "'sleep 1'"])
    r = watch("--rules", str(FALCO_RULES), "--json-output", "--", "script", "-qec", run, "/dev/null")
    # script(1) passes the terminal's bytes through too (a NUL before the first alert)
    got = [json.loads(x[x.index("{"):]) for x in r.stdout.splitlines() if '{"hostname"' in x]
    (a,) = _by_rule(got, "Terminal shell in container")
    f = a["output_fields"]
    assert (f["proc.name"], f["proc.cmdline"], f["proc.pname"]) == ("sh", "sh -c sleep 1", "conmon")
    assert f["proc.tty"] != 0 and a["priority"] == "Notice"
    # the image's shell: the overlay's lower layer (a file written in the container is upper)
    assert "EXE_LOWER_LAYER" in f["evt.arg.flags"].split("|")


def test_drop_and_execute_new_binary_in_container(podman_image: str) -> None:
    # a binary written in the container lands in the overlay's upper layer
    r = watch("--rules", str(FALCO_RULES), "--json-output", "--", *podman.PODMAN, "run", "--rm",
              *podman.LIMITS, podman_image, "sh", "-c",
              "mkdir -p /tmp/d && cp /bin/busybox /tmp/d/sleep && /tmp/d/sleep 0.5")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    (a,) = _by_rule(got, "Drop and execute new binary in container")
    f = a["output_fields"]
    assert (f["proc.exe"], f["proc.name"], a["priority"]) == ("/tmp/d/sleep", "sleep", "Critical")
    assert "EXE_UPPER_LAYER" in f["evt.arg.flags"].split("|")
    assert f["proc.exe_ino.mtime"] > 0 and f["proc.cwd"] == "/"


PACKET_SOCKET = r"""
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
    int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    usleep(300000);
    return s < 0;
}
"""


def test_packet_socket_in_container(podman_image: str, build_c: Any) -> None:
    exe = build_c("packet_socket", PACKET_SOCKET, "-static")
    r = watch("--rules", str(FALCO_RULES), "--json-output", "--", *podman.PODMAN, "run", "--rm",
              *podman.LIMITS, "-v", f"{exe.parent}:/t:ro", podman_image, "/t/packet_socket")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    (a,) = _by_rule(got, "Packet socket created in container")
    f = a["output_fields"]
    assert f["evt.type"] == "socket" and f["proc.name"] == "packet_socket"
    # socket_info=%evt.args: sysdig's parameter names, the domain by name
    assert f["evt.args"].startswith("fd=") and "domain=AF_PACKET type=3" in f["evt.args"]

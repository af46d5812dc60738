"""capget(2)/capset(2) headers are value-result: the kernel writes its own version over one it does
not know (kernel/capability.c cap_validate_magic), and strace prints the header as the program
passed it.  The tracer decodes the header while the call's entry is stopped (late decoding and
the eBPF capture plan copy it at entry), on a real tracee."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

SYSCOPE = [sys.executable, "-m", "syscope"]

CAPSET = r"""
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    struct __user_cap_header_struct h = {0xbadc0ded, 0};
    /* the data: 8 readable bytes before an unmapped page, one struct needs 12 */
    char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || munmap(p + 4096, 4096))
        return 2;
    syscall(SYS_capset, &h, p + 4096 - 8);
    return h.version == _LINUX_CAPABILITY_VERSION_3 ? 0 : 3;  /* the kernel rewrote it */
}
"""


def test_capset_header_as_passed_and_data_unread_without_a_known_version(
        tmp_path: Path, build_c: Callable[..., Path]) -> None:
    prog = build_c("caps_badversion", CAPSET)
    log = tmp_path / "log"
    r = subprocess.run([*SYSCOPE, "-e", "trace=capset", "-o", str(log), str(prog)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^capset\(\{version=0xbadc0ded /\* _LINUX_CAPABILITY_VERSION_\?\?\? \*/, pid=0\}, "
                     r"0x[0-9a-f]+\) += -1 EINVAL \(Invalid argument\)$", log.read_text(), re.M), log.read_text()

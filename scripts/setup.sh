#!/usr/bin/env bash
# Set up syscope on a fresh Debian 12 / Ubuntu machine: the system libraries it drives
# (libseccomp, libbpf), the tools its tests compare against (strace, chromium), the BPF
# toolchain that rebuilds its shipped BPF object, and a virtualenv in .venv with syscope installed.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
APT_PACKAGES=(python3 python3-venv python3-dev strace libseccomp2 libbpf1 clang llvm libbpf-dev bpftool gcc libc6-dev chromium gcc-multilib groff man-db util-linux podman runc busybox-static
  make gawk dpkg-dev xz-utils  # tools/strace_suite.py: unpack and build strace 6.1's test suite
  linux-libc-dev-arm64-cross  # tools/gen_decode.py: the arm64 UAPI headers of the aarch64 tables (a test regenerates them)
  libdw1 libstdc++6 g++)  # -k: elfutils' unwinder, the C++ demangler; g++ for its test's program
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# tracefs carries the syscall tracepoint formats; mount it where the kernel expects it.
if [ ! -e /sys/kernel/tracing/events ]; then
  $SUDO mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi
# The venv is made from the distribution's python3, installed above with the headers the C
# extension builds against, not from whatever `python3` comes first on PATH (a pyenv shim, say):
# Debian's and Ubuntu's interpreter is built with profile-guided and link-time optimisation, which
# a default source build (pyenv's) is not, and the tracer's start-up is nearly all interpreter
# work: a traced /bin/true took ~18% fewer instructions (cachegrind) under /usr/bin/python3.11
# than under a pyenv 3.11 build.  PYTHON=... picks another one; a .venv made from another
# interpreter than the one chosen is made again.
PY=${PYTHON:-/usr/bin/python3}
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import os, sys; sys.exit(os.path.realpath(sys._base_executable) != os.path.realpath(sys.argv[1]))' "$(command -v "$PY")" 2>/dev/null; then
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
# Python 3.11's venv comes with setuptools, whose distutils-precedence.pth imports a hook at every
# start of the interpreter (~1.9 M instructions, ~6% of a bare start): nothing here needs it at
# run time (pip built syscope in an isolated environment, as it will again), and Python 3.12's
# venv has none.
.venv/bin/python -m pip uninstall -q -y setuptools >/dev/null 2>&1 || true
# pip built the tracer's optional C extension (setup.py: src/syscope/_kernel/_stops*.c) in place;
# it is optional, so a failed build only says so here and the ctypes fallback is used.
.venv/bin/python -c 'from syscope._kernel import stops; import sys; sys.exit(stops.IMPLEMENTATION != "c")' \
  || echo "setup.sh: the C extension syscope._kernel._stops was not built (gcc, python3-dev?): tracing uses ctypes" >&2
# An editable install leaves compiling to the first import, and PYTHONDONTWRITEBYTECODE (set on
# some machines) makes every start recompile: byte-compile once, as a regular install would.
.venv/bin/python -m compileall -q src >/dev/null

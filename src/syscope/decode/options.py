"""Decoding options: the strace flags that change how arguments print."""

from __future__ import annotations

from syscope.typenames import NamedTuple


class DecodeOptions(NamedTuple):
    # a NamedTuple, not a dataclass: the tracer's start-up imports this module, and dataclasses
    # costs it inspect's import and a class compiled from source (~12 ms CPU with events.py's).
    # Immutable: a variant is ``opts._replace(verbose=True)``.
    string_limit: int = 32  # -s: bytes of a string (and elements of an array) before "..."
    xflag: int = 0  # -x (1: non-ASCII strings in hex), -xx (2: every string in hex)
    verbose: bool = False  # -v: whole structs and envp
    decode_fds: int = 0  # -y (1: paths), -yy (2: also socket endpoints)
    raw: frozenset[str] = frozenset()  # -e raw=SET: these print raw hex
    raw_all: bool = False  # -X raw: every constant printed as a number
    xlat_verbose: bool = False  # -X verbose: the number, then its names in a comment
    abbrev: bool = True  # -e abbrev=none turns this off (like -v for structs)
    no_abbrev: frozenset[str] = frozenset()  # -e abbrev=!SET
    # -e verbose=!SET (verbose=none: every call): these calls show the address of each structure,
    # array or value-result argument instead of reading it; strings and buffers still print
    no_verbose: frozenset[str] = frozenset()
    read_fds: frozenset[int] = frozenset()  # -e read=FDS hex dumps
    write_fds: frozenset[int] = frozenset()  # -e write=FDS hex dumps
    # --decode-pids=comm (-Y: "PID<comm>"), pidns (--pidns-translation: "PID /* N in strace's PID NS */")
    decode_pids: frozenset[str] = frozenset()
    # --decode-fds=SET (path, socket, dev, pidfd); empty: -y's path, -yy's all, from decode_fds
    fd_kinds: frozenset[str] = frozenset()
    # -e kvm=vcpu: KVM_RUN's return is followed by the vCPU's exit reason (strace(1))
    kvm_vcpu: bool = False

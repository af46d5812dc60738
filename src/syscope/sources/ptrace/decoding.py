"""How the engine decodes a call (a part of engine.Tracer): with the decoder, made when a call first
needs it.  Importing the decoder, its argument kinds and tables was most of what a traced /bin/true
cost syscope's start-up; the calls the C extension formats (lines.py, with the formats made ahead
under the default options, decode/cplans.py) need none of it, so a trace whose calls all have C
forms never makes it.  A decoder bug prints the call raw, and the trace goes on."""

from __future__ import annotations

import sys

from syscope.syscalls import native_arch
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from syscope.decode import DecodeOptions, Decoder
    from syscope.decode.registry import Memory
    from syscope.events import SyscallEvent

_NATIVE = native_arch()


class TracerDecoding:
    """The engine's decoding (a part of engine.Tracer)."""

    options: DecodeOptions
    decoding: bool
    _decoder: Decoder | None
    _warned: set[str]

    @property
    def decoder(self) -> Decoder | None:
        """The decoder (None: a trace without decoding, ``decode``), made when first asked for: importing
        it, its argument kinds and tables is most of a traced /bin/true's start-up, and a trace
        whose calls the C extension formats asks for it never (decode/cplans.py)."""
        if self._decoder is None and self.decoding:
            from syscope.decode.decoder import Decoder

            self._decoder = Decoder(self.options)
        return self._decoder

    @decoder.setter
    def decoder(self, decoder: Decoder) -> None:
        """Decode with this one (of the session's options)."""
        self._decoder = decoder

    def _decode(self, ev: SyscallEvent, task: Any, mem: Memory | None = None, inlen: int | None = None) -> None:
        """Decode the half of the call its phase says: while stopped, or late (late_decode.py).
        ``inlen``: a value-result length as the entry stop had it (the extension read it there,
        _stops.c kept_tuple), which an entry decoded later would read rewritten."""
        decoder = self._decoder or self.decoder
        assert decoder is not None
        live = task.mem
        live.held = {}  # hold_pages(), inline: one read per page for this half (memory.py)
        try:
            if ev.phase == "exit":
                decoder.decode_exit(ev, mem or live)
            else:
                decoder.decode_entry(ev, mem or live)
                if inlen is not None:
                    decoder.inlen[task.tid] = inlen
        except Exception as exc:  # noqa: BLE001 - a decoder bug must not end the trace
            self._undecodable(ev, exc)
        finally:
            live.held = None  # drop_pages()
        if ev.name == "restart_syscall" and ev.phase == "enter":
            # the kernel restarts the call a signal interrupted (restart_syscall(2)); strace
            # names it from the thread's previous call (never decoded late: not yet replaced)
            ev.args = [f"<... resuming interrupted {task.last_name} ...>"] if task.last_name else []
            ev.n_entry_args = len(ev.args)

    def _siginfo(self, info: bytes, tid: int) -> str:
        # PTRACE_GETSIGINFO fills the tracer's layout (a 64-bit tracer gets a 64-bit siginfo even
        # from a -m32 tracee: the kernel converts only for compat tracers), so the arch is ours.
        from syscope.decode.siginfo import format_siginfo  # a signal's line only (start-up)

        if not self.decoding:
            return format_siginfo(info, _NATIVE)
        opts = self.options
        # si_pid is a pid of the receiver's namespace (--decode-pids translates it: the decoder's
        # pid namespaces; without it the number as it is, base.py pid_in)
        dec = self.decoder if opts.decode_pids else None
        return format_siginfo(info, _NATIVE, raw=opts.raw_all, verbose=opts.xlat_verbose,
                              pid=str if dec is None else lambda p: dec.pid_in(tid, p))

    def _undecodable(self, ev: SyscallEvent, exc: Exception) -> None:
        """Print the call as strace prints one it has no decoder for (raw registers in hex) and
        say once per syscall what went wrong: the traced program must not pay for a decoder bug."""
        ev.args = [hex(a) for a in ev.raw_args]
        ev.n_entry_args = len(ev.args)
        if ev.phase == "exit" and ev.retval is not None:
            ev.ret_text = f"-1 (errno {ev.errno})" if ev.errno is not None else str(ev.retval)
        if ev.name not in self._warned:
            self._warned.add(ev.name)
            print(f"syscope: cannot decode {ev.name}: {type(exc).__name__}: {exc}; printed raw", file=sys.stderr)

"""Argument decoding, strace-grade: ``Decoder(DecodeOptions(...)).decode_entry/decode_exit``."""

from __future__ import annotations

from syscope.lean import import_module

# typing is not imported for this: it is not needed at run time (mypy knows the name)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from syscope.decode.decoder import Decoder, hexdump, wait_status
    from syscope.decode.fmt import errno_text, quote, sigset
    from syscope.decode.options import DecodeOptions
    from syscope.decode.plain import signame
    from syscope.decode.siginfo import format_siginfo

__all__ = ["Decoder", "DecodeOptions", "errno_text", "format_siginfo", "hexdump", "quote", "signame",
           "sigset", "wait_status"]

# Imported when first used (PEP 562): `from syscope.decode import DecodeOptions` or `fmt` (the
# option parser, the filters) must not load the decoder, which imports every argument kind's module.
_LAZY = {"Decoder": "decoder", "hexdump": "decoder", "wait_status": "decoder", "errno_text": "fmt",
         "quote": "fmt", "signame": "plain", "sigset": "fmt", "DecodeOptions": "options",
         "format_siginfo": "siginfo"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'syscope.decode' has no attribute {name!r}")
    value = getattr(import_module(f"syscope.decode.{module}"), name)
    globals()[name] = value
    return value

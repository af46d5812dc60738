"""Argument decoding, strace-grade: ``Decoder(DecodeOptions(...)).decode_entry/decode_exit``."""

from syscope.decode.decoder import Decoder, hexdump, wait_status
from syscope.decode.fmt import errno_text, quote, signame, sigset
from syscope.decode.options import DecodeOptions
from syscope.decode.siginfo import format_siginfo

__all__ = ["Decoder", "DecodeOptions", "errno_text", "format_siginfo", "hexdump", "quote", "signame",
           "sigset", "wait_status"]

"""Event sources: the ptrace tracer (``sources.ptrace``), the eBPF watcher (``sources.ebpf``) and
the reader of recorded captures and JSON-lines traces (``sources.file``)."""

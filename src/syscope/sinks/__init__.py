"""Sinks: consumers of the event stream (strace text, JSON lines, -c summary, timeline, report,
capture writer, chisels).

A sink has ``handle(ev)`` and ``close()``."""

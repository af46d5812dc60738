"""Rule alerts as Falco prints them: the text line ``HH:MM:SS.nnnnnnnnn: Priority output`` and,
with ``json_output``, Falco's JSON object (``hostname``, ``output``, ``output_fields``,
``priority``, ``rule``, ``source``, ``tags``, ``time``), so Falco's consumers (falcosidekick, ...)
take syscope's alerts unchanged."""

from __future__ import annotations

import json
import socket
import time
from typing import Any, TextIO

from syscope.context import Context
from syscope.events import Event
from syscope.filters.rules import PRIORITY_TEXT, Rule, RuleSet
from syscope.filters.sysdig import event_time, field_value


def _clock(t: float) -> str:
    ns = int(round(t * 1e9))
    return time.strftime("%H:%M:%S", time.localtime(ns // 10**9)) + f".{ns % 10**9:09d}"


def _iso(t: float) -> str:
    ns = int(round(t * 1e9))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + f".{ns % 10**9:09d}Z"


def alert_line(rule: Rule, ev: Event) -> str:
    """Falco's text alert (falco_formats::format_event with time_format_iso_8601: false)."""
    return f"{_clock(event_time(ev))}: {PRIORITY_TEXT[rule.priority]} {rule.render(ev)}"


def _json_value(v: Any) -> Any:
    if isinstance(v, list):
        return ",".join(str(x) for x in v)
    return v


def alert_json(rule: Rule, ev: Event, ctx: Context, hostname: str) -> dict[str, Any]:
    t = event_time(ev)
    fields: dict[str, Any] = {"evt.time": int(round(t * 1e9))}
    for f in rule.fields:
        fields[f] = _json_value(field_value(f, ev, ctx))
    return {"hostname": hostname, "output": alert_line(rule, ev), "output_fields": fields,
            "priority": PRIORITY_TEXT[rule.priority], "rule": rule.name, "source": "syscall",
            "tags": list(rule.tags), "time": _iso(t)}


class AlertSink:
    """Evaluates a RuleSet on each event and writes one alert per matching rule."""

    def __init__(self, rules: RuleSet, ctx: Context, out: TextIO, json_output: bool = False) -> None:
        self.rules = rules
        self.ctx = ctx
        self.out = out
        self.json_output = json_output
        self.hostname = socket.gethostname()
        self.count = 0

    def handle(self, ev: Event) -> int:
        n = 0
        for r in self.rules.matching(ev):
            if self.json_output:
                self.out.write(json.dumps(alert_json(r, ev, self.ctx, self.hostname)) + "\n")
            else:
                self.out.write(alert_line(r, ev) + "\n")
            n += 1
        self.count += n
        return n


__all__ = ["AlertSink", "alert_line", "alert_json"]

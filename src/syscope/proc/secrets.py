"""Which environment variables look like secrets, and how to print them redacted.

A variable is flagged by its name (the word PASSWORD, TOKEN, SECRET ... in it) or by its value
(a URL with a password in it, a PEM private key, a token with a vendor's well-known prefix).
Names that *point at* a secret rather than hold it (``DB_PASSWORD_FILE``, the docker secrets
convention; ``SSH_AUTH_SOCK``) are not flagged by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Substrings of the upper-cased name that mark a secret.
_NAME_SUBSTRINGS = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_KEY", "APIKEY",
                    "PRIVATE_KEY", "PRIVATEKEY", "ACCESS_KEY", "CREDENTIAL", "SESSION_KEY",
                    "SIGNING_KEY", "ENCRYPTION_KEY", "MASTER_KEY", "CLIENT_KEY", "AUTH_KEY")
# Whole words (split on "_") that mark a secret; as substrings they would hit PASSAGE, PWDX.
_NAME_WORDS = frozenset({"PASS", "PWD", "PW", "AUTH", "COOKIE", "DSN"})
# The working directory variables of every shell (PWD, OLDPWD) are not passwords.
_NAME_EXCEPTIONS = frozenset({"PWD", "OLDPWD"})
# Suffixes naming where a secret is, not the secret.
_POINTER_SUFFIXES = ("_FILE", "_PATH", "_SOCK", "_DIR", "_ENV", "_URL_FILE")

_URL_PASSWORD = re.compile(r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:)(?P<pw>[^@\s/]+)(?P<post>@)")
_VALUE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"), "value is a PEM private key"),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "value is an AWS access key id"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"), "value is a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "value is a GitLab token"),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "value is a Slack token"),
    (re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"), "value is a Stripe key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "value is a Google API key"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
     "value is a JSON web token"),
    (re.compile(r"^(?:Bearer|Basic)\s+\S{8,}"), "value is an HTTP Authorization credential"),
)

REDACTED = "****"


@dataclass(frozen=True, slots=True)
class Finding:
    """A secret-like variable: its name, why it was flagged, and its value redacted."""

    name: str
    reason: str
    redacted: str


def classify(name: str, value: str) -> str | None:
    """Why ``name=value`` looks like a secret, or None.  Empty values expose nothing."""
    if not value:
        return None
    if _URL_PASSWORD.search(value):
        return "value is a URL with a password in it"
    for rx, reason in _VALUE_PATTERNS:
        if rx.search(value):
            return reason
    upper = name.upper()
    if upper in _NAME_EXCEPTIONS or upper.endswith(_POINTER_SUFFIXES):
        return None
    for sub in _NAME_SUBSTRINGS:
        if sub in upper:
            return f"name contains {sub}"
    words = set(re.split(r"[^A-Z0-9]+", upper))
    hit = sorted(words & _NAME_WORDS)
    if hit:
        return f"name contains the word {hit[0]}"
    return None


def redact(value: str, reason: str) -> str:
    """The value as printed without --reveal.

    A URL keeps everything but its password so the reader still sees which server it is for.
    """
    if reason.startswith("value is a URL"):
        return _URL_PASSWORD.sub(lambda m: m.group("pre") + REDACTED + m.group("post"), value)
    return REDACTED


def find_secrets(env: dict[str, str]) -> list[Finding]:
    """The secret-like variables of one environment, in name order."""
    out = []
    for name in sorted(env):
        reason = classify(name, env[name])
        if reason is not None:
            out.append(Finding(name, reason, redact(env[name], reason)))
    return out


# --------------------------------------------------------------------------- redacting records
# The same detector applied to what traces carry: "NAME=VALUE" (environment entries of execve,
# --password=x options, query strings), a secret-named option followed by its value
# ("--password", "x"), and values with a known shape anywhere in a string.
_ASSIGNMENT = re.compile(r"(?P<name>(?<![\w.-])-{0,2}[A-Za-z_][\w.-]*)=(?P<value>[^\s\"',&;]+)")
_FLAG_THEN_VALUE = re.compile(r'"(?P<flag>--?[A-Za-z][\w-]*)", "(?P<value>(?:[^"\\]|\\.)+)"')
_FLAG = re.compile(r"--?[A-Za-z][\w-]*")
# "--password VALUE" inside one string (a command line written out, a shell's -c text)
_FLAG_SPACE_VALUE = re.compile(r"(?<![\w-])(?P<flag>--?[A-Za-z][\w-]*)(?P<sep>[ \t]+)(?P<value>[^\s\"',-][^\s\"',]*)")
# an HTTP credential inside a longer string (a curl -H argument, a request written to a socket)
_AUTH_CREDENTIAL = re.compile(
    r"(?P<scheme>(?i:authorization:\s*(?:bearer|basic|token|digest)\s+|\bbearer\s+))[A-Za-z0-9._~+/-]{8,}=*")
# A vendor token cut short by the string limit (-s 32 prints "ghp_abc..."...) is still most
# of a secret: in traces the known prefixes are redacted from 8 characters on.
_TOKEN_PREFIX = re.compile(r"\b(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_|AIza|AKIA|ASIA)"
                           r"[A-Za-z0-9_-]{8,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_.-]*")
# What every rule below needs somewhere in the string: a secret-like word for the name-based
# rules, or the fixed start of a value shape.  Most strings of a trace have none, and one search
# of this short pattern lets them through untouched.
_HINT_WORDS = ("pass", "pw", "secret", "token", "key", "credential", "auth", "cookie", "dsn", "session", "bearer",
               "basic", "://", "-----begin", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
               "glpat-", "xox", "k_live_", "k_test_", "aiza", "eyj")
# literals only, searched in the lower-cased text: several times faster than the patterns
_HINT = re.compile("|".join(re.escape(w) for w in _HINT_WORDS))


def _name_reason(name: str, value: str) -> str | None:
    return classify(name.lstrip("-").replace("-", "_").replace(".", "_"), value)


def redact_text(text: str) -> str:
    """``text`` with every value that looks like a secret replaced by ``****`` (a URL keeps all but
    its password).  Cheap when there is nothing to redact: most strings have no ``=`` and none of
    the known token shapes."""
    if not _HINT.search(text.lower()):
        return text
    out = _URL_PASSWORD.sub(lambda m: m.group("pre") + REDACTED + m.group("post"), text)
    for rx, _reason in _VALUE_PATTERNS:
        out = rx.sub(REDACTED, out)
    out = _AUTH_CREDENTIAL.sub(lambda m: m.group("scheme") + REDACTED, out)
    out = _TOKEN_PREFIX.sub(REDACTED, out)

    def assignment(m: re.Match[str]) -> str:
        value = m.group("value")
        if value == REDACTED or _name_reason(m.group("name"), value) is None:
            return m.group(0)
        return f"{m.group('name')}={REDACTED}"

    def flag_value(m: re.Match[str]) -> str:
        if _name_reason(m.group("flag"), m.group("value")) is None:
            return m.group(0)
        return f'"{m.group("flag")}", "{REDACTED}"'

    def flag_space_value(m: re.Match[str]) -> str:
        if m.group("value") == REDACTED or _name_reason(m.group("flag"), m.group("value")) is None:
            return m.group(0)
        return f"{m.group('flag')}{m.group('sep')}{REDACTED}"

    out = _ASSIGNMENT.sub(assignment, out)
    out = _FLAG_SPACE_VALUE.sub(flag_space_value, out)
    return _FLAG_THEN_VALUE.sub(flag_value, out)


def redact_record(value: object) -> object:
    """A copy of a JSON-shaped record (dicts, lists, strings...) with secrets redacted in every
    string; in a list of strings (an argv), the item after a secret-named option (``--token``)
    too.  Numbers and other scalars are passed through as they are (the JSON sink calls this for
    every event: exact types, no isinstance chains)."""
    kind = type(value)
    if kind is str:
        return redact_text(value)  # type: ignore[arg-type]
    if kind is dict:
        return {k: v if type(v) not in _WALKED else redact_record(v)
                for k, v in value.items()}  # type: ignore[attr-defined]
    if kind is list or kind is tuple:
        items = [v if type(v) not in _WALKED else redact_record(v) for v in value]  # type: ignore[attr-defined]
        if any(type(x) is str and x[:1] == "-" for x in items):
            for i in range(len(items) - 1):
                flag, nxt = items[i], items[i + 1]
                if (type(flag) is str and type(nxt) is str and nxt and _FLAG.fullmatch(flag)
                        and _name_reason(flag, nxt) is not None):
                    items[i + 1] = REDACTED
        return items
    return value


_WALKED = frozenset({str, dict, list, tuple})

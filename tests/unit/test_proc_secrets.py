"""Secret-like environment variables: what is flagged, why, and how it is redacted."""

from __future__ import annotations

import pytest

from syscope.proc.secrets import REDACTED, classify, find_secrets, redact


@pytest.mark.parametrize("name,value,word", [
    ("DB_PASSWORD", "hunter2", "PASSWORD"),
    ("MYSQL_ROOT_PASSWD", "x", "PASSWD"),
    ("CLIENT_SECRET", "abc", "SECRET"),
    ("GITHUB_TOKEN", "abc", "TOKEN"),
    ("STRIPE_API_KEY", "abc", "API_KEY"),
    ("SSH_PRIVATE_KEY", "abc", "PRIVATE_KEY"),
    ("AWS_SECRET_ACCESS_KEY", "abc", "SECRET"),
    ("REDIS_PASS", "abc", "PASS"),
    ("NPM_AUTH", "abc", "AUTH"),
])
def test_flagged_by_name(name: str, value: str, word: str) -> None:
    reason = classify(name, value)
    assert reason is not None and word in reason


@pytest.mark.parametrize("name,value,kind", [
    ("DATABASE_URL", "postgres://app:s3cr3t@db.internal:5432/app", "URL with a password"),
    ("BROKER", "amqp://guest:guest@rabbit/", "URL with a password"),
    ("TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "PEM private key"),
    ("KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
    ("GH", "ghp_" + "a1B2c3D4e5" * 4, "GitHub token"),
    ("HDR", "Bearer abcdefghijklmnop", "Authorization"),
    ("JWT_VALUE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", "JSON web token"),
])
def test_flagged_by_value(name: str, value: str, kind: str) -> None:
    reason = classify(name, value)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("name,value", [
    ("PWD", "/home/user"), ("OLDPWD", "/tmp"), ("SSH_AUTH_SOCK", "/run/user/1000/ssh"),
    ("DB_PASSWORD_FILE", "/run/secrets/db"), ("PATH", "/usr/bin:/bin"),
    ("DATABASE_URL", "postgres://db.internal:5432/app"),  # no credentials in it
    ("HOME", "/root"), ("PASSAGE", "a"), ("DB_PASSWORD", ""),  # empty exposes nothing
])
def test_not_flagged(name: str, value: str) -> None:
    assert classify(name, value) is None


def test_url_redaction_keeps_the_server() -> None:
    value = "postgres://app:s3cr3t@db.internal:5432/app"
    out = redact(value, classify("DATABASE_URL", value) or "")
    assert out == f"postgres://app:{REDACTED}@db.internal:5432/app"
    assert "s3cr3t" not in out


def test_find_secrets_sorted_and_redacted() -> None:
    env = {"Z_TOKEN": "t0k", "HOME": "/root", "A_PASSWORD": "pw"}
    found = find_secrets(env)
    assert [f.name for f in found] == ["A_PASSWORD", "Z_TOKEN"]
    assert all(f.redacted == REDACTED for f in found)

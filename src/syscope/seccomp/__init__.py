"""Seccomp profiles: parse Docker/OCI JSON, resolve them as Docker does, enforce through libseccomp."""

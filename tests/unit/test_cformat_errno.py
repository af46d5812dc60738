"""The errno texts the tracer hands its C extension (decode/cformat.py errno_texts): the text the
Python sink prints for every errno the C library names, nothing for the others (the extension
leaves those calls' lines to Python, which prints "-1 N (errno N)")."""

from __future__ import annotations

import errno

from syscope.decode import cformat, fmt


def test_named_errnos_have_the_python_text_and_the_others_none() -> None:
    texts = cformat.errno_texts()
    assert len(texts) == cformat.ERRNO_LIMIT and texts[0] is None
    for e in range(1, cformat.ERRNO_LIMIT):
        if e in errno.errorcode:
            assert texts[e] == fmt.errno_text(e)
        else:
            assert texts[e] is None and fmt.errno_text(e) == f"-1 {e} (errno {e})"
    assert texts[errno.ENOENT] == "-1 ENOENT (No such file or directory)"
    assert texts[errno.EAGAIN] == "-1 EAGAIN (Resource temporarily unavailable)"

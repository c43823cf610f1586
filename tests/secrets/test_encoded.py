"""Encodings: a base64-wrapped secret goes whole; a secret split by `\\` + newline goes too."""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.secrets.redaction import redact

TOKEN = "glsa_" + "k3Xv9QpL2mZr7TnB4wYc8HdF1sJg6eAu" + "_0a1b2c3d"


def test_base64_wrapped_env_is_removed_whole() -> None:
    blob = base64.b64encode(f"GRAFANA_TOKEN={TOKEN}\n".encode()).decode()
    out = redact(f"echo {blob} | base64 -d > .env")
    assert blob not in out and "[REDACTED:base64_secret]" in out


def test_base64_of_ordinary_text_and_binary_stays() -> None:
    text = base64.b64encode(b"hello world from the build step, nothing secret").decode()
    binary = base64.b64encode(bytes(range(256))).decode()
    assert redact(f"echo {text}") == f"echo {text}"
    assert redact(f"data {binary}") == f"data {binary}"


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(1, len(TOKEN) - 1), indent=st.sampled_from(["", "  ", "\t"]))
def test_a_secret_split_by_a_line_continuation_is_removed(cut: int, indent: str) -> None:
    text = f"docker run -e GRAFANA_TOKEN={TOKEN[:cut]}\\\n{indent}{TOKEN[cut:]} app"
    out = redact(text)
    assert TOKEN[:cut] not in out.split("\\\n")[0][-cut:] or cut < 4
    assert TOKEN[cut:] not in out or len(TOKEN) - cut < 4


_RUN_PIECES = [
    "QUJD" * 7,  # a 28-character run
    "QUJD" * 6,  # the shortest run
    "QUJDRA" * 4 + "QUJ",  # one short of it
    "QUJD" * 5 + "RA==",
    "a1/+",
    "=",
    "==",
    "_",
    "-",
    " ",
    "\n",
    "\t",
    "\x0b",
    "\x1c",
    "\xa0",
    "\u2028",
    "é",
    ":",
    '"',
    "Zm9v" * 2048,  # longer than the run's 8,192 characters
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=10))
def test_token_search_finds_what_the_whole_search_finds(pieces: list[str]) -> None:
    from hestai_tmws.secrets.encoded import _B64_RUN, b64_runs

    text = "".join(pieces)
    assert [m.span() for m in b64_runs(text)] == [m.span() for m in _B64_RUN.finditer(text)]
    assert [m.group() for m in b64_runs(text)] == _B64_RUN.findall(text)


def test_a_huge_text_is_searched_whole() -> None:
    from hestai_tmws.secrets.encoded import _B64_RUN, _SPLIT_MAX, b64_runs

    text = ("word " * (_SPLIT_MAX // 5)) + "QUJD" * 8 + " end"
    assert len(text) > _SPLIT_MAX
    assert [m.span() for m in b64_runs(text)] == [m.span() for m in _B64_RUN.finditer(text)]

"""JSON and sha256 for the hook fast path, without importing `json`, `re` or `hashlib`.

A Claude Code hook is a fresh interpreter per tool call, and `json` alone costs about as much
as the rest of the hook (it imports `re` for one whitespace pattern; `hashlib` loads OpenSSL).
CPython's own accelerators (`_json`, `_sha256`) are what `json` and `hashlib` run anyway, so
the bytes are the same: `loads` is `json.loads`, `dumps` is `json.dumps(obj,
ensure_ascii=False)`, `canonical` is `trace_text.canonical_json` (tests hold them to that).
CPython always builds `_json`; without `_sha256`, hashlib gives the same digest.
"""

from __future__ import annotations

import _json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

try:
    from _sha256 import sha256 as sha256
except ImportError:  # another build: the same digest, a slower import
    from hashlib import sha256 as sha256

_JSON_SPACE = " \t\n\r"  # json.decoder's WHITESPACE, without the regex


def _constant(name: str) -> float:
    return {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}[name]


class _Context:
    """The attributes `_json.make_scanner` reads, set as `json.JSONDecoder()` sets them."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_constant)


_scan: Callable[[str, int], tuple[Any, int]] = _json.make_scanner(_Context())  # type: ignore[arg-type]


def _refuse(obj: Any) -> Any:
    """`json.JSONEncoder.default`: a type JSON does not have is an error."""
    raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")


def _encoder(sort_keys: bool, separators: tuple[str, str]) -> Callable[[Any, int], Any]:
    """What `json.JSONEncoder.iterencode` builds for a one-shot `dumps` without indent."""
    return _json.make_encoder(
        {},  # markers: check_circular=True
        str if sort_keys else _refuse,
        _json.encode_basestring,  # ensure_ascii=False
        None,  # indent
        separators[1],
        separators[0],
        sort_keys,
        False,  # skipkeys
        True,  # allow_nan
    )


def loads(text: str) -> Any:
    """`json.loads(text)`; ValueError at anything it would refuse."""
    if text.startswith("\ufeff"):
        raise ValueError("Unexpected UTF-8 BOM")
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        obj, end = _scan(text, start)
    except StopIteration:
        raise ValueError("Expecting value") from None
    if len(text[end:].lstrip(_JSON_SPACE)) != 0:
        raise ValueError("Extra data")
    return obj


def _dump(obj: Any, *, sort_keys: bool, separators: tuple[str, str]) -> str:
    if isinstance(obj, str):
        return str(_json.encode_basestring(obj))
    return "".join(_encoder(sort_keys, separators)(obj, 0))


def dumps(obj: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False)`: how a trace line is written."""
    return _dump(obj, sort_keys=False, separators=(", ", ": "))


def canonical(obj: Any) -> str:
    """`trace_text.canonical_json(obj)`: sorted keys, no spaces, `default=str`."""
    return _dump(obj, sort_keys=True, separators=(",", ":"))

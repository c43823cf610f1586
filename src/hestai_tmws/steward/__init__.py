"""The System Steward: the one code path that writes project memory (`.hestai/`).

Exports are resolved lazily so that the pre-commit hook can import the ledger (standard
library only) without paying for pydantic, which `steward.py` needs.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import Any

    from hestai_tmws.steward.ledger import Ledger, LedgerEntry
    from hestai_tmws.steward.lock import StewardLock
    from hestai_tmws.steward.steward import Steward, WriteResult

_EXPORTS = {
    "Ledger": ".ledger",
    "LedgerEntry": ".ledger",
    "StewardLock": ".lock",
    "Steward": ".steward",
    "WriteResult": ".steward",
}

__all__ = ["Ledger", "LedgerEntry", "Steward", "StewardLock", "WriteResult"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)

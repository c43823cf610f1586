"""The System Steward: the one code path that writes project memory (`.hestai/`)."""

from __future__ import annotations

from .ledger import Ledger, LedgerEntry
from .lock import StewardLock
from .steward import Steward, WriteResult

__all__ = ["Ledger", "LedgerEntry", "Steward", "StewardLock", "WriteResult"]

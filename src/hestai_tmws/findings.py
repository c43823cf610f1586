"""One shape for every problem a check reports (verify, guard, governance)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Finding(BaseModel):
    code: str  # stable, documented: e.g. GOV_TAMPERED, OCTAVE_INVALID, MISPLACED
    path: str | None = None
    message: str
    severity: Literal["error", "warning"] = "error"
    fixed: bool = False

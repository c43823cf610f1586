"""A clock-in's roles and routing placement, kept while the hub's tree fingerprint is unchanged.

Every clock-in fingerprints the hub's tree anyway (inject's no-op check: every entry's inode,
size, mtime, ctime and mode). Keyed by that fingerprint, the roles (a glob and a stat per
agent file) and the placement table (the routing table) are derived once per hub state, not
once per clock-in: any file of the hub that moves changes the key. A hub with a link in it is
never kept (the fingerprint does not follow links), nor is a failure.
"""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from hestai_tmws.governance.fingerprint import Fingerprint
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import load_agents
from hestai_tmws.steward.validate import Placement

_MEMO: dict[tuple[str, str], tuple[Fingerprint, object]] = {}
_LOCK = threading.Lock()
_SIZE = 32


def _keepable(prints: Fingerprint | None) -> bool:
    return bool(prints) and not any(stat.S_ISLNK(entry[5]) for entry in prints or ())


def _lookup(kind: str, hub: Path, prints: Fingerprint | None) -> object | None:
    if not _keepable(prints):
        return None
    with _LOCK:
        hit = _MEMO.get((kind, str(hub)))
    return hit[1] if hit is not None and hit[0] == prints else None


def _keep(kind: str, hub: Path, prints: Fingerprint | None, value: object) -> None:
    if not _keepable(prints) or prints is None:
        return
    with _LOCK:
        if len(_MEMO) >= _SIZE:
            _MEMO.clear()
        _MEMO[(kind, str(hub))] = (prints, value)


def hub_roles(hub: Path, prints: Fingerprint | None) -> list[str]:
    """The sorted roles of `hub` (`load_agents`; NotFoundError as it raises), given the hub's
    tree fingerprint taken before this call (None: not known, derived every time)."""
    kept = _lookup("roles", hub, prints)
    if isinstance(kept, tuple):
        return list(kept)
    roles = tuple(sorted(load_agents(hub)))
    _keep("roles", hub, prints, roles)
    return list(roles)


def hub_placement(hub: Path, prints: Fingerprint | None) -> Placement | None:
    """`routing_placement(hub)`, kept like the roles (the Router it returns is read-only)."""
    kept = _lookup("placement", hub, prints)
    if kept is not None:
        return kept  # type: ignore[return-value]  # stored below for this kind
    placement = routing_placement(hub)
    if placement is not None:
        _keep("placement", hub, prints, placement)
    return placement

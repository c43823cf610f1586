"""`tmws adopt`: the one explicit, logged way to take a hand edit of `.hestai/` in.

A person (or a merge they resolved by hand) changed a memory file; adopting it checks the file
as the Steward would check its own write — placement and naming by the routing rules, the
format its name promises, no secrets — then appends who/when/why to `.hestai/adoptions.jsonl`
(a Steward write, so that line passes too) and records its blob in the ledger and the
committed provenance, so the hook and CI let it through. The log comes first: an adoption
refused there (a secret in the reason) records nothing. A file that no longer exists is
adopted as a deletion.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import (
    NotFoundError,
    PathRejectedError,
    TmwsError,
    UsageError,
    ValidationError,
)
from hestai_tmws.gitio import blob_id, run_git
from hestai_tmws.governance.placement import placement_from, routing_placement
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.layout import ADOPTIONS_LOG, HESTAI, SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import assert_clean, redact
from hestai_tmws.steward import Steward
from hestai_tmws.steward.paths import normalise_rel, resolve_target
from hestai_tmws.steward.validate import (
    PlacementRule,
    check_content,
    check_placement,
    raise_first,
    shown_path,
)


class Adoption(BaseModel):
    path: str  # relative to the work tree root, e.g. ".hestai/context/project-context.oct.md"
    op: Literal["adopt", "delete"]
    blob: str | None  # None for an adopted deletion
    doc_type: str | None = None


class AdoptResult(BaseModel):
    adopted: list[Adoption] = Field(default_factory=list)
    actor: str
    email: str
    reason: str
    log: str = f"{HESTAI}/{ADOPTIONS_LOG}"
    staged: bool = False


def adopt(
    project: Project,
    paths: Sequence[str | Path],
    *,
    reason: str,
    cwd: Path | None = None,
    stage: bool | None = None,
) -> AdoptResult:
    """Validate each file, then record all of them (ledger + adoption log) or none."""
    if not reason or not reason.strip():
        raise UsageError("adopting a hand edit needs a reason", hint='pass --reason "why"')
    if not paths:
        raise UsageError("name at least one file under .hestai/ to adopt")
    reason = redact(reason.strip())  # the ledger and the adoption log never keep a secret
    settings = load_settings(project)
    if stage is None:
        stage = settings.stage_writes
    base = (cwd or Path.cwd()).absolute()
    planned: dict[str, Adoption] = {}
    for given in paths:
        item = _check_one(project, _root_relative(project, base, Path(given)))
        planned[item.path] = item
    name, email = _identity(project)
    steward = Steward(
        project,
        lock_timeout=settings.lock_timeout_seconds,
        placement=routing_placement(project),
    )
    now = time.time()
    records = [
        {
            "ts": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "actor": name,
            "email": email,
            "op": item.op,
            "path": item.path,
            "blob": item.blob,
            "reason": reason.strip(),
        }
        for item in planned.values()
    ]
    with steward.transaction("adopt", stage=stage):
        # the log first: when it is refused (a secret in the reason), nothing is recorded
        steward.append_jsonl(ADOPTIONS_LOG, records)
        for item in planned.values():
            _record(steward, item, actor=f"{name} <{email}>", reason=reason.strip())
        if stage:
            project.git.git("add", "--all", "--", *planned)
    return AdoptResult(
        adopted=list(planned.values()), actor=name, email=email, reason=reason.strip(), staged=stage
    )


def _record(steward: Steward, item: Adoption, *, actor: str, reason: str) -> None:
    steward.record_adoption(item.path, item.blob, actor=actor, reason=reason)


def _root_relative(project: Project, cwd: Path, given: Path) -> str:
    """POSIX path relative to the work tree root; relative input is taken from `cwd` first."""
    candidates = [given] if given.is_absolute() else [cwd / given, project.root / given]
    for cand in candidates:
        norm = Path(os.path.normpath(cand))
        # resolve the folder, not the file itself: a symlinked file must be seen as a link
        try:
            rel = (norm.parent.resolve() / norm.name).relative_to(project.root)
        except ValueError:
            continue
        return rel.as_posix()
    raise PathRejectedError(f"{given} is outside the project {project.root}")


def _check_one(project: Project, rel_root: str) -> Adoption:
    """Everything the Steward would refuse in its own write, refused here too."""
    prefix = HESTAI + "/"
    if not rel_root.startswith(prefix):
        raise PathRejectedError(
            f"{rel_root}: only files under {HESTAI}/ can be adopted",
            hint=".hestai-sys/ is governance: it is injected, never adopted",
        )
    rel = rel_root[len(prefix) :]
    if rel.startswith(SESSIONS_ACTIVE + "/"):
        raise PathRejectedError(
            f"{rel_root}: active sessions are never committed, so never adopted"
        )
    relp = normalise_rel(rel)
    target = resolve_target(project, relp)  # refuses links on the way
    rule = _route(project, relp)
    try:
        st = target.lstat()
    except FileNotFoundError:
        if not _tracked_in_head(project, rel_root):
            raise NotFoundError(
                f"{rel_root} does not exist and is not in HEAD: nothing to adopt"
            ) from None
        return Adoption(path=rel_root, op="delete", blob=None, doc_type=rule.doc_type)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise PathRejectedError(f"{rel_root} is not a regular file (links cannot be adopted)")
    data = target.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{rel_root} is not UTF-8 text: {exc}") from exc
    _validate_content(rel_root, text, rule)
    return Adoption(path=rel_root, op="adopt", blob=blob_id(data), doc_type=rule.doc_type)


def _route(project: Project, relp: PurePosixPath) -> PlacementRule:
    """The routing rule of the file; refuses a misplaced file or one never committed."""
    # load_routing raises when the hub has no readable table: adopting needs one
    rule, issues = check_placement(relp.as_posix(), placement_from(load_routing(project)))
    raise_first(issues, shown_path(relp.as_posix()))
    assert rule is not None  # no issue means the table placed it
    return rule


def _validate_content(rel_root: str, text: str, rule: PlacementRule) -> None:
    """The checks of `steward.validate` for a file that did not come through the Steward."""
    raise_first(check_content(rel_root, text, rule, strict=True), rel_root)
    assert_clean(text, what=rel_root)


def _tracked_in_head(project: Project, rel_root: str) -> bool:
    return run_git(project.root, "cat-file", "-e", f"HEAD:{rel_root}", check=False).returncode == 0


def _identity(project: Project) -> tuple[str, str]:
    """Who is adopting: git's author identity (config or GIT_AUTHOR_* as git itself reads it)."""
    try:
        ident = project.git.git("var", "GIT_AUTHOR_IDENT").strip()
    except TmwsError:
        ident = ""
    if "<" in ident and ">" in ident:
        name = ident.split("<", 1)[0].strip()
        email = ident.split("<", 1)[1].split(">", 1)[0].strip()
        return name or "unknown", email
    name = project.git.config_get("user.name") or "unknown"
    return name, project.git.config_get("user.email") or ""

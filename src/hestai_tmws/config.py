"""Project settings: `.hestai-tmws.yaml` at the repository root, overridden by environment.

The file is the user's (hand-edited, committed); it is not project memory, so it lives
outside `.hestai/` and the guard leaves it alone.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hestai_tmws.errors import TmwsError, ValidationError
from hestai_tmws.layout import ENV_PREFIX, ENV_SETTINGS
from hestai_tmws.project import Project

CACHE_SIZE = 32  # distinct (project, file, environment) combinations kept parsed
_cache: OrderedDict[tuple[str, bytes | None, tuple[tuple[str, str], ...]], Settings] = OrderedDict()
_cache_lock = threading.Lock()


class LearningSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    namespace: str | None = None  # default: the project folder's name
    min_support: int = 3
    min_days: int = 2
    min_lift: float = 1.5
    cluster_similarity: float = 0.8
    auto_approve: bool = False
    max_promotions_per_run: int = 10
    suggest_threshold: float = 0.1
    deny_list: list[str] = Field(
        default_factory=lambda: [
            "rm -rf",
            "git push --force",
            "git push -f",
            "git reset --hard",
            "drop table",
            "drop database",
            "delete_file",
            "truncate table",
            "mkfs",
            "dd if=",
        ]
    )


class Settings(BaseModel):
    """Every knob of a project, with the defaults a new user expects."""

    model_config = ConfigDict(extra="forbid")

    hub: Path | None = None  # a governance hub folder instead of the bundled one
    default_role: str = "implementation-lead"
    stale_after_hours: float = 12.0
    lock_timeout_seconds: float = 10.0
    anchor_required: bool = False
    anchor_threshold: float = 80.0
    context_max_lines: int = 200
    max_document_bytes: int = 256 * 1024
    stage_writes: bool = True
    # folders (beside the repository and the agents' own) an MCP clock_out may read transcripts from
    transcript_folders: list[Path] = Field(default_factory=list)
    learning: LearningSettings = Field(default_factory=LearningSettings)


def load_settings(project: Project) -> Settings:
    """Read `.hestai-tmws.yaml` (if any) and apply `TMWS_*` environment overrides.

    The YAML is parsed and validated once per distinct (project, file content, environment):
    a command or request that asks several times pays once, an edit of the file or of a
    `TMWS_*` variable is seen at the next call. Each caller gets its own copy to change.
    """
    config = project.config_file
    raw = config.read_bytes() if config.is_file() else None
    overrides = tuple(
        (key, value)
        for env, key in ENV_SETTINGS.items()
        if (value := os.environ.get(ENV_PREFIX + env))
    )
    cache_key = (str(project.root), raw, overrides)
    with _cache_lock:
        cached = _cache.get(cache_key)
        if cached is not None:
            _cache.move_to_end(cache_key)
    if cached is None:
        cached = _parse(project, raw, overrides)
        with _cache_lock:
            _cache[cache_key] = cached
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return own_copy(cached)


def own_copy(settings: Settings) -> Settings:
    """A copy the caller may change without touching the cache: the scalar and `Path` fields
    are immutable and shared, the lists and the nested model are copied. Five times cheaper
    than `model_copy(deep=True)`, and clock-in asks for the settings five times."""
    learning = settings.learning.model_copy(update={"deny_list": list(settings.learning.deny_list)})
    return settings.model_copy(
        update={"transcript_folders": list(settings.transcript_folders), "learning": learning}
    )


def _parse(project: Project, raw: bytes | None, overrides: tuple[tuple[str, str], ...]) -> Settings:
    """Validate the file's settings with the environment's overrides on top."""
    name = project.config_file.name
    data: dict[str, object] = {}
    if raw is not None:
        from ruamel.yaml import YAML, error  # lazy: ~20 ms, only when the file exists

        try:
            loaded = YAML(typ="safe").load(raw.decode("utf-8"))
        except error.YAMLError as exc:
            raise ValidationError(f"{name} is not valid YAML: {exc}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ValidationError(f"{name} must hold a mapping of settings")
        data = dict(loaded or {})
    data.update(overrides)
    try:
        settings = Settings.model_validate(data)
    except Exception as exc:  # pydantic's message names the field
        source = name if raw is not None else "TMWS_* variables"
        raise ValidationError(f"invalid settings ({source}): {exc}") from exc
    if settings.hub is not None and not settings.hub.is_absolute():
        settings.hub = (project.root / settings.hub).resolve()
    return settings


def learning_namespace(project: Project, settings: Settings) -> str:
    """The project's learning namespace: the same in every clone, whatever its folder name.

    `learning.namespace` if set; else the repository name of the `origin` remote; else the
    root commit (`repo-<12 hex>`); else, before the first commit, the folder name. It is never
    taken from a tool's arguments.
    """
    if settings.learning.namespace:
        return settings.learning.namespace
    git = project.git
    origin = git.config_get("remote.origin.url")
    if origin:
        name = origin.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", name):
            return name
    try:
        roots = sorted(git.git("rev-list", "--max-parents=0", "HEAD").split())
    except TmwsError:
        roots = []
    if roots:
        return f"repo-{roots[0][:12]}"
    return project.root.name

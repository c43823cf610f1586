"""Where the governance hub is: the `hub` setting or TMWS_HUB, else the one in the wheel.

Kept apart from reading the hub (`hub`) so that the rules (`rules`) can find the hub they
read from without importing the reader, which itself reads the rules' file names.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from hestai_tmws.config import load_settings
from hestai_tmws.errors import NotFoundError
from hestai_tmws.layout import HUB_VERSION_FILE, bundled_hub_candidates
from hestai_tmws.project import Project

VERSION_FILE = HUB_VERSION_FILE
ENV_HUB = "TMWS_HUB"

HubSource = Literal["argument", "env", "setting", "bundled"]


class HubLocation(BaseModel):
    """Where a hub was found, and which rule found it (for messages and `tmws status`)."""

    path: Path
    source: HubSource


def bundled_hub_path() -> Path:
    """The hub shipped with hestai-tmws: in the wheel, else in the source checkout."""
    for candidate in bundled_hub_candidates():
        if os.path.isfile(os.path.join(candidate, VERSION_FILE)):
            return Path(candidate)
    raise NotFoundError(
        "the bundled governance hub is missing from this installation",
        hint="reinstall hestai-tmws, or name a hub with the `hub` setting or TMWS_HUB",
    )


def locate_hub(project: Project | None = None) -> HubLocation:
    """The hub for `project`: `hub` setting or `TMWS_HUB` (env wins), else the bundled hub."""
    env_value = os.environ.get(ENV_HUB)
    path: Path | None = None
    source: HubSource = "bundled"
    if project is not None:
        path = load_settings(project).hub  # applies TMWS_HUB over the file, made absolute
        if path is not None:
            source = "env" if env_value else "setting"
    elif env_value:
        path, source = Path(env_value).expanduser().resolve(), "env"
    if path is None:
        return HubLocation(path=bundled_hub_path(), source="bundled")
    if not path.is_dir():
        origin = ENV_HUB if source == "env" else "the `hub` setting"
        raise NotFoundError(
            f"governance hub {path} (from {origin}) is not a folder",
            hint="point it at a folder holding VERSION, governance/, agents/ and templates/",
        )
    return HubLocation(path=path.resolve(), source=source)

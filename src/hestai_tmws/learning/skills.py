"""Promoted skills as Agent Skills files: `.hestai/learning/skills/<slug>/SKILL.md`.

The front matter (`name`, `description`, `metadata` linking back to the pattern) is written
with ruamel.yaml; the body is the deterministic SOP from `sop.render_sop_markdown`, so a
skill can be handed to Claude Code unchanged (`tmws learn export --claude`).

Reading is on the hot path of every clock-in (suggestions), so `parse_skill` first reads the
simple `key: value` front matter this module writes and uses ruamel only for anything else.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from hestai_tmws.errors import ValidationError
from hestai_tmws.governance.rules import slugify
from hestai_tmws.layout import LEARNINGS_INDEX, SKILLS
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.core.sop import SopDraft, render_sop_markdown
from hestai_tmws.learning.records import PatternRecord
from hestai_tmws.octave.lexical import decode_string, unescape
from hestai_tmws.project import Project
from hestai_tmws.sessions.task_text import clip_words, strip_wrappers

SKILL_FILE = "SKILL.md"
GENERATOR = "hestai-tmws"
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_NAME = 64
MAX_DESCRIPTION = 1024
_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_][^#'\"]*$")
_YAML_SPECIAL = frozenset({"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"})


@dataclass
class SkillDoc:
    """One SKILL.md, read back."""

    slug: str
    name: str
    description: str
    metadata: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def pattern_id(self) -> str | None:
        return self.metadata.get("pattern")

    @property
    def rel(self) -> str:
        return skill_rel(self.slug)


def skill_rel(slug: str) -> str:
    return f"{SKILLS}/{slug}/{SKILL_FILE}"


def skill_slug(draft: SopDraft, record: PatternRecord | MinedPattern) -> str:
    """The skill's folder name (= its Agent Skills `name`): the draft's, if it is valid."""
    name = draft.name
    if len(name) <= MAX_NAME and NAME_RE.match(name):
        return name
    suffix = record.id.rsplit("-", 1)[-1][:6]
    return f"{slugify(name, max_length=MAX_NAME - len(suffix) - 1)}-{suffix}"


CONTEXT_HEADING = "## Seen while working on"


def render_skill(
    draft: SopDraft,
    record: PatternRecord | MinedPattern,
    slug: str,
    contexts: Sequence[str] = (),
) -> str:
    """Front matter (ruamel.yaml) + the SOP body + the focus of the sessions it came from.

    The contexts let suggestions find a skill by what the work was about (the next session's
    focus), not only by the names of its steps.
    """
    from ruamel.yaml import YAML  # lazy: ruamel costs start-up time; only a promotion writes

    front: dict[str, Any] = {
        "name": slug,
        "description": " ".join(draft.description.split())[:MAX_DESCRIPTION],
        "metadata": {
            "pattern": record.id,
            "namespace": record.namespace,
            "generator": GENERATOR,
        },
    }
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096  # one line per value: easy to read back, no folding surprises
    buf = io.StringIO()
    yaml.dump(front, buf)
    body = render_sop_markdown(draft)
    if contexts:
        lines = "\n".join(f"- {c}" for c in contexts)
        body = f"{body.rstrip()}\n\n{CONTEXT_HEADING}\n\n{lines}\n"
    return f"---\n{buf.getvalue()}---\n\n{body}"


EVIDENCE_TASK_CHARS = 240
_NO_CONTEXT = frozenset({"general", "imported session"})  # default focuses say nothing
_REQUEST = re.compile(r'^  REQUEST::"(.*)"$', re.MULTILINE)


def _index_records(project: Project, session_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The learnings-index lines of `session_ids`, in index order (unreadable lines skipped)."""
    wanted = set(session_ids)
    try:
        text = project.memory_path(LEARNINGS_INDEX).read_text(encoding="utf-8")
    except OSError:
        return
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("id") in wanted:
            yield record


def evidence_tasks(project: Project, session_ids: Sequence[str], limit: int = 5) -> list[str]:
    """What the evidence sessions were asked to do: their first requests, cleaned, distinct.

    Read from the archives (already redacted) named by the learnings index.
    """
    found: list[str] = []
    for record in _index_records(project, session_ids):
        archive = record.get("archive")
        request = _request_of(project, archive) if isinstance(archive, str) else ""
        # the request with its wrappers removed: a plan's context helps find the skill later
        task = clip_words(strip_wrappers(request), EVIDENCE_TASK_CHARS)
        if task and task not in found:
            found.append(task)
        if len(found) >= limit:
            break
    return found


def _request_of(project: Project, rel: str) -> str:
    try:
        head = project.memory_path(rel).read_text(encoding="utf-8")[:20_000]
    except (OSError, UnicodeDecodeError):
        return ""
    match = _REQUEST.search(head)
    if match is None:
        return ""
    try:
        return str(decode_string(unescape(match.group(1))))
    except Exception:  # an unusual encoding: the task is only a hint
        return ""


def evidence_contexts(project: Project, session_ids: Sequence[str], limit: int = 10) -> list[str]:
    """The distinct focus texts of the evidence sessions, from the learnings index."""
    found: list[str] = []
    for record in _index_records(project, session_ids):
        focus = record.get("focus")
        if isinstance(focus, str):
            focus = " ".join(focus.split())[:120]
            if focus and focus not in _NO_CONTEXT and focus not in found:
                found.append(focus)
    return sorted(found)[:limit]


# -- reading --------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body); ValidationError when the file does not start with one."""
    if not text.startswith("---\n"):
        raise ValidationError("SKILL.md must start with a '---' front matter block")
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ValidationError("SKILL.md front matter is not closed with '---'")
    return text[4 : end + 1], text[end + 5 :]


def _fast_front(front: str) -> dict[str, Any] | None:
    """The front matter this module writes, read without YAML (None: not that shape)."""
    out: dict[str, Any] = {}
    nested: dict[str, str] | None = None
    for line in front.splitlines():
        if not line.strip():
            continue
        if line.startswith("  "):
            if nested is None:
                return None
            key, sep, value = line[2:].partition(": ")
            if not sep or not key.isidentifier() or not _plain(value):
                return None
            nested[key] = value
            continue
        key, sep, value = line.partition(":")
        if not key or not key.replace("-", "_").isidentifier():
            return None
        value = value.strip()
        if not value:
            nested = {}
            out[key] = nested
            continue
        if not sep or not line[len(key) + 1 :].startswith(" "):
            return None
        nested = None
        if value.startswith("'") and value.endswith("'") and len(value) >= 2:
            body = value[1:-1]
            if "'" in body.replace("''", ""):
                return None
            out[key] = body.replace("''", "'")
        elif _plain(value):
            out[key] = value
        else:
            return None
    return out


def _plain(value: str) -> bool:
    """A plain YAML scalar that can only mean this very string."""
    if not _PLAIN_VALUE.match(value) or value.lower() in _YAML_SPECIAL:
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _yaml_front(front: str) -> dict[str, Any]:
    from ruamel.yaml import YAML  # lazy: only front matter of unusual shape
    from ruamel.yaml.error import YAMLError  # lazy: as above

    try:
        data = YAML(typ="safe").load(front)
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
        raise ValidationError(f"SKILL.md front matter is not valid YAML: {first}") from exc
    if not isinstance(data, dict):
        raise ValidationError("SKILL.md front matter must be a mapping")
    return data


def parse_skill(text: str, slug: str) -> SkillDoc:
    """Read a SKILL.md; ValidationError says what is wrong (the file is then skipped)."""
    front, body = split_front_matter(text)
    data = _fast_front(front)
    if data is None:
        data = _yaml_front(front)
    name = data.get("name")
    description = data.get("description")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("SKILL.md front matter has no `name`")
    if not isinstance(description, str) or not description.strip():
        raise ValidationError("SKILL.md front matter has no `description`")
    raw_meta = data.get("metadata") or {}
    metadata = {str(k): str(v) for k, v in raw_meta.items()} if isinstance(raw_meta, dict) else {}
    return SkillDoc(
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        metadata=metadata,
        body=body,
    )


def skill_slugs(project: Project) -> list[str]:
    """Folder names under `.hestai/learning/skills/` that hold a SKILL.md, sorted."""
    root = project.memory_path(SKILLS)
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        e.name
        for e in entries
        if e.is_dir(follow_symlinks=False)
        and not e.name.startswith(".")
        and os.path.isfile(os.path.join(e.path, SKILL_FILE))
    )


@dataclass
class SkillSet:
    skills: dict[str, SkillDoc] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # slug -> reason


def load_skills(project: Project) -> SkillSet:
    out = SkillSet()
    for slug in skill_slugs(project):
        path = project.memory_path(skill_rel(slug))
        try:
            out.skills[slug] = parse_skill(path.read_text(encoding="utf-8"), slug)
        except (OSError, UnicodeDecodeError) as exc:
            out.broken[slug] = f"cannot read: {exc}"
        except ValidationError as exc:
            out.broken[slug] = exc.message
    return out

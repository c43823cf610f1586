"""The neutral documents of the skill index: the SOP template's words without any tool.

BM25's IDF is zero or negative for a term that most documents contain, so with one or two
skills nothing would ever score. The index therefore always holds a few documents made of
what every skill says anyway (steps, sessions, evidence…), drafted here from a dummy
pattern whose tool names are removed again; they are never returned.
"""

from __future__ import annotations

import re
from datetime import date

from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.core.sop import draft_sop, render_sop_markdown

_background_text: str | None = None
# The step kinds every skill shares; the zz-words are removed, the template words stay.
_BACKGROUND_TOKENS = (
    "Bash:zzcmd",
    "Read",
    "Edit",
    "Write",
    "Grep",
    "Glob",
    "Task:zzagent",
    "Skill:zzskill",
    "mcp__zzsrv__zztool",
    "Zztool",
)


def background_text() -> str:
    """The SOP template's words without any tool: what every skill says anyway."""
    global _background_text
    if _background_text is None:
        dummy = MinedPattern(
            id="pat-0000000000000000",
            namespace="zzns",
            tokens=_BACKGROUND_TOKENS,
            support=10,
            session_ids=("zzsession",),
            days=(date(2025, 1, 1),),
            first_seen=date(2025, 1, 1),
            last_seen=date(2025, 1, 1),
            occurrences=10,
            successes=9,
            outcomes_known=10,
            success_rate=0.9,
            wilson_lower=0.6,
            mean_duration_ms=1000.0,
            stability=0.5,
            confidence=0.6,
            lift=10.0,
            expected_support=1.0,
            failed_steps=(1,) + (0,) * (len(_BACKGROUND_TOKENS) - 1),
            evidence_namespaces=("zzns",),
        )
        draft = draft_sop(dummy, name="zzname")
        text = f"{draft.description}\n{render_sop_markdown(draft)}"
        _background_text = re.sub(r"\S*zz\S*", " ", text, flags=re.IGNORECASE)
    return _background_text

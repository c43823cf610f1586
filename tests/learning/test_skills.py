"""SKILL.md files: front matter read fast or by YAML alike, names valid as Agent Skills."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.learning.skills import parse_skill, split_front_matter

FAST = (
    "---\nname: run-tests\ndescription: Run the tests\nmetadata:\n  pattern: pat-1\n---\n\n# Body\n"
)


def test_fast_and_yaml_front_matter_read_the_same() -> None:
    fast = parse_skill(FAST, "run-tests")
    flow = FAST.replace("metadata:\n  pattern: pat-1\n", "metadata: {pattern: pat-1}\n")
    assert parse_skill(flow, "run-tests") == fast
    assert (fast.name, fast.description, fast.pattern_id, fast.body) == (
        "run-tests",
        "Run the tests",
        "pat-1",
        "\n# Body\n",
    )
    assert fast.rel == "learning/skills/run-tests/SKILL.md"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# no front matter\n", "must start"),
        ("---\nname: x\n", "not closed"),
        ("---\ndescription: d\n---\n", "no `name`"),
        ("---\nname: [x\n---\n", "not valid YAML"),
    ],
)
def test_broken_skill_files_say_why(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_skill(text, "x")


def test_split_front_matter_at_the_end_of_the_file() -> None:
    assert split_front_matter("---\nname: x\n---") == ("name: x\n", "")

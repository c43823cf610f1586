"""The learning core's data shapes: step tokens and the mining knobs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hestai_tmws.learning.core.model import MiningConfig, Step, token_of


def test_a_step_token_is_the_tool_and_its_action() -> None:
    assert Step(tool="Bash", action="git commit").token == "Bash:git commit"
    assert Step(tool="Read").token == "Read"
    assert token_of("Task", None) == "Task"


def test_the_config_checks_its_bounds() -> None:
    assert MiningConfig().min_support == 3
    with pytest.raises(ValidationError):
        MiningConfig(min_len=5, max_len=3)
    with pytest.raises(ValidationError):
        MiningConfig(unknown=1)  # type: ignore[call-arg]

"""`python -m hestai_tmws.guard`: only `pre-commit` is a command; anything else is usage."""

from __future__ import annotations

import pytest

from hestai_tmws.guard.__main__ import USAGE, main


@pytest.mark.parametrize("argv", [[], ["commit"], ["pre-commit", "extra"]])
def test_anything_but_pre_commit_is_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == USAGE

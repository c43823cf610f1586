"""The hook text: the recorded interpreter is quoted so no path can break the shell script."""

from __future__ import annotations

import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.guard.hook_script import HOOK_TEMPLATE, PYTHON_LINE, render_hook


def test_render_replaces_only_the_python_line() -> None:
    hook = render_hook("/opt/py 3/bin/python")
    assert PYTHON_LINE in HOOK_TEMPLATE and PYTHON_LINE not in hook
    assert "TMWS_PYTHON='/opt/py 3/bin/python'\n" in hook
    assert hook.replace("TMWS_PYTHON='/opt/py 3/bin/python'", PYTHON_LINE) == HOOK_TEMPLATE


@settings(max_examples=50, deadline=None)
@given(
    st.text(
        alphabet=st.characters(exclude_characters="\0\n\r", exclude_categories=("Cs",)),
        min_size=1,
        max_size=30,
    )
)
def test_any_path_survives_shell_quoting(python: str) -> None:
    line = next(x for x in render_hook(python).split("\n") if x.startswith("TMWS_PYTHON="))
    out = subprocess.run(
        ["sh", "-c", f'{line}\nprintf %s "$TMWS_PYTHON"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == python

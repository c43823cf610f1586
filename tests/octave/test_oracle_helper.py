"""`tests.octave_oracle.assert_oracle_clean` catches every way a file can be wrong."""

from __future__ import annotations

import sys

import pytest

from tests.octave_oracle import INSTALL_HINT, assert_oracle_clean, reference


def test_clean_canonical_text_passes() -> None:
    assert_oracle_clean('===X===\nMETA:\n  A::"1.0"\n---\nB::[a,b]\n===END===\n')


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("===X===\nA: v\n===END===\n", "rejected"),
        ("===X===\nA::[a\n===END===\n", "rejected"),
        ("===X===\nA::DevSecOps\n===END===\n", "warned"),
        ("===X===\nA::1\nA::2\n===END===\n", "warned"),
        ("===X===\nA::x->y\n===END===\n", "warned"),
        ('===X===\nA::"plain"\n===END===\n', "re-emit"),
        ("===X===\n\nA::1\n===END===\n", "re-emit"),
        ("===X===\nA::1\n===END===", "re-emit"),
    ],
)
def test_problems_fail_the_test(text: str, fragment: str) -> None:
    with pytest.raises(pytest.fail.Exception, match=fragment):
        assert_oracle_clean(text)


def test_missing_reference_fails_with_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "octave_mcp", None)  # makes `import octave_mcp` fail
    with pytest.raises(pytest.fail.Exception) as info:
        reference()
    assert "pip install --no-deps octave-mcp==1.16.0" in str(info.value)
    assert INSTALL_HINT in str(info.value)

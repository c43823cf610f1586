"""`tests.octave_oracle.assert_oracle_clean` catches every way a file can be wrong."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests import octave_oracle
from tests.octave_oracle import INSTALL_HINT, assert_oracle_clean, reference
from tests.paths import REPO_ROOT


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


def test_missing_reference_skips_with_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "octave_mcp", None)  # makes `import octave_mcp` fail
    monkeypatch.setattr(octave_oracle, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception) as info:
        reference()
    assert "pip install --no-deps octave-mcp==1.16.0" in str(info.value)
    assert not octave_oracle.available()


def test_missing_reference_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "octave_mcp", None)
    monkeypatch.setattr(octave_oracle, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception) as info:
        reference()
    assert INSTALL_HINT in str(info.value)
    assert "TMWS_REQUIRE_ORACLE=1" in str(info.value)


def test_installed_reference_is_available() -> None:
    assert octave_oracle.available() == (importlib.util.find_spec("octave_mcp") is not None)


ORACLE_TEST = """
from tests.octave_oracle import assert_oracle_clean

def test_uses_the_oracle():
    assert_oracle_clean("===X===\\nA::1\\n===END===\\n")

def test_needs_no_oracle():
    assert 1 + 1 == 2
"""
BLOCK_ORACLE = 'import sys\nsys.modules["octave_mcp"] = None\n'


def _run_without_oracle(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *, required: bool
) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    if required:
        monkeypatch.setenv("TMWS_REQUIRE_ORACLE", "1")
    pytester.makeconftest(BLOCK_ORACLE)
    pytester.makepyfile(test_oracle_use=ORACLE_TEST)
    return pytester.runpytest_subprocess("-p", "tests.octave_oracle", "-p", "no:cacheprovider")


def test_a_run_without_the_oracle_skips_and_says_so_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run_without_oracle(pytester, monkeypatch, required=False)
    result.assert_outcomes(passed=1, skipped=1)
    out = result.stdout.str()
    assert out.count(octave_oracle.SUMMARY_LINE) == 1, out
    assert "pip install --no-deps octave-mcp==1.16.0" in octave_oracle.SUMMARY_LINE


@pytest.mark.slow
def test_a_run_that_requires_the_oracle_fails_without_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run_without_oracle(pytester, monkeypatch, required=True)
    result.assert_outcomes(passed=1, failed=1)
    assert "TMWS_REQUIRE_ORACLE=1" in result.stdout.str()
    assert octave_oracle.SUMMARY_LINE not in result.stdout.str()


@pytest.mark.slow
def test_a_run_with_the_oracle_prints_no_warning(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not octave_oracle.available():
        pytest.skip(octave_oracle.SKIP_REASON)
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "tests.octave_oracle", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "octave-mcp" not in result.stdout.str()

"""`redact_obj` through `shapes.Collected`: the same answer as redacting each string alone."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.secrets import redaction
from hestai_tmws.secrets.model import MARKER_PREFIX

_SECRET = "ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
_texts = st.one_of(
    st.sampled_from(["", "plain words", "tool", f"token {_SECRET}", _SECRET, "password"]),
    st.text(max_size=12),
)
_keys = st.one_of(st.sampled_from(["password", "apiKey", "name", "digest", _SECRET]), _texts)
_data = st.recursive(
    st.one_of(_texts, st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(_keys, inner, max_size=4),
    ),
    max_leaves=20,
)


def _whole(obj: Any, kind: str) -> Any:
    if isinstance(obj, str):
        return obj if not obj or obj.startswith(MARKER_PREFIX) else redaction.marker(kind)
    if isinstance(obj, dict):
        return {redaction.redact(str(k)): _whole(v, kind) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_whole(v, kind) for v in obj]
    return obj


def _reference(obj: Any) -> Any:
    """What `redact_obj` promises, one string at a time."""
    if isinstance(obj, str):
        return redaction.redact(obj)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            kind = redaction.sensitive_key(str(k))
            out[redaction.redact(str(k))] = _whole(v, kind) if kind else _reference(v)
        return out
    if isinstance(obj, list | tuple):
        return [_reference(v) for v in obj]
    return obj


@given(_data)
def test_redact_obj_matches_redacting_each_string(data: Any) -> None:
    assert redaction.redact_obj(data) == _reference(data)
    assert redaction.redact_obj(data) == _reference(data)  # again, now mostly known clean


def test_the_result_is_a_copy_even_when_nothing_changes() -> None:
    data = {"a": ["plain", {"b": "words"}], "c": ("x", "y")}
    out = redaction.redact_obj(data)
    assert out == {"a": ["plain", {"b": "words"}], "c": ["x", "y"]}
    assert out is not data and out["a"] is not data["a"] and out["a"][1] is not data["a"][1]


def test_a_secret_deep_inside_is_redacted_and_its_neighbours_kept() -> None:
    data = {"calls": [{"tool": "Bash", "digest": f"echo {_SECRET}"}, {"tool": "Read"}]}
    out = redaction.redact_obj(data)
    assert _SECRET not in str(out)
    assert out["calls"][1] == {"tool": "Read"}
    assert out["calls"][0]["tool"] == "Bash"

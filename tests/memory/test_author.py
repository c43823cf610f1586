"""Who writes: the optional session, and the anchor the project may require."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.memory.author import optional_session, writing_session
from hestai_tmws.project import Project


def test_no_open_session_means_a_person_writes(ready: Project) -> None:
    assert optional_session(ready, None) is None
    assert writing_session(ready, None, enforce_anchor=False) is None


def test_a_named_session_must_be_open(ready: Project) -> None:
    with pytest.raises(NotFoundError):
        optional_session(ready, "0123456789abcdef0123456789abcdef")

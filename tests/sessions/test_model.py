"""The open-session record and its id rules."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.sessions.model import check_session_id, is_session_id, new_session_id


def test_new_ids_are_session_ids() -> None:
    ids = {new_session_id() for _ in range(50)}
    assert len(ids) == 50 and all(is_session_id(i) for i in ids)


def test_anything_else_is_refused_before_it_becomes_a_path() -> None:
    assert check_session_id("0123456789ab") == "0123456789ab"
    with pytest.raises(UsageError):
        check_session_id("../etc/passwd")

"""The write gate: cancelled before the first lock hold means nothing is written."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import CancelledError
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.gate import WriteGate, cancelled_while_writing, checkpoint, gated


def test_no_gate_means_no_effect() -> None:
    checkpoint()
    assert cancelled_while_writing() is False


def test_cancelled_before_writing_refuses_the_first_hold(project: Project) -> None:
    gate = WriteGate()
    assert gate.cancel() is False  # nothing written yet
    with gated(gate), pytest.raises(CancelledError), Steward(project).lock.hold("test"):
        pytest.fail("the lock must not be taken")


def test_cancelled_while_writing_completes_and_says_so(project: Project) -> None:
    gate = WriteGate()
    steward = Steward(project)
    with gated(gate):
        with steward.lock.hold("first write"):
            assert gate.cancel() is True  # already writing: the call will complete
        with steward.lock.hold("second write"):  # the same call goes on, atomically
            pass
        assert cancelled_while_writing() is True

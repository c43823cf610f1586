"""The demo view: one line per step, the files it wrote (at most eight), the verdict."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import demo
from hestai_tmws.demo.run import DemoReport, DemoStep


def test_steps_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    demo.banner()
    demo.demo_step(
        DemoStep(name="[init]", ok=True, detail="made [x]", files=[f"f{i}" for i in range(10)])
    )
    demo.demo_step(DemoStep(name="mine", ok=False, detail="boom"))
    demo.demo_report(DemoReport(repo="/tmp/r[1]", ok=False, seconds=1.25))
    assert capsys.readouterr().out.splitlines() == [
        "hestai-tmws demo: a throwaway repository, the real services",
        "✔ [init] (0.00s): made [x]",
        *[f"    f{i}" for i in range(8)],
        "    … and 2 more",
        "✘ mine (0.00s): boom",
        "failed in 1.2s — look around: cd /tmp/r[1]",
    ]

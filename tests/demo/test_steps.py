"""Single steps of the demo against a real project (the whole run is in test_run)."""

from __future__ import annotations

from hestai_tmws.demo.steps import FULL_STEPS, step_hooks, step_settings
from hestai_tmws.guard.hooks_install import hook_status
from hestai_tmws.project import Project


def test_settings_then_hooks(ready: Project) -> None:
    detail, files = step_settings(ready)
    assert files == [".hestai-tmws.yaml"] and "min_days: 1" in ready.config_file.read_text()
    detail, files = step_hooks(ready)
    assert detail.startswith("pre-commit guard ") and hook_status(ready).installed


def test_the_steps_run_in_the_documented_order() -> None:
    names = [name for name, _ in FULL_STEPS]
    assert names[:2] == ["settings", "hooks"] and names[-1] == "guard"
    assert names.index("mine") < names.index("approve+promote") < names.index("suggest")
    assert all(callable(fn) for _, fn in FULL_STEPS)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.checks import ACTION, TOOL_NAME
from hestai_tmws.learning.core.model import Step
from hestai_tmws.learning.core.tokens import action_of, shell_action, tokenize

CASES = [
    # plain verbs and sub-commands
    ("git commit -m 'fix: the thing'", "git commit"),
    ("git status", "git status"),
    ("git -C /some/repo log --oneline -5", "git log"),
    ("git -c core.pager=cat diff --stat", "git diff"),
    ("git stash pop", "git stash pop"),
    ("pytest -q tests/unit/test_x.py::test_y", "pytest"),
    ("npm test", "npm test"),
    ("npm run build -- --watch", "npm run build"),
    ("npm --prefix web run lint", "npm run lint"),
    ("gh pr create --title 'x' --body 'y'", "gh pr create"),
    ("docker compose up -d api", "docker compose up"),
    ("kubectl -n prod get pods", "kubectl get"),
    ("make -j4 test", "make test"),
    ("mix ecto.migrate", "mix ecto.migrate"),
    ("ls -la src/", "ls"),
    ("tail -30 /tmp/claude-1000/x.output", "tail"),
    # prefixes that only set the scene
    ("cd /work/repo && uv run pytest -x", "pytest"),
    ("cd repo; npm test", "npm test"),
    ("(cd sub && make)", "make"),
    ("export FOO=1 && cargo build --release", "cargo build"),
    ("source .venv/bin/activate && python -m pytest", "pytest"),
    ("MIX_ENV=test mix test test/x_test.exs 2>&1", "mix test"),
    ("FOO=1 BAR='a b' node script.js", "node"),
    ("sudo -u bob apt-get install -y curl", "apt-get install"),
    ("env -i PATH=/bin ls", "ls"),
    ("timeout 30 pytest", "pytest"),
    ("nohup ./server &", "server"),
    ("time make build", "make build"),
    ("echo '---' && git log --oneline", "git log"),
    ("for f in *.py; do ruff check $f; done", "ruff check"),
    ("if [ -f x ]; then make; fi", "make"),
    # runners and interpreters
    ("uv run --with rich python -m mypy src", "mypy"),
    ("poetry run pytest", "pytest"),
    ("npx --yes prettier --write .", "prettier"),
    ("python3 -m pip install -e .", "pip install"),
    (".venv/bin/python -m pytest -q", "pytest"),
    ("python3.11 -X dev -m http.server 8000", "http.server"),
    ("python script.py --flag", "python"),
    ("python -c 'print(1)'", "python"),
    ("bash -c 'cd x && make test'", "make test"),
    ("bash -n scripts/check.sh", "bash"),
    ("xargs -n 1 rm -rf", "rm -rf"),
    # paths
    ("./node_modules/.bin/jest --watch", "jest"),
    ("/usr/bin/env python3 x.py", "python"),
    ("./scripts/deploy.sh prod", "deploy.sh"),
    # pipes and redirections: the first command names the step
    ("mix compile 2>&1 | tail -3", "mix compile"),
    ("cat <<'EOF' > notes.txt\nignore previous instructions\nEOF", "cat"),
    ("grep -rn foo . > /tmp/out 2>/dev/null", "grep"),
    ("git add a.py b.py && git commit -m \"$(cat <<'EOF'\nmsg\nEOF\n)\"", "git add"),
    # risky flags are kept so that V5 can see them
    ("rm -rf build/", "rm -rf"),
    ("rm -r build/", "rm -r"),
    ("rm -f x.txt", "rm -f"),
    ("rm x.txt", "rm"),
    ("git push --force origin main", "git push --force"),
    ("git push -f", "git push --force"),
    ("git push origin +main", "git push --force"),
    ("git push origin main", "git push"),
    ("git reset --hard HEAD~1", "git reset --hard"),
    ("git clean -fdx", "git clean -f"),
    ("git branch -D feature", "git branch -D"),
    ("find . -name '*.pyc' -delete", "find -delete"),
    ("chmod -R 777 /srv", "chmod -R"),
    ("psql -c 'DROP TABLE users'", "psql drop table"),
    ("sqlite3 db.sqlite 'delete from users'", "sqlite3 delete from"),
    # nothing meaningful
    ("", None),
    ("   ", None),
    ('"$CMD" --x', None),
    ("FOO=1", None),
    # task runners keep their task; project wrappers give way to what they run
    ("mise run test", "mise run test"),
    ("cd web && mise run lint:fix", "mise run lint:fix"),
    ("task lint", "task lint"),
    ("just fmt", "just fmt"),
    ("bun run typecheck 2>&1 | tail -20", "bun run typecheck"),
    ("rtk bun run test 2>&1 | tail -30", "bun run test"),
    ("rtk go test ./...", "go test"),
    ("doppler run -- bun run deploy", "bun run deploy"),
    ("MSYS_NO_PATHCONV=1 wsl -e sh -c 'cd /x && go test ./...'", "go test"),
    ("cargo clippy --all-targets", "cargo clippy"),
    ("nice -n 5 cargo build --release", "cargo build"),
    ("time go test ./...", "go test"),
    # ids, endpoints and redaction markers are dropped
    ("gh api REDACTED --jq .status", "gh api"),
    ("gh api repos/o/r/actions/runs/1/jobs", "gh api"),
    ("gh run view 22332438016 --log-failed", "gh run view"),
    # a chain is named by the command that acts, not by one that only looks
    ("cat go.mod && go test ./...", "go test"),
    ("grep -in e2e README.md | head; git log --oneline -1", "git log"),
    ("grep -r git src", "grep"),
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_shell_action(command: str, expected: str | None) -> None:
    assert shell_action(command) == expected


def test_tokenize_formats() -> None:
    assert tokenize("Bash", "git commit -m 'x'") == "Bash:git commit"
    assert tokenize("Bash", "") == "Bash"
    assert tokenize("Bash", None) == "Bash"
    assert tokenize("Read", "/etc/passwd") == "Read"
    assert tokenize(" Edit ", None) == "Edit"
    assert tokenize("mcp__tmws__clock_in", '{"role": "x"}') == "mcp__tmws__clock_in"
    assert tokenize("Task", "code-reviewer") == "Task:code-reviewer"
    assert tokenize("Task", "review the code please") == "Task"
    assert tokenize("Skill", "pdf") == "Skill:pdf"


def test_step_token_matches_tokenize() -> None:
    command = "cd x && uv run pytest -q"
    step = Step(tool="Bash", action=action_of("Bash", command), ok=True, duration_ms=1.0)
    assert step.token == tokenize("Bash", command) == "Bash:pytest"
    assert Step(tool="Read").token == "Read"


def test_arguments_never_leak() -> None:
    secret_path = "/home/alice/secret-project/very_specific_file_name.py"
    for command in (
        f"cat {secret_path}",
        f"git add {secret_path}",
        f"pytest {secret_path}::test_x",
        f"cd {secret_path} && make",
        f"git commit -m 'touches {secret_path}'",
    ):
        action = shell_action(command)
        assert action is not None
        assert "alice" not in action and "very_specific" not in action


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_well_formed_action(command: str) -> None:
    action = shell_action(command)
    assert action is None or ACTION.match(action), action
    assert shell_action(command) == action  # deterministic


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["git status", "pytest -q", "npm test", "ruff check src"]),
    st.sampled_from(["cd /x && ", "FOO=1 ", "sudo ", "uv run ", "time ", ""]),
    st.sampled_from([" 2>&1", " | tail -5", " > out.txt", "; echo done", ""]),
)
def test_wrappers_do_not_change_the_action(core: str, prefix: str, suffix: str) -> None:
    if prefix == "uv run " and core.startswith(("git", "npm")):
        prefix = ""
    assert shell_action(prefix + core + suffix) == shell_action(core)


def _corpus_bash_commands(corpus: Path) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            message = record.get("message")
            if not isinstance(message, dict) or not isinstance(message.get("content"), list):
                continue
            for block in message["content"]:
                if isinstance(block, dict) and block.get("type") == "tool_use":
                    command = (block.get("input") or {}).get("command", "")
                    calls.append((str(block.get("name", "")), str(command)))
    return calls


def test_real_transcripts_give_well_formed_tokens(corpus: Path) -> None:
    calls = _corpus_bash_commands(corpus)
    assert calls
    tokens = {tokenize(name, command or None) for name, command in calls}
    for token in tokens:
        tool, _, action = token.partition(":")
        assert TOOL_NAME.match(tool), token
        assert not action or ACTION.match(action), token
    bash = {t for t in tokens if t.startswith("Bash:")}
    # Verbs, not commands: far fewer distinct tokens than distinct command lines.
    commands = {c for n, c in calls if n == "Bash"}
    assert len(bash) * 3 < len(commands)
    assert {"Bash:git status", "Bash:mix compile", "Bash:git commit"} <= bash

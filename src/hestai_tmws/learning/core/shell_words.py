"""The shell vocabulary tokens rely on: set-up words, wrappers, runners and sub-commands.

Data only. `tokens` uses these tables to find the command a line really runs (`cd x &&
uv run pytest` -> pytest) and how much of it names the action (`git commit`, `gh pr create`).
"""

from __future__ import annotations

# Segments that only set the scene for the real command (`cd x && pytest` -> pytest).
SETUP_WORDS = frozenset(
    {
        "cd",
        "pushd",
        "popd",
        "export",
        "set",
        "unset",
        "source",
        ".",
        "alias",
        "true",
        "false",
        ":",
        "shopt",
        "ulimit",
        "umask",
        "trap",
        "local",
        "declare",
        "typeset",
        "readonly",
        "sleep",
        "echo",
        "printf",
        "clear",
        "for",
        "while",
        "until",
        "if",
        "elif",
        "case",
        "fi",
        "done",
        "esac",
        "wait",
    }
)
# Words that open a block body: dropped so that the body's command names the step.
BLOCK_WORDS = frozenset({"do", "then", "else", "{", "}", "!", "time"})

# Wrappers that run another command: name -> options that take a value.
WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"}),
    "env": frozenset({"-u", "-C", "-S", "--unset", "--chdir"}),
    "nohup": frozenset(),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "xargs": frozenset({"-I", "-i", "-n", "-P", "-L", "-l", "-d", "-s", "-E", "-a"}),
    "watch": frozenset({"-n", "--interval", "-d"}),
    "npx": frozenset({"-p", "--package", "-c", "--call"}),
    "bunx": frozenset({"-p", "--package"}),
    "pnpx": frozenset({"-p", "--package"}),
    "uvx": frozenset({"--from", "--with", "--python", "-p"}),
    "pipx": frozenset(),
}
# Wrappers that need a positional value before the command (`timeout 30 pytest`).
WRAPPERS_WITH_VALUE = frozenset({"timeout"})

# Runners written as two words: `uv run pytest` -> pytest.
RUNNERS: dict[tuple[str, str], frozenset[str]] = {
    ("uv", "run"): frozenset(
        {
            "--with",
            "--python",
            "-p",
            "--project",
            "--directory",
            "--package",
            "--extra",
            "--group",
            "--env-file",
            "--index",
            "--with-requirements",
            "--only-group",
        }
    ),
    ("poetry", "run"): frozenset({"-C", "--directory", "-P", "--project"}),
    ("pipenv", "run"): frozenset(),
    ("pdm", "run"): frozenset({"-p", "--project"}),
    ("hatch", "run"): frozenset(),
    ("rye", "run"): frozenset(),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("pnpm", "exec"): frozenset({"-C", "--dir", "--filter", "-F"}),
    ("pnpm", "dlx"): frozenset(),
    ("yarn", "dlx"): frozenset({"-p", "--package"}),
    ("bundle", "exec"): frozenset(),
    ("pipx", "run"): frozenset({"--spec"}),
    ("dotenv", "run"): frozenset(),
}
SHELLS = frozenset({"bash", "sh", "zsh", "dash", "fish"})

# Programs whose first positional argument is a sub-command worth keeping; the value is
# the set of global options (before the sub-command) that take a value.
SUBCOMMANDS: dict[str, frozenset[str]] = {
    "git": frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}),
    "npm": frozenset({"--prefix", "-w", "--workspace", "-C"}),
    "pnpm": frozenset({"-C", "--dir", "--filter", "-F", "-w"}),
    "yarn": frozenset({"--cwd"}),
    "bun": frozenset({"--cwd"}),
    "uv": frozenset({"--directory", "--project", "--cache-dir", "--python", "-p"}),
    "poetry": frozenset({"-C", "--directory", "-P", "--project"}),
    "pip": frozenset(),
    "pip3": frozenset(),
    "pipx": frozenset(),
    "pdm": frozenset({"-p", "--project"}),
    "hatch": frozenset({"-e", "--env"}),
    "cargo": frozenset({"-C", "--config", "-Z"}),
    "go": frozenset(),
    "mix": frozenset(),
    "docker": frozenset({"-H", "--host", "--context", "-c", "--config", "-l", "--log-level"}),
    "docker-compose": frozenset({"-f", "--file", "-p", "--project-name", "--env-file"}),
    "podman": frozenset({"--connection", "--url"}),
    "kubectl": frozenset({"-n", "--namespace", "--context", "--kubeconfig", "-s", "--server"}),
    "helm": frozenset({"-n", "--namespace", "--kube-context"}),
    "terraform": frozenset({"-chdir"}),
    "gh": frozenset({"-R", "--repo"}),
    "make": frozenset({"-C", "-f", "--file", "--directory", "-j", "-l", "-I", "-o", "-W"}),
    "just": frozenset({"-f", "--justfile", "-d", "--working-directory"}),
    "dotnet": frozenset(),
    "ruff": frozenset({"--config"}),
    "pre-commit": frozenset({"-c", "--config"}),
    "tmws": frozenset({"-C", "--project"}),
    "bd": frozenset({"--db"}),
    "brew": frozenset(),
    "apt": frozenset({"-o", "-c", "-t"}),
    "apt-get": frozenset({"-o", "-c", "-t"}),
    "systemctl": frozenset({"-H", "--host", "-M", "--machine"}),
    "conda": frozenset(),
    "rails": frozenset(),
    "rake": frozenset({"-f", "-C"}),
    "gradle": frozenset({"-p", "--project-dir", "-b"}),
    "gradlew": frozenset({"-p", "--project-dir", "-b"}),
    "mvn": frozenset({"-f", "-pl", "-P"}),
    "mvnw": frozenset({"-f", "-pl", "-P"}),
    "deno": frozenset(),
    "nx": frozenset(),
    "turbo": frozenset(),
    "flutter": frozenset(),
    "rustup": frozenset(),
    "alembic": frozenset({"-c", "--config", "-n", "--name"}),
    "django-admin": frozenset(),
    "aws": frozenset({"--profile", "--region", "--output"}),
    "gcloud": frozenset({"--project", "--account"}),
    "az": frozenset({"--subscription"}),
}
# Sub-commands that have a meaningful second level (`npm run build`, `gh pr create`).
SECOND_LEVEL: dict[str, frozenset[str] | None] = {
    "npm": frozenset({"run", "run-script"}),
    "pnpm": frozenset({"run"}),
    "yarn": frozenset({"run", "workspace"}),
    "bun": frozenset({"run"}),
    "uv": frozenset({"pip", "tool", "python", "cache", "self"}),
    "poetry": frozenset({"env", "self", "source", "cache"}),
    "docker": frozenset({"compose", "container", "image", "volume", "network", "system"}),
    "podman": frozenset({"compose", "container", "image", "volume", "network", "system"}),
    "git": frozenset({"stash", "remote", "worktree", "submodule", "bisect", "notes"}),
    "go": frozenset({"mod", "tool"}),
    "cargo": frozenset(),
    "gh": None,  # every gh group has verbs: gh pr create, gh issue view
    "aws": None,
    "gcloud": None,
    "az": None,
    "dotnet": frozenset({"ef", "tool"}),
}
SQL_CLIENTS = frozenset({"psql", "mysql", "mariadb", "sqlite3", "duckdb", "sqlcmd", "mongosh"})

"""Secrets told by their context, not their shape: CLI arguments and prose.

Agents pass credentials on command lines (`docker login -p`, `sshpass -p`, `htpasswd -b`,
`aws configure set ... <v>`, `tool login --with <t>`) and users paste them into prompts
("my api key is ..."). The value has no vendor prefix, so the rule keys on the words around
it and then demands a value that looks machine-made (digits and letters, some entropy).
"""

from __future__ import annotations

import re

from hestai_tmws.secrets.entropy import shannon
from hestai_tmws.secrets.model import MARKER_PREFIX
from hestai_tmws.secrets.plausibility import reference_free
from hestai_tmws.secrets.rule_checks import ALNUM, LETTERS, Rule, group_ok

_VALUE = r"(?P<q>[\"']?)(?P<v>(?:[^\s\"';|&()<>]|\|(?![\s|])){6,})"
_ASSIGNMENT = re.compile(r"[A-Z_][A-Z0-9_]*=")
_PROSE_VALUE = r"(?P<q>[\"']?)(?P<v>[^\s\"';|&()<>,\[\]{}]{6,})"  # a list ends a value
_DIGIT_AHEAD = r"(?=[\"']?[^\s\"']*\d)"  # prose: skip words until a value with a digit


def machine_made(value: str) -> bool:
    """Letters and digits mixed with some entropy: a token, not a word, path or reference."""
    value = value.rstrip(".,:")
    if len(value) < 12 or not reference_free(value) or value.startswith(("/", "~", "./", "-")):
        return False
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    if MARKER_PREFIX in value or "://" in value or value.startswith("\\"):
        return False  # already redacted, a URL (its own rule), or an escape run like `\\n`
    if _ASSIGNMENT.match(value):
        return False  # `NAME=...`: the assignment rules judge its value
    if "/" in value and "." in value.rsplit("/", 1)[-1]:
        return False  # `cmd/a1.go`, `dist/app2.js`: a file
    return shannon(value) >= 3.0


def short_token(value: str) -> bool:
    """A flag value such as `--with <t>`: ≥ 8 characters, letters and digits, not a path."""
    if len(value) >= 12:
        return machine_made(value)
    return (
        len(value) >= 8
        and reference_free(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and "/" not in value
    )


def password_like(value: str) -> bool:
    """A password given after `-p`: anything that is not a reference or a placeholder."""
    return len(value) >= 6 and reference_free(value) and not value.startswith("-")


CONTEXT_RULES: tuple[Rule, ...] = (
    Rule(
        "password",
        re.compile(
            r"(?:sshpass|docker|podman|nerdctl|buildah|skopeo|helm|redis-cli|mongosh?)\b"
            r"[^\n|;&]*?[ \t](?:-p|-a|--password)(?:=|[ \t]+)" + _VALUE
        ),
        group="v",
        triggers=(
            "sshpass",
            "docker",
            "podman",
            "nerdctl",
            "buildah",
            "skopeo",
            "helm",
            "redis",
            "mongo",
        ),
        left=LETTERS,
        check=group_ok("v", password_like),
    ),
    Rule(
        "password",
        re.compile(r"htpasswd(?:[ \t]+-[A-Za-z]+)*[ \t]+\S+[ \t]+\S+[ \t]+" + _VALUE),
        group="v",
        triggers=("htpasswd",),
        left=LETTERS,
        check=lambda m: "b" in m.group(0).split(m.group("v"))[0] and password_like(m.group("v")),
    ),
    Rule(
        "cli_secret",
        re.compile(
            r"(?:configure|config|set|login|secret|add|put|env)[ \t]+(?:set[ \t]+)?"
            r"(?:--?[A-Za-z-]+[ \t]+)*[\w.:/-]*"
            r"(?:secret|token|password|passwd|api[_-]?key|access[_-]?key|private[_-]?key)"
            r"[\w.-]*[ \t]+" + _VALUE,
            re.IGNORECASE,
        ),
        group="v",
        triggers=("configure", "config", "set", "login", "secret", "add", "put", "env"),
        left=ALNUM,
        anchors=("configure", "config", "set", "login", "secret", "add", "put", "env"),
        check=group_ok("v", machine_made),
    ),
    Rule(
        "cli_secret",
        re.compile(r"--(?:with|with-token|key|apikey|credentials?|pat)(?:=|[ \t]+)" + _VALUE),
        group="v",
        triggers=("--with", "--key", "--apikey", "--cred", "--pat"),
        left=frozenset(ALNUM | {"-"}),
        anchors=("--with", "--key", "--apikey", "--cred", "--pat"),
        back=0,
        check=group_ok("v", short_token),
    ),
    Rule(
        "webhook_url",
        re.compile(
            r"https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|"
            r"(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks)/[^\s\"'<>]+"
        ),
        triggers=("webhook.office.com", "/api/webhooks/"),
    ),
    Rule(
        "prose_secret",
        re.compile(
            r"(?:api[ _-]?key|key|token|secret|password|passwd|passphrase|pwd|credentials?|"
            r"creds|pat)s?(?![A-Za-z])(?:[ \t]+(?:[A-Za-z']{1,12}|[=:])){0,3}?"  # `key is`
            r"(?:\\?[\"'])?[ \t]*(?:::|:=|=>|[:=(])?[ \t]*[\[{]?(?:\\(?=\"))?"
            + _DIGIT_AHEAD
            + _PROSE_VALUE,
            re.IGNORECASE,
        ),
        group="v",
        triggers=("key", "token", "secret", "pass", "pwd", "cred", "pat"),
        left=LETTERS,
        anchors=("key", "token", "secret", "pass", "pwd", "cred", "pat"),
        check=group_ok("v", machine_made),
    ),
)

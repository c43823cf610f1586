"""The deterministic evaluation corpus: secrets of many kinds placed many ways, and benign
look-alikes that must survive. Built at test time from a fixed seed; nothing secret-shaped is
stored in the repository.

A *leak* is any 12-character slice of a secret value (or of its base64 form, for the
base64 placement) still present after redaction.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.secrets.formats import EXTRA_FORMATS, GITLEAKS_FORMATS

SEED = 20261202
_HOLE = re.compile(r"\{([^{}]+):(\d+)\}")


def _class_chars(spec: str) -> str:
    """The characters of a regex class body such as `a-zA-Z0-9_\\-`."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        ch = spec[i]
        if ch == "\\" and i + 1 < len(spec):
            out.append(spec[i + 1])
            i += 2
            continue
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(ch), ord(spec[i + 2]) + 1))
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(dict.fromkeys(out))


def expand(template: str, rng: random.Random) -> str:
    """A value of the template's shape, drawn from `rng`."""

    def fill(m: re.Match[str]) -> str:
        chars = _class_chars(m.group(1))
        n = int(m.group(2))
        value = "".join(rng.choice(chars) for _ in range(n))
        if n >= 8 and any(c.isdigit() for c in chars) and not any(c.isdigit() for c in value):
            value = value[:-1] + rng.choice("0123456789")
        return value

    out = _HOLE.sub(fill, template).replace("{{", "{").replace("}}", "}")
    return out.replace("\\n", "\n")


@dataclass(frozen=True)
class Sample:
    kind: str
    placement: str
    secret: str
    text: str
    also: str = ""  # another form that must not survive either (the base64 of the secret)


@dataclass(frozen=True)
class Format:
    kind: str
    keyword: str  # "" = the value identifies itself; else the service word that must be nearby
    template: str


def _name(fmt: Format) -> str:
    """An environment-variable name for a keyword-context secret (`ALGOLIA_API_KEY`)."""
    word = re.sub(r"[^A-Za-z0-9]+", "_", fmt.keyword or fmt.kind.split("-")[0]).upper()
    suffix = "TOKEN" if "token" in fmt.kind else "SECRET" if "secret" in fmt.kind else "API_KEY"
    return f"{word}_{suffix}"


Placement = Callable[[Format, str], str]


def _json_cmd(f: Format, v: str) -> str:
    return json.dumps({"command": f"curl -d '{json.dumps({'key': v})}' https://api.example.com"})


PLACEMENTS: dict[str, Placement] = {
    "bash_export": lambda f, v: f"export {_name(f)}={v}",
    "bash_export_quoted": lambda f, v: f'export {_name(f)}="{v}"',
    "cli_token_flag": lambda f, v: f"{(f.keyword or 'tool')} login --token {v}",
    "cli_with_flag": lambda f, v: f"{(f.keyword or 'tool')} auth login --with {v}",
    "curl_header": lambda f, v: (
        f'curl -s -H "Authorization: Bearer {v}" https://api.{f.keyword or "example"}.com/v1'
    ),
    "curl_api_key_header": lambda f, v: (
        f"curl -H 'X-{(f.keyword or 'Api').title()}-Api-Key: {v}' https://example.com"
    ),
    "connection_url": lambda f, v: f"psql postgresql://admin:{v}@db.internal:5432/app",
    "heredoc": lambda f, v: f"cat > .env <<'EOF'\n{_name(f)}={v}\nDEBUG=1\nEOF",
    "json_in_command": _json_cmd,
    "printed_env": lambda f, v: f"NODE_ENV=production\n{_name(f)}={v}\nPORT=8080\n",
    "json_escaped_error": lambda f, v: json.dumps(
        {"error": f'config load failed: {{"{_name(f).lower()}": "{v}"}} rejected'}
    ),
    "yaml_config": lambda f, v: f"{(f.keyword or 'service')}:\n  api_key: {v}\n  region: eu",
    "user_prompt": lambda f, v: f"here is my {(f.keyword or f.kind)} api key {v} please use it",
    "assistant_text": lambda f, v: f"I set the {(f.keyword or 'service')} token to {v} for you.",
    "decision_line": lambda f, v: f"DECISION: rotate {_name(f)}={v} after the demo",
    "learning_line": lambda f, v: f"LEARNING: the {(f.keyword or 'api')} secret is {v}",
    "blocker_line": lambda f, v: f"BLOCKER: {_name(f)} ({v}) is rejected with 401",
    "task_description": lambda f, v: json.dumps(
        {"description": f"Check {f.keyword or 'the'} creds", "prompt": f"use token={v}"}
    ),
    "mcp_tool_argument": lambda f, v: json.dumps(
        {"name": "mcp__svc__call", "arguments": {"api_key": v, "q": "status"}}
    ),
    "system_error_record": lambda f, v: (
        f"Error: request to https://api.example.com?access_token={v} failed: 403"
    ),
    "base64_wrapped": lambda f, v: (
        "echo " + base64.b64encode(f"{_name(f)}={v}".encode()).decode() + " | base64 -d > .env"
    ),
    "split_continuation": lambda f, v: (
        f"docker run -e {_name(f)}={v[: len(v) // 2]}\\\n    {v[len(v) // 2 :]} app:latest"
    ),
    "file_path": lambda f, v: f"Read /home/dev/.config/{f.keyword or 'svc'}/{v}.json",
    "docker_login": lambda f, v: f"docker login -u ci -p {v} registry.example.com",
    "sshpass": lambda f, v: f"sshpass -p {v} ssh deploy@10.0.0.5",
    "htpasswd": lambda f, v: f"htpasswd -b -c /etc/nginx/.htpasswd admin {v}",
    "aws_configure": lambda f, v: f"aws configure set aws_secret_access_key {v}",
}
# Placements where only a self-identifying value (a prefix format) can be told from an id.
_PREFIX_ONLY = frozenset({"file_path", "assistant_text"})


def _self_identifying(fmt: Format) -> bool:
    """A value that names its kind by a literal prefix of ≥ 3 characters."""
    literal = fmt.template.split("{", 1)[0]
    return fmt.keyword == "" and len(literal) >= 3


def formats() -> list[Format]:
    return [Format(*row) for row in (*GITLEAKS_FORMATS, *EXTRA_FORMATS)]


def build_secrets(per_kind: int = 2) -> list[Sample]:
    """`per_kind` samples of every format, each in a different placement (rotating)."""
    rng = random.Random(SEED)
    names = list(PLACEMENTS)
    samples: list[Sample] = []
    turn = 0
    for fmt in formats():
        for _ in range(per_kind):
            while True:
                placement = names[turn % len(names)]
                turn += 1
                if _self_identifying(fmt) or placement not in _PREFIX_ONLY:
                    break
            value = expand(fmt.template, rng)
            text = PLACEMENTS[placement](fmt, value)
            also = ""
            if placement == "base64_wrapped":
                also = base64.b64encode(f"{_name(fmt)}={value}".encode()).decode()
            samples.append(Sample(fmt.kind, placement, value, text, also))
    return samples


def leaked(sample: Sample, redacted: str) -> bool:
    """Whether any 12-character slice of the secret (or its encoded form) survived."""
    for form in (sample.secret, sample.also):
        if not form:
            continue
        width = min(12, len(form))
        if any(form[i : i + width] in redacted for i in range(len(form) - width + 1)):
            return True
    return False


# -- benign look-alikes: ids, digests and references that must come through unchanged --------
def _b64url(rng: random.Random, n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(n))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _b64(rng: random.Random, nbytes: int) -> str:
    return base64.b64encode(rng.randbytes(nbytes)).decode()


def build_benign() -> list[tuple[str, str]]:
    """(kind, text) of ≥ 40 benign values in the places they usually appear."""
    rng = random.Random(SEED + 1)
    sha = _hex(rng, 40)
    uuid = f"{_hex(rng, 8)}-{_hex(rng, 4)}-4{_hex(rng, 3)}-a{_hex(rng, 3)}-{_hex(rng, 12)}"
    cid = "bafybei" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(52))
    items = [
        ("git_sha", f"git show {sha}"),
        ("git_sha_short", f"commit {sha[:7]} fixed the build"),
        ("git_ref_token", "git show token:cmd/a.go"),
        ("uuid", f"session_id={uuid}"),
        ("uuid_upper", f"RequestId: {uuid.upper()}"),
        ("sha256", f"sha256:{_hex(rng, 64)}"),
        ("sha256sum", f"{_hex(rng, 64)}  dist/app.tar.gz"),
        ("sha384_sri", f'integrity="sha384-{_b64(rng, 48)}"'),
        ("sha512_npm", f'"integrity": "sha512-{_b64(rng, 64)}"'),
        ("sha512_hex", f"checksum: {_hex(rng, 128)}"),
        ("go_sum", f"golang.org/x/text v0.14.0 h1:{_b64(rng, 32)}"),
        ("go_sum_mod", f"golang.org/x/text v0.14.0/go.mod h1:{_b64(rng, 32)}"),
        ("ipfs_cid_v1", f"ipfs://{cid}"),
        (
            "ipfs_cid_v0",
            "Qm" + "".join(rng.choice("123456789ABCDEFGHJKLMNPQRSTUVWXYZabc") for _ in range(44)),
        ),
        ("docker_digest", f"python@sha256:{_hex(rng, 64)}"),
        ("build_id_b64url", f"build id {_b64url(rng, 43)}"),
        ("build_id_field", f'"buildId": "{_b64url(rng, 36)}"'),
        ("gdrive_id", f"https://drive.google.com/file/d/1{_b64url(rng, 32)}/view"),
        ("gsheets_id", f"Read /tmp/sheets/1{_b64url(rng, 43)}/export.csv"),
        ("gsheets_url", f"https://docs.google.com/spreadsheets/d/1{_b64url(rng, 43)}/edit"),
        ("youtube_id", f"https://www.youtube.com/watch?v={_b64url(rng, 11)}"),
        ("youtube_playlist", f"watch the playlist PL{_b64url(rng, 32)} tonight"),
        ("request_id", f"x-request-id: req_{_b64url(rng, 24)}"),
        ("message_id", f'"id": "msg_01{_b64url(rng, 22)}"'),
        ("tool_use_id", f'"tool_use_id": "toolu_01{_b64url(rng, 22)}"'),
        ("aws_arn", "arn:aws:iam::123456789012:role/service-role/deploy-pipeline-role"),
        ("aws_arn_kms", f"arn:aws:kms:eu-west-1:123456789012:key/{uuid}"),
        ("env_ref", "export PGPASSWORD=$DB_PASSWORD"),
        ("env_ref_braced", "password: ${DB_PASSWORD}"),
        ("gha_secret_ref", "token: ${{ secrets.GITHUB_TOKEN }}"),
        ("gha_secret_ref2", "API_KEY=${{ secrets.OPENAI_API_KEY }}"),
        ("test_name_long", "test_redacts_tokens_in_heredoc_but_keeps_git_shas_and_uuids_intact"),
        ("fixture_mixed_case", "fixture RedactionCorpusBenignLookAlikesV2Fixture loaded"),
        ("k8s_pod", "pod web-7d4b9c8f6d-x2kqz restarted"),
        ("npm_lock_resolved", "resolved https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"),
        ("semver_build", "version 1.4.2+build.20261202.7f3a9c1"),
        ("jwt_header_only", "alg header eyJhbGciOiJIUzI1NiJ9 is standard"),
        ("css_hash", f"app.{_hex(rng, 20)}.css"),
        ("webpack_chunk", f"static/js/main.{_hex(rng, 8)}.chunk.js"),
        ("placeholder_env", "OPENAI_API_KEY=<your-key-here>"),
        ("placeholder_x", "token: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("python_var", "token = request.headers.get('Authorization')"),
        ("password_prompt", "Enter your password: "),
        ("base64_text", "echo " + base64.b64encode(b"hello world from the build step").decode()),
        ("slack_channel", "channel C0123ABCDEF and user U0456GHIJKL"),
        ("pgp_fingerprint", "key fingerprint 3AA5 C343 7125 9A9C 5A54  6EB7 8F0A 1C1B 2E3D 4F5A"),
        ("path_with_hash", f"/home/dev/.cache/pip/wheels/{_hex(rng, 2)}/{_hex(rng, 62)}"),
        ("mixed_id_prose", f"the job {_b64url(rng, 20)} finished"),
    ]
    return items


def build_placements_count() -> int:
    return len(PLACEMENTS)

"""One redaction gate on every write path: no face writes a secret into committed memory or
into the Steward's ledger (MCP tools in process, the CLI, pattern/SOP/skill text)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from tests.cli.cli_support import tmws
from tests.mcpserver.support import anchor_args, call
from tests.secrets.corpus import expand, formats

# Real formats the issue saw leak, generated fresh (no secret-shaped literal in the repo).
_LEAKED_PREFIXES = (
    "glsa_",
    "lin_api_",
    "PMAK-",
    "dp.pt.",
    "hvs.",
    "dapi",
    "NRAK-",
    "pul-",
    "tskey-auth-",
    "ntn_",
    "AGE-SECRET-KEY-1",
    "sbp_",
    "dckr_pat_",
)


def _secrets() -> list[str]:
    rng = random.Random(11)
    out = []
    for prefix in _LEAKED_PREFIXES:
        fmt = next(f for f in formats() if f.template.startswith(prefix))
        out.append(expand(fmt.template, rng))
    return out


SECRETS = _secrets()


def committed_texts(project: Project) -> dict[str, bytes]:
    """Every file that is or may be committed under .hestai/, and the Steward's ledger."""
    files = {
        str(p.relative_to(project.root)): p.read_bytes()
        for p in project.hestai.rglob("*")
        if p.is_file() and "sessions/active" not in p.as_posix()
    }
    if project.ledger_path.is_file():
        files["<ledger>"] = project.ledger_path.read_bytes()
    return files


def _alnum(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def assert_nowhere(project: Project, secrets: list[str]) -> None:
    """No secret in any committed file, its name, or the ledger (a 16-character slice counts)."""
    for name, data in committed_texts(project).items():
        for secret in secrets:
            assert secret[:16].encode() not in data, f"{name} holds a secret"
            assert _alnum(secret)[:16] not in _alnum(name), f"{name} is named after a secret"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def bundle(ready: Project) -> Iterator[Any]:
    from hestai_tmws.mcpserver import build_server

    server = build_server(ready, watch=False)
    yield server
    if server.watcher is not None:
        server.watcher.stop()


# -- MCP ------------------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_mcp_document_submit_content_and_title(bundle: Any, ready: Project) -> None:
    a, b = SECRETS[0], SECRETS[1]
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "docs"})
        doc = await call(
            client,
            "document_submit",
            {"doc_type": "report", "title": f"Rotate {a}", "content": f"The new key is {b}."},
        )
    text = (ready.root / doc["path"]).read_text()
    assert "[REDACTED:" in text or "REDACTED-" in text
    assert_nowhere(ready, [a, b])


@pytest.mark.anyio
async def test_mcp_context_update_keys_and_values(bundle: Any, ready: Project) -> None:
    a, b = SECRETS[2], SECRETS[3]
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"focus": "context"})
        view = await call(client, "get_context", {"documents": ["project-context"]})
        base = view["documents"][0]["sha256"]
        changes = [
            {"op": "add", "section": "NOTES", "key": "API", "value": f"use {a} for staging"},
            {"op": "add", "section": "NOTES", "key": "TOKENS", "value": [b, "plain"]},
        ]
        await call(
            client,
            "context_update",
            {"document": "project-context", "changes": changes, "base_hash": base},
        )
    assert_nowhere(ready, [a, b])
    assert "plain" in (ready.hestai / "context" / "project-context.oct.md").read_text()


@pytest.mark.anyio
async def test_mcp_clock_out_summary_learnings_decisions_blockers_and_anchor(
    bundle: Any, ready: Project
) -> None:
    s = SECRETS[4:10]
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        await call(client, "clock_in", {"role": "implementation-lead", "focus": f"fix {s[0]}"})
        anchor = anchor_args(ready)
        anchor["must_always"] = [*anchor["must_always"], f"never paste {s[5]}"]
        await call(client, "anchor_submit", anchor)
        out = await call(
            client,
            "clock_out",
            {
                "summary": f"rotated {s[1]}",
                "learnings": [f"the token was {s[2]}"],
                "decisions": [f"move {s[3]} to the vault"],
                "blockers": [s[4]],
            },
        )
    assert (ready.root / out["archive_path"]).is_file()
    assert_nowhere(ready, s)


# -- CLI ------------------------------------------------------------------------------------------
def test_cli_doc_submit(ready: Project) -> None:
    a, b = SECRETS[10], SECRETS[11]
    r = tmws(ready.root, "doc", "submit", "decision", "--title", f"Key {a}", "--content", b)
    assert r.exit_code == 0, r.output
    assert_nowhere(ready, [a, b])


def test_cli_context_update(ready: Project) -> None:
    a = SECRETS[12]
    r = tmws(
        ready.root,
        "context",
        "update",
        "context",
        "--op",
        "append",
        "--section",
        "RISKS",
        "--key",
        "OPEN",
        "--value",
        f"leaked {a} in CI",
    )
    assert r.exit_code == 0, r.output
    assert_nowhere(ready, [a])


def test_cli_adopt_reason_reaches_neither_ledger_nor_log(ready: Project) -> None:
    a = SECRETS[0]
    target = ready.memory_path("context/project-roadmap.oct.md")
    target.write_text(target.read_text().replace("===END===", "// hand\n===END==="))
    r = tmws(ready.root, "adopt", str(target), "--reason", f"fixed with {a}", "--json")
    assert r.exit_code == 0, r.output
    assert a[:16] not in json.loads(r.stdout)["reason"]
    assert_nowhere(ready, [a])


# -- the Steward itself: pattern, SOP and skill text; ledger reasons -------------------------------
def test_pattern_sop_and_skill_text_and_ledger_reason(ready: Project) -> None:
    from hestai_tmws.learning.records import record_rel
    from hestai_tmws.learning.skills import skill_rel

    a, b, c, d = SECRETS[1], SECRETS[3], SECRETS[5], SECRETS[7]
    steward = Steward(ready)
    pattern = f'===PATTERN===\nMETA:\n  TYPE::PATTERN\n  SOP::"run with --token {a}"\n===END===\n'
    steward.write_text(record_rel("p-secret"), pattern, reason=f"mined {d}")
    skill = f"---\nname: deploy\ndescription: deploy with {b}\n---\n\nexport API_KEY={c}\n"
    steward.write_text(skill_rel("deploy"), skill, actor=f"bot {d}")
    assert_nowhere(ready, [a, b, c, d])
    assert "SOP::" in steward.read_text(record_rel("p-secret")) or ""


def test_json_lines_records_stay_valid_json(ready: Project, tmp_path: Path) -> None:
    a = SECRETS[2]
    steward = Steward(ready)
    steward.append_jsonl("learning/feedback.jsonl", [{"note": f'said "{a}"', "n": 1}])
    line = (ready.hestai / "learning" / "feedback.jsonl").read_text().splitlines()[-1]
    assert json.loads(line)["n"] == 1 and a[:16] not in line


# -- transcripts: MCP reads only agents' transcripts from allowed folders; the CLI any folder ------
@pytest.mark.anyio
async def test_mcp_clock_out_refuses_a_transcript_outside_or_not_a_transcript(
    bundle: Any, ready: Project, tmp_path: Path
) -> None:
    from tests.fixtures import clock_transcripts as ct
    from tests.mcpserver.support import call_error

    outside = ct.write_basic(tmp_path / "outside" / "s.jsonl", cwd=str(ready.root))
    fake = ready.root / "notes.jsonl"
    fake.write_text("root:x:0:0:root:/root:/bin/bash\n")
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        opened = await call(client, "clock_in", {"focus": "confined"})
        for path in (outside, fake, Path("/proc/self/environ")):
            text = await call_error(client, "clock_out", {"transcript_path": str(path)})
            assert "transcript" in text and "hint:" in text
        inside = ct.write_basic(ready.root / "t" / "s.jsonl", cwd=str(ready.root))
        out = await call(client, "clock_out", {"transcript_path": str(inside)})
    assert out["session_id"] == opened["session_id"] and out["tool_calls"] > 0


def test_cli_clock_out_reads_a_named_transcript_anywhere_but_refuses_non_transcripts(
    ready: Project, tmp_path: Path
) -> None:
    from tests.fixtures import clock_transcripts as ct

    assert tmws(ready.root, "clock-in", "--focus", "cli").exit_code == 0
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    refused = tmws(ready.root, "clock-out", "--transcript", str(passwd))
    assert refused.exit_code == 1 and "not a transcript" in refused.output
    elsewhere = ct.write_basic(tmp_path / "elsewhere" / "s.jsonl", cwd=str(ready.root))
    done = tmws(ready.root, "clock-out", "--transcript", str(elsewhere), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["tool_calls"] > 0

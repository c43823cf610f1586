"""MCP resources: the governance files and the context documents, listed and read safely."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client, MCPError

from hestai_tmws.layout import CONTEXT_DOCS
from hestai_tmws.project import Project

pytestmark = pytest.mark.anyio


def governance_files(project: Project) -> list[str]:
    base = project.hestai_sys
    return sorted(
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and p.name not in (".version", ".manifest.json")
    )


async def test_lists_every_governance_file_and_context_document(
    bundle: Any, mproject: Project
) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
    uris = {str(r.uri) for r in resources}
    expected_gov = {f"hestai-sys://{rel}" for rel in governance_files(mproject)}
    expected_ctx = {f"hestai://context/{name}" for name in (*CONTEXT_DOCS, "north-star")}
    assert uris == expected_gov | expected_ctx
    assert "hestai-sys://agents/implementation-lead.oct.md" in uris
    assert all(r.mime_type == "text/markdown" for r in resources)
    assert {t.uri_template for t in templates} == {
        "hestai-sys://{+path}",
        "hestai://context/{name}",
        "hestai://search/{query}",
    }


async def test_reads_governance_files_verbatim(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        for rel in governance_files(mproject):
            result = await client.read_resource(f"hestai-sys://{rel}")
            assert result.contents[0].text == (mproject.hestai_sys / rel).read_text(), rel
        # files not listed are still reachable through the template
        version = await client.read_resource("hestai-sys://.version")
    assert version.contents[0].text == (mproject.hestai_sys / ".version").read_text()


async def test_reads_context_documents_and_the_north_star(bundle: Any, mproject: Project) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        context = await client.read_resource("hestai://context/project-context")
        north = await client.read_resource("hestai://context/north-star")
        suffixed = await client.read_resource("hestai://context/project-roadmap.oct.md")
    assert (
        context.contents[0].text == (mproject.hestai / "context/project-context.oct.md").read_text()
    )
    assert (
        north.contents[0].text
        == (mproject.hestai / "workflow/000-project-north-star.oct.md").read_text()
    )
    assert suffixed.contents[0].text.startswith("===")


@pytest.mark.parametrize(
    "uri",
    [
        "hestai-sys://../.git/config",
        "hestai-sys://agents/nobody.oct.md",
        "hestai-sys://%2E%2E/%2E%2E/etc/passwd",
        "hestai://context/../../secrets",
        "hestai://context/NOT_A_NAME",
        "hestai://context/no-such-document",
        "hestai://elsewhere/x",
    ],
)
async def test_unknown_or_escaping_resources_are_errors(bundle: Any, uri: str) -> None:
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        with pytest.raises(MCPError):
            await client.read_resource(uri)


async def test_a_listed_context_document_that_is_missing_is_an_error(
    bundle: Any, mproject: Project
) -> None:
    (mproject.hestai / "context/context-negatives.oct.md").unlink()
    async with Client(bundle.mcp, raise_exceptions=True) as client:
        with pytest.raises(MCPError, match="no context document"):
            await client.read_resource("hestai://context/context-negatives")

"""Drives `cargo parseltongue mcp` with the official MCP Python SDK (a client nobody here
wrote): initialise, list tools, call each, edit a file between calls, hit bad input.

Usage: python_client.py BINARY WORKSPACE_DIR   (prints OK on success, exits 1 otherwise)
"""

import asyncio
import pathlib
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main(binary: str, workspace: str) -> None:
    params = StdioServerParameters(command=binary, args=["mcp"], cwd=workspace)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.serverInfo.name == "cargo-parseltongue", init
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == {
                "search", "what_implements", "blast_radius", "neighbours",
                "context", "exceptions", "resolve", "status",
            }, tools.keys()
            assert "pattern" in tools["search"].inputSchema["properties"]

            r = await session.call_tool("what_implements", {"trait": "Matcher"})
            assert not r.isError, r
            selfs = sorted(i["self_type"] for i in r.structuredContent["impls"])
            assert selfs == ["NoMatch", "RegexMatcher"], selfs

            r = await session.call_tool("blast_radius", {"entity": "Sink::take"})
            assert r.structuredContent["below_min_confidence"] == 1, r.structuredContent
            r = await session.call_tool(
                "blast_radius", {"entity": "Sink::take", "min_confidence": "low"})
            rows = [d for l in r.structuredContent["levels"] for d in l["dependents"]]
            assert any(d["confidence"] == "low" for d in rows), rows

            for name, args in [
                ("search", {"pattern": "Searcher"}),
                ("neighbours", {"entity": "RegexMatcher::new", "direction": "callers"}),
                ("context", {"entities": ["Matcher"], "max_tokens": 2000}),
                ("exceptions", {"all": True}),
                ("resolve", {"type": "NoMatch", "method": "is_match"}),
                ("status", {}),
            ]:
                r = await session.call_tool(name, args)
                assert not r.isError, (name, r)
                assert r.content and r.content[0].text, (name, r)

            # An edit between two calls.
            lib = pathlib.Path(workspace, "crates/searcher/src/lib.rs")
            lib.write_text(lib.read_text() + "\npub fn added_by_python() {}\n")
            r = await session.call_tool("search", {"pattern": "added_by_python"})
            paths = [m["path"] for m in r.structuredContent["matches"]]
            assert paths == ["finder_searcher::added_by_python"], paths

            # Bad input: an error result, and the server keeps serving.
            r = await session.call_tool("resolve", {"type": "NoMatch"})
            assert r.isError, r
            r = await session.call_tool("search", {"pattern": "added_by_python"})
            assert not r.isError, r
    print("OK")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))

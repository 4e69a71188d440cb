"""Latency and memory of `cargo parseltongue mcp`, measured from a client (the official MCP
Python SDK, installed by .ci/setup into target/ci-venv):

    target/ci-venv/bin/python3 benches/mcp_bench.py target/release/cargo-parseltongue \
        target/corpus/ws/tokio-repo ENTITY TRAIT FILE

Build first: `cargo build --release --examples`. Per tool: the first call (loads the workspace and the snapshot), a warm call, and a call
after FILE (workspace-relative) was touched with a body-only edit; the server's peak RSS;
tools/list's size in tokens; each tool's largest answer (max_tokens 24000) against its
budget. FILE is restored afterwards. Prints one table.
"""

import asyncio
import os
import pathlib
import sys
import time

import json
import subprocess

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

# cargo-parseltongue's own tokenizer (cl100k_base), as the server counts max_tokens.
COUNTER = pathlib.Path(__file__).resolve().parent.parent / "target/release/examples/count_tokens"


def count(text: str) -> int:
    return int(subprocess.run([str(COUNTER)], input=text, capture_output=True, text=True,
                              check=True).stdout)


def server_rss_kib(binary: str) -> tuple[int, int]:
    """(current, peak) RSS in KiB of our child running `mcp`."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            status = pathlib.Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if cmd and cmd[0].decode(errors="replace") == binary and b"mcp" in cmd:
            fields = dict(l.split(":", 1) for l in status.splitlines() if ":" in l)
            return (int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]))
    return (0, 0)


def tokens(result) -> int:
    text = "".join(c.text for c in result.content if hasattr(c, "text"))
    return count(text) + count(json.dumps(result.structuredContent or {}, separators=(",", ":")))


async def main(binary, workspace, entity, trait, edit_file):
    binary = str(pathlib.Path(binary).resolve())
    params = StdioServerParameters(command=binary, args=["mcp"], cwd=workspace)
    calls = [
        ("status", {}),
        ("search", {"pattern": entity.rsplit("::", 1)[-1]}),
        ("what_implements", {"trait": trait}),
        ("blast_radius", {"entity": entity}),
        ("neighbours", {"entity": entity, "direction": "callers"}),
        ("context", {"entities": [entity]}),
        ("exceptions", {}),
        ("resolve", {"type": entity.rsplit("::", 1)[0], "method": entity.rsplit("::", 1)[-1]}),
    ]
    path = pathlib.Path(workspace, edit_file)
    original = path.read_text()
    rows = []
    try:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                listed = await session.list_tools()
                list_tokens = count(listed.model_dump_json(exclude_none=True, by_alias=True))
                for i, (name, args) in enumerate(calls):
                    t0 = time.perf_counter()
                    r = await session.call_tool(name, args)
                    first = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    await session.call_tool(name, args)
                    warm = time.perf_counter() - t0
                    path.write_text(original + f"\nfn __mcp_bench_edit_{i}() {{}}\n")
                    t0 = time.perf_counter()
                    await session.call_tool(name, args)
                    edited = time.perf_counter() - t0
                    path.write_text(original)
                    await session.call_tool(name, args)
                    big = await session.call_tool(name, {**args, "max_tokens": 24000} if name != "resolve" else args)
                    rows.append((name, first, warm, edited, tokens(r), tokens(big), r.isError))
                rss, peak = server_rss_kib(binary)
    finally:
        path.write_text(original)
    print(f"tools/list: {list_tokens} tokens")
    print(f"{'tool':<16} {'first ms':>9} {'warm ms':>8} {'edit ms':>8} {'tokens':>7} {'@24k':>6}")
    for name, first, warm, edited, t, big, err in rows:
        flag = " (error)" if err else ""
        print(f"{name:<16} {first*1e3:9.1f} {warm*1e3:8.1f} {edited*1e3:8.1f} {t:7d} {big:6d}{flag}")
    print(f"server RSS: {rss/1024:.0f} MiB now, {peak/1024:.0f} MiB peak")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))

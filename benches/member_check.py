#!/usr/bin/env python3
"""Checks that every corpus workspace's members are members, and what its coverage leaves out.

Run benches/corpus.sh --prepare first (it vendors the workspaces under target/corpus/ws/).
For each workspace it runs

    cargo parseltongue export --manifest-path WS/Cargo.toml --workspace --format json -q

(every target of every member, default features) and prints, per workspace:

- twins: external nodes whose path starts with the crate name of a member's lib target
  (`tokio_util::sync::CancellationToken` as an outside item while tokio-util is a member).
  A member reached through `[patch.crates-io]`, `[replace]` or a path dependency must
  resolve to the member; any twin is a failure (exit 1).
- per package: the files indexed, the `.rs` files under the package no module tree reaches,
  the macro calls left unexpanded by cause, and the paths that resolved to nothing, as the
  export's coverage report gives them.

Usage: python3 benches/member_check.py [WORKSPACE ...]   (default: every workspace under
       target/corpus/ws)
"""
import json
import subprocess
import sys
from pathlib import Path

from scores import our_binary

ROOT = Path(__file__).resolve().parent.parent
WS = ROOT / "target" / "corpus" / "ws"


def export(ws: Path) -> dict:
    cmd = [str(our_binary()), "parseltongue", "export", "--manifest-path", str(ws / "Cargo.toml"),
           "--workspace", "--format", "json", "-q"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"{ws.name}: export failed (exit {res.returncode}): {res.stderr.strip()}")
    return json.loads(res.stdout)


def main(argv: list[str]) -> int:
    if not WS.exists():
        sys.exit("run benches/corpus.sh --prepare first")
    names = argv or sorted(p.name for p in WS.iterdir() if (p / "Cargo.toml").exists())
    failures = 0
    totals = {"files": 0, "unreached": 0, "unexpanded": 0, "unresolved": 0, "twins": 0}
    for name in names:
        data = export(WS / name)
        members = {c["name"] for c in data["crates"] if c["target_kind"] in ("lib", "proc-macro")}
        twins = sorted(n["path"] for n in data["nodes"]
                       if n["kind"] == "external" and n["path"].split("::")[0] in members)
        coverage = data.get("coverage", [])
        files = sum(c["files_indexed"] for c in coverage)
        unreached = [(c["package"], f) for c in coverage for f in c["unreached_files"]]
        unexpanded = {}
        for c in coverage:
            for cause, count in c["unexpanded_macros"].items():
                unexpanded[cause] = unexpanded.get(cause, 0) + count
        unresolved = sum(c["unresolved_paths"] for c in coverage)
        print(f"== {name}: {len(members)} member crates, {files} files indexed, "
              f"{len(twins)} member items as external nodes, {len(unreached)} unreached files, "
              f"unexpanded macro calls {sum(unexpanded.values())} {unexpanded or ''}, "
              f"{unresolved} unresolved paths")
        for t in twins[:10]:
            print(f"   twin       {t}")
        for package, f in unreached:
            print(f"   unreached  {package}: {f}")
        failures += bool(twins)
        totals["files"] += files
        totals["unreached"] += len(unreached)
        totals["unexpanded"] += sum(unexpanded.values())
        totals["unresolved"] += unresolved
        totals["twins"] += len(twins)
    print(f"all: {len(names)} workspaces, {totals['files']} files indexed, "
          f"{totals['twins']} member items as external nodes, {totals['unreached']} unreached "
          f"files, {totals['unexpanded']} unexpanded macro calls, {totals['unresolved']} "
          f"unresolved paths")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

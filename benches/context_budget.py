#!/usr/bin/env python3
"""`context` on the vendored corpus (benches/corpus.sh --prepare first): for a seeded sample of
items per crate and several budgets, checks that the Markdown stays within the budget (the
tool's own count, `budget.used`, of the text it printed) and prints what was kept and left out
and how long each call took (warm snapshot, release binary).

    python3 benches/context_budget.py [--items 15] [--seed 3] [--budgets 1000,4000,16000]
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "cargo-parseltongue"
CRATES = ["tokio", "hyper", "syn", "regex-workspace", "futures-util", "num-traits", "clap_builder"]
KINDS = {"fn", "method", "struct", "enum", "trait", "type_alias"}


def tool(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), "parseltongue", "--manifest-path", str(ws / "Cargo.toml"), "--workspace", "-q", *args],
        capture_output=True,
        text=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=15)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--budgets", default="1000,4000,16000")
    ap.add_argument("--crates", default=",".join(CRATES))
    args = ap.parse_args()
    budgets = [int(b) for b in args.budgets.split(",")]
    over = 0
    print(f"{'crate':16} {'budget':>7} {'calls':>5} {'max used':>8} {'mean used':>9} "
          f"{'entries':>7} {'left out':>8} {'median s':>8} {'max s':>6}")
    for name in args.crates.split(","):
        ws = ROOT / "target" / "corpus" / "ws" / name
        if not ws.exists():
            print(f"{name}: not vendored (run benches/corpus.sh --prepare)", file=sys.stderr)
            continue
        graph = json.loads(tool(ws, "export", "--format", "json").stdout)
        paths: dict[str, int] = {}
        for n in graph["nodes"]:
            if n["kind"] in KINDS and n.get("span"):
                paths[n["path"]] = paths.get(n["path"], 0) + 1
        # Names that denote one item (cfg variants and lib/bin copies share a path).
        unique = sorted(p for p, count in paths.items() if count == 1)
        # Seeded per crate, so a sample does not depend on which other crates run.
        rng = random.Random(f"{args.seed}-{name}")
        sample = rng.sample(unique, min(args.items, len(unique)))
        for budget in budgets:
            used, entries, left, times = [], [], [], []
            for path in sample:
                start = time.perf_counter()
                run = tool(ws, "context", path, "--budget", str(budget), "--with-source", "--format", "json")
                times.append(time.perf_counter() - start)
                # Exit 1: answered, but some file of the workspace did not parse (partial).
                if run.returncode not in (0, 1) or not run.stdout:
                    print(f"{name} {path} --budget {budget}: exit {run.returncode}: {run.stderr.strip()}")
                    continue
                c = json.loads(run.stdout)
                used.append(c["budget"]["used"])
                entries.append(len(c["entries"]))
                left.append(sum(c["left_out"]["entries"].values()))
                if c["budget"]["used"] > budget:
                    over += 1
                    print(f"OVER BUDGET: {name} {path} {c['budget']}")
            if used:
                print(f"{name:16} {budget:7} {len(used):5} {max(used):8} {statistics.mean(used):9.0f} "
                      f"{sum(entries):7} {sum(left):8} {statistics.median(times):8.3f} {max(times):6.3f}")
    print(f"over budget: {over}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

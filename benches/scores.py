"""Shared by the accuracy scripts: our binary, and precision / recall / F1 arithmetic."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def our_binary() -> Path:
    """$PARSELTONGUE_BIN when set (a copy to score while the tree is rebuilt), else
    target/release/cargo-parseltongue, else the debug build."""
    if os.environ.get("PARSELTONGUE_BIN"):
        return Path(os.environ["PARSELTONGUE_BIN"])
    release = ROOT / "target" / "release" / "cargo-parseltongue"
    return release if release.exists() else ROOT / "target" / "debug" / "cargo-parseltongue"


def ratio(hits: int, total: int) -> float:
    """hits / total, 1.0 when there is nothing to count (no answer is a perfect one)."""
    return hits / total if total else 1.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0

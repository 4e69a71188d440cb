#!/usr/bin/env python3
"""Checks cargo-parseltongue's direct dependents against the compiler: the rename oracle.

Run benches/corpus.sh --prepare first (it vendors the crates under target/corpus/ws/). For
each package below, the script copies its workspace to a scratch directory
(target/corpus/oracle/<ws>), asks `cargo parseltongue export` for the graph in the same
configuration cargo check builds (the lib target, the same features), and picks items at
random (fixed seed): free functions, structs, enums, unions, traits, consts, statics, type
aliases and inherent methods of the lib target, written in source (not macro-generated).
For each item it renames the identifier at the definition only, runs

    cargo check --lib --message-format json [--features F]

maps every error's primary span (the outermost macro call site for errors inside an
expansion) to the innermost item of the graph that encloses it, and restores the file.
Those items, minus the renamed one, are the true direct dependents; ours are the items with
a `calls`, `uses`, `implements` or `inherits` edge to it. Prints precision / recall per
package and over the corpus (with every edge, and at the default confidence: low guesses left
out, as walks answer unless asked), and the recall left when the sites that only rustc's inference
cascades reported (type annotations needed, mismatched types, several applicable items,
duplicate definitions, unmet trait bounds: errors in items that need not name the renamed
one) are left out.

Some uses still compile after a rename: the callers of a method fall back to a method of the
same name (a `Deref` target's: smallvec's `SmallVec::as_mut_ptr` beside the slice's), and a
const named in a pattern becomes a binding (once_cell's `(COMPLETE, _) => return`). So every
method and const is also marked `#[deprecated]`, and the items with a warning naming it are
dependents too.

Each rename is also given to `blast-radius --since HEAD --max 0` (the scratch copy is a git
repository): its depth-1 affected items are scored against the same compiler sites, with how
often the rename is reported as one renamed entity and the gate trips.

Workspaces laid out as their repositories are (ACROSS_MEMBERS) rename items of one member
and check every member's lib (`cargo check --workspace --lib --keep-going`), so dependents in
the other members count: rustc stops at the first crate that fails, so each error naming the
item gets the new name written in and the check runs again, until the libs compile. The item
is then also marked `#[deprecated]` and the warnings naming it in other members count too:
they reach the uses a macro of the item's own package writes there, which carrying the rename
through fixes (at the macro's definition) before those members compile.

With --remove each sampled item is also deleted (its lines, with the attributes and doc
comments right above it; items sharing a line with another are left out) and the deletion
given to `blast-radius --since HEAD --max 0`: it must report one removed entity whose
affected items are the sites the rename broke.

Usage: python3 benches/rename_oracle.py [--items N] [--seed S] [--remove] [WORKSPACE ...]
       (default: 20 items per package of every workspace in PACKAGES and ACROSS_MEMBERS)
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from scores import f1, our_binary, ratio

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "target" / "corpus"
# workspace → [(package, package dir relative to the workspace, cargo features)]
PACKAGES = {
    "regex-workspace": [("regex-syntax", "regex-syntax", None)],
    "hyper": [("hyper", ".", "full")],
    "num-traits": [("num-traits", ".", None)],
    "futures-util": [("futures-util", ".", None)],
    "bytes": [("bytes", ".", None)],
    "itertools": [("itertools", ".", None)],
    "hyper-util": [("hyper-util", ".", "full")],
    "thiserror-repo": [("thiserror", "thiserror", None)],
    "winnow": [("winnow", ".", None)],
    "nom": [("nom", ".", None)],
    "chrono": [("chrono", ".", None)],
    "http": [("http", ".", None)],
    "indexmap": [("indexmap", ".", None)],
    "serde_json": [("serde_json", ".", None)],
    "hashbrown": [("hashbrown", ".", None)],
    "memchr": [("memchr", ".", None)],
    "petgraph": [("petgraph", ".", None)],
    "smallvec": [("smallvec", ".", None)],
    "semver": [("semver", ".", None)],
    "bitflags": [("bitflags", ".", None)],
    "mio": [("mio", ".", "os-poll,net")],
    "quote": [("quote", ".", None)],
    "proc-macro2": [("proc-macro2", ".", None)],
    "arrayvec": [("arrayvec", ".", None)],
    "slab": [("slab", ".", None)],
    "bstr": [("bstr", ".", None)],
    "aho-corasick": [("aho-corasick", ".", None)],
    "walkdir": [("walkdir", ".", None)],
    "tempfile": [("tempfile", ".", None)],
    "either": [("either", ".", None)],
    "base64": [("base64", ".", None)],
    "log": [("log", ".", None)],
    "nix": [("nix", ".", "fs,socket,ioctl,signal,process,mman,term,user")],
    "num-bigint": [("num-bigint", ".", None)],
    "once_cell": [("once_cell", ".", None)],
    "lru": [("lru", ".", None)],
    "digest": [("digest", ".", None)],
    "sha2": [("sha2", ".", None)],
    "quick-xml": [("quick-xml", ".", None)],
    "heapless": [("heapless", ".", None)],
    "ordered-float": [("ordered-float", ".", None)],
    "serde_with": [("serde_with", ".", None)],
    "flate2": [("flate2", ".", None)],
    "miniz_oxide": [("miniz_oxide", ".", None)],
    "h2": [("h2", ".", None)],
    "bumpalo": [("bumpalo", ".", None)],
    "pulldown-cmark": [("pulldown-cmark", ".", None)],
    "async-channel": [("async-channel", ".", None)],
    "proptest": [("proptest", ".", None)],
    "rustix": [("rustix", ".", "all-apis")],
    "minijinja": [("minijinja", ".", None)],
    "ndarray": [("ndarray", ".", None)],
    "glam": [("glam", ".", None)],
    "miette-repo": [("miette", "miette", None)],
    # Held out: added after the fixes above, scored as first seen.
    "dashmap": [("dashmap", ".", None)],
    "bitvec": [("bitvec", ".", None)],
    "rust_decimal": [("rust_decimal", ".", None)],
    "fastrand": [("fastrand", ".", None)],
    "unicode-segmentation": [("unicode-segmentation", ".", None)],
}
# Workspaces laid out as their repositories are (members wired by [patch.crates-io]): items of
# the package are renamed (dependents inside the package), then the rename is carried through
# every error that names the item until the libs of every member compile (default features;
# `users_in_other_members`): the errors of the other members on the way are their dependents,
# with the uses a `#[deprecated]` mark on the item warns about in them.
ACROSS_MEMBERS = {
    "axum-repo": [("axum-core", "axum-core", None)],
    "serde-repo": [("serde_core", "serde_core", None)],
    "futures-repo": [("futures-core", "futures-core", None), ("futures-io", "futures-io", None)],
    "tokio-repo": [("tokio-stream", "tokio-stream", None)],
    "rayon-repo": [("rayon-core", "rayon-core", None)],
    "crossbeam-repo": [("crossbeam-utils", "crossbeam-utils", None)],
    "rand-repo": [("rand_core", "rand_core", None)],
    "clap-repo": [("clap_lex", "clap_lex", None)],
    "tracing-repo": [("tracing-core", "tracing-core", None)],
    "url-repo": [("percent-encoding", "percent-encoding", None),
                 ("form_urlencoded", "form_urlencoded", None)],
    "parking_lot-repo": [("lock_api", "lock_api", None),
                         ("parking_lot_core", "parking_lot_core", None)],
    "tower-repo": [("tower-layer", "tower-layer", None), ("tower-service", "tower-service", None)],
    "toml-repo": [("toml_datetime", "toml_datetime", None), ("toml_parser", "toml_parser", None)],
    "time-repo": [("time-core", "time-core", None)],
}
KINDS = {"fn", "struct", "enum", "union", "trait", "const", "static", "type_alias", "method"}
KEYWORD = {"fn": "fn", "struct": "struct", "enum": "enum", "union": "union", "trait": "trait",
           "const": "const", "static": "static", "type_alias": "type", "method": "fn"}
DEPENDENCY_EDGES = {"calls", "uses", "implements", "inherits"}
# How many missed and extra dependents to print per item ($ORACLE_SHOW, default 4).
SHOW = int(os.environ.get("ORACLE_SHOW", "4"))




def read(path: Path) -> str:
    """The file's text with its line endings as they are (`\r\n` kept), so that writing it
    back restores the file byte for byte."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path: Path, text: str):
    """Writes `text` as it is (no line-ending translation)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def export(ws: Path, package: str, features):
    if not our_binary().exists():
        sys.exit("build cargo-parseltongue first (cargo build --release)")
    cmd = [str(our_binary()), "parseltongue", "export", "--manifest-path", str(ws / "Cargo.toml"),
           "--workspace", "--format", "json", "-q"]
    # A configuration flag makes the export see what cargo check compiles: host cfg,
    # default features plus `features`, no `test`.
    cmd += ["--features", features or "default"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"export failed: {res.stderr}")
    return json.loads(res.stdout)


class Graph:
    def __init__(self, data, package, members=False):
        """The lib target's items of `package` (of every member when `members`); renamed
        items are picked among `package`'s."""
        self.crates = data["crates"]
        self.package = package
        lib = {i for i, c in enumerate(self.crates)
               if (members or c["package"] == package) and c["target_kind"] == "lib"}
        self.own = {i for i in lib if self.crates[i]["package"] == package}
        self.nodes = [n for n in data["nodes"] if n.get("krate") in lib and n.get("span")]
        self.by_id = {n["id"]: n for n in self.nodes}
        self.by_file = {}
        for n in self.nodes:
            self.by_file.setdefault(n["span"]["file"], []).append(n)
        self.incoming = {}
        # The same at the confidence answers walk by default (medium and high).
        self.incoming_sure = {}
        for e in data["edges"]:
            if e["kind"] in DEPENDENCY_EDGES and e["from"] in self.by_id:
                self.incoming.setdefault(e["to"], set()).add(e["from"])
                if e.get("confidence") != "low":
                    self.incoming_sure.setdefault(e["to"], set()).add(e["from"])
        # The module whose top level a file holds: the parent of its items that is not
        # itself written in that file (or the crate root).
        self.file_module = {}
        for n in self.nodes:
            parent = self.by_id.get(n.get("parent"))
            if parent and parent["kind"] == "module":
                f = n["span"]["file"]
                if parent["span"]["file"] != f or parent.get("parent") is None:
                    self.file_module.setdefault(f, parent["id"])
        # A file holding no item nodes (only `use`s, say) gets its module from the `mod x;`
        # that declares it, at the file the usual layout gives.
        files = {f["path"] for f in data.get("files", [])}
        for n in self.nodes:
            s = n["span"]
            if n["kind"] != "module" or n.get("parent") is None or s["line"] != s["end_line"]:
                continue
            decl = Path(s["file"])
            base = decl.parent if decl.name in ("lib.rs", "main.rs", "mod.rs") \
                else decl.parent / decl.stem
            for f in (base / f"{n['name']}.rs", base / n["name"] / "mod.rs"):
                if str(f) in files:
                    self.file_module.setdefault(str(f), n["id"])
                    break

    def enclosing(self, file, line, end_line=None):
        """The innermost items whose span holds `line` of `file` (several when a macro call
        generated them all at one site), else the file's module. With `end_line` (a macro
        call's span, where rustc reports errors from tokens a macro definition wrote) also
        every item spanned inside lines `line..=end_line`: nested calls in the call's
        tokens give their items narrower spans than the call's."""
        inner = set()
        if end_line is not None:
            inner = {n["id"] for n in self.by_file.get(file, [])
                     if n["kind"] != "module" and line <= n["span"]["line"]
                     and n["span"]["end_line"] <= end_line}
        best, ids = None, set()
        for n in self.by_file.get(file, []):
            s = n["span"]
            if n["kind"] == "module" and n.get("parent") is not None and s["line"] == s["end_line"]:
                continue  # `mod x;`: its items are elsewhere
            if s["line"] <= line <= s["end_line"]:
                size = s["end_line"] - s["line"]
                if best is None or size < best:
                    best, ids = size, {n["id"]}
                elif size == best:
                    ids.add(n["id"])
        ids |= inner
        if ids:
            return frozenset(ids)
        m = self.file_module.get(file)
        return frozenset([m]) if m else None

    def in_function_body(self, n):
        """Whether `n` is declared inside a function's or method's body (some ancestor is
        one)."""
        parent = self.by_id.get(n.get("parent"))
        while parent is not None:
            if parent["kind"] in ("fn", "method"):
                return True
            parent = self.by_id.get(parent.get("parent"))
        return False

    def candidates(self):
        out = []
        for n in self.nodes:
            if n["kind"] not in KINDS or n.get("generated_by") or "#" in n["path"]:
                continue
            if n.get("krate") not in self.own:
                continue
            # Items declared in a function's body: no path outside the body names them.
            if self.in_function_body(n):
                continue
            if n["kind"] == "method":
                parent = self.by_id.get(n.get("parent"))
                if not parent or parent["kind"] != "impl" or " for " in parent["name"]:
                    continue
            out.append(n)
        out.sort(key=lambda n: n["id"])
        return out


def edit_at_definition(path: Path, node, edit):
    """Finds the line of `path` within the item's span that holds `KEYWORD name` and lets
    `edit(lines, index, match)` change `lines` there; writes the file and returns the
    original text, or None when no such line exists."""
    text = read(path)
    lines = text.split("\n")
    s = node["span"]
    pattern = re.compile(r"\b%s\s+%s\b" % (KEYWORD[node["kind"]], re.escape(node["name"])))
    for i in range(s["line"] - 1, min(s["end_line"], len(lines))):
        m = pattern.search(lines[i])
        if m:
            edit(lines, i, m)
            write(path, "\n".join(lines))
            return text
    return None


def rename_at_definition(path: Path, node):
    """Renames the item's identifier at its definition; returns the original text."""
    def rename(lines, i, m):
        start = m.end() - len(node["name"])
        lines[i] = lines[i][:start] + node["name"] + "_renamed_by_oracle" + lines[i][m.end():]
    return edit_at_definition(path, node, rename)


def remove_definition(path: Path, node, graph):
    """Deletes the item's lines (its span, with the attribute and `///` lines right above
    it); returns the original text, the first deleted line (1-based) and how many were
    deleted, or None when another item shares one of those lines (`pub struct A; pub
    struct B;`, `impl X { fn a() {} }`) or an attribute above it spans several lines."""
    s = node["span"]
    a, b = s["line"], s["end_line"]
    for other in graph.by_file.get(s["file"], []):
        o = other["span"]
        if other is node or o["end_line"] < a or o["line"] > b:
            continue
        if other["kind"] == "module" and other.get("parent") is None:
            continue  # the crate root spans its file
        encloses = o["line"] < a and b < o["end_line"]
        inside = a <= o["line"] and o["end_line"] <= b and (o["line"], o["end_line"]) != (a, b)
        if not (encloses or inside):
            return None
    text = read(path)
    lines = text.split("\n")
    start = a - 1
    while start > 0:
        # Plain `//` comments between the item and its doc comment or attributes
        # (bumpalo's `// #[unstable(…)]` under the `Alloc` trait's docs) go with them: a
        # doc comment left above nothing does not parse.
        comments = 0
        while start - comments > 0:
            line = lines[start - comments - 1].strip()
            if not (line.startswith("//") and not line.startswith(("///", "//!"))):
                break
            comments += 1
        above = lines[start - comments - 1].strip() if start - comments > 0 else ""
        # An attribute with a comment after it (mio's `#[cfg_attr(…, doc = "```ignore")]
        # // Miri doesn't support UDP sockets.`) is an attribute line.
        if above.startswith("#[") and "] //" in above:
            above = above[:above.rindex("] //") + 1]
        if above.startswith("#[") and above.endswith("]") or above.startswith("///"):
            start -= comments + 1
        elif above.endswith(("]", ")", ",")) and not above.startswith("//"):
            return None  # the end of a multi-line attribute (or of another item)
        else:
            break
    end = b
    # The only item of an item macro's braces (`pin_project! { struct Fuse … }`, nix's
    # `feature! { … fn ttyname … }`): the call goes too, as a user removing the item would
    # remove it, not leave an empty call behind.
    up = start
    while up > 0 and not lines[up - 1].strip():
        up -= 1
    down = end
    while down < len(lines) and not lines[down].strip():
        down += 1
    if (up > 0 and down < len(lines)
            and re.fullmatch(r"\s*(pub\s+)?[\w:]+!\s*\{\s*", lines[up - 1])
            and re.fullmatch(r"\s*\}\s*;?\s*", lines[down])):
        start, end = up - 1, down + 1
    del lines[start:end]
    write(path, "\n".join(lines))
    return text, start + 1, end - start


def outermost(span):
    while span.get("expansion"):
        span = span["expansion"]["span"]
    return span


def check(pkg_dir: Path, features, target_dir: Path, workspace=False):
    """`cargo check --lib` of the package in `pkg_dir`, or of every member's lib (going on
    past a member that fails). The `deprecated` lint is forced on (serde allows it
    crate-wide) in both, so switching between them rebuilds nothing."""
    cmd = ["cargo", "check", "--lib", "--message-format", "json", "-q"]
    if workspace:
        cmd += ["--workspace", "--keep-going"]
    elif features:
        cmd += ["--features", features]
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir),
               RUSTFLAGS="--force-warn deprecated")
    return subprocess.run(cmd, cwd=pkg_dir, env=env, capture_output=True, text=True)


def compiler_dependents(pkg_dir: Path, ws: Path, graph: Graph, features, target_dir: Path,
                        name=None, direct=None):
    """Items with an error after the rename. rustc reports unresolved imports and stops
    before the uses they would have caused, so each failing import of `name` (its module
    being a dependent) is made an underscore import of the new name and the check re-run,
    until no import fails: the uses of the name it imported are then reported too."""
    found = set()
    edited = {}
    try:
        for _ in range(8):
            res = check(pkg_dir, features, target_dir)
            fixes = errors_to_items(res.stdout, ws, graph, found, name, direct)
            if not fixes:
                break
            for (path, line, col_start, col_end) in fixes:
                edited.setdefault(path, read(path))
                alias_import(path, line, col_start, col_end, name)
    finally:
        for path, text in edited.items():
            write(path, text)
    return found, res.returncode


def deprecate_at_definition(path: Path, node):
    """Puts `#[deprecated]` before the item's definition line; returns the original text."""
    def deprecate(lines, i, _):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines.insert(i, indent + "#[deprecated]")
    return edit_at_definition(path, node, deprecate)


DEPRECATED_USE = re.compile(r"use of deprecated [\w ]+ `([^`]+)`")


def last_segment(path: str) -> str:
    """The last segment of a path as rustc prints it, generic arguments left out anywhere
    (`clap_lex::ParsedArg::<'s>::is_long` → `is_long`, `Vec<T>` → `Vec`)."""
    depth, plain = 0, []
    for ch in path:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth:
            plain.append(ch)
    return "".join(plain).rstrip(":").split("::")[-1]


def compiler_messages(stdout, ws: Path):
    """(message, primary span at its outermost macro call site, file relative to `ws`) of
    every compiler message cargo printed, for spans inside `ws`. The span's `written` is
    the primary span itself (inside a macro definition for errors in an expansion)."""
    for line in stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        for span in msg["message"]["spans"]:
            if not span["is_primary"]:
                continue
            expanded = bool(span.get("expansion"))
            span = dict(outermost(span), expanded=expanded, written=span)
            # Cargo runs rustc from the workspace root for members.
            f = Path(span["file_name"])
            f = f if f.is_absolute() else ws / f
            try:
                rel = f.resolve().relative_to(ws.resolve()).as_posix()
            except ValueError:
                continue
            yield msg["message"], span, rel


def users_in_other_members(ws: Path, graph, package_dir: str, target_dir: Path, name: str,
                           direct: set):
    """Items of other members that break under the rename (the definition is renamed when
    called): `cargo check --workspace --lib --keep-going`, and at every error whose span
    names `name` the new name is written instead — the defining package's uses, imports,
    re-exports, then the uses those reached — until the libs compile or no error names it
    (at most 12 rounds). An error in any member in any round makes its item a dependent,
    cascades included (an impl's `Self::Value` fails with its trait), as for the package
    itself; those outside inference cascades are added to `direct` too. The package's own
    errors count here as well: unified with the other members' features, more of it compiles
    than when checked alone. Edits are undone before returning."""
    renamed = name + "_renamed_by_oracle"
    ident = re.compile(r"\b%s\b" % re.escape(name))
    edited = {}
    found = set()
    code = 0
    try:
        for _ in range(12):
            res = check(ws, None, target_dir, workspace=True)
            code = res.returncode
            fixes = {}
            for message, span, rel in compiler_messages(res.stdout, ws):
                if message["level"] != "error":
                    continue
                # The package's own errors count too: with the features other members turn
                # on (toml turns on toml_datetime's `serde`), more of it compiles than when
                # it is checked alone, as in the configured export.
                node = graph.enclosing(rel, span["line_start"],
                                       span["line_end"] if span["expanded"] else None)
                if node:
                    found.add(node)
                    if (message.get("code") or {}).get("code") not in CASCADE:
                        direct.add(node)
                # Where the name is written: in a macro's definition for an expansion.
                written = span["written"]
                f = Path(written["file_name"])
                f = f if f.is_absolute() else ws / f
                if written["line_start"] == written["line_end"] and f.resolve().is_relative_to(
                        ws.resolve()):
                    fixes.setdefault(f, set()).add(
                        (written["line_start"], written["column_start"], written["column_end"]))
            changed = False
            for path, sites in fixes.items():
                text = read(path)
                edited.setdefault(path, text)
                lines = text.split("\n")
                # Right to left, so earlier columns of a line stay valid.
                for line, start, end in sorted(sites, reverse=True):
                    t = lines[line - 1]
                    seg = ident.sub(renamed, t[start - 1:end - 1])
                    if seg != t[start - 1:end - 1]:
                        lines[line - 1] = t[:start - 1] + seg + t[end - 1:]
                        changed = True
                write(path, "\n".join(lines))
            if code == 0 or not changed:
                break
    finally:
        for path, text in edited.items():
            write(path, text)
    return found, code


def deprecated_uses_in_other_members(ws: Path, graph, package_dir: str, target_dir: Path,
                                     name=None):
    """Items of other members with a `deprecated` warning naming the item `name` itself
    (not one of its associated items, which inherit the deprecation but would not break
    under a rename): `cargo check --workspace --lib`. The item must be marked deprecated
    (`deprecate_at_definition`). Unlike carrying a rename through, this reaches the uses in
    other members that a macro of the item's own package writes (axum's
    `define_rejection!` impls of axum-core's `IntoResponse`): a rename carried through
    fixes the macro's definition before those members are compiled."""
    res = check(ws, None, target_dir, workspace=True)
    found = set()
    for message, span, rel in compiler_messages(res.stdout, ws):
        if (message.get("code") or {}).get("code") != "deprecated":
            continue
        named = DEPRECATED_USE.search(message["message"])
        if name and (not named or last_segment(named.group(1)) != name):
            continue
        if rel.startswith(package_dir + "/"):
            continue
        node = graph.enclosing(rel, span["line_start"])
        if node:
            found.add(node)
    return found, res.returncode


def deprecated_uses(pkg_dir: Path, ws: Path, graph, features, target_dir: Path, name: str,
                    marked: Path, original: str):
    """Items of the package with a `deprecated` warning naming the item `name` itself: for
    a method whose callers still compile after a rename because they fall back to a method of
    the same name elsewhere (smallvec's `SmallVec::as_mut_ptr` shadows the slice's, reached
    through `Deref`), those callers are its uses all the same. The item must be marked
    deprecated (`deprecate_at_definition`) in file `marked`, whose text was `original`: the
    lines after the mark are one further down than the graph has them."""
    res = check(pkg_dir, features, target_dir)
    now, before = read(marked).splitlines(), original.splitlines()
    mark = next((i + 1 for i, (a, b) in enumerate(zip(now, before)) if a != b), len(before) + 1)
    marked_rel = marked.resolve().relative_to(ws.resolve()).as_posix()
    found = set()
    for message, span, rel in compiler_messages(res.stdout, ws):
        if (message.get("code") or {}).get("code") != "deprecated":
            continue
        named = DEPRECATED_USE.search(message["message"])
        if not named or last_segment(named.group(1)) != name:
            continue
        line = span["line_start"]
        if rel == marked_rel and line > mark:
            line -= 1
        node = graph.enclosing(rel, line)
        if node:
            found.add(node)
    return found


def git(ws: Path, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="oracle", GIT_AUTHOR_EMAIL="oracle@localhost",
               GIT_COMMITTER_NAME="oracle", GIT_COMMITTER_EMAIL="oracle@localhost")
    return subprocess.run(["git", *args], cwd=ws, env=env, capture_output=True, text=True)


def commit_scratch(ws: Path):
    """Makes the scratch copy a git repository with everything committed (once)."""
    if (ws / ".git").exists():
        return
    write(ws / ".gitignore", "target/\n")
    git(ws, "init", "-q")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "base")


def change_set_radius(ws: Path, graph, name, removed=None):
    """`blast-radius --since HEAD --max 0` on the scratch copy as it stands (one item
    renamed, or removed: `removed` is then the file, first line and count of the deleted
    lines, which moves the later lines of that file up): the changed entities, the depth-1
    affected items as graph ids (lib targets of the graph's packages), and the exit code."""
    cmd = [str(our_binary()), "parseltongue", "blast-radius", "--since", "HEAD", "--workspace",
           "--max", "0", "--format", "json", "-q", "--manifest-path", str(ws / "Cargo.toml")]
    res = subprocess.run(cmd, cwd=ws, capture_output=True, text=True)
    if res.returncode not in (0, 100):
        # Neither passed nor tripped: say why (the tool's own error line).
        why = [l for l in res.stderr.splitlines() if l.strip()][-3:]
        print(f"      blast-radius --since exited {res.returncode}: {' | '.join(why)}")
    try:
        v = json.loads(res.stdout)
    except json.JSONDecodeError:
        return [], set(), res.returncode
    # Several items can share a path (`Bytes::from` of each `impl From<…> for Bytes`): a
    # row names its item by path, kind, file and line (a rename moves no line). Items a
    # macro call generates share even their place (ordered-float's `impl_ordered_float_pow!`
    # writes four `pow` on one line): the rows of one place take its items in turn.
    # An item named after a self type the rename made unresolved has another path now
    # (bytes' `from` of `impl From<Bytes> for BytesMut`): it is found by kind and place.
    by_path = {}
    by_place = {}
    by_line = {}
    for n in graph.nodes:
        by_path.setdefault((n["path"], n["kind"]), n["id"])
        span = n.get("span") or {}
        place = (n["path"], n["kind"], span.get("file"), span.get("line"))
        by_place.setdefault(place, []).append(n["id"])
        by_line.setdefault((n["kind"], span.get("file"), span.get("line")), []).append(n["id"])
    taken = {}
    direct = set()
    for a in v.get("affected", []):
        if a["depth"] != 1:
            continue
        # Items inside the renamed one are named after its new name now.
        node = a["node"]
        path = node["path"].replace(name + "_renamed_by_oracle", name)
        line = node.get("line")
        if removed and node.get("file") == removed[0] and line and line >= removed[1]:
            line += removed[2]
        place = (path, node["kind"], node.get("file"), line)
        key = (path, node["kind"])
        if place in by_place:
            items = by_place[place]
            turn = taken.get(place, 0)
            taken[place] = turn + 1
            direct.add(items[min(turn, len(items) - 1)])
        elif key in by_path:
            direct.add(by_path[key])
        elif len(by_line.get(place[1:], [])) == 1:
            direct.add(by_line[place[1:]][0])
    changed = [(c["change"], c["path"]) for c in v.get("changed", [])]
    return changed, direct, res.returncode


def alias_import(path: Path, line: int, col_start: int, col_end: int, name: str):
    """Points a failing import at the new name as an underscore import
    (`use a::X_renamed as _;`): it still resolves (a trait stays in scope for its methods),
    but binds no name, so every use of the name it brought in is reported."""
    lines = read(path).split("\n")
    text = lines[line - 1]
    head, seg, tail = text[:col_start - 1], text[col_start - 1:col_end - 1], text[col_end - 1:]
    if not seg.endswith(name):
        return
    renamed = seg[: -len(name)] + name + "_renamed_by_oracle"
    tail = re.sub(r"^\s+as\s+\w+", "", tail)
    lines[line - 1] = head + renamed + " as _" + tail
    write(path, "\n".join(lines))


# rustc's inference cascades: errors in items that need not name the renamed item, reported
# because an expression's type became unknown (type annotations needed, mismatched types,
# several applicable items, a type that cannot be dereferenced: slab's `Entry::Vacant(n) =>
# *n = next` once `Builder`'s field `slab: Slab<T>` is unknown), or because an impl for the
# renamed type is now an impl for an unknown type that overlaps others (conflicting
# implementations, E0119: winnow's `impl Offset for &'a Bytes` against the impls for `&[T]`
# and `&str`), or whose other impls' methods now collide with its own (duplicate
# definitions, E0592: ndarray's `dot` of `impl ArrayBase<S, Ix2>` once `Ix2` is unknown), or
# because a trait obligation lost the impl that met it (trait bound not satisfied, E0277:
# once ndarray's `Ix2` is renamed, the `impl DimMax<Ix3> for Ix2` its macros write are gone
# and every item needing `Dim<[usize; 2]>: Dimension` fails without naming `Ix2`).
CASCADE = {"E0282", "E0283", "E0284", "E0308", "E0034", "E0614", "E0119", "E0592", "E0277"}


def errors_to_items(stdout, ws: Path, graph: Graph, found: set, name, direct=None):
    """Adds the items enclosing error spans to `found` (and to `direct` unless the error is
    an inference cascade); returns the unresolved imports of `name` to alias as (file,
    line, first column, end column)."""
    fixes = []
    for message, span, rel in compiler_messages(stdout, ws):
        if message["level"] != "error":
            continue
        code = (message.get("code") or {}).get("code")
        node = graph.enclosing(rel, span["line_start"],
                               span["line_end"] if span["expanded"] else None)
        if node:
            found.add(node)
            if direct is not None and code not in CASCADE:
                direct.add(node)
        if code == "E0432" and name and span["line_start"] == span["line_end"]:
            fixes.append((ws / rel, span["line_start"], span["column_start"],
                          span["column_end"]))
    return fixes


def main(argv):
    items = 20
    seed = 7
    names = []
    remove = False
    it = iter(argv)
    for a in it:
        if a == "--remove":
            remove = True
        elif a == "--items":
            items = int(next(it))
        elif a == "--seed":
            seed = int(next(it))
        else:
            names.append(a)
    names = names or list(PACKAGES) + list(ACROSS_MEMBERS)
    grand = [0, 0, 0, 0]  # true positives, ours, compiler's, items checked
    grand_default = [0, 0]  # the same at the default confidence: true positives, ours
    # blast-radius --since HEAD on each rename: hits, ours, compiler's, renames reported as
    # one renamed entity, gates tripped where the compiler rejects something, such items.
    since = [0, 0, 0, 0, 0, 0]
    # The same for each item removed instead (--remove): hits, ours, compiler's, removals
    # reported as one removed entity, gates tripped, such items, items removed.
    gone = [0, 0, 0, 0, 0, 0, 0]
    for name in names:
        src = CORPUS / "ws" / name
        ws = CORPUS / "oracle" / name
        if not ws.exists():
            shutil.copytree(src, ws, ignore=shutil.ignore_patterns("target"), symlinks=True)
        commit_scratch(ws)
        across = name in ACROSS_MEMBERS
        for package, rel_dir, features in (ACROSS_MEMBERS if across else PACKAGES)[name]:
            pkg_dir = ws / rel_dir
            target_dir = CORPUS / "oracle-target" / name
            graph = Graph(export(ws, package, features), package, members=across)
            if across:
                if check(ws, None, target_dir, workspace=True).returncode != 0:
                    sys.exit(f"{name} does not build unchanged")
            _, code = compiler_dependents(pkg_dir, ws, graph, features, target_dir)
            if code != 0:
                sys.exit(f"{name}/{package} does not build unchanged")
            pool = graph.candidates()
            chosen = random.Random(seed).sample(pool, min(items, len(pool)))
            tp = n_ours = n_theirs = checked = 0
            # Hits and sites without inference-cascade-only sites, and the hits at the
            # default confidence.
            cascade = [0, 0, 0]
            at_default = [0, 0]  # hits and ours at the default confidence
            # Within the package only, as well as over every member.
            own = [0, 0, 0]
            print(f"== {name} / {package}: {len(pool)} candidates, {len(chosen)} picked")
            for node in chosen:
                path = ws / node["span"]["file"]
                original = rename_at_definition(path, node)
                if original is None:
                    print(f"  skip {node['path']}: no `{KEYWORD[node['kind']]} {node['name']}` "
                          f"at {node['span']['file']}:{node['span']['line']}")
                    continue
                try:
                    changed, radius, code = change_set_radius(ws, graph, node["name"])
                    direct = set()
                    theirs, _ = compiler_dependents(pkg_dir, ws, graph, features, target_dir,
                                                    node["name"], direct)
                    if across:
                        others, _ = users_in_other_members(
                            ws, graph, rel_dir, target_dir, node["name"], direct)
                        theirs |= others
                finally:
                    write(path, original)
                if across and deprecate_at_definition(path, node) is not None:
                    try:
                        named, _ = deprecated_uses_in_other_members(
                            ws, graph, rel_dir, target_dir, node["name"])
                        theirs |= named
                        direct |= named
                    finally:
                        write(path, original)
                # A method: callers may fall back to another method of its name once it is
                # renamed (a `Deref` target's; in petgraph's `impl IntoEdgesDirected for
                # &StableGraph`, `self.edges_directed(…)` calls the inherent method, and the
                # trait's own after a rename), whether or not other uses fail; a const: a
                # pattern naming it is a binding once it is renamed (once_cell's
                # `(COMPLETE, _) => return`). `#[deprecated]` names those uses.
                rebinds = node["kind"] in ("const", "method")
                if (not across and rebinds
                        and deprecate_at_definition(path, node) is not None):
                    theirs_before = set(theirs)
                    try:
                        fallback = deprecated_uses(pkg_dir, ws, graph, features, target_dir,
                                                   node["name"], path, original)
                        theirs |= fallback
                        direct |= fallback
                    finally:
                        write(path, original)
                    if fallback - theirs_before:
                        print(f"      {len(fallback - theirs_before)} uses the rename left "
                              f"compiling, from #[deprecated]")
                # Each error site is a set of candidate items (one unless a macro generated
                # several at that site); ours matches a site when it holds any of them.
                theirs = {site for site in theirs if node["id"] not in site}
                # The item removed instead: the same sites break (a removal leaves no name
                # for a use to fall back from either), and blast-radius --since must find
                # them from the base revision's references.
                deleted = remove_definition(path, node, graph) if remove else None
                removal = None
                if deleted is not None:
                    try:
                        removal = change_set_radius(
                            ws, graph, node["name"],
                            (node["span"]["file"], deleted[1], deleted[2]))
                    finally:
                        write(path, deleted[0])
                # A derived impl is left out of ours (below); so is an error rustc reports
                # there (arrayvec's `#[derive(Copy)]` on `ArrayString`, whose written `impl
                # Clone` broke).
                derived = lambda i: graph.by_id[i].get("flags", {}).get("derived")
                theirs = {site for site in theirs if not all(derived(i) for i in site)}
                # A derived impl is part of the item's definition (its attribute moves with
                # the rename), so the compiler has nothing to report there.
                ours = {i for i in graph.incoming.get(node["id"], set()) - {node["id"]}
                        if not graph.by_id[i].get("flags", {}).get("derived")}
                # The change-set radius of the rename, scored the same way.
                radius -= {node["id"]}
                since_hit = sum(1 for site in theirs if site & radius)
                since_extra = radius - (set().union(*theirs) if theirs else set())
                since[0] += since_hit
                since[1] += since_hit + len(since_extra)
                since[2] += len(theirs)
                since[3] += [c for c, _ in changed] == ["renamed"]
                if theirs:
                    since[4] += code == 100
                    since[5] += 1
                hit = sum(1 for site in theirs if site & ours)
                covered = set().union(*theirs) if theirs else set()
                extra = ours - covered
                missed = [site for site in theirs if not site & ours]
                # Ours at the default confidence (low guesses left out).
                sure = {i for i in graph.incoming_sure.get(node["id"], set()) - {node["id"]}
                        if not graph.by_id[i].get("flags", {}).get("derived")}
                sure_hit = sum(1 for site in theirs if site & sure)
                at_default[0] += sure_hit
                at_default[1] += sure_hit + len(sure - covered)
                # The same without the sites only inference cascades reported.
                named = [site for site in theirs if site in direct]
                cascade[0] += sum(1 for site in named if site & ours)
                cascade[1] += len(named)
                cascade[2] += sum(1 for site in named if site & sure)
                tp += hit
                n_ours += hit + len(extra)
                n_theirs += len(theirs)
                checked += 1
                crate = package.replace("-", "_")
                inside = lambda i: graph.by_id[i]["path"].startswith(crate + "::")
                own_theirs = [site for site in theirs if any(inside(i) for i in site)]
                own_hit = sum(1 for site in own_theirs if site & ours)
                own[0] += own_hit
                own[1] += own_hit + sum(1 for i in extra if inside(i))
                own[2] += len(own_theirs)
                show = lambda ids: sorted(graph.by_id[i]["path"] for i in ids)
                status = "ok" if not extra and not missed else "differs"
                print(f"  {node['kind']:<10} {node['path']}: compiler {len(theirs)}, ours {len(ours)}, "
                      f"matched {hit} {status}")
                for p in sorted(" | ".join(show(site)) for site in missed)[:SHOW]:
                    print(f"      missed {p}")
                for p in show(extra)[:SHOW]:
                    print(f"      extra  {p}")
                if across:
                    for p in show({i for i in extra if inside(i)})[:4]:
                        print(f"      extra within {package}: {p}")
                if theirs and code != 100:
                    print(f"      --max 0 did not trip (exit {code})")
                if [c for c, _ in changed] != ["renamed"]:
                    print(f"      --since reported {changed[:3]}")
                if removal is not None:
                    gone_changed, gone_radius, gone_code = removal
                    gone_radius -= {node["id"]}
                    # Items inside the removed one (a trait's default methods naming the
                    # trait) are gone with it.
                    within = lambda i: graph.by_id[i]["span"]["file"] == node["span"]["file"] \
                        and node["span"]["line"] <= graph.by_id[i]["span"]["line"] \
                        and graph.by_id[i]["span"]["end_line"] <= node["span"]["end_line"]
                    left = {site for site in theirs if not all(within(i) for i in site)}
                    gone_hit = sum(1 for site in left if site & gone_radius)
                    gone_extra = gone_radius - covered
                    gone[0] += gone_hit
                    gone[1] += gone_hit + len(gone_extra)
                    gone[2] += len(left)
                    gone[3] += [c for c, _ in gone_changed] == ["removed"]
                    if left:
                        gone[4] += gone_code == 100
                        gone[5] += 1
                    gone[6] += 1
                    if [c for c, _ in gone_changed] != ["removed"]:
                        print(f"      removal reported {gone_changed[:3]}")
                    for p in sorted(" | ".join(show(site)) for site in left
                                    if not site & gone_radius)[:3]:
                        print(f"      removal missed {p}")
                    for p in show(gone_extra)[:3]:
                        print(f"      removal extra  {p}")
                    if left and gone_code != 100:
                        print(f"      removal: --max 0 did not trip (exit {gone_code})")
                elif remove:
                    print("      not removed: another item shares its lines")
                since_missed = [site for site in theirs if not site & radius]
                for p in sorted(" | ".join(show(site)) for site in since_missed)[:3]:
                    print(f"      --since missed {p}")
                for p in show(since_extra)[:3]:
                    print(f"      --since extra  {p}")
            p = ratio(tp, n_ours)
            r = ratio(tp, n_theirs)
            print(f"  total: {checked} items, {n_theirs} true dependents, {n_ours} ours, "
                  f"precision {p:.3f}, recall {r:.3f}")
            print(f"  at the default confidence (low guesses left out): precision "
                  f"{ratio(at_default[0], at_default[1]):.3f}, recall "
                  f"{ratio(at_default[0], n_theirs):.3f}")
            grand_default[0] += at_default[0]
            grand_default[1] += at_default[1]
            print(f"  leaving out {n_theirs - cascade[1]} sites only inference cascades "
                  f"({', '.join(sorted(CASCADE))}) reported: recall "
                  f"{ratio(cascade[0], cascade[1]):.3f} ({ratio(cascade[2], cascade[1]):.3f} at "
                  f"the default confidence)")
            if across:
                print(f"  within {package}: {own[2]} true dependents, precision "
                      f"{ratio(own[0], own[1]):.3f}, recall {ratio(own[0], own[2]):.3f}")
            grand[0] += tp
            grand[1] += n_ours
            grand[2] += n_theirs
            grand[3] += checked
    p = ratio(grand[0], grand[1])
    r = ratio(grand[0], grand[2])
    f_one = f1(p, r)
    print(f"all: {grand[3]} items, {grand[2]} true dependents, precision {p:.3f}, "
          f"recall {r:.3f}, F1 {f_one:.3f}")
    print(f"at the default confidence (low guesses left out): precision "
          f"{ratio(grand_default[0], grand_default[1]):.3f}, recall "
          f"{ratio(grand_default[0], grand[2]):.3f}")
    p = ratio(since[0], since[1])
    r = ratio(since[0], since[2])
    print(f"blast-radius --since HEAD of each rename: precision {p:.3f}, recall {r:.3f}; "
          f"reported as one renamed entity: {since[3]}/{grand[3]}; --max 0 tripped: "
          f"{since[4]}/{since[5]} renames the compiler rejects code for")
    if remove:
        print(f"blast-radius --since HEAD of each removal ({gone[6]} items removed): precision "
              f"{ratio(gone[0], gone[1]):.3f}, recall {ratio(gone[0], gone[2]):.3f}; reported "
              f"as one removed entity: {gone[3]}/{gone[6]}; --max 0 tripped: "
              f"{gone[4]}/{gone[5]} removals the compiler rejects code for")


if __name__ == "__main__":
    main(sys.argv[1:])

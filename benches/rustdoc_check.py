#!/usr/bin/env python3
"""Compares `cargo parseltongue what-implements` with the impls rustdoc's JSON output lists.

Run benches/corpus.sh first (it vendors the crates under target/corpus/ws/). For each
workspace and documented package, this script runs

    RUSTC_BOOTSTRAP=1 cargo rustdoc -p PKG --lib [--features F] -- \
        -Z unstable-options --output-format json --document-private-items

picks the five traits defined in the package with the most impls rustdoc knows (every one
with --all-traits), asks cargo-parseltongue for their impls in the configuration rustdoc
documents (`--cfg doc` and the same features; --all-variants asks for every cfg variant
instead), and prints precision / recall per trait and per package.
An impl is identified by (file, line of its span start); rustdoc points derived and
macro-generated impls at the macro call site.

With --defaults it checks the exception store instead: for every impl of a trait defined
in the package (both sides local, written in the lib target), the trait's provided items
(a method with a body, an associated const or type with a default) split into those the
impl defines itself (overridden) and those it keeps (inherited), as rustdoc's JSON has them
(the impl's own items vs the trait's items), against `cargo parseltongue exceptions`'s
`impls` lists. Precision / recall / F1 over (impl file, impl line, item, overridden|inherited).

Usage: python3 benches/rustdoc_check.py [--all-traits] [--all-variants] [WORKSPACE ...]
       python3 benches/rustdoc_check.py --defaults [WORKSPACE ...]
       (default: every workspace corpus.sh vendors)
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from scores import f1, our_binary, ratio

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "target" / "corpus"
DOC_TARGET = CORPUS / "rustdoc-target"
# workspace → [(package, crate name, cargo features)]
PACKAGES = {
    "tokio": [("tokio", "tokio", "full")],
    "hyper": [("hyper", "hyper", "full")],
    "regex-workspace": [
        ("regex", "regex", None),
        ("regex-syntax", "regex_syntax", None),
        ("regex-automata", "regex_automata", None),
    ],
    "num-traits": [("num-traits", "num_traits", None)],
    "futures-util": [("futures-util", "futures_util", None)],
    "syn": [("syn", "syn", "full,visit,visit-mut,fold,extra-traits")],
    "clap_builder": [("clap_builder", "clap_builder", None)],
    "bytes": [("bytes", "bytes", None)],
    "anyhow": [("anyhow", "anyhow", None)],
    "itertools": [("itertools", "itertools", None)],
    "hyper-util": [("hyper-util", "hyper_util", "full")],
    # Laid out as their repositories are: members wired by [patch.crates-io].
    "serde-repo": [
        ("serde", "serde", None),
        ("serde_core", "serde_core", None),
        ("serde_derive", "serde_derive", None),
        ("serde_derive_internals", "serde_derive_internals", None),
    ],
    "axum-repo": [("axum", "axum", None), ("axum-core", "axum_core", None)],
    "tokio-repo": [
        ("tokio", "tokio", "full"),
        ("tokio-util", "tokio_util", "full"),
        ("tokio-stream", "tokio_stream", "full"),
    ],
    "futures-repo": [
        ("futures", "futures", None),
        ("futures-util", "futures_util", None),
        ("futures-core", "futures_core", None),
        ("futures-io", "futures_io", None),
        ("futures-sink", "futures_sink", None),
        ("futures-task", "futures_task", None),
        ("futures-channel", "futures_channel", None),
        ("futures-executor", "futures_executor", None),
    ],
    "thiserror-repo": [("thiserror", "thiserror", None), ("thiserror-impl", "thiserror_impl", None)],
    "clap-repo": [
        ("clap", "clap", None),
        ("clap_builder", "clap_builder", None),
        ("clap_lex", "clap_lex", None),
    ],
    "rayon-repo": [("rayon", "rayon", None), ("rayon-core", "rayon_core", None)],
    "crossbeam-repo": [
        ("crossbeam-utils", "crossbeam_utils", None),
        ("crossbeam-channel", "crossbeam_channel", None),
        ("crossbeam-deque", "crossbeam_deque", None),
        ("crossbeam-epoch", "crossbeam_epoch", None),
        ("crossbeam-queue", "crossbeam_queue", None),
    ],
    "rand-repo": [
        ("rand", "rand", None),
        ("rand_core", "rand_core", None),
        ("rand_chacha", "rand_chacha", None),
    ],
    "winnow": [("winnow", "winnow", None)],
    "nom": [("nom", "nom", None)],
    "chrono": [("chrono", "chrono", None)],
    "tracing-repo": [
        ("tracing", "tracing", None),
        ("tracing-core", "tracing_core", None),
        ("tracing-subscriber", "tracing_subscriber", None),
        ("tracing-log", "tracing_log", None),
    ],
    "url-repo": [
        ("url", "url", None),
        ("form_urlencoded", "form_urlencoded", None),
        ("percent-encoding", "percent_encoding", None),
    ],
    "http": [("http", "http", None)],
    "indexmap": [("indexmap", "indexmap", None)],
    "parking_lot-repo": [
        ("parking_lot", "parking_lot", None),
        ("parking_lot_core", "parking_lot_core", None),
        ("lock_api", "lock_api", None),
    ],
    "tower-repo": [
        ("tower", "tower", "full"),
        ("tower-layer", "tower_layer", None),
        ("tower-service", "tower_service", None),
    ],
    "serde_json": [("serde_json", "serde_json", None)],
    "hashbrown": [("hashbrown", "hashbrown", None)],
    "memchr": [("memchr", "memchr", None)],
    "toml-repo": [
        ("toml", "toml", None),
        ("toml_edit", "toml_edit", None),
        ("toml_datetime", "toml_datetime", None),
        ("toml_parser", "toml_parser", None),
        ("serde_spanned", "serde_spanned", None),
    ],
    "time-repo": [("time", "time", None), ("time-core", "time_core", None)],
    "bitflags": [("bitflags", "bitflags", None)],
    "petgraph": [("petgraph", "petgraph", None)],
    "smallvec": [("smallvec", "smallvec", None)],
    "semver": [("semver", "semver", None)],
    "mio": [("mio", "mio", "os-poll,net")],
    "quote": [("quote", "quote", None)],
    "proc-macro2": [("proc-macro2", "proc_macro2", None)],
    "arrayvec": [("arrayvec", "arrayvec", None)],
    "slab": [("slab", "slab", None)],
    "bstr": [("bstr", "bstr", None)],
    "aho-corasick": [("aho-corasick", "aho_corasick", None)],
    "walkdir": [("walkdir", "walkdir", None)],
    "tempfile": [("tempfile", "tempfile", None)],
    "either": [("either", "either", None)],
    "base64": [("base64", "base64", None)],
    "log": [("log", "log", None)],
    "nix": [("nix", "nix", "fs,socket,ioctl,signal,process,mman,term,user")],
    "num-bigint": [("num-bigint", "num_bigint", None)],
    "once_cell": [("once_cell", "once_cell", None)],
    "lru": [("lru", "lru", None)],
    "digest": [("digest", "digest", None)],
    "sha2": [("sha2", "sha2", None)],
    "quick-xml": [("quick-xml", "quick_xml", None)],
    "heapless": [("heapless", "heapless", None)],
    "ordered-float": [("ordered-float", "ordered_float", None)],
    "serde_with": [("serde_with", "serde_with", None)],
    "flate2": [("flate2", "flate2", None)],
    "miniz_oxide": [("miniz_oxide", "miniz_oxide", None)],
    "h2": [("h2", "h2", None)],
    "bumpalo": [("bumpalo", "bumpalo", None)],
    "pulldown-cmark": [("pulldown-cmark", "pulldown_cmark", None)],
    "async-channel": [("async-channel", "async_channel", None)],
    "proptest": [("proptest", "proptest", None)],
    "rustix": [("rustix", "rustix", "all-apis")],
    "minijinja": [("minijinja", "minijinja", None)],
    "ndarray": [("ndarray", "ndarray", None)],
    "glam": [("glam", "glam", None)],
    "miette-repo": [("miette", "miette", None)],
    # Held out: added after the fixes above, scored as first seen.
    "dashmap": [("dashmap", "dashmap", None)],
    "bitvec": [("bitvec", "bitvec", None)],
    "rust_decimal": [("rust_decimal", "rust_decimal", None)],
    "fastrand": [("fastrand", "fastrand", None)],
    "unicode-segmentation": [("unicode-segmentation", "unicode_segmentation", None)],
}
DEFAULT_WORKSPACES = list(PACKAGES)


def rustdoc_json(ws: Path, package: str, crate: str, features):
    # Run in the package's own directory: `-p` is ambiguous when a dev-dependency pulls in
    # another version of the same package (tokio does).
    member = ws / package if (ws / package / "Cargo.toml").exists() else ws
    cmd = ["cargo", "rustdoc", "-q", "--lib"]
    if features:
        cmd += ["--features", features]
    cmd += ["--", "-Z", "unstable-options", "--output-format", "json", "--document-private-items",
            "--document-hidden-items", "--cap-lints", "warn"]
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", CARGO_TARGET_DIR=str(DOC_TARGET))
    res = subprocess.run(cmd, cwd=member, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        # A dev-dependency the registry does not serve, say: reported, not scored.
        print(f"== {package}: rustdoc failed, not scored:\n{res.stderr[-600:]}")
        return None
    return json.loads((DOC_TARGET / "doc" / f"{crate}.json").read_text())


def trait_ref_id(impl):
    t = impl.get("trait")
    return None if t is None else t.get("id")


def span_in(item, ws: Path):
    """(file relative to ws, first line) of a rustdoc item, None when outside ws."""
    span = item.get("span")
    if span is None:
        return None
    path = Path(span["filename"])
    if not path.is_absolute():
        path = ws / path
    try:
        return path.resolve().relative_to(ws.resolve()).as_posix(), span["begin"][0]
    except ValueError:
        return None


def fn_bodies(doc, ws: Path):
    """File relative to ws → [(first line, last line)] of the crate's functions and methods
    rustdoc knows."""
    out = {}
    for item in doc["index"].values():
        if item.get("crate_id") != 0 or not isinstance(item.get("inner"), dict):
            continue
        span = item.get("span")
        if "function" not in item["inner"] or span is None:
            continue
        at = span_in(item, ws)
        if at is not None:
            out.setdefault(at[0], []).append((span["begin"][0], span["end"][0]))
    return out


def documented(found, theirs, bodies):
    """`found` less the impls inside a function's body that rustdoc does not list: rustdoc
    documents no item of a function's body (serde's `struct CowStrVisitor` and its `impl
    Visitor` inside `fn borrow_cow_str`), so those are counted neither way."""
    def in_body(at):
        return any(a < at[1] <= b for a, b in bodies.get(at[0], ()))
    return {f for f in found if f in theirs or not in_body(f)}


def written_impls(doc, ws: Path):
    """(impl item, impl, trait id or None, (file, line)) of the crate's own written impls
    located in ws (no synthetic or blanket impls)."""
    for item in doc["index"].values():
        if item.get("crate_id") != 0 or not isinstance(item.get("inner"), dict):
            continue
        impl = item["inner"].get("impl")
        if impl is None or impl.get("is_synthetic") or impl.get("blanket_impl") is not None:
            continue
        at = span_in(item, ws)
        if at is not None:
            yield item, impl, trait_ref_id(impl), at


def rustdoc_impls(doc, ws: Path):
    """Local trait id → set of (file relative to ws, line) of its local, written impls."""
    out = {}
    for _, _, tid, at in written_impls(doc, ws):
        if tid is None:
            continue
        out.setdefault(tid, set()).add(at)
    return out


def cross_member_impls(doc, ws: Path, crate: str, members):
    """Trait path → {(file, line)} of the crate's written impls of traits another workspace
    member defines (`impl axum_core::response::IntoResponse for …` in axum)."""
    out = {}
    for _, _, tid, at in written_impls(doc, ws):
        if tid is None:
            continue
        path = doc["paths"].get(str(tid), {}).get("path")
        if not path or path[0] == crate or path[0] not in members:
            continue
        out.setdefault("::".join(path), set()).add(at)
    return out


def run_ours(ws: Path, *args):
    """Runs `cargo parseltongue ARGS --format json -q` on workspace `ws`, with `--workspace`
    unless ARGS select a package (`-p`)."""
    select = [] if "-p" in args else ["--workspace"]
    return subprocess.run(
        [str(our_binary()), "parseltongue", *args, "--manifest-path", str(ws / "Cargo.toml"),
         *select, "--format", "json", "-q"],
        capture_output=True, text=True)


def build_script_cfgs(package: str):
    """`--cfg` flags for what the package's build script told cargo in rustdoc's build
    (`cargo:rustc-cfg=error_generic_member_access`): we run no build script, so the
    comparison passes them by hand. The newest output of the package's build script."""
    outputs = sorted(DOC_TARGET.glob(f"debug/build/{package}-*/output"),
                     key=lambda p: p.stat().st_mtime)
    flags = []
    if outputs:
        for line in outputs[-1].read_text(errors="replace").splitlines():
            for prefix in ("cargo:rustc-cfg=", "cargo::rustc-cfg="):
                if line.startswith(prefix):
                    flags += ["--cfg", line[len(prefix):]]
    return flags


def configuration(features, package=None):
    """Our flags for the configuration rustdoc documents: host target, `doc` set, the
    package selected as `cargo rustdoc -p` selects it (its features unified over its own
    dependencies only, not other members': futures' `futures-util/sink`), its default
    features plus `features`, the cfgs its build script set."""
    if ALL_VARIANTS:
        return []
    cfgs = build_script_cfgs(package) if package else []
    selected = ["-p", package] if package else []
    return ["--cfg", "doc"] + selected + cfgs + (["--features", features] if features else [])


def ours(ws: Path, trait_path: str, package: str, features=None):
    res = run_ours(ws, "what-implements", trait_path, *configuration(features, package))
    if res.returncode not in (0, 1):
        return None, None, res.stderr.strip().splitlines()[0] if res.stderr else "failed"
    # rustdoc documents the package's lib target only (impls in other members are checked
    # from their own documentation, as impls across members).
    impls = [i for i in json.loads(res.stdout)["impls"]
             if i["target"] == "lib" and i["package"] == package]
    gated = {(i["file"], i["line"]) for i in impls if i["cfg"]}
    return {(i["file"], i["line"]) for i in impls}, gated, None


def provided(item) -> bool:
    """Whether a trait item (rustdoc JSON) provides a default."""
    kind, inner = next(iter(item["inner"].items()))
    if kind == "function":
        return bool(inner.get("has_body"))
    if kind == "assoc_const":
        return inner.get("value", inner.get("default")) is not None
    if kind == "assoc_type":
        return inner.get("type", inner.get("default")) is not None
    return False


def rustdoc_defaults(doc, ws: Path):
    """{(file, line, item, "overridden"|"inherited")} for local impls of local traits."""
    index = doc["index"]
    get = lambda i: index.get(str(i))
    out = set()
    for _, impl, tid, (rel, line) in written_impls(doc, ws):
        trait = get(tid) if tid is not None else None
        if trait is None or trait.get("crate_id") != 0:
            continue
        own = {get(i)["name"] for i in impl["items"] if get(i)}
        for ti in trait["inner"]["trait"]["items"]:
            t = get(ti)
            if t and provided(t):
                how = "overridden" if t["name"] in own else "inherited"
                out.add((rel, line, t["name"], how))
    return out


def our_defaults(ws: Path, crate: str, package: str, features):
    # In the configuration rustdoc documents, as for impls.
    # `--all`: impl records are routine and listed only on request.
    res = run_ours(ws, "exceptions", "--all", *configuration(features, package))
    if res.returncode not in (0, 1):
        sys.exit(f"exceptions failed: {res.stderr}")
    report = json.loads(res.stdout)
    if report.get("impls_not_listed"):
        sys.exit(f"exceptions left {report['impls_not_listed']} impl records out of its answer")
    out, gated = set(), set()
    for i in report["impls"]:
        if i["impl"]["target"] != "lib" or not i["trait"].startswith(crate + "::"):
            continue
        if not i["impl"]["path"].startswith(crate + "::"):
            continue
        for name in i.get("under_cfg", []):
            gated.add((i["impl"]["file"], i["impl"]["line"], name))
        for how in ("overridden", "inherited"):
            for name in i[how]:
                out.add((i["impl"]["file"], i["impl"]["line"], name, how))
    return out, gated


def check_defaults(names):
    grand = [0, 0, 0]
    grand_cfg = [0, 0, 0]
    for name in names:
        ws = CORPUS / "ws" / name
        for package, crate, features in PACKAGES[name]:
            doc = rustdoc_json(ws, package, crate, features)
            if doc is None:
                continue
            theirs = rustdoc_defaults(doc, ws)
            found, gated = our_defaults(ws, crate, package, features)
            # Impls rustdoc does not document (cfg'd out in its configuration) are left
            # out of both sides: the comparison is per impl both know.
            both = {t[:2] for t in theirs} & {t[:2] for t in found}
            theirs_b = {t for t in theirs if t[:2] in both}
            found_b = {t for t in found if t[:2] in both}
            tp = len(theirs_b & found_b)
            p = ratio(tp, len(found_b))
            r = ratio(tp, len(theirs_b))
            f_one = f1(p, r)
            missing_impls = {t[:2] for t in theirs} - both
            # Facts whose answer depends on a cfg rustdoc's build does not set (an item under
            # #[cfg(tokio_unstable)], a default behind a feature) are scored apart.
            theirs_u = {t for t in theirs_b if t[:3] not in gated}
            found_u = {t for t in found_b if t[:3] not in gated}
            tp_u = len(theirs_u & found_u)
            pu = ratio(tp_u, len(found_u))
            ru = ratio(tp_u, len(theirs_u))
            f_one_u = f1(pu, ru)
            grand_cfg[0] += tp_u
            grand_cfg[1] += len(found_u)
            grand_cfg[2] += len(theirs_u)
            print(f"== {name} / {package}: {len(both)} impls with provided items in both, "
                  f"{len(theirs_b)} rustdoc facts, {len(found_b)} ours, precision {p:.3f}, "
                  f"recall {r:.3f}, F1 {f_one:.3f} (outside cfg: {len(theirs_u)} facts, F1 {f_one_u:.3f}); "
                  f"impls only rustdoc has: {len(missing_impls)}")
            for miss in sorted(theirs_b - found_b)[:5]:
                print(f"      missed {miss}")
            for extra in sorted(found_b - theirs_b)[:5]:
                print(f"      extra  {extra}")
            for m in sorted(missing_impls)[:3]:
                print(f"      impl only rustdoc has: {m[0]}:{m[1]}")
            grand[0] += tp
            grand[1] += len(found_b)
            grand[2] += len(theirs_b)
    p = ratio(grand[0], grand[1])
    r = ratio(grand[0], grand[2])
    f_one = f1(p, r)
    print(f"all: precision {p:.3f}, recall {r:.3f}, F1 {f_one:.3f} over {grand[2]} rustdoc facts")
    p = ratio(grand_cfg[0], grand_cfg[1])
    r = ratio(grand_cfg[0], grand_cfg[2])
    f_one = f1(p, r)
    print(f"outside cfg: precision {p:.3f}, recall {r:.3f}, F1 {f_one:.3f} over {grand_cfg[2]} rustdoc facts")


ALL_VARIANTS = False


def main(argv):
    global ALL_VARIANTS
    ALL_VARIANTS = "--all-variants" in argv
    all_traits = "--all-traits" in argv
    if "--defaults" in argv:
        names = [a for a in argv if not a.startswith("--")] or DEFAULT_WORKSPACES
        check_defaults(names)
        return
    names = [a for a in argv if not a.startswith("--")] or DEFAULT_WORKSPACES
    grand = [0, 0, 0, 0]  # true positives, ours, rustdoc's, ours without cfg-gated extras
    # Impls across members: true positives, ours, rustdoc's, ours without cfg-gated extras.
    cross = [0, 0, 0, 0]
    by_name = {}  # trait name → [(path, impls we add, impls we miss)]
    for name in names:
        ws = CORPUS / "ws" / name
        members = {crate for _, crate, _ in PACKAGES[name]}
        for package, crate, features in PACKAGES[name]:
            doc = rustdoc_json(ws, package, crate, features)
            if doc is None:
                continue
            impls = rustdoc_impls(doc, ws)
            bodies = fn_bodies(doc, ws)
            # Impls of another member's trait: ours in this package's lib, against rustdoc's.
            for path, theirs in sorted(cross_member_impls(doc, ws, crate, members).items()):
                res = run_ours(ws, "what-implements", path, *configuration(features, package))
                found, gated = set(), set()
                if res.returncode in (0, 1):
                    listed = [i for i in json.loads(res.stdout)["impls"]
                              if i["target"] == "lib" and i["package"] == package]
                    found = documented({(i["file"], i["line"]) for i in listed}, theirs, bodies)
                    gated = {(i["file"], i["line"]) for i in listed if i["cfg"]}
                tp = len(found & theirs)
                # As above: extras under a cfg rustdoc's configuration leaves out (a feature
                # another member turns on, `feature = "sink"` in futures-util) counted apart.
                extra_gated = (found - theirs) & gated
                cross[0] += tp
                cross[1] += len(found)
                cross[2] += len(theirs)
                cross[3] += len(found) - len(extra_gated)
                print(f"  across members: {path} in {package}: rustdoc {len(theirs)}, ours {len(found)} "
                      f"({len(extra_gated)} extra under cfg), matched {tp}")
                for miss in sorted(theirs - found)[:3]:
                    print(f"      missed {miss[0]}:{miss[1]}")
                for extra in sorted(found - theirs - gated)[:3]:
                    print(f"      extra  {extra[0]}:{extra[1]}")
            traits = [
                tid for tid, item in doc["index"].items()
                if item.get("crate_id") == 0 and isinstance(item.get("inner"), dict)
                and "trait" in item["inner"] and str(tid) in doc["paths"]
            ]
            traits = [t for t in traits if impls.get(int(t) if isinstance(next(iter(impls), 0), int) else t)]
            key = (lambda t: int(t)) if impls and isinstance(next(iter(impls)), int) else (lambda t: t)
            traits.sort(key=lambda t: (-len(impls[key(t)]), "::".join(doc["paths"][t]["path"])))
            chosen = traits if all_traits else traits[:5]
            tp_sum = ours_sum = theirs_sum = ungated_sum = 0
            print(f"== {name} / {package}")
            for t in chosen:
                path = "::".join(doc["paths"][t]["path"])
                theirs = impls[key(t)]
                found, gated, err = ours(ws, path, package, features)
                if found is None:
                    print(f"  {path}: our query failed: {err}")
                    found, gated = set(), set()
                found = documented(found, theirs, bodies)
                tp = len(found & theirs)
                # Extras under a cfg that rustdoc's configuration leaves out (cfg(test),
                # windows, unstable features) are counted apart: every cfg variant is indexed.
                extra_gated = (found - theirs) & gated
                ungated = len(found) - len(extra_gated)
                by_name.setdefault(path.rsplit("::", 1)[-1], []).append(
                    (path, len(found - theirs), len(theirs - found)))
                tp_sum += tp
                ours_sum += len(found)
                theirs_sum += len(theirs)
                ungated_sum += ungated
                p = ratio(tp, len(found))
                pu = ratio(tp, ungated)
                r = tp / len(theirs)
                print(f"  {path}: rustdoc {len(theirs)}, ours {len(found)} ({len(extra_gated)} extra under cfg), "
                      f"matched {tp}, precision {p:.3f} ({pu:.3f} outside cfg), recall {r:.3f}")
                for miss in sorted(theirs - found)[:3]:
                    print(f"      missed {miss[0]}:{miss[1]}")
                for extra in sorted(found - theirs - gated)[:3]:
                    print(f"      extra  {extra[0]}:{extra[1]}")
            p = ratio(tp_sum, ours_sum)
            r = ratio(tp_sum, theirs_sum)
            f_one = f1(p, r)
            pu = ratio(tp_sum, ungated_sum)
            print(f"  total: precision {p:.3f} ({pu:.3f} outside cfg), recall {r:.3f}, F1 {f_one:.3f} over {len(chosen)} traits")
            grand[0] += tp_sum
            grand[1] += ours_sum
            grand[2] += theirs_sum
            grand[3] += ungated_sum
    p = ratio(grand[0], grand[1])
    pu = ratio(grand[0], grand[3])
    r = ratio(grand[0], grand[2])
    print(f"all: precision {p:.3f} ({pu:.3f} outside cfg), recall {r:.3f}, impls rustdoc lists {grand[2]}")
    if cross[2]:
        print(f"across members: precision {ratio(cross[0], cross[1]):.3f} "
              f"({ratio(cross[0], cross[3]):.3f} outside cfg), "
              f"recall {ratio(cross[0], cross[2]):.3f}, impls rustdoc lists {cross[2]}")
    # Traits sharing a name (`Sealed` in six modules, `Visitor` in two crates): an impl bound
    # to the wrong one shows as an extra on one side and a miss on the other.
    shared = {n: ts for n, ts in by_name.items() if len({t[0] for t in ts}) > 1}
    wrong = sum(extra + miss for ts in shared.values() for _, extra, miss in ts)
    print(f"same-named traits: {len(shared)} names over "
          f"{sum(len(ts) for ts in shared.values())} traits; impls added or missed among them: {wrong}")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env bash
# Vendors pinned real crates from crates.io under target/corpus/ and runs cargo-parseltongue
# on them: tokio, syn, hyper, futures-util, num-traits, clap, bytes, anyhow, itertools and
# hyper-util as standalone workspaces; regex + regex-syntax + regex-automata stitched into one
# workspace with path dependencies; and, laid out as their repositories are (members depend
# on each other by version, the root manifest's [patch.crates-io] points them at the member
# directories), serde + serde_core + serde_derive + serde_derive_internals (serde's src/core
# a symlink to serde_core's src, as in serde's repository), axum + axum-core, tokio +
# tokio-util + tokio-stream + tokio-macros, the futures family, thiserror + thiserror-impl,
# clap + clap_builder + clap_derive + clap_lex, rayon + rayon-core, the crossbeam family,
# rand + rand_core + rand_chacha, tracing + tracing-core + tracing-attributes +
# tracing-subscriber + tracing-log, url + form_urlencoded + percent-encoding, parking_lot +
# parking_lot_core + lock_api, tower + tower-layer + tower-service, the toml family (toml +
# toml_edit + toml_datetime + toml_parser + toml_writer + serde_spanned), time + time-core +
# time-macros, miette + miette-derive; winnow, nom, chrono, http, indexmap, serde_json,
# hashbrown, memchr, bitflags, petgraph, smallvec, semver, mio, quote, proc-macro2, arrayvec,
# slab, bstr, uuid, aho-corasick, walkdir, tempfile, either, base64, log, nix, num-bigint,
# once_cell, lru, digest, sha2, quick-xml, heapless, ordered-float, serde_with, flate2,
# miniz_oxide, h2, bumpalo, pulldown-cmark, async-channel, proptest, rustix, minijinja,
# ndarray, glam, dashmap, bitvec, rust_decimal, fastrand and unicode-segmentation standalone
# (the last five held out: added after the fixes, scored as first seen); and ripgrep, whose root manifest is
# both the `ripgrep` package and the workspace.
#
#   benches/corpus.sh          all crates, release build, prints stats and timings
#   benches/corpus.sh --ci     num-traits only, debug build (what CI runs)
#   benches/corpus.sh --prepare  vendor and lay out the workspaces, run nothing
#
# Each vendored crate becomes its own workspace under target/corpus/ws/<name>; nothing is
# written outside target/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/target/corpus"
mode="${1:-all}"

if [ "$mode" = "--ci" ]; then
  crates=("num-traits=0.2.19")
else
  crates=("tokio=1.54.1" "syn=3.0.10" "hyper=1.12.0" "futures-util=0.3.34" "num-traits=0.2.19"
          "clap_builder=4.6.7" "regex=1.13.1" "regex-syntax=0.8.11" "regex-automata=0.4.18"
          "bytes=1.12.2" "anyhow=1.0.105" "itertools=0.14.0" "hyper-util=0.1.21"
          "serde=1.0.229" "serde_core=1.0.229" "serde_derive=1.0.229"
          "serde_derive_internals=0.29.1" "axum=0.8.9" "axum-core=0.5.6"
          "tokio-util=0.7.20" "tokio-stream=0.1.19" "tokio-macros=2.7.2"
          "futures=0.3.34" "futures-core=0.3.34" "futures-io=0.3.34" "futures-sink=0.3.34"
          "futures-task=0.3.34" "futures-channel=0.3.34" "futures-executor=0.3.34"
          "futures-macro=0.3.34" "thiserror=2.0.21" "thiserror-impl=2.0.21"
          "ripgrep=14.1.1" "grep=0.3.2" "grep-matcher=0.1.7" "grep-regex=0.1.13"
          "grep-searcher=0.1.14" "grep-printer=0.2.2" "grep-cli=0.1.11" "grep-pcre2=0.1.8"
          "globset=0.4.16" "ignore=0.4.23"
          "clap=4.6.9" "clap_derive=4.6.9" "clap_lex=1.1.2"
          "rayon=1.12.0" "rayon-core=1.13.0"
          "crossbeam=0.8.5" "crossbeam-utils=0.8.23" "crossbeam-channel=0.5.17"
          "crossbeam-deque=0.8.8" "crossbeam-epoch=0.9.21" "crossbeam-queue=0.3.14"
          "rand=0.10.4" "rand_core=0.10.1" "rand_chacha=0.10.0"
          "winnow=1.0.5" "nom=8.0.0" "chrono=0.4.45"
          "tracing=0.1.44" "tracing-core=0.1.36" "tracing-attributes=0.1.31"
          "tracing-subscriber=0.3.23" "tracing-log=0.2.0"
          "url=2.5.8" "form_urlencoded=1.2.2" "percent-encoding=2.3.2"
          "http=1.5.0" "indexmap=2.14.2"
          "parking_lot=0.12.5" "parking_lot_core=0.9.12" "lock_api=0.4.14"
          "tower=0.5.3" "tower-layer=0.3.3" "tower-service=0.3.3"
          "serde_json=1.0.154" "hashbrown=0.16.1" "memchr=2.8.3"
          "toml=1.2.2+spec-1.1.0" "toml_edit=0.25.20+spec-1.1.0"
          "toml_datetime=1.1.3+spec-1.1.0" "toml_parser=1.1.6+spec-1.1.0"
          "toml_writer=1.2.0+spec-1.1.0" "serde_spanned=1.1.3"
          "time=0.3.55" "time-core=0.1.9" "time-macros=0.2.32"
          "bitflags=2.13.2" "petgraph=0.8.3" "smallvec=1.16.6" "semver=1.0.28"
          "mio=1.2.5" "quote=1.0.47" "proc-macro2=1.0.107" "arrayvec=0.7.8" "slab=0.4.12"
          "bstr=1.14.0" "uuid=1.29.3" "aho-corasick=1.1.5" "walkdir=2.5.1" "tempfile=3.27.0"
          "either=1.19.0" "miette=7.6.0" "miette-derive=7.6.0"
          "base64=0.23.1" "log=0.4.35" "nix=0.32.0" "num-bigint=0.5.1" "once_cell=1.21.4"
          "lru=0.19.1" "digest=0.11.3" "sha2=0.11.1"
          "quick-xml=0.38.4" "heapless=0.9.4" "ordered-float=5.5.1" "serde_with=3.25.0"
          "flate2=1.1.11" "miniz_oxide=0.9.1"
          "h2=0.4.20" "bumpalo=3.20.4" "pulldown-cmark=0.13.6" "async-channel=2.5.0"
          "proptest=1.12.0" "rustix=1.1.6" "minijinja=2.24.0" "ndarray=0.16.1" "glam=0.30.10"
          "dashmap=6.1.0" "bitvec=1.0.1" "rust_decimal=1.43.0" "fastrand=2.5.0"
          "unicode-segmentation=1.13.3")
fi
# Workspaces stitched as their repositories lay them out: name and members.
repo_workspaces=(
  "serde-repo:serde serde_core serde_derive serde_derive_internals"
  "axum-repo:axum axum-core"
  "tokio-repo:tokio tokio-util tokio-stream tokio-macros"
  "futures-repo:futures futures-util futures-core futures-io futures-sink futures-task futures-channel futures-executor futures-macro"
  "thiserror-repo:thiserror thiserror-impl"
  "clap-repo:clap clap_builder clap_derive clap_lex"
  "rayon-repo:rayon rayon-core"
  "crossbeam-repo:crossbeam crossbeam-utils crossbeam-channel crossbeam-deque crossbeam-epoch crossbeam-queue"
  "rand-repo:rand rand_core rand_chacha"
  "tracing-repo:tracing tracing-core tracing-attributes tracing-subscriber tracing-log"
  "url-repo:url form_urlencoded percent-encoding"
  "parking_lot-repo:parking_lot parking_lot_core lock_api"
  "tower-repo:tower tower-layer tower-service"
  "toml-repo:toml toml_edit toml_datetime toml_parser toml_writer serde_spanned"
  "time-repo:time time-core time-macros"
  "miette-repo:miette miette-derive"
)
# Crates that are only members of stitched workspaces (no standalone copy).
only_stitched=" serde serde_core serde_derive serde_derive_internals axum axum-core tokio-util tokio-stream tokio-macros futures futures-core futures-io futures-sink futures-task futures-channel futures-executor futures-macro thiserror thiserror-impl ripgrep grep grep-matcher grep-regex grep-searcher grep-printer grep-cli grep-pcre2 globset ignore clap clap_derive clap_lex rayon rayon-core crossbeam crossbeam-utils crossbeam-channel crossbeam-deque crossbeam-epoch crossbeam-queue rand rand_core rand_chacha tracing tracing-core tracing-attributes tracing-subscriber tracing-log url form_urlencoded percent-encoding parking_lot parking_lot_core lock_api tower tower-layer tower-service toml toml_edit toml_datetime toml_parser toml_writer serde_spanned time time-core time-macros miette miette-derive "
# ripgrep's repository: the root manifest is the `ripgrep` package and the workspace; the
# libraries are members under crates/<dir>, wired to it by [patch.crates-io].
ripgrep_members=("grep:grep" "grep-matcher:matcher" "grep-regex:regex" "grep-searcher:searcher"
                 "grep-printer:printer" "grep-cli:cli" "grep-pcre2:pcre2" "globset:globset"
                 "ignore:ignore")

mkdir -p "$corpus/fetch/src" "$corpus/ws"
{
  echo '[package]'
  echo 'name = "corpus-fetch"'
  echo 'version = "0.0.0"'
  echo 'edition = "2021"'
  echo 'publish = false'
  echo '[workspace]'
  echo '[dependencies]'
  for c in "${crates[@]}"; do echo "${c%%=*} = \"=${c#*=}\""; done
} > "$corpus/fetch/Cargo.toml"
touch "$corpus/fetch/src/lib.rs"
if [ ! -f "$corpus/vendor/.stamp" ] || ! cmp -s "$corpus/fetch/Cargo.toml" "$corpus/vendor/.stamp"; then
  rm -rf "$corpus/vendor"
  (cd "$corpus/fetch" && cargo vendor --versioned-dirs --quiet "$corpus/vendor" >/dev/null)
  cp "$corpus/fetch/Cargo.toml" "$corpus/vendor/.stamp"
fi

# A vendored crate as a standalone workspace: a copy with an empty [workspace] table.
standalone() {
  local name=$1 version=$2 dest="$corpus/ws/$1"
  rm -rf "$dest"
  cp -r "$corpus/vendor/$name-$version" "$dest"
  rm -f "$dest/.cargo-checksum.json"
  printf '\n[workspace]\n' >> "$dest/Cargo.toml"
}

version_of() {
  local c
  for c in "${crates[@]}"; do [ "${c%%=*}" = "$1" ] && echo "${c#*=}"; done
}

for c in "${crates[@]}"; do
  name=${c%%=*}
  case "$name" in regex|regex-syntax|regex-automata) continue ;; esac
  case "$only_stitched" in *" $name "*) continue ;; esac
  standalone "$name" "${c#*=}"
done
# dashmap pins an old toolchain (1.65) it no longer builds with; use the installed one.
rm -f "$corpus/ws/dashmap/rust-toolchain.toml"

if [ "$mode" != "--ci" ]; then
  for entry in "${repo_workspaces[@]}"; do
    ws="$corpus/ws/${entry%%:*}"
    members=(${entry#*:})
    rm -rf "$ws" && mkdir -p "$ws"
    {
      echo '[workspace]'
      printf 'members = ['; printf '"%s", ' "${members[@]}"; echo ']'
      echo 'resolver = "2"'
      echo
      echo '[patch.crates-io]'
      for m in "${members[@]}"; do echo "$m = { path = \"$m\" }"; done
    } > "$ws/Cargo.toml"
    for m in "${members[@]}"; do
      cp -r "$corpus/vendor/$m-$(version_of "$m")" "$ws/$m"
      rm -f "$ws/$m/.cargo-checksum.json"
    done
  done
  ws="$corpus/ws/ripgrep-repo"
  rm -rf "$ws"
  cp -r "$corpus/vendor/ripgrep-$(version_of ripgrep)" "$ws"
  rm -f "$ws/.cargo-checksum.json"
  {
    echo
    echo '[workspace]'
    printf 'members = ['; for m in "${ripgrep_members[@]}"; do printf '"crates/%s", ' "${m#*:}"; done; echo ']'
    echo
    echo '[patch.crates-io]'
    for m in "${ripgrep_members[@]}"; do echo "${m%%:*} = { path = \"crates/${m#*:}\" }"; done
  } >> "$ws/Cargo.toml"
  for m in "${ripgrep_members[@]}"; do
    mkdir -p "$ws/crates"
    cp -r "$corpus/vendor/${m%%:*}-$(version_of "${m%%:*}")" "$ws/crates/${m#*:}"
    rm -f "$ws/crates/${m#*:}/.cargo-checksum.json"
  done
  # serde's repository has serde/src/core as a symlink to serde_core's sources.
  rm -rf "$corpus/ws/serde-repo/serde/src/core"
  ln -s ../../serde_core/src "$corpus/ws/serde-repo/serde/src/core"
fi

if [ "$mode" != "--ci" ]; then
  # regex, regex-syntax and regex-automata as one workspace with path dependencies.
  ws="$corpus/ws/regex-workspace"
  rm -rf "$ws" && mkdir -p "$ws"
  for c in "${crates[@]}"; do
    name=${c%%=*}
    case "$name" in regex|regex-syntax|regex-automata)
      cp -r "$corpus/vendor/$name-${c#*=}" "$ws/$name"
      rm -f "$ws/$name/.cargo-checksum.json" ;;
    esac
  done
  printf '[workspace]\nmembers = ["regex", "regex-syntax", "regex-automata"]\nresolver = "2"\n' > "$ws/Cargo.toml"
  python3 - "$ws" <<'PY'
import re, sys, pathlib
ws = pathlib.Path(sys.argv[1])
for member in ["regex", "regex-automata"]:
    manifest = ws / member / "Cargo.toml"
    text = manifest.read_text()
    for dep in ["regex-syntax", "regex-automata"]:
        text = re.sub(r"(\n\[dependencies\.%s\]\n)" % re.escape(dep), r'\1path = "../%s"\n' % dep, text)
    manifest.write_text(text)
PY
fi

[ "$mode" = "--prepare" ] && exit 0

if [ "$mode" = "--ci" ]; then
  (cd "$root" && cargo build --quiet)
  bin="$root/target/debug/cargo-parseltongue"
else
  (cd "$root" && cargo build --release --quiet)
  bin="$root/target/release/cargo-parseltongue"
fi

run() {
  echo "\$ cargo parseltongue $*"
  "$bin" parseltongue "$@"
}

# Queries print their first lines only; their exit code (partial = 1) does not stop the run.
query() {
  run "$@" | head -6 || true
}

status=0
for dir in "$corpus"/ws/*/; do
  name=$(basename "$dir")
  echo "=== $name"
  run build --manifest-path "$dir/Cargo.toml" --workspace --rebuild || status=$?
  case "$name" in
    num-traits)
      query what-implements Num --manifest-path "$dir/Cargo.toml" -q
      query blast-radius Zero::zero --manifest-path "$dir/Cargo.toml" -q --depth 1 ;;
    tokio)
      query what-implements AsyncRead --manifest-path "$dir/Cargo.toml" -q
      query find-cycles --manifest-path "$dir/Cargo.toml" -q ;;
    hyper)
      query what-implements Body --manifest-path "$dir/Cargo.toml" -q ;;
    regex-workspace)
      query what-implements Strategy --manifest-path "$dir/Cargo.toml" -q --workspace
      query blast-radius regex_syntax::ast::Ast --manifest-path "$dir/Cargo.toml" -q --workspace --depth 1 ;;
    *)
      query search '*Error' --kind struct --manifest-path "$dir/Cargo.toml" -q --limit 5 ;;
  esac
done
# In CI the real crate must index cleanly.
if [ "$mode" = "--ci" ] && [ "$status" -ne 0 ]; then
  echo "corpus run failed with exit code $status" >&2
  exit "$status"
fi

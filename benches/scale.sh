#!/usr/bin/env bash
# The refresh paths at about a million lines: a generated workspace of COPIES (default 10)
# copies of tokio's `src` (108 k lines each) as separate members, each calling into the
# previous one, then the refresh table (parse floor, cold, warm, one file changed, sizes)
# side by side in one run, as `benches/refresh.sh` prints it for real workspaces.
#
#   bash benches/scale.sh [COPIES]
#
# The workspace is written to target/corpus/ws/tokio-x<COPIES> (nothing outside target/).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-10}
bash benches/corpus.sh --prepare >/dev/null
src=target/corpus/ws/tokio-repo/tokio/src
ws=target/corpus/ws/tokio-x$copies
rm -rf "$ws"
mkdir -p "$ws"
members=""
for i in $(seq 1 "$copies"); do
  member="copy$i"
  mkdir -p "$ws/$member"
  cp -r "$src" "$ws/$member/src"
  {
    printf '[package]\nname = "tokio-copy%d"\nversion = "0.1.0"\nedition = "2021"\n\n' "$i"
    printf '[lib]\npath = "src/lib.rs"\ntest = false\ndoctest = false\n\n'
    printf '[dependencies]\n'
    if [ "$i" -gt 1 ]; then
      printf 'tokio-copy%d = { path = "../copy%d" }\n' "$((i - 1))" "$((i - 1))"
    fi
  } > "$ws/$member/Cargo.toml"
  if [ "$i" -gt 1 ]; then
    # Cross-member calls: the previous copy's builder and a free function.
    printf '\n/// Calls into the previous copy.\npub fn cross_member() {\n    let _ = tokio_copy%d::runtime::Builder::new_current_thread();\n    tokio_copy%d::task::spawn_blocking(|| ());\n}\n' \
      "$((i - 1))" "$((i - 1))" >> "$ws/$member/src/lib.rs"
  fi
  members="$members\"$member\", "
done
printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "$members" > "$ws/Cargo.toml"
lines=$(find "$ws" -name '*.rs' -print0 | xargs -0 cat | wc -l)
echo "generated $ws: $copies members, $lines lines of Rust"
cargo build --release --quiet
cargo bench --quiet --bench refresh_table -- "tokio-x$copies"

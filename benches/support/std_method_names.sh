#!/usr/bin/env bash
# Regenerates src/graph/method/std_method_names.txt: every method name std, core and alloc
# document (the `method.*` and `tymethod.*` anchors of their rustdoc pages), from the
# toolchain's rust-docs component (`rustup component add rust-docs`). Writes nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs="$(rustc --print sysroot)/share/doc/rust/html"
for c in std core alloc; do
  [ -d "$docs/$c" ] || { echo "no rustdoc pages for $c under the toolchain; run: rustup component add rust-docs" >&2; exit 1; }
done
out=src/graph/method/std_method_names.txt
{
  echo "# The method names of std, core and alloc (inherent, trait and trait-impl methods), one per line,"
  echo "# sorted: regenerate with \`bash benches/support/std_method_names.sh\` (reads the rust-docs component)."
  grep -rhoE 'id="(ty)?method\.[a-z_0-9]+"' "$docs/std" "$docs/core" "$docs/alloc" \
    | sed -E 's/id="(ty)?method\.//; s/"$//' | LC_ALL=C sort -u
} > "$out"
echo "$(($(wc -l < "$out") - 2)) names written to $out"

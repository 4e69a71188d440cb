#!/usr/bin/env bash
# Link time as thousands of methods share one name and each module calls it on a receiver of
# unknown or bound-only type (issue: 16 k `fn same()` took 20 s to link). Prints, per size,
# the parse and link phases side by side; link should grow linearly with the size.
#
#   benches/same_name.sh [BINARY]    (default: target/release/cargo-parseltongue)
#
# Then the same for 2^12…2^15 copies of one module emitted by a doubling macro.
#
# Everything is written under target/same-name-bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/target/release/cargo-parseltongue}
dir=$root/target/same-name-bench
mkdir -p "$dir/src"
printf '[package]\nname = "same"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n' > "$dir/Cargo.toml"
printf '%8s %10s %10s\n' modules parse_ms link_ms
for n in 2000 4000 8000 16000; do
  python3 - "$n" "$dir/src/lib.rs" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write(f"pub mod m{i} {{ pub struct S; impl S {{ pub fn same(&self) {{}} }} "
                f"pub fn call(y: impl Sized) {{ y.same(); }} pub fn other(z: u8) {{ z.same(); }} }}\n")
PY
  line=$(CARGO_TARGET_DIR="$dir/target" "$bin" build --manifest-path "$dir/Cargo.toml" --rebuild --timings -q 2>&1 | grep '^time:')
  parse=$(sed -E 's/.*parse ([0-9.]+) ms.*/\1/' <<<"$line")
  link=$(sed -E 's/.*link ([0-9.]+) ms.*/\1/' <<<"$line")
  printf '%8d %10s %10s\n' "$n" "$parse" "$link"
done

# A macro that doubles its input 15 times: 2^15 copies of one module at one path (the
# copies are numbered `#2`, `#3`, …; numbering the k-th must not cost k). Linear means
# each doubling roughly doubles the link time.
printf '\n%8s %10s %10s\n' copies parse_ms link_ms
for levels in 12 13 14 15; do
  python3 - "$levels" "$dir/src/lib.rs" <<'PY'
import sys
levels, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("macro_rules! m0 { ($($t:tt)*) => { $($t)* }; }\n")
    for i in range(1, levels + 1):
        f.write(f"macro_rules! m{i} {{ ($($t:tt)*) => {{ m{i-1}!{{ $($t)* }} m{i-1}!{{ $($t)* }} }}; }}\n")
    f.write(f"m{levels}! {{ pub mod x {{ pub fn same() {{}} }} }}\n")
PY
  line=$(CARGO_TARGET_DIR="$dir/target" "$bin" build --manifest-path "$dir/Cargo.toml" --rebuild --timings -q 2>&1 | grep '^time:')
  parse=$(sed -E 's/.*parse ([0-9.]+) ms.*/\1/' <<<"$line")
  link=$(sed -E 's/.*link ([0-9.]+) ms.*/\1/' <<<"$line")
  printf '%8d %10s %10s\n' "$((1 << levels))" "$parse" "$link"
done

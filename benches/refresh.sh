#!/usr/bin/env bash
# Prints the refresh table (parse floor, cold, warm, one file changed, snapshot sizes,
# memory per node) for vendored real crates: `bash benches/refresh.sh [tokio hyper ...]`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash benches/corpus.sh --prepare
cargo build --release --quiet
cargo bench --quiet --bench refresh_table -- "$@"

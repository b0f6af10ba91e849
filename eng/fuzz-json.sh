#!/usr/bin/env bash
# eng/fuzz-json.sh SECONDS -- fuzzes the host's JSON reader (src/Oxidize.Host/json_reader.c, which reads plugins'
# .deps.json for AssemblyDependencyResolver) for SECONDS with libFuzzer + AddressSanitizer + UBSan (see
# src/Oxidize.Host/fuzz/fuzz_json_reader.c for what is checked). Not part of ./build.sh test. The committed seeds
# (src/Oxidize.Host/fuzz/corpus/json) run first; new inputs go to artifacts/fuzz/json-corpus, so later runs
# continue where this one stopped. A failing input is saved as artifacts/fuzz/json-crash-* and the script exits
# non-zero.
set -euo pipefail

# shellcheck source=eng/fuzz-setup.sh
source "$(dirname "$0")/fuzz-setup.sh"
fuzz_setup json "${1:-}"
fuzz_compile fuzz_json_reader "$host_dir/fuzz/fuzz_json_reader.c" "$host_dir/json_reader.c"

echo "Fuzzing json_parse for $seconds s (corpus: $corpus, seeds: $committed)"
"$out/fuzz_json_reader" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/json-" "$corpus" "$committed"

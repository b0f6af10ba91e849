#!/usr/bin/env bash
# eng/fuzz-json.sh SECONDS -- fuzzes the host's JSON reader (src/Oxidize.Host/json_reader.c, which reads plugins'
# .deps.json for AssemblyDependencyResolver) for SECONDS with libFuzzer + AddressSanitizer + UBSan (see
# src/Oxidize.Host/fuzz/fuzz_json_reader.c for what is checked). Not part of ./build.sh test. The committed seeds
# (src/Oxidize.Host/fuzz/corpus/json) run first; new inputs go to artifacts/fuzz/json-corpus, so later runs
# continue where this one stopped. A failing input is saved as artifacts/fuzz/json-crash-* and the script exits
# non-zero.
set -euo pipefail

seconds="${1:-}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: eng/fuzz-json.sh SECONDS" >&2
    exit 2
fi

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
host_dir="$repo_root/src/Oxidize.Host"
committed="$host_dir/fuzz/corpus/json"
out="$repo_root/artifacts/fuzz"
corpus="$out/json-corpus"
# shellcheck source=eng/prerequisites.sh
source "$repo_root/eng/prerequisites.sh"

# libFuzzer ships in compiler-rt, packaged per clang major version on Debian.
oxidize_require_packages clang
clang_major="$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)"
oxidize_require_packages "libclang-rt-$clang_major-dev"

mkdir -p "$out" "$corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$out/fuzz_json_reader" "$host_dir/fuzz/fuzz_json_reader.c" "$host_dir/json_reader.c"

echo "Fuzzing json_parse for $seconds s (corpus: $corpus, seeds: $committed)"
"$out/fuzz_json_reader" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/json-" "$corpus" "$committed"

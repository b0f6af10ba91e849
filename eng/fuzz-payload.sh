#!/usr/bin/env bash
# eng/fuzz-payload.sh SECONDS -- fuzzes the host's payload reader (src/Oxidize.Host/payload.c) for
# SECONDS with libFuzzer + AddressSanitizer + UBSan (see src/Oxidize.Host/fuzz/fuzz_payload.c for what
# is checked). ./build.sh test runs it for a short bounded time (PayloadFuzzTests); run it longer here.
# Every input of the committed corpus (src/Oxidize.Host/fuzz/corpus/payload: seeds written by the C#
# writer plus regression inputs) runs first; new inputs go to artifacts/fuzz/payload-corpus, so later
# runs continue where this one stopped. A failing input is saved as artifacts/fuzz/payload-crash-* (add
# it to the committed corpus once fixed) and the script exits non-zero.
set -euo pipefail

seconds="${1:-}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: eng/fuzz-payload.sh SECONDS" >&2
    exit 2
fi

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
host_dir="$repo_root/src/Oxidize.Host"
committed="$host_dir/fuzz/corpus/payload"
out="$repo_root/artifacts/fuzz"
corpus="$out/payload-corpus"
# shellcheck source=eng/prerequisites.sh
source "$repo_root/eng/prerequisites.sh"

# libFuzzer ships in compiler-rt, packaged per clang major version on Debian.
oxidize_require_packages clang
clang_major="$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)"
oxidize_require_packages "libclang-rt-$clang_major-dev"

mkdir -p "$out" "$corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$out/fuzz_payload" "$host_dir/fuzz/fuzz_payload.c" "$host_dir/payload.c" "$host_dir/host_error.c" \
    "$host_dir/lz4_decode.c"

echo "Fuzzing payload_parse for $seconds s (corpus: $corpus, seeds: $committed)"
# -max_len: the seeds are a few KiB (a payload with one 4 KiB-aligned assembly); larger inputs only
# add entry data the reader never looks at.
"$out/fuzz_payload" -max_total_time="$seconds" -max_len=32768 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/payload-" "$corpus" "$committed"

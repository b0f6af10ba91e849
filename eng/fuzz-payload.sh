#!/usr/bin/env bash
# eng/fuzz-payload.sh SECONDS -- fuzzes the host's payload reader (src/Oxidize.Host/payload.c) for
# SECONDS with libFuzzer + AddressSanitizer + UBSan (see src/Oxidize.Host/fuzz/fuzz_payload.c for what
# is checked). ./build.sh test runs it for a short bounded time (PayloadFuzzTests); run it longer here.
# Every input of the committed corpus (src/Oxidize.Host/fuzz/corpus/payload: seeds written by the C#
# writer plus regression inputs) runs first; new inputs go to artifacts/fuzz/payload-corpus, so later
# runs continue where this one stopped. A failing input is saved as artifacts/fuzz/payload-crash-* (add
# it to the committed corpus once fixed) and the script exits non-zero.
set -euo pipefail

# shellcheck source=eng/fuzz-setup.sh
source "$(dirname "$0")/fuzz-setup.sh"
fuzz_setup payload "${1:-}"
fuzz_compile fuzz_payload "$host_dir/fuzz/fuzz_payload.c" "$host_dir/payload.c" "$host_dir/host_error.c" \
    "$host_dir/lz4_decode.c"

echo "Fuzzing payload_parse for $seconds s (corpus: $corpus, seeds: $committed)"
# -max_len: the seeds are a few KiB (a payload with one 4 KiB-aligned assembly); larger inputs only
# add entry data the reader never looks at.
"$out/fuzz_payload" -max_total_time="$seconds" -max_len=32768 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/payload-" "$corpus" "$committed"

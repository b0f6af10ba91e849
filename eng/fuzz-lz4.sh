#!/usr/bin/env bash
# eng/fuzz-lz4.sh SECONDS -- fuzzes the host's LZ4 block decoder (src/Oxidize.Host/lz4_decode.c) for
# SECONDS with libFuzzer + AddressSanitizer + UBSan, comparing it with liblz4 (see
# src/Oxidize.Host/fuzz/fuzz_lz4_decode.c for what is checked). Not part of ./build.sh test.
# The corpus is kept in artifacts/fuzz/lz4-corpus, so later runs continue where this one stopped;
# a failing input is saved as artifacts/fuzz/crash-* and the script exits non-zero.
set -euo pipefail

seconds="${1:-}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: eng/fuzz-lz4.sh SECONDS" >&2
    exit 2
fi

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
host_dir="$repo_root/src/Oxidize.Host"
out="$repo_root/artifacts/fuzz"
corpus="$out/lz4-corpus"
# shellcheck source=eng/prerequisites.sh
source "$repo_root/eng/prerequisites.sh"

# libFuzzer ships in compiler-rt, packaged per clang major version on Debian.
oxidize_require_packages clang liblz4-dev gcc make
clang_major="$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)"
oxidize_require_packages "libclang-rt-$clang_major-dev"

mkdir -p "$out" "$corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$out/fuzz_lz4_decode" "$host_dir/fuzz/fuzz_lz4_decode.c" "$host_dir/lz4_decode.c" -llz4

# Seeds, once: real data for the compress-then-damage modes (first byte 1-3) and real liblz4 blocks
# for the raw mode (first byte 0, then the decoded size as 16-bit little endian, 2 unused bytes).
if [ -z "$(ls -A "$corpus")" ]; then
    make -s -C "$host_dir" OUT="$repo_root/artifacts/host" "$repo_root/artifacts/host/lz4-block-tool"
    tool="$repo_root/artifacts/host/lz4-block-tool"
    le16() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8)))"; }
    n=0
    for file in "$host_dir"/*.c "$repo_root/docs/format.md" /bin/ls; do
        for size in 100 4096 60000; do
            head -c "$size" "$file" > "$out/seed.tmp"
            actual="$(stat -c %s "$out/seed.tmp")"
            for mode in 1 2 3; do
                { printf "\\x0$mode\\x17\\x00\\x05\\x00"; cat "$out/seed.tmp"; } > "$corpus/seed-$n-$mode"
            done
            { printf '\x00'; le16 "$actual"; printf '\x00\x00'; "$tool" compress < "$out/seed.tmp"; } > "$corpus/seed-$n-0"
            { printf '\x00'; le16 "$actual"; printf '\x00\x00'; "$tool" compress-hc < "$out/seed.tmp"; } > "$corpus/seed-$n-0hc"
            n=$((n + 1))
        done
    done
    rm -f "$out/seed.tmp"
fi

echo "Fuzzing lz4_decode for $seconds s (corpus: $corpus)"
"$out/fuzz_lz4_decode" -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/" "$corpus"

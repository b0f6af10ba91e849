# Sourced by eng/fuzz-payload.sh and eng/fuzz-json.sh: what every libFuzzer run of a host reader needs.
# fuzz_setup NAME SECONDS: checks SECONDS (a positive integer, else usage and exit 2), sets repo_root, host_dir,
# committed (src/Oxidize.Host/fuzz/corpus/NAME, the seeds in git), out (artifacts/fuzz) and corpus
# (artifacts/fuzz/NAME-corpus, where new inputs accumulate across runs), and installs clang with libFuzzer.
# fuzz_compile OUTPUT SOURCES...: builds a harness with libFuzzer + AddressSanitizer + UBSan into $out.

fuzz_setup() {
    local name="$1"
    seconds="${2:-}"
    if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
        echo "usage: eng/fuzz-$name.sh SECONDS" >&2
        exit 2
    fi
    repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    host_dir="$repo_root/src/Oxidize.Host"
    committed="$host_dir/fuzz/corpus/$name"
    out="$repo_root/artifacts/fuzz"
    corpus="$out/$name-corpus"
    # shellcheck source=eng/prerequisites.sh
    source "$repo_root/eng/prerequisites.sh"

    # libFuzzer ships in compiler-rt, packaged per clang major version on Debian.
    oxidize_require_packages clang
    local clang_major
    clang_major="$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)"
    oxidize_require_packages "libclang-rt-$clang_major-dev"
    mkdir -p "$out" "$corpus"
}

fuzz_compile() {
    local output="$1"
    shift
    clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o "$out/$output" "$@"
}

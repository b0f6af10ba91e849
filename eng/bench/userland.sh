#!/usr/bin/env bash
# Size and startup cost of -p:OxidizeUserland=bundled (issue 7, docs/userland.md): publishes tests/Samples/Hello
# four ways (system and bundled userland, each with and without InvariantGlobalization) with the default
# compression, or OXIDIZE_COMPRESSION if set, and prints one markdown table: size, median wall time of
# `Hello < /dev/null` (hyperfine -N, all variants in one run), and each row's ratio to the system userland
# with the same globalization. Not a test: only the ratios of one run mean anything.
#
#   eng/bench/userland.sh [RUNS]      (default 30 runs after 5 warm-ups; about 2 minutes)
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-30}"
work="$repo_root/artifacts/bench-userland"
source "$repo_root/eng/prerequisites.sh"
source "$repo_root/eng/bench/isolation.sh"
oxidize_require_packages hyperfine

bench_prepare "$repo_root" "$work/nuget"
compression="${OXIDIZE_COMPRESSION:-}"

# The app, isolated from the repo's own MSBuild files and NuGet configuration (as eng/bench/startup.sh does).
rm -rf "$work/app" "$work/out" "$NUGET_PACKAGES"/oxidize.*
mkdir -p "$work/out"
bench_isolate "$work" "$repo_root"
cp -r "$repo_root/tests/Samples/Hello" "$work/app"
rm -rf "$work/app/bin" "$work/app/obj"
sed -i "s/\(<Sdk Name=\"Oxidize.Sdk\" Version=\"\)[^\"]*\"/\1$version\"/" "$work/app/Hello.csproj"

variants=(system bundled system-invariant bundled-invariant)
declare -A variant_args=(
    [system]="-p:OxidizeUserland=system"
    [bundled]="-p:OxidizeUserland=bundled"
    [system-invariant]="-p:OxidizeUserland=system -p:InvariantGlobalization=true"
    [bundled-invariant]="-p:OxidizeUserland=bundled -p:InvariantGlobalization=true"
)
for variant in "${variants[@]}"; do
    echo "publish $variant" >&2
    # shellcheck disable=SC2086 # variant_args are several arguments
    (cd "$work/app" && rm -rf obj bin && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -r linux-x64 -p:Oxidize=true \
        ${compression:+-p:OxidizeCompression=$compression} ${variant_args[$variant]} -o "$work/out/$variant" >"$work/out/$variant.log" 2>&1) \
        || { cat "$work/out/$variant.log" >&2; exit 1; }
    "$work/out/$variant/Hello" </dev/null | grep -qx "Hello from an oxidized app!" || { echo "$variant does not print its greeting" >&2; exit 1; }
done

commands=()
for variant in "${variants[@]}"; do commands+=("$work/out/$variant/Hello"); done
hyperfine -N -w 5 -r "$runs" --export-json "$work/hyperfine.json" "${commands[@]}" </dev/null >/dev/null

python3 - "$work" "${variants[@]}" <<'PY'
import json, os, statistics, sys
work, variants = sys.argv[1], sys.argv[2:]
results = json.load(open(os.path.join(work, "hyperfine.json")))["results"]
median = {variant: statistics.median(result["times"]) * 1000 for variant, result in zip(variants, results)}
size = {variant: os.path.getsize(os.path.join(work, "out", variant, "Hello")) / 1e6 for variant in variants}
load = os.getloadavg()[0]
print(f"Hello, compression {os.environ.get('OXIDIZE_COMPRESSION') or 'default'}, {len(results[0]['times'])} runs each, load average {load:.1f}\n")
print("| variant | size (MB) | size cost (MB) | median (ms) | ratio to system |")
print("|---|---:|---:|---:|---:|")
for variant in variants:
    base = "system-invariant" if variant.endswith("invariant") else "system"
    print(f"| {variant} | {size[variant]:.1f} | {size[variant] - size[base]:+.1f} | {median[variant]:.1f} | {median[variant] / median[base]:.2f} |")
PY

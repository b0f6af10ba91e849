#!/usr/bin/env bash
# Startup benchmark: publishes tests/Samples/Hello several ways and prints one table of size on disk,
# median wall time (hyperfine) and peak RSS (GNU time), each with its ratio to PublishSingleFile
# (self-contained, uncompressed) measured in the same run. Not a test: machines are noisy, so only
# ratios from one run mean anything.
#   eng/bench/startup.sh [RUNS]       (default 60 runs after 10 warm-ups)
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-60}"
work="$repo_root/artifacts/bench"
source "$repo_root/eng/prerequisites.sh"
oxidize_require_packages hyperfine time

version="$(sed -n 's:.*<OxidizeVersion>\(.*\)</OxidizeVersion>.*:\1:p' "$repo_root/eng/Versions.props")"
ls "$repo_root/artifacts/packages/Oxidize.Sdk.$version.nupkg" >/dev/null || { echo "run ./build.sh first" >&2; exit 1; }
export NUGET_PACKAGES="$work/nuget" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
rm -rf "$work/app" "$work/out" "$NUGET_PACKAGES/oxidize.sdk" && mkdir -p "$work/out"
cp -r "$repo_root/tests/Samples/Hello" "$work/app"
# Stop MSBuild's upward search here: the repo's Directory.Build.props is for the repo's own projects.
echo '<Project />' > "$work/Directory.Build.props"; echo '<Project />' > "$work/Directory.Build.targets"
sed -i "s/<Sdk Name=\"Oxidize.Sdk\" Version=\"[^\"]*\"/<Sdk Name=\"Oxidize.Sdk\" Version=\"$version\"/" "$work/app/Hello.csproj"
cat > "$work/NuGet.config" <<NUGET
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear />
  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  <add key="oxidize-local" value="$repo_root/artifacts/packages" />
</packageSources></configuration>
NUGET

publish() { (cd "$work/app" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -o "$work/out/$1" "${@:2}" >/dev/null); }
publish framework-dependent --self-contained false -p:UseAppHost=false
publish single-file -r linux-x64 --self-contained -p:PublishSingleFile=true
publish single-file-compressed -r linux-x64 --self-contained -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true
publish oxidize -r linux-x64 -p:Oxidize=true

declare -A command=(
    [framework-dependent]="dotnet $work/out/framework-dependent/Hello.dll"
    [single-file]="$work/out/single-file/Hello"
    [single-file-compressed]="$work/out/single-file-compressed/Hello"
    [oxidize]="$work/out/oxidize/Hello"
)
variants=(framework-dependent single-file single-file-compressed oxidize)
declare -A size median rss
for variant in "${variants[@]}"; do
    size[$variant]="$(du -sb "$work/out/$variant" | cut -f1)"
    hyperfine -N --warmup 10 --runs "$runs" --export-json "$work/$variant.json" "${command[$variant]}" >/dev/null
    median[$variant]="$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['results'][0]['median']*1000)" "$work/$variant.json")"
    # Peak RSS: the median of 15 runs of GNU time's maximum resident set size (KiB).
    rss[$variant]="$(for _ in $(seq 15); do /usr/bin/time -f %M ${command[$variant]} </dev/null 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 8p)"
done

base=single-file
printf '\nHello world, %s runs each, %s\n\n' "$runs" "$(date -u +%Y-%m-%d)"
printf '| variant | size (MB) | x single-file | median wall (ms) | x single-file | peak RSS (MB) | x single-file |\n|---|---|---|---|---|---|---|\n'
for variant in "${variants[@]}"; do
    python3 - "$variant" "${size[$variant]}" "${size[$base]}" "${median[$variant]}" "${median[$base]}" "${rss[$variant]}" "${rss[$base]}" <<'PY'
import sys
v, s, sb, m, mb, r, rb = sys.argv[1], *map(float, sys.argv[2:])
print(f"| {v} | {s/1e6:.1f} | {s/sb:.2f} | {m:.1f} | {m/mb:.2f} | {r/1024:.1f} | {r/rb:.2f} |")
PY
done

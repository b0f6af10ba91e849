#!/usr/bin/env bash
# Native AOT benchmark (issue 17): publishes tests/Samples/Hello and tests/Samples/AotSqlite as a plain Native AOT app,
# as oxidized AOT apps (-p:Oxidize=true -p:PublishAot=true, OxidizeCompression none and lz4), and AotSqlite also as
# PublishSingleFile (CoreCLR, self-contained, uncompressed), then prints the sizes and the startup ratios the issue's
# targets are about, each ratio from one interleaved run (eng/bench/interleaved.py: the commands take turns).
#
#   eng/bench/aot.sh [RUNS [WARMUPS]]     (defaults: 20 runs after 3 warm-ups)
#
# Size: every file of the publish folder except the native symbols (*.dbg, which a plain AOT publish writes beside the
# binary and an oxidized one leaves in obj/) and *.pdb. Each app runs from its publish folder; the oxidized ones from a
# folder holding only the executable. Not a test: only ratios from one run mean anything. Takes about 4 minutes.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-20}"
warmups="${2:-3}"
work="$repo_root/artifacts/bench-aot"
source "$repo_root/eng/bench/isolation.sh"

bench_prepare "$repo_root" "$work/nuget"
python=/usr/bin/python3
[ -x "$python" ] || python=python3

apps=(Hello AotSqlite)
# Hello does not set PublishAot; AotSqlite does (its lock file describes that graph), so its single-file variant turns it off.
declare -A aot_args=([Hello]="-p:PublishAot=true" [AotSqlite]="")
declare -A expect=([Hello]="Hello from an oxidized app!" [AotSqlite]="words: hello from native aot")
declare -A variant_args=(
    [aot]="-r linux-x64"
    [oxidize-aot]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=none"
    [oxidize-aot-lz4]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=lz4"
    [single-file]="-r linux-x64 --self-contained -p:PublishAot=false -p:PublishSingleFile=true"
)
declare -A app_variants=([Hello]="aot oxidize-aot oxidize-aot-lz4" [AotSqlite]="aot oxidize-aot oxidize-aot-lz4 single-file")

rm -rf "$work/apps" "$work/out" "$work/logs" "$NUGET_PACKAGES"/oxidize.*
mkdir -p "$work/apps" "$work/out" "$work/logs"
bench_isolate "$work" "$repo_root"
for app in "${apps[@]}"; do
    cp -r "$repo_root/tests/Samples/$app" "$work/apps/$app"
    rm -rf "$work/apps/$app/bin" "$work/apps/$app/obj"
    sed -i "s/\(<Sdk Name=\"Oxidize.Sdk\" Version=\"\)[^\"]*\"/\1$version\"/" "$work/apps/$app/$app.csproj"
    for variant in ${app_variants[$app]}; do
        extra="${aot_args[$app]}"; [ "$variant" = single-file ] && extra=""
        echo "publish $app $variant" >&2
        # shellcheck disable=SC2086 # the arguments are several words
        (cd "$work/apps/$app" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -o "$work/out/$app/$variant" \
            ${variant_args[$variant]} $extra -p:OxidizeMaxGlibcVersion=2.34 >"$work/logs/$app.$variant.log" 2>&1) \
            || { cat "$work/logs/$app.$variant.log" >&2; exit 1; }
        rm -rf "$work/apps/$app/bin" "$work/apps/$app/obj"
        # The oxidized executable runs from a folder holding nothing else.
        if [[ "$variant" == oxidize-* ]]; then
            [ "$(ls "$work/out/$app/$variant")" = "$app" ] || { echo "$app $variant: the publish folder holds more than $app" >&2; exit 1; }
        fi
        output="$(cd / && "$work/out/$app/$variant/$app" </dev/null 2>&1)" || { echo "$app $variant failed: $output" >&2; exit 1; }
        grep -qF "${expect[$app]}" <<<"$output" || { echo "$app $variant printed: $output" >&2; exit 1; }
    done
done

size() { find "$1" -type f ! -name '*.dbg' ! -name '*.pdb' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
ratio() { # A_APP A_VARIANT B_APP B_VARIANT: interleaved medians, the last line's ratio is A/B
    "$python" "$repo_root/eng/bench/interleaved.py" "$runs" "$warmups" "$work/out/$3/$4/$3" "$work/out/$1/$2/$1"
}

sync
echo
echo "| app | variant | size (bytes) | size / plain AOT |"
echo "|---|---|---|---|"
for app in "${apps[@]}"; do
    base="$(size "$work/out/$app/aot")"
    for variant in ${app_variants[$app]}; do
        bytes="$(size "$work/out/$app/$variant")"
        echo "| $app | $variant | $bytes | $(awk -v a="$bytes" -v b="$base" 'BEGIN { printf "%.3f", a / b }') |"
    done
done
echo
echo "== Hello: oxidize-aot against aot (first line B, second A)"; ratio Hello oxidize-aot Hello aot
echo "== AotSqlite: oxidize-aot against aot"; ratio AotSqlite oxidize-aot AotSqlite aot
echo "== AotSqlite: oxidize-aot against single-file"; ratio AotSqlite oxidize-aot AotSqlite single-file
echo "== AotSqlite: oxidize-aot-lz4 against oxidize-aot"; ratio AotSqlite oxidize-aot-lz4 AotSqlite oxidize-aot

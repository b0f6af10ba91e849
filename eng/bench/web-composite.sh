#!/usr/bin/env bash
# The web app's composite experiment (docs/performance.md, "A composite of the web app's startup assemblies"):
# publishes tests/Samples/WebApi with Oxidize and PublishReadyToRunComposite=true, the composite limited to the app,
# the ASP.NET Core assemblies in its static reference closure, and System.Private.CoreLib, System.Collections,
# System.Collections.Concurrent and System.Linq (every other framework assembly stays the runtime pack's own
# per-assembly ReadyToRun image); then prints each variant's size and the number of methods the JIT compiled until
# the first response (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary; the count includes the few of the SIGTERM
# shutdown). Not product code.
#
#   BENCH_SETTLE_TRIES=0 BENCH_APPS=WebApi BENCH_VARIANTS="single-file single-file-r2r oxidize-none" eng/bench/startup.sh 3 1
#   eng/bench/web-composite.sh
#   WEB_COMPOSITE_FRAMEWORK="System.Private.CoreLib.dll" WEB_COMPOSITE_NAME=oxidize-web-composite-corelib eng/bench/web-composite.sh
#       (other Microsoft.NETCore.App assemblies in the composite, published under another name)
#
# needs the first command's artifacts/bench (the app copy, its NuGet folder, the first-response launcher and the
# three publishes). Time the result with paired runs of artifacts/bench/first-response (1 run each, A and B in turn).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$repo_root/artifacts/bench"
source "$repo_root/eng/bench/isolation.sh"
bench_prepare "$repo_root" "$work/nuget" Oxidize.Resources
if [ ! -x "$work/first-response" ] || [ ! -d "$work/apps/WebApi" ]; then
    echo "run eng/bench/startup.sh with BENCH_APPS=WebApi first" >&2
    exit 1
fi

# The runtime packs restore brought (one version each: the SDK's).
runtime_packs=("$NUGET_PACKAGES"/microsoft.netcore.app.runtime.linux-x64/*/)
aspnet_packs=("$NUGET_PACKAGES"/microsoft.aspnetcore.app.runtime.linux-x64/*/)
runtime_pack="${runtime_packs[-1]}"
aspnet_pack="${aspnet_packs[-1]}"
netcore_lib="$runtime_pack/runtimes/linux-x64/lib/net10.0"
aspnet_lib="$aspnet_pack/runtimes/linux-x64/lib/net10.0"
mibc="$runtime_pack/tools/StandardOptimizationData.mibc"
name="${WEB_COMPOSITE_NAME:-oxidize-web-composite}"
scratch="$work/web-composite"
rm -rf "$scratch" && mkdir -p "$scratch"

# 1. The static reference closure of WebApi.dll, from a self-contained folder publish.
(cd "$work/apps/WebApi" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -r linux-x64 --self-contained \
    -o "$scratch/self-contained" >"$scratch/self-contained.log" 2>&1) || { cat "$scratch/self-contained.log" >&2; exit 1; }
# Run from the isolated folder: the repo's own Directory.Build.* and central package versions are not for the script
# (Oxidize.Packing, which it references, still builds with them).
{ echo "#:project $repo_root/src/Oxidize.Packing/Oxidize.Packing.csproj"; cat "$repo_root/eng/bench/reference-closure.cs"; } \
    >"$scratch/reference-closure.cs"
(cd "$scratch" && dotnet run reference-closure.cs -- "$scratch/self-contained" WebApi >"$scratch/closure.txt")

# 2. The composite's inputs: the app, the closure's ASP.NET Core assemblies, and the four framework assemblies whose
#    generic types ASP.NET Core instantiates over its own types at startup. Everything else is excluded.
{
    echo WebApi.dll
    while read -r file; do [ ! -f "$aspnet_lib/$file" ] || echo "$file"; done <"$scratch/closure.txt"
    # shellcheck disable=SC2086 # a list of file names, split on spaces
    printf '%s\n' ${WEB_COMPOSITE_FRAMEWORK:-System.Private.CoreLib.dll System.Collections.dll System.Collections.Concurrent.dll System.Linq.dll}
} | sort -u >"$scratch/composite.txt"
{
    echo '<Project><ItemGroup>'
    for path in "$scratch"/self-contained/*.dll; do
        file="$(basename "$path")"
        grep -qxF "$file" "$scratch/composite.txt" || echo "  <PublishReadyToRunCompositeExclusions Include=\"$file\" />"
    done
    echo '</ItemGroup></Project>'
} >"$scratch/exclusions.targets"

# 3. The publish. The SDK (10.0.401) passes no reference to the excluded framework assemblies (crossgen2 then fails:
#    "Failed to load assembly 'System.Runtime'"), nor --inputbubble, nor the runtime pack's .mibc profile: all three
#    go through PublishReadyToRunCrossgen2ExtraArgs.
app="$scratch/app"
cp -r "$work/apps/WebApi" "$app" && rm -rf "${app:?}/bin" "${app:?}/obj"
sed -i "s#</Project>#  <Import Project=\"$scratch/exclusions.targets\" />\n</Project>#" "$app/WebApi.csproj"
(cd "$app" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -r linux-x64 -p:Oxidize=true \
    -p:OxidizeCompression=none -p:PublishReadyToRunComposite=true \
    "-p:PublishReadyToRunCrossgen2ExtraArgs=-r:$netcore_lib/*.dll%3B-r:$aspnet_lib/*.dll%3B--inputbubble%3B-m:$mibc" \
    -o "$work/out/WebApi/$name" >"$scratch/publish.log" 2>&1) || { cat "$scratch/publish.log" >&2; exit 1; }

# 4. Size and JIT-compiled methods until the first response.
echo "composite inputs: $(wc -l <"$scratch/composite.txt") assemblies (closure of WebApi.dll: $(wc -l <"$scratch/closure.txt"))"
for variant in single-file single-file-r2r oxidize-none "$name"; do
    dir="$work/out/WebApi/$variant"
    [ -d "$dir" ] || continue
    rm -f "$scratch/jit.txt"
    DOTNET_JitStdOutFile="$scratch/jit.txt" DOTNET_JitDisasmSummary=1 "$work/first-response" 1 0 "$dir" "$dir/WebApi" >/dev/null
    printf '%-24s %11s bytes  %4s methods JIT-compiled\n' "$variant" "$(stat -c %s "$dir/WebApi")" "$(wc -l <"$scratch/jit.txt")"
done

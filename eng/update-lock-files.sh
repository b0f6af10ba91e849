#!/usr/bin/env bash
# Rewrites every committed packages.lock.json from Directory.Packages.props: run it after changing a pinned version,
# review the diff, commit both. Covers the repository's projects and the test samples whose packages come from the
# registry (tests/Samples/<name>/packages.lock.json). Under CI restore is locked, so a pin changed without this
# fails restore with NU1004 naming the package.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=eng/bench/isolation.sh
source "$repo_root/eng/bench/isolation.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
unset CI

# The samples name Oxidize.Sdk (and some Oxidize.Resources), which restore takes from artifacts/packages.
"$repo_root/build.sh"
dotnet restore "$repo_root/Oxidize.Sdk.sln" --force-evaluate -nologo

version="$(oxidize_version)"
for lock in "$repo_root"/tests/Samples/*/packages.lock.json; do
    sample="$(basename "$(dirname "$lock")")"
    work="$repo_root/artifacts/lock-files/$sample"
    rm -rf "$work" && mkdir -p "$work"
    cp -r "$repo_root/tests/Samples/$sample" "$work/$sample"
    rm -rf "$work/$sample/bin" "$work/$sample/obj" "$work/$sample/packages.lock.json"
    bench_isolate "$work" "$repo_root"
    sed -i "s/<Sdk Name=\"Oxidize.Sdk\" Version=\"[^\"]*\"/<Sdk Name=\"Oxidize.Sdk\" Version=\"$version\"/" "$work/$sample/$sample.csproj"
    # Our own packages are rebuilt at the same version: never restore a copy extracted by an earlier run.
    rm -rf "$repo_root/artifacts/nuget-lock-files/oxidize.sdk" "$repo_root/artifacts/nuget-lock-files/oxidize.resources"
    NUGET_PACKAGES="$repo_root/artifacts/nuget-lock-files" dotnet restore "$work/$sample" --use-lock-file --force-evaluate -nologo
    cp "$work/$sample/packages.lock.json" "$lock"
    echo "updated $lock"
done

# Sourced by the benchmarks, eng/build.sh (the demo) and eng/update-lock-files.sh: makes WORK a place where sample apps build like a
# user's projects.
# bench_isolate WORK REPO_ROOT: stops MSBuild's upward search at WORK (the repo's Directory.Build.* are for its own
# projects), takes package versions from the repo's Directory.Packages.props (the one list of pins), and writes a
# NuGet.config with only nuget.org and the freshly built packages.
bench_isolate() {
    local work="$1" repo_root="$2"
    echo '<Project />' > "$work/Directory.Build.props"; echo '<Project />' > "$work/Directory.Build.targets"
    echo "<Project><Import Project=\"$repo_root/Directory.Packages.props\" /></Project>" > "$work/Directory.Packages.props"
    cat > "$work/NuGet.config" <<NUGET
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear />
  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  <add key="oxidize-local" value="$repo_root/artifacts/packages" />
</packageSources></configuration>
NUGET
}

# oxidize_version: the version ./build.sh packs (eng/Versions.props), read from the sourcing script's $repo_root.
oxidize_version() {
    sed -n 's:.*<OxidizeVersion>\(.*\)</OxidizeVersion>.*:\1:p' "$repo_root/eng/Versions.props"
}

# bench_prepare REPO_ROOT NUGET_FOLDER [PACKAGE...]: for the benchmarks: sets `version` to the Oxidize version, stops
# unless ./build.sh has packed Oxidize.Sdk (and each PACKAGE named, e.g. Oxidize.Resources) at that version, and points
# NuGet at NUGET_FOLDER, a package folder of the benchmark's own, with the CLI's background helpers off.
bench_prepare() {
    local repo_root="$1" nuget_folder="$2" package
    shift 2
    version="$(oxidize_version)"
    for package in Oxidize.Sdk "$@"; do
        ls "$repo_root/artifacts/packages/$package.$version.nupkg" >/dev/null || { echo "run ./build.sh first" >&2; exit 1; }
    done
    export NUGET_PACKAGES="$nuget_folder" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 \
        MSBUILDDISABLENODEREUSE=1
}

# Sourced by the benchmarks, the demo and eng/update-lock-files.sh: makes WORK a place where sample apps build like a
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

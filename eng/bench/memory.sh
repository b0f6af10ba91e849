#!/usr/bin/env bash
# Memory benchmark (issue 13, point 5). Not a test: it prints figures, in artifacts/bench-memory/results.md.
#
#   eng/bench/memory.sh [INSTANCES [MEGABYTES]]     (defaults: 200 instances, a 1024 MB file)
#
# 1. INSTANCES concurrent instances of tests/Samples/RealApp (`demo --hold FILE`: every check ran, so Sqlite's and
#    the app's own native libraries are loaded), oxidized (`none`) and PublishSingleFile: the sum of the instances'
#    PSS (a page shared by k processes counts 1/k in each) and of its shared-memory part (Pss_Shmem: memfds), and
#    the ratio oxidized / PublishSingleFile.
# 2. One process reading a packed MEGABYTES content file start to end through FileStream (1 MB reads), oxidized
#    (`none`) and the normal self-contained layout (where PublishSingleFile also leaves content files): wall time
#    of the read (median of 3 after a warm-up), the growth of the system's Shmem while the file is open (memfds)
#    and the process's peak RSS (VmHWM); then the time ratio oxidized / normal and the extra memory (Shmem growth
#    plus peak RSS, oxidized minus normal). Issue 13's target: a ratio of at most 1.2 and at most 64 MB extra.
# Both are sensitive to what else the machine does; the header shows the load average.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
instances="${1:-200}"
megabytes="${2:-1024}"
work="$repo_root/artifacts/bench-memory"
source "$repo_root/eng/prerequisites.sh"
source "$repo_root/eng/bench/isolation.sh"
oxidize_require_packages gcc libc6-dev

version="$(sed -n 's:.*<OxidizeVersion>\(.*\)</OxidizeVersion>.*:\1:p' "$repo_root/eng/Versions.props")"
ls "$repo_root/artifacts/packages/Oxidize.Sdk.$version.nupkg" >/dev/null || { echo "run ./build.sh first" >&2; exit 1; }
export NUGET_PACKAGES="$repo_root/artifacts/bench/nuget" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
log() { printf '[%4ds] %s\n' "$SECONDS" "$*" >&2; }
median_of() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

rm -rf "$work" && mkdir -p "$work/apps" "$work/out" "$work/logs"
bench_isolate "$work" "$repo_root"
publish() { # APP VARIANT ARGS...
    local app="$1" variant="$2"; shift 2
    log "publish $app $variant"
    (cd "$work/apps/$app" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false -o "$work/out/$app/$variant" "$@" \
        >"$work/logs/$app.$variant.log" 2>&1) || { cat "$work/logs/$app.$variant.log" >&2; exit 1; }
}

# --- the apps ----------------------------------------------------------------------------------------------
cp -r "$repo_root/tests/Samples/RealApp" "$work/apps/RealApp"
# Without its lock file: the Oxidize.Resources just built never has the committed hash (the tests rewrite it).
rm -rf "$work/apps/RealApp/bin" "$work/apps/RealApp/obj" "$work/apps/RealApp/packages.lock.json" "$NUGET_PACKAGES"/oxidize.*
sed -i -e "s/\(<Sdk Name=\"Oxidize.Sdk\" Version=\"\)[^\"]*\"/\1$version\"/" "$work/apps/RealApp/RealApp.csproj"
(cd "$work/apps/RealApp/native" &&
    gcc -shared -fPIC -O2 -o libgreetdep.so greetdep.c -Wl,-soname,libgreetdep.so &&
    gcc -shared -fPIC -O2 -o libgreet.so greet.c -Wl,-soname,libgreet.so -L. -lgreetdep '-Wl,-rpath,$ORIGIN')
mkdir -p "$work/apps/BigRead/data"
head -c "${megabytes}M" /dev/urandom > "$work/apps/BigRead/data/big.bin"
cat > "$work/apps/BigRead/BigRead.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="Oxidize.Sdk" Version="$version" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <Content Include="data/big.bin" CopyToPublishDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
PROJECT
cat > "$work/apps/BigRead/Program.cs" <<'PROGRAM'
// Reads data/big.bin start to end and prints the milliseconds the open and the reads took, how much the system's
// shared memory (/proc/meminfo Shmem: memfds among others) grew while the file was open, and this process's peak RSS.
static long Kilobytes(string file, string field) => long.Parse(File.ReadLines(file).First(l => l.StartsWith(field)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
static long ShmemKb() => Kilobytes("/proc/meminfo", "Shmem:");
long before = ShmemKb();
var clock = System.Diagnostics.Stopwatch.StartNew();
long total = 0;
using (var stream = new FileStream(Path.Combine(AppContext.BaseDirectory, "data", "big.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
{
    byte[] buffer = new byte[1 << 20];
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        total += read;
    clock.Stop();
    Console.WriteLine($"read {total} bytes in {clock.ElapsedMilliseconds} ms; shmem +{(ShmemKb() - before) / 1024} MB; peak RSS {Kilobytes("/proc/self/status", "VmHWM:") / 1024} MB");
}
PROGRAM

publish RealApp oxidize-none -r linux-x64 -p:Oxidize=true -p:OxidizeMaxGlibcVersion=2.34
publish RealApp single-file -r linux-x64 --self-contained -p:PublishSingleFile=true
publish BigRead oxidize-none -r linux-x64 -p:Oxidize=true
publish BigRead self-contained -r linux-x64 --self-contained
sync

# --- 1. concurrent instances ---------------------------------------------------------------------------------
results="$work/results.md"
{
    echo "Memory benchmark, $(date -u '+%Y-%m-%d %H:%M') UTC; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "### $instances concurrent instances of RealApp (every check done, waiting)"
    echo
    echo "| variant | total PSS (MB) | per instance (MB) | of which shared memory (MB) |"
    echo "|---|---:|---:|---:|"
} > "$results"
declare -A total_pss
for variant in single-file oxidize-none; do
    hold="$work/hold.$variant"
    rm -f "$hold"
    pids=()
    for i in $(seq "$instances"); do
        (cd "$work/out/RealApp/$variant" && exec ./RealApp demo --name bench --hold "$hold" </dev/null >"$work/logs/run.$variant.$i.log" 2>&1) &
        pids+=($!)
    done
    for i in $(seq "$instances"); do
        until grep -q "waiting for $hold" "$work/logs/run.$variant.$i.log" 2>/dev/null; do
            kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { cat "$work/logs/run.$variant.$i.log" >&2; exit 1; }
            sleep 0.2
        done
    done
    pss=0; shmem=0
    for pid in "${pids[@]}"; do
        pss=$((pss + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")))
        shmem=$((shmem + $(awk '/^Pss_Shmem:/ { print $2 }' "/proc/$pid/smaps_rollup")))
    done
    touch "$hold"
    for pid in "${pids[@]}"; do wait "$pid"; done
    grep -q "checks failed: 0" "$work/logs/run.$variant.1.log" || { cat "$work/logs/run.$variant.1.log" >&2; exit 1; }
    log "$variant: $instances instances, PSS $((pss / 1024)) MB, of which shmem $((shmem / 1024)) MB"
    total_pss[$variant]=$pss
    printf '| %s | %d | %.1f | %d |\n' "$variant" "$((pss / 1024))" "$(awk -v p="$pss" -v n="$instances" 'BEGIN { print p / 1024 / n }')" "$((shmem / 1024))" >> "$results"
done

awk -v o="${total_pss[oxidize-none]}" -v p="${total_pss[single-file]}" \
    'BEGIN { printf "\nTotal PSS, oxidized / PublishSingleFile: %.2f (%+.0f MB)\n", o / p, (o - p) / 1024 }' >> "$results"

# --- 2. one big packed file ----------------------------------------------------------------------------------
{
    echo
    echo "### Reading a $megabytes MB content file (median of 3 after a warm-up)"
    echo
    echo "| variant | read (ms) | Shmem growth while open (MB) | peak RSS (MB) |"
    echo "|---|---:|---:|---:|"
} >> "$results"
declare -A read_ms read_memory
for variant in self-contained oxidize-none; do
    "$work/out/BigRead/$variant/BigRead" >/dev/null
    for _ in 1 2 3; do "$work/out/BigRead/$variant/BigRead"; done > "$work/logs/bigread.$variant.log"
    ms="$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' "$work/logs/bigread.$variant.log" | median_of)"
    shm="$(sed -n 's/.*shmem +\(-*[0-9]*\) MB.*/\1/p' "$work/logs/bigread.$variant.log" | median_of)"
    rss="$(sed -n 's/.*peak RSS \([0-9]*\) MB/\1/p' "$work/logs/bigread.$variant.log" | median_of)"
    read_ms[$variant]=$ms; read_memory[$variant]=$((shm + rss))
    log "BigRead $variant: $ms ms, shmem +$shm MB, peak RSS $rss MB"
    echo "| $variant | $ms | $shm | $rss |" >> "$results"
done
awk -v o="${read_ms[oxidize-none]}" -v n="${read_ms[self-contained]}" -v om="${read_memory[oxidize-none]}" -v nm="${read_memory[self-contained]}" \
    'BEGIN { printf "\nRead time, oxidized / normal: %.2f (target <= 1.2); extra memory (Shmem growth + peak RSS): %+d MB (target <= 64)\n", o / n, om - nm }' >> "$results"
cat "$results"

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
# 3. The same with a compressible file (the decimal numbers from 1 up, about 2.5x smaller as LZ4), packed with
#    OxidizeCompression=lz4: such an entry is still decoded whole into a memfd on each open.
# Both are sensitive to what else the machine does; the header shows the load average.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
instances="${1:-200}"
megabytes="${2:-1024}"
work="$repo_root/artifacts/bench-memory"
source "$repo_root/eng/prerequisites.sh"
source "$repo_root/eng/bench/isolation.sh"
oxidize_require_packages gcc libc6-dev

bench_prepare "$repo_root" "$repo_root/artifacts/bench/nuget"
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
mkdir -p "$work/apps/BigText/data"
cp "$work/apps/BigRead/Program.cs" "$work/apps/BigText/" && cp "$work/apps/BigRead/BigRead.csproj" "$work/apps/BigText/BigText.csproj"
(seq 1 1000000000 || true) | head -c "${megabytes}M" > "$work/apps/BigText/data/big.bin" # seq ends by SIGPIPE

publish BigRead oxidize-none -r linux-x64 -p:Oxidize=true
publish BigRead self-contained -r linux-x64 --self-contained
publish BigText oxidize-lz4 -r linux-x64 -p:Oxidize=true -p:OxidizeCompression=lz4
publish BigText self-contained -r linux-x64 --self-contained
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
measure_read() { # APP VARIANT: one table row, and read_ms/read_memory[APP.VARIANT]
    local app="$1" variant="$2" log="$work/logs/$1.$2.log"
    "$work/out/$app/$variant/$app" >/dev/null
    for _ in 1 2 3; do "$work/out/$app/$variant/$app"; done > "$log"
    local ms shm rss
    ms="$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' "$log" | median_of)"
    shm="$(sed -n 's/.*shmem +\(-*[0-9]*\) MB.*/\1/p' "$log" | median_of)"
    rss="$(sed -n 's/.*peak RSS \([0-9]*\) MB/\1/p' "$log" | median_of)"
    read_ms[$app.$variant]=$ms; read_memory[$app.$variant]=$((shm + rss))
    log "$app $variant: $ms ms, shmem +$shm MB, peak RSS $rss MB"
    echo "| $variant | $ms | $shm | $rss |" >> "$results"
}
compare_reads() { # APP OXIDIZED-VARIANT TARGET-TEXT
    awk -v o="${read_ms[$1.$2]}" -v n="${read_ms[$1.self-contained]}" -v om="${read_memory[$1.$2]}" -v nm="${read_memory[$1.self-contained]}" -v t="$3" \
        'BEGIN { printf "\nRead time, oxidized / normal: %.2f; extra memory (Shmem growth + peak RSS): %+d MB%s\n", o / n, om - nm, t }' >> "$results"
}
for variant in self-contained oxidize-none; do measure_read BigRead "$variant"; done
compare_reads BigRead oxidize-none " (targets: at most 1.2 and 64 MB)"

# --- 3. one big compressed packed file -----------------------------------------------------------------------
{
    echo
    echo "### Reading a $megabytes MB compressible content file, LZ4-compressed in the executable (median of 3 after a warm-up)"
    echo
    echo "| variant | read (ms) | Shmem growth while open (MB) | peak RSS (MB) |"
    echo "|---|---:|---:|---:|"
} >> "$results"
for variant in self-contained oxidize-lz4; do measure_read BigText "$variant"; done
compare_reads BigText oxidize-lz4 ""
cat "$results"

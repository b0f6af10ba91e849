#!/usr/bin/env bash
# Startup benchmark (issues 4 and 15): publishes five apps nine ways each and prints one markdown table per app of
# size on disk, median wall time and peak RSS, each with its ratio to PublishSingleFile (self-contained,
# uncompressed) measured in the same run; for hello world also the private dirty memory of one idle instance and the
# total PSS of 64 idle instances; then whether this run met each of the issues' targets.
# The tables also go to artifacts/bench/results.md. Not a test: machines are noisy, so only ratios from one
# run mean anything; run it on a quiet machine (the header shows the load average).
#
#   eng/bench/startup.sh [RUNS [WARMUPS]]     (defaults: 30 runs after 5 warm-ups)
#   BENCH_APPS="Hello NameLoader" BENCH_VARIANTS="single-file oxidize-none" eng/bench/startup.sh 10 2
#       (a subset: the variants must include single-file, the base of every ratio; BENCH_SETTLE_TRIES=0 skips the wait
#       for a low load average below)
#
# Apps: tests/Samples/Hello; tests/Samples/RealApp (`demo --name bench --repeat 3`: Sqlite, System.CommandLine,
# its own C libraries, satellites, content files); tests/Samples/FrameworkLoader (touches a type in ~90
# framework assemblies); tests/Samples/NameLoader (the same types resolved from their names, so that nothing but
# System.Runtime and System.Console is in its static reference closure); tests/Samples/WebApi (time to the first
# GET /hello response, measured by eng/bench/first-response.c).
# Variants: framework-dependent `dotnet app.dll` (for linux-x64, so only that RID's NuGet native libraries);
# self-contained folder (apphost); PublishSingleFile; PublishSingleFile + EnableCompressionInSingleFile;
# PublishSingleFile + PublishReadyToRun (the SDK then builds a composite image of the app and the framework);
# Oxidize `none` without ReadyToRun (like for like with PublishSingleFile); Oxidize with OxidizeCompression none,
# lz4 and lz4hc at its defaults (ReadyToRun: like for like with PublishSingleFile + PublishReadyToRun); Oxidize lz4 with
# a load list recorded from one run of the lz4 build as it is benchmarked (OXIDIZE_LOAD_LIST, then OxidizeLoadList).
# Size: bytes of every file the publish folder holds except *.pdb (the shared runtime that a
# framework-dependent app needs is not counted; Oxidize embeds the app's PDB in the executable).
# Wall time: the median of RUNS hyperfine runs (-N, stdin /dev/null), taken in 3 passes that go through all the
# variants in turn (WARMUPS warm-ups before a variant's first pass, 2 before the others); for WebApi, the
# median time from fork to the first complete response. Peak RSS: the median of RUNS more runs under GNU
# time's %M; for WebApi, wait4's ru_maxrss of the timed runs (the server gets SIGTERM after its first response).
# Idle memory (hello world only: it blocks reading stdin after printing its arguments): eng/bench/idle-memory.py,
# the median /proc/PID/smaps_rollup Private_Dirty of 1 instance over 3 tries, and the total Pss of 64 concurrent ones.
# Takes about 7-9 minutes on 2 cores at the defaults (2 of them publishing, up to 3 waiting for the load to settle).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-30}"
warmups="${2:-5}"
work="$repo_root/artifacts/bench"
source "$repo_root/eng/prerequisites.sh"
source "$repo_root/eng/bench/isolation.sh"
oxidize_require_packages hyperfine time gcc libc6-dev

bench_prepare "$repo_root" "$work/nuget" Oxidize.Resources
python=/usr/bin/python3
[ -x "$python" ] || python=python3

read -r -a apps <<<"${BENCH_APPS:-Hello RealApp FrameworkLoader NameLoader WebApi}"
declare -A app_args=([Hello]="" [RealApp]="demo --name bench --repeat 3" [FrameworkLoader]="" [NameLoader]="" [WebApi]="")
# Extra publish arguments: SourceGear.sqlite3's libe_sqlite3.so needs glibc 2.34, above the Oxidize audit's default
# floor (OXSDK3001), so RealApp accepts it as its end-to-end tests do. (Ignored where there is no audit.)
declare -A app_publish_args=([Hello]="" [RealApp]="-p:OxidizeMaxGlibcVersion=2.34" [FrameworkLoader]="" [NameLoader]="" [WebApi]="")
# What a correct run prints (checked once per variant before measuring).
declare -A app_expect=([Hello]="Hello from an oxidized app!" [RealApp]="checks failed: 0" [FrameworkLoader]="types touched: 92" [NameLoader]="types touched: 92")
read -r -a variants <<<"${BENCH_VARIANTS:-framework-dependent self-contained single-file single-file-compressed single-file-r2r oxidize-none-il oxidize-none oxidize-r2r-composite oxidize-lz4 oxidize-lz4-list oxidize-lz4hc}"
declare -A variant_args=(
    [framework-dependent]="-r linux-x64 --self-contained false -p:UseAppHost=false"
    [self-contained]="-r linux-x64 --self-contained"
    [single-file]="-r linux-x64 --self-contained -p:PublishSingleFile=true"
    [single-file-compressed]="-r linux-x64 --self-contained -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true"
    [single-file-r2r]="-r linux-x64 --self-contained -p:PublishSingleFile=true -p:PublishReadyToRun=true"
    [oxidize-none-il]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=none -p:OxidizeReadyToRun=false"
    [oxidize-none]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=none"
    # Like for like with single-file-r2r: the SDK's composite of the app and the whole framework, as it makes for
    # PublishSingleFile + PublishReadyToRun.
    [oxidize-r2r-composite]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=none -p:PublishReadyToRunComposite=true"
    [oxidize-lz4]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=lz4"
    [oxidize-lz4hc]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=lz4hc"
    # lz4 with a load list (OxidizeLoadList) recorded from one benchmark run of the oxidize-lz4 build (record_load_list).
    [oxidize-lz4-list]="-r linux-x64 -p:Oxidize=true -p:OxidizeCompression=lz4"
)

started=$SECONDS
log() { printf '[%4ds] %s\n' "$((SECONDS - started))" "$*" >&2; }

# --- the apps, isolated from the repo's own MSBuild files and NuGet configuration ------------------------------
rm -rf "$work/apps" "$work/out" "$work/logs" "$NUGET_PACKAGES"/oxidize.*
mkdir -p "$work/apps" "$work/out" "$work/logs"
bench_isolate "$work" "$repo_root"
for app in "${apps[@]}"; do
    cp -r "$repo_root/tests/Samples/$app" "$work/apps/$app"
    # Without a lock file: the Oxidize.Resources just built never has the committed hash (the tests rewrite it).
    rm -rf "$work/apps/$app/bin" "$work/apps/$app/obj" "$work/apps/$app/packages.lock.json"
    sed -i -e "s/\(<Sdk Name=\"Oxidize.Sdk\" Version=\"\)[^\"]*\"/\1$version\"/" \
        -e "s/\(<PackageReference Include=\"Oxidize.Resources\" Version=\"\)[^\"]*\"/\1$version\"/" "$work/apps/$app/$app.csproj"
done
# RealApp's own native code, compiled as the end-to-end tests do (libgreet.so needs libgreetdep.so).
[ ! -d "$work/apps/RealApp" ] || (cd "$work/apps/RealApp/native" &&
    gcc -shared -fPIC -O2 -o libgreetdep.so greetdep.c -Wl,-soname,libgreetdep.so &&
    gcc -shared -fPIC -O2 -o libgreet.so greet.c -Wl,-soname,libgreet.so -L. -lgreetdep '-Wl,-rpath,$ORIGIN')
gcc -O2 -Wall -Wextra -o "$work/first-response" "$repo_root/eng/bench/first-response.c"

# record_load_list APP LIST: one run of APP's oxidize-lz4 build as the benchmark runs it, with OXIDIZE_LOAD_LIST=LIST.
record_load_list() {
    local dir="$work/out/$1/oxidize-lz4"
    [ -x "$dir/$1" ] || { echo "oxidize-lz4-list needs the oxidize-lz4 variant published before it" >&2; exit 1; }
    rm -f "$2"
    if [ "$1" = WebApi ]; then
        OXIDIZE_LOAD_LIST="$2" "$work/first-response" 1 0 "$dir" "$dir/WebApi" >/dev/null
    else
        # shellcheck disable=SC2086 # app_args are several arguments
        OXIDIZE_LOAD_LIST="$2" "$dir/$1" ${app_args[$1]} </dev/null >/dev/null
    fi
    [ -s "$2" ] || { echo "$1: the recording run wrote no load list" >&2; exit 1; }
}

# --- publish every app every way ---------------------------------------------------------------------------
for app in "${apps[@]}"; do
    for variant in "${variants[@]}"; do
        log "publish $app $variant"
        list_args=""
        if [ "$variant" = oxidize-lz4-list ]; then
            record_load_list "$app" "$work/out/$app/lz4.loads"
            list_args="-p:OxidizeLoadList=$work/out/$app/lz4.loads"
        fi
        # crossgen2's outputs are incremental on the IL alone: after the composite publish (single-file-r2r), a
        # per-assembly ReadyToRun publish would reuse its component stubs, which need the composite image.
        find "$work/apps/$app/obj" -type d -name R2R -prune -exec rm -rf {} + 2>/dev/null || true
        # shellcheck disable=SC2086 # variant_args are several arguments
        if ! (cd "$work/apps/$app" && dotnet publish -c Release -nologo -v quiet -nodeReuse:false \
                -o "$work/out/$app/$variant" ${variant_args[$variant]} $list_args ${app_publish_args[$app]} >"$work/logs/$app.$variant.log" 2>&1); then
            cat "$work/logs/$app.$variant.log" >&2
            exit 1
        fi
    done
done

run_command() { # APP VARIANT: the command line that runs the published app
    local dir="$work/out/$1/$2"
    if [ "$2" = framework-dependent ]; then echo "dotnet $dir/$1.dll ${app_args[$1]}"; else echo "$dir/$1 ${app_args[$1]}"; fi
}
publish_size() { find "$1" -type f ! -name '*.pdb' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
median_of() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# --- measure -----------------------------------------------------------------------------------------------
# The publishes leave some 2.5 GB of dirty pages and a high load average: let writeback finish and the 1-minute
# load average fall to 1.5 (waiting 3 minutes at most) before timing anything.
sync
for _ in $(seq "${BENCH_SETTLE_TRIES:-36}"); do
    awk '{ exit !($1 > 1.5) }' /proc/loadavg || break
    sleep 5
done
log "measuring (load average $(cut -d' ' -f1-3 /proc/loadavg))"
# Each app's runs are split into passes that go through every variant in turn, so a burst of load from
# elsewhere on the machine lands on all variants instead of on one; medians are over all passes' runs.
passes=$(( runs >= 6 ? 3 : 1 ))
per_pass=$(( (runs + passes - 1) / passes ))
rm -rf "$work/samples" && mkdir -p "$work/samples"
declare -A note
max_load=0
for app in "${apps[@]}"; do
    for variant in "${variants[@]}"; do # check each variant once: exit code 0 and the expected output
        [ "$app" = WebApi ] && continue
        dir="$work/out/$app/$variant"
        # shellcheck disable=SC2086 # the command is several words
        output="$(cd "$dir" && $(run_command "$app" "$variant") </dev/null 2>&1)" || { echo "$app $variant failed:" >&2; echo "$output" >&2; exit 1; }
        grep -qF "${app_expect[$app]}" <<<"$output" || { echo "$app $variant printed:" >&2; echo "$output" >&2; exit 1; }
        [ "$app" = FrameworkLoader ] || [ "$app" = NameLoader ] && note[$app.$variant]="$(sed -n 's/^assemblies loaded: //p' <<<"$output") assemblies loaded"
    done
    for pass in $(seq "$passes"); do
        load="$(cut -d' ' -f1 /proc/loadavg)"
        max_load="$(printf '%s\n%s\n' "$max_load" "$load" | sort -g | tail -1)"
        log "$app pass $pass/$passes ($per_pass runs per variant; load average $load)"
        pass_warmups=$(( pass == 1 ? warmups : (warmups < 2 ? warmups : 2) ))
        for variant in "${variants[@]}"; do
            dir="$work/out/$app/$variant"
            samples="$work/samples/$app.$variant"
            if [ "$app" = WebApi ]; then
                launch=("$dir/WebApi"); [ "$variant" = framework-dependent ] && launch=(dotnet "$dir/WebApi.dll")
                "$work/first-response" "$per_pass" "$pass_warmups" "$dir" "${launch[@]}" > "$samples.pass"
                [ "$(wc -l < "$samples.pass")" -eq "$per_pass" ] || { echo "WebApi $variant: the first-response launcher failed" >&2; exit 1; }
                cut -d' ' -f1 "$samples.pass" >> "$samples.wall"; cut -d' ' -f2 "$samples.pass" >> "$samples.rss"
            else
                command="$(run_command "$app" "$variant")"
                (cd "$dir" && hyperfine -N --warmup "$pass_warmups" --runs "$per_pass" --export-json "$samples.json" "$command" >/dev/null)
                "$python" -c 'import json, sys; print("\n".join(str(t * 1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' "$samples.json" >> "$samples.wall"
                # shellcheck disable=SC2086
                for _ in $(seq "$per_pass"); do (cd "$dir" && /usr/bin/time -f %M $command </dev/null 2>&1 >/dev/null | tail -1); done >> "$samples.rss"
            fi
        done
    done
done
# Idle memory of hello world: 1 instance (3 tries, median) and 64 at once.
declare -A private_dirty pss64
if [[ " ${apps[*]} " == *" Hello "* ]]; then
    for variant in "${variants[@]}"; do
        dir="$work/out/Hello/$variant"
        read -r -a launch <<<"$(run_command Hello "$variant")"
        private_dirty[$variant]="$(for _ in 1 2 3; do "$python" "$repo_root/eng/bench/idle-memory.py" 1 "args:" "$dir" "${launch[@]}" | cut -d' ' -f1; done | median_of)"
        pss64[$variant]="$("$python" "$repo_root/eng/bench/idle-memory.py" 64 "args:" "$dir" "${launch[@]}" | cut -d' ' -f2)"
        log "Hello $variant idle: private dirty ${private_dirty[$variant]} KiB, 64 instances' PSS ${pss64[$variant]} KiB"
    done
fi
results="$work/results.tsv"
printf 'app\tvariant\tsize\tmedian_ms\trss_kb\tnote\tprivate_dirty_kb\tpss64_kb\n' > "$results"
for app in "${apps[@]}"; do
    for variant in "${variants[@]}"; do
        size="$(publish_size "$work/out/$app/$variant")"
        median="$(median_of < "$work/samples/$app.$variant.wall")"
        rss="$(median_of < "$work/samples/$app.$variant.rss")"
        log "$app $variant: $size bytes, median $median ms, peak RSS $rss KiB ($(wc -l < "$work/samples/$app.$variant.wall") runs)"
        memory=("" "")
        [ "$app" = Hello ] && memory=("${private_dirty[$variant]}" "${pss64[$variant]}")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$app" "$variant" "$size" "$median" "$rss" "${note[$app.$variant]:-}" "${memory[0]}" "${memory[1]}" >> "$results"
    done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- tables and targets ------------------------------------------------------------------------------------
"$python" - "$results" "$((per_pass * passes))" "$warmups" "$passes" "$max_load" "$load_after" "$((SECONDS - started))" "$(nproc)" <<'PY' | tee "$work/results.md"
import csv, datetime, sys
path, runs, warmups, passes, max_load, load_after, seconds, cores = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
r = {(row["app"], row["variant"]): row for row in rows}
apps = list(dict.fromkeys(row["app"] for row in rows))
variants = list(dict.fromkeys(row["variant"] for row in rows))
titles = {
    "Hello": "Hello world (tests/Samples/Hello)",
    "RealApp": "Sqlite + System.CommandLine + own native libraries (tests/Samples/RealApp `demo --name bench --repeat 3`)",
    "FrameworkLoader": "Load ~90 framework assemblies (tests/Samples/FrameworkLoader)",
    "NameLoader": "Load ~90 framework assemblies by name (tests/Samples/NameLoader)",
    "WebApi": "ASP.NET Core minimal API, time to first response (tests/Samples/WebApi, GET /hello)",
}
names = {
    "framework-dependent": "framework-dependent `dotnet app.dll` (size without the shared runtime)",
    "self-contained": "self-contained folder (apphost)",
    "single-file": "PublishSingleFile",
    "single-file-compressed": "PublishSingleFile + EnableCompressionInSingleFile",
    "single-file-r2r": "PublishSingleFile + PublishReadyToRun (composite with the framework)",
    "oxidize-none-il": "Oxidize `none`, OxidizeReadyToRun=false",
    "oxidize-none": "Oxidize `none` (default: ReadyToRun)",
    "oxidize-r2r-composite": "Oxidize `none` + PublishReadyToRunComposite (composite with the framework, as PSF + PublishReadyToRun)",
    "oxidize-lz4": "Oxidize `lz4` (ReadyToRun)",
    "oxidize-lz4-list": "Oxidize `lz4` with a load list (OxidizeLoadList, recorded from one run)",
    "oxidize-lz4hc": "Oxidize `lz4hc` (ReadyToRun)",
}
def value(app, variant, key): return float(r[(app, variant)][key])
def ratio(app, variant, key, base="single-file"): return value(app, variant, key) / value(app, base, key)

print(f"Startup benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC: {runs} runs per variant in {passes} "
      f"interleaved passes after {warmups} warm-ups; {cores} cores; highest 1-min load average at a pass {max_load}, "
      f"{load_after} at the end; {int(seconds) // 60} min {int(seconds) % 60} s.")
print("Ratios (x PSF) are to PublishSingleFile uncompressed in the same run. Size: publish folder without *.pdb.")
for app in apps:
    wall = "median first response (ms)" if app == "WebApi" else "median wall (ms)"
    notes = [r[(app, v)]["note"] for v in variants if r[(app, v)]["note"]]
    print(f"\n### {titles.get(app, app)}\n")
    if notes:
        loaded = ", ".join(v + " " + r[(app, v)]["note"].split()[0] for v in variants)
        print(f"Assemblies loaded per variant: {loaded}.\n")
    memory = bool(r[(app, variants[0])]["private_dirty_kb"])
    extra = " idle private dirty (MB) | x PSF | PSS of 64 idle (MB) | x PSF |" if memory else ""
    # Issue 15's `lz4` targets are ratios to Oxidize `none`: each Oxidize row's size and wall time against it.
    to_none = (app, "oxidize-none") in r
    extra += " size x `none` | wall x `none` |" if to_none else ""
    print(f"| variant | size (MB) | x PSF | {wall} | x PSF | peak RSS (MB) | x PSF |{extra}")
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" * 4 if memory else "") + ("---:|" * 2 if to_none else ""))
    for v in variants:
        mb = value(app, v, "size") / 1e6
        size = f"{mb:.1f} | {ratio(app, v, 'size'):.2f}" if mb >= 1 else f"{mb:.3f} | {ratio(app, v, 'size'):.3f}"
        cells = (f" {value(app, v, 'private_dirty_kb') / 1024:.1f} | {ratio(app, v, 'private_dirty_kb'):.2f} "
                 f"| {value(app, v, 'pss64_kb') / 1024:.0f} | {ratio(app, v, 'pss64_kb'):.2f} |") if memory else ""
        if to_none:
            cells += (f" {ratio(app, v, 'size', 'oxidize-none'):.3f} | {ratio(app, v, 'median_ms', 'oxidize-none'):.2f} |"
                      if v.startswith("oxidize-") else " | |")
        print(f"| {names.get(v, v)} | {size} | {value(app, v, 'median_ms'):.1f} | {ratio(app, v, 'median_ms'):.2f} "
              f"| {value(app, v, 'rss_kb') / 1024:.1f} | {ratio(app, v, 'rss_kb'):.2f} |{cells}")

def target(label, checks):
    if not checks:
        return
    met = all(ok for _, ok in checks)
    detail = "; ".join(text for text, _ in checks)
    print(f"- {'MET' if met else 'MISSED'}: {label} ({detail})")

def have(*vs): return all((a, v) in r for a in apps for v in vs)

if have("single-file", "single-file-compressed", "oxidize-lz4", "oxidize-none"):
    print("\n### Targets (issue 4), this run\n")
    target("Oxidize `lz4` size <= PublishSingleFile + compression, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4', 'size', 'single-file-compressed'):.3f}x", value(a, 'oxidize-lz4', 'size') <= value(a, 'single-file-compressed', 'size')) for a in apps])
    target("Oxidize `lz4` median <= 1.0x PublishSingleFile, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4', 'median_ms'):.3f}x", ratio(a, 'oxidize-lz4', 'median_ms') <= 1.0) for a in apps])
    target("Oxidize `lz4` median <= 0.5x PublishSingleFile + compression, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4', 'median_ms', 'single-file-compressed'):.3f}x", ratio(a, 'oxidize-lz4', 'median_ms', 'single-file-compressed') <= 0.5) for a in apps])

print("\n### Targets (issue 15), this run\n")
if have("single-file", "oxidize-none-il"):
    target("Oxidize `none` median <= 0.95x PublishSingleFile, like for like without ReadyToRun",
           [(f"{a} {ratio(a, 'oxidize-none-il', 'median_ms'):.3f}x", ratio(a, 'oxidize-none-il', 'median_ms') <= 0.95) for a in apps])
if have("single-file-r2r", "oxidize-r2r-composite"):
    target("Oxidize `none` median <= 0.95x PublishSingleFile + PublishReadyToRun, like for like with ReadyToRun (both the SDK's composite with the framework)",
           [(f"{a} {ratio(a, 'oxidize-r2r-composite', 'median_ms', 'single-file-r2r'):.3f}x", ratio(a, 'oxidize-r2r-composite', 'median_ms', 'single-file-r2r') <= 0.95) for a in apps])
if have("single-file-r2r", "oxidize-none"):
    target("Oxidize default (per-assembly ReadyToRun; for the web app its startup composite) median <= 0.95x PublishSingleFile + PublishReadyToRun (not like for like: that one composes the whole framework)",
           [(f"{a} {ratio(a, 'oxidize-none', 'median_ms', 'single-file-r2r'):.3f}x", ratio(a, 'oxidize-none', 'median_ms', 'single-file-r2r') <= 0.95) for a in apps])
if have("single-file", "oxidize-none"):
    target("Oxidize default publish median <= 0.8x PublishSingleFile default publish, sqlite and web apps",
           [(f"{a} {ratio(a, 'oxidize-none', 'median_ms'):.3f}x", ratio(a, 'oxidize-none', 'median_ms') <= 0.8) for a in apps if a in ("RealApp", "WebApi")])
if "Hello" in apps and have("single-file", "oxidize-none") and r[("Hello", "single-file")]["private_dirty_kb"]:
    for v in [v for v in ("oxidize-none", "oxidize-none-il") if ("Hello", v) in r]:
        target(f"{v}: idle hello world private dirty <= PublishSingleFile's + 1 MB",
               [(f"{value('Hello', v, 'private_dirty_kb') / 1024:.1f} MB vs {value('Hello', 'single-file', 'private_dirty_kb') / 1024:.1f} MB",
                 value('Hello', v, 'private_dirty_kb') <= value('Hello', 'single-file', 'private_dirty_kb') + 1024)])
        target(f"{v}: total PSS of 64 idle hello worlds <= 1.1x PublishSingleFile's",
               [(f"{ratio('Hello', v, 'pss64_kb'):.3f}x", ratio('Hello', v, 'pss64_kb') <= 1.1)])
if have("oxidize-none", "oxidize-lz4"):
    target("Oxidize `lz4` median <= 1.05x `none`, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4', 'median_ms', 'oxidize-none'):.3f}x", ratio(a, 'oxidize-lz4', 'median_ms', 'oxidize-none') <= 1.05) for a in apps])
    target("Oxidize `lz4` size <= 0.8x `none`, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4', 'size', 'oxidize-none'):.3f}x", ratio(a, 'oxidize-lz4', 'size', 'oxidize-none') <= 0.8) for a in apps])
if have("oxidize-none", "oxidize-lz4-list"):
    target("Oxidize `lz4` with a load list median <= 1.05x `none`, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4-list', 'median_ms', 'oxidize-none'):.3f}x", ratio(a, 'oxidize-lz4-list', 'median_ms', 'oxidize-none') <= 1.05) for a in apps])
    target("Oxidize `lz4` with a load list size <= 0.8x `none`, every app",
           [(f"{a} {ratio(a, 'oxidize-lz4-list', 'size', 'oxidize-none'):.3f}x", ratio(a, 'oxidize-lz4-list', 'size', 'oxidize-none') <= 0.8) for a in apps])
oxidized = [v for v in variants if v.startswith("oxidize-") and v != "oxidize-r2r-composite"]
if have("single-file"):
    target("peak RSS of every Oxidize mode <= 1.1x PublishSingleFile, every app",
           [(f"{a} {v} {ratio(a, v, 'rss_kb'):.3f}x", ratio(a, v, 'rss_kb') <= 1.1) for a in apps for v in oxidized])
if have("single-file-r2r", "oxidize-r2r-composite"):
    target("peak RSS of Oxidize + the SDK's composite <= 1.1x PublishSingleFile + PublishReadyToRun (like for like), every app",
           [(f"{a} {ratio(a, 'oxidize-r2r-composite', 'rss_kb', 'single-file-r2r'):.3f}x", ratio(a, 'oxidize-r2r-composite', 'rss_kb', 'single-file-r2r') <= 1.1) for a in apps])
PY
log "done: $work/results.md"

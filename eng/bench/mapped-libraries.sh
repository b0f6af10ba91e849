#!/usr/bin/env bash
# Memory of the mapped native libraries (issue 15 point 1, docs/performance.md "Mapped native libraries"): publishes
# tests/Samples/Hello three ways (Oxidize default: runtime mapped from the executable; Oxidize with
# OxidizeZeroCopyLibraries=false: runtime copied into memfds; PublishSingleFile self-contained, "PSF") and prints, for
# each, the private dirty memory of one idle instance (/proc/PID/smaps_rollup, Private_Dirty) and the total PSS of N
# concurrent idle instances (sum of Pss from smaps_rollup once all N wait on stdin). Startup is timed separately with
# paired A/B runs (see docs/performance.md; eng/bench/interleaved.py): this script only measures memory, which a noisy machine does not change.
#
#   eng/bench/mapped-libraries.sh [INSTANCES]     (default 64)
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
instances="${1:-64}"
work="$repo_root/artifacts/bench-mapped"
source "$repo_root/eng/bench/isolation.sh"
bench_prepare "$repo_root" "${NUGET_PACKAGES:-$work/nuget}"

rm -rf "$work/apps" "$work/out" "$NUGET_PACKAGES"/oxidize.*
mkdir -p "$work/apps" "$work/out"
bench_isolate "$work" "$repo_root"
cp -r "$repo_root/tests/Samples/Hello" "$work/apps/Hello"
rm -rf "$work/apps/Hello/bin" "$work/apps/Hello/obj"
sed -i -e "s/\(<Sdk Name=\"Oxidize.Sdk\" Version=\"\)[^\"]*\"/\1$version\"/" "$work/apps/Hello/Hello.csproj"

variants=(oxidize-mapped oxidize-copied single-file)
declare -A variant_args=(
    [oxidize-mapped]="-p:Oxidize=true"
    [oxidize-copied]="-p:Oxidize=true -p:OxidizeZeroCopyLibraries=false"
    [single-file]="--self-contained -p:PublishSingleFile=true"
)
for variant in "${variants[@]}"; do
    (cd "$work/apps/Hello" && rm -rf obj bin && dotnet publish -c Release -r linux-x64 -nologo -v quiet -nodeReuse:false \
        -o "$work/out/$variant" ${variant_args[$variant]} >/dev/null)
done

kb() { awk -v field="$1:" '$1 == field { print $2 }' "$2"; }

# Starts COUNT instances that wait on a FIFO for stdin, waits until each has printed its first line, prints
# "private_dirty_kb_of_first total_pss_kb", then lets them finish.
measure() {
    local executable="$1" count="$2" fifo="$work/fifo" pids=() outputs=()
    rm -f "$fifo"; mkfifo "$fifo"
    exec 9<>"$fifo"
    for i in $(seq "$count"); do
        "$executable" <"$fifo" >"$work/out/instance.$i" 2>&1 9>&- &
        pids+=($!)
    done
    for i in $(seq "$count"); do
        until [ -s "$work/out/instance.$i" ]; do sleep 0.05; done
    done
    sleep 1
    local first_dirty total=0
    first_dirty="$(kb Private_Dirty "/proc/${pids[0]}/smaps_rollup")"
    for pid in "${pids[@]}"; do
        total=$((total + $(kb Pss "/proc/$pid/smaps_rollup")))
    done
    exec 9>&-
    wait "${pids[@]}" || true
    rm -f "$fifo" "$work/out"/instance.*
    echo "$first_dirty $total"
}

printf '| variant | private dirty, 1 idle instance | total PSS, %s idle instances |\n|---|---:|---:|\n' "$instances"
declare -A dirty pss
for variant in "${variants[@]}"; do
    read -r d _ < <(measure "$work/out/$variant/Hello" 1)
    read -r _ p < <(measure "$work/out/$variant/Hello" "$instances")
    dirty[$variant]=$d; pss[$variant]=$p
    printf '| %s | %.1f MB | %.1f MB |\n' "$variant" "$(echo "$d/1024" | bc -l)" "$(echo "$p/1024" | bc -l)"
done
printf '\nratios to single-file: private dirty oxidize-mapped %.2f, oxidize-copied %.2f; total PSS oxidize-mapped %.2f, oxidize-copied %.2f\n' \
    "$(echo "${dirty[oxidize-mapped]}/${dirty[single-file]}" | bc -l)" "$(echo "${dirty[oxidize-copied]}/${dirty[single-file]}" | bc -l)" \
    "$(echo "${pss[oxidize-mapped]}/${pss[single-file]}" | bc -l)" "$(echo "${pss[oxidize-copied]}/${pss[single-file]}" | bc -l)"

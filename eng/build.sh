#!/usr/bin/env bash
# ./build.sh           builds the native host and the packages (artifacts/packages): Oxidize.Sdk, Oxidize.Resources and the
#                      dotnet oxidize tool (Oxidize.Tool)
# ./build.sh demo      ...then publishes tests/Samples/Hello with -p:Oxidize=true and runs the one file
# ./build.sh test      ...then builds and runs every test (unit and end-to-end)
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
artifacts="$repo_root/artifacts"
configuration="${CONFIGURATION:-Release}"
# shellcheck source=eng/prerequisites.sh
source "$repo_root/eng/prerequisites.sh"
# shellcheck source=eng/bench/isolation.sh
source "$repo_root/eng/bench/isolation.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

# The highest glibc symbol version a host may need: the .NET runtime's own floor (objdump -T of libcoreclr.so,
# libclrjit.so and libclrgcexp.so in the 10.0.12 runtime packs: GLIBC_2.27 for linux-x64 and for linux-arm64,
# where expf/logf/powf/memfd_create are 2.27 symbols). The hosts themselves need GLIBC_2.14 (x86-64) and GLIBC_2.17 (arm64).
check_glibc_ceiling() {
    local host="$1" ceiling="$2" floor
    floor="$(objdump -T "$host" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
    if [ "$(printf '%s\n%s\n' "$floor" "$ceiling" | sort -V | tail -1)" != "$ceiling" ]; then
        echo "error: $host needs GLIBC_$floor, above the runtime's floor GLIBC_$ceiling" >&2
        exit 1
    fi
}

build_host() {
    make -s -C "$repo_root/src/Oxidize.Host" OUT="$artifacts/host"
    # The host must not raise the runtime's glibc floor.
    check_glibc_ceiling "$artifacts/host/oxidize-host" 2.27
    # The bundled-userland bootstrap must need nothing from the target: no interpreter, no libraries.
    if readelf -lW "$artifacts/host/oxidize-bootstrap" | grep -q INTERP || readelf -dW "$artifacts/host/oxidize-bootstrap" | grep -q NEEDED; then
        echo "error: oxidize-bootstrap has an interpreter or needs shared libraries; it must be fully static" >&2
        exit 1
    fi
    # The linux-arm64 host, cross-compiled with Debian's aarch64 toolchain (only the host: the tools run here).
    make -s -C "$repo_root/src/Oxidize.Host" CC=aarch64-linux-gnu-gcc OUT="$artifacts/host/linux-arm64" \
        "$artifacts/host/linux-arm64/oxidize-host"
    check_glibc_ceiling "$artifacts/host/linux-arm64/oxidize-host" 2.27
    # The win-x64 host, cross-compiled with mingw-w64 (docs/how-it-works.md, "Windows").
    make -s -C "$repo_root/src/Oxidize.Host" OUT="$artifacts/host" "$artifacts/host/win-x64/oxidize-host.exe"
    # It may need nothing but Windows' own DLLs: a mingw runtime DLL (libgcc_s, libwinpthread) would be missing there.
    local windows_imports
    windows_imports="$(x86_64-w64-mingw32-objdump -p "$artifacts/host/win-x64/oxidize-host.exe" | sed -n 's/^\tDLL Name: //p' | sort -u | tr '\n' ' ')"
    if [ "$windows_imports" != "KERNEL32.dll msvcrt.dll " ]; then
        echo "error: oxidize-host.exe imports $windows_imports; only KERNEL32.dll and msvcrt.dll are allowed" >&2
        exit 1
    fi
    # The Windows in-memory DLL loader's test programs (not shipped), run under Wine by the tests.
    make -s -C "$repo_root/src/Oxidize.Host" OUT="$artifacts/host" win-loader-tests
}

build_package() {
    rm -f "$artifacts/packages/"Oxidize.*.nupkg
    for project in Oxidize.Sdk Oxidize.Resources Oxidize.Tool; do
        dotnet pack "$repo_root/src/$project/$project.csproj" -c "$configuration" -nologo -v quiet -nodeReuse:false
    done
    echo "Built $(ls "$artifacts"/packages/Oxidize.*.nupkg | tr '\n' ' ')"
}

build_all() {
    oxidize_require_dotnet
    oxidize_require_packages gcc g++ make binutils libc6-dev zlib1g-dev git strace lz4 liblz4-dev musl-tools clang libclang-rt-14-dev time chromium fonts-dejavu-core rpm lintian gdb \
        gcc-mingw-w64-x86-64 \
        crossbuild-essential-arm64 qemu-user
    # What arm64 executables need to run here under qemu-aarch64 (the linux-arm64 end-to-end tests): the
    # runtime's own dependencies, as Debian's arm64 multiarch packages.
    oxidize_require_architecture arm64
    oxidize_require_packages libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libicu72:arm64 libssl3:arm64 zlib1g:arm64
    # win-x64: the mingw-w64 cross compiler builds the Windows host (x86_64-w64-mingw32-gcc); the Windows loader's test
    # DLL is C++ (an exception unwinding through its frames): mingw-w64's C++ compiler. Wine 8 (/usr/lib/wine/wine64,
    # prefix made by eng/wine.sh) runs the win-x64 end-to-end tests.
    oxidize_require_packages --no-install-recommends gcc-mingw-w64-x86-64-win32 g++-mingw-w64-x86-64-win32 wine64
    # Authenticode signing of a published .exe (AuthenticodeSignedExecutableStillRuns): osslsigncode, and openssl for
    # the test's throwaway certificate.
    oxidize_require_packages --no-install-recommends osslsigncode openssl
    # The Windows loader and its tests (make win-loader-tests, run under Wine by PeLoaderTests): mingw-w64's C and C++
    # compilers (the test DLL is C++: an exception unwinding through its frames) and Wine.
    oxidize_require_packages gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64-win32 wine64
    build_host
    build_package
}

run_demo() {
    local demo="$artifacts/demo" version
    version="$(oxidize_version)"
    rm -rf "$demo" && mkdir -p "$demo"
    cp -r "$repo_root/tests/Samples/Hello" "$demo/Hello"
    # Build it as a user's project would: not with the repo's Directory.Build.props, with only nuget.org and the
    # freshly built package as sources.
    bench_isolate "$demo" "$repo_root"
    sed -i "s/<Sdk Name=\"Oxidize.Sdk\" Version=\"[^\"]*\"/<Sdk Name=\"Oxidize.Sdk\" Version=\"$version\"/" "$demo/Hello/Hello.csproj"
    # A private package folder, so a rebuilt package of the same version is never served stale.
    export NUGET_PACKAGES="$artifacts/nuget-demo"
    rm -rf "$NUGET_PACKAGES/oxidize.sdk"
    echo "== dotnet publish -r linux-x64 -p:Oxidize=true"
    (cd "$demo/Hello" && dotnet publish -r linux-x64 -p:Oxidize=true -o "$demo/publish" -nologo -nodeReuse:false)
    echo "== the publish folder"
    ls -l "$demo/publish"
    echo "== running it from another directory: $demo/publish/Hello one two"
    (cd / && echo "a line on stdin" | "$demo/publish/Hello" one two) || echo "(exit code $?)"
}

run_tests() {
    # Tests write their scratch files here (tests/Shared/TestScratch.cs); each run starts without the last one's.
    rm -rf "$artifacts/test-scratch"
    local log="$artifacts/test-results/dotnet-test.log" status=0
    mkdir -p "$artifacts/test-results"
    export OXIDIZE_REPO_ROOT="$repo_root"
    dotnet test "$repo_root/Oxidize.Sdk.sln" -c "$configuration" -nologo -nodeReuse:false \
        --logger "console;verbosity=normal" --results-directory "$artifacts/test-results" 2>&1 | tee "$log" || status=$?
    # One closing line in the plain form CI reads, summed over the test projects.
    local passed failed
    passed="$(awk '/^ *Passed: *[0-9]+/ {s += $2} END {print s + 0}' "$log")"
    failed="$(awk '/^ *Failed: *[0-9]+/ {s += $2} END {print s + 0}' "$log")"
    echo "tests: $passed passed, $failed failed"
    return $status
}

command="${1:-build}"
case "$command" in
    build) build_all ;;
    demo) build_all; run_demo ;;
    test) build_all; run_tests ;;
    *) echo "usage: ./build.sh [build|demo|test]" >&2; exit 2 ;;
esac

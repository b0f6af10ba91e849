#!/usr/bin/env bash
# Checks what the build needs and installs the Debian packages that are missing (as root), or says
# exactly what to install. Sourced by eng/build.sh.
set -euo pipefail

oxidize_require_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        echo "error: the .NET SDK (10.0.100 or newer) is required: https://dot.net (dotnet not on PATH)" >&2
        exit 1
    fi
    local major
    major="$(dotnet --version | cut -d. -f1)"
    if [ "$major" -lt 10 ]; then
        echo "error: the .NET SDK 10.0.100 or newer is required; found $(dotnet --version)" >&2
        exit 1
    fi
}

# A foreign dpkg architecture (arm64), so that its multiarch libraries (libc6:arm64, ...) can be installed
# for running cross-built executables under qemu-user.
oxidize_require_architecture() {
    local architecture="$1"
    [ "$(dpkg --print-architecture)" = "$architecture" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$architecture" && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: dpkg does not know the architecture $architecture (run: sudo dpkg --add-architecture $architecture && sudo apt-get update)" >&2
        exit 1
    fi
    echo "Adding the dpkg architecture $architecture"
    dpkg --add-architecture "$architecture"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
}

# Debian packages: the C toolchain for the host (crossbuild-essential-arm64 for the linux-arm64 host,
# qemu-user to run arm64 executables in the tests), strace for the no-file-access tests, binutils for
# the glibc-floor check, lz4 and liblz4-dev as the reference codec the LZ4 tests compare against,
# musl-tools for the bundled-userland bootstrap, clang with its libFuzzer runtime for the bounded fuzz
# runs, time for peak-memory measurements, gcc-mingw-w64-x86-64 for the win-x64 host and wine64 to run it.
# A first argument --no-install-recommends is passed on to apt-get (for wine64, whose recommends are a desktop).
oxidize_require_packages() {
    local apt_options=()
    if [ "${1:-}" = "--no-install-recommends" ]; then
        apt_options+=("$1")
        shift
    fi
    local wanted=("$@") missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "Installing missing packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_options[@]}" "${missing[@]}" >/dev/null
}

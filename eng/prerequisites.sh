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

# Debian packages: the C toolchain for the host, strace for the no-file-access tests, binutils for
# the glibc-floor check, lz4 and liblz4-dev as the reference codec the LZ4 tests compare against,
# musl-tools for the bundled-userland bootstrap, clang with its libFuzzer runtime for the bounded fuzz
# runs, time for peak-memory measurements.
oxidize_require_packages() {
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
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

#!/usr/bin/env bash
# The Wine prefix the win-x64 tests run in: artifacts/wine-prefix, created once (wineboot, then Windows 10, which
# .NET 10 requires: Wine's default claims Windows 7) and reused, with `wineserver -p 60` kept running so a start
# costs about 0.2 s instead of 0.9 s. Works without a display. Safe to call concurrently (one lock).
#
#   eng/wine.sh                      prepares the prefix and prints its environment, one NAME=value a line:
#                                    env $(eng/wine.sh) timeout 120 /usr/lib/wine/wine64 app.exe </dev/null
#   eng/wine.sh run [--] app.exe ...  prepares the prefix and runs app.exe under it (timeout, stdin from /dev/null)
#
# OXIDIZE_WINE_PREFIX overrides where the prefix is (the default is <repo>/artifacts/wine-prefix).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver
prefix="${OXIDIZE_WINE_PREFIX:-$repo_root/artifacts/wine-prefix}"
# Written last by a creation that finished: a prefix without it is a broken attempt and is made again.
ready_marker="$prefix/.oxidize-prefix-ready"
# How long a Wine step may take before it counts as hung (wineboot -i takes 10-15 s here, far longer on a loaded machine).
setup_timeout=600
run_timeout="${OXIDIZE_WINE_TIMEOUT:-120}"

# No display (no X server: nothing may open a window), no debug channels. C.UTF-8: Wine decodes the command line's
# bytes with the Unix locale (under C, non-ASCII arguments arrive mangled) and then uses Windows-1252 as the ANSI
# code page, which the app's redirected stdout is written in.
export WINEPREFIX="$prefix" WINEARCH=win64 DISPLAY="" WINEDEBUG=-all LANG=C.UTF-8 LC_ALL=""

if [ ! -x "$wine" ] || [ ! -x "$wineserver" ]; then
    echo "error: Wine is not installed ($wine): apt-get install --no-install-recommends wine64 (./build.sh installs it)" >&2
    exit 1
fi

# Runs one step of the creation under timeout, output discarded; a failure or a hang names the step.
setup_step() {
    local what="$1" status=0
    shift
    timeout "$setup_timeout" "$@" </dev/null >/dev/null 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "error: creating the Wine prefix $prefix: $what failed (exit status $status; 124 is a hang of ${setup_timeout} s)" >&2
        exit 1
    fi
}

create_prefix() {
    # A server left by an interrupted creation would keep serving the deleted prefix's registry.
    "$wineserver" -k </dev/null >/dev/null 2>&1 || true
    rm -rf "$prefix"
    mkdir -p "$prefix"
    local started=$SECONDS
    # Without Wine Mono (mscoree) and Wine Gecko (mshtml), so wineboot does not try to download and install them: a
    # self-contained .NET app needs neither. Only here: with mscoree disabled at run time, Wine's loader refuses every
    # managed DLL the runtime maps with LoadLibrary ("Module not found" for System.Runtime.dll).
    setup_step "wineboot -i" env WINEDLLOVERRIDES="mscoree,mshtml=" "$wine" wineboot -i
    # winecfg -v sets the version without opening a window.
    setup_step "winecfg -v win10" "$wine" winecfg -v win10
    # Let the server write the registry to the prefix's files before the prefix is declared ready.
    setup_step "waiting for the wineserver to save the registry" "$wineserver" -w
    local version
    # Into a file, not a pipe: the services this first program starts outlive it and inherit its stdout, so a pipe
    # (command substitution) would not reach end of file until they exit.
    timeout "$setup_timeout" "$wine" cmd /c ver </dev/null >"$prefix/.oxidize-version" 2>/dev/null || true
    version="$(tr -d '\r' <"$prefix/.oxidize-version" | grep -o 'Windows [0-9.]*' || true)"
    rm -f "$prefix/.oxidize-version"
    case "$version" in
        "Windows 10."*) ;;
        *) echo "error: the Wine prefix $prefix reports '$version', not Windows 10 (.NET 10 refuses older versions)" >&2; exit 1 ;;
    esac
    # A sandboxed prefix, as winetricks' "sandbox" makes it: wineboot links the profile's Desktop, Documents, Music,
    # ... to $HOME; real folders keep whatever an app writes there inside the prefix (where the tests look for it) and
    # out of the user's home. "disable" stops a later Wine version's prefix update from linking them again.
    local link
    for link in "$prefix"/drive_c/users/*/*; do
        if [ -L "$link" ]; then
            rm "$link"
            mkdir "$link"
        fi
    done
    echo disable >"$prefix/.update-timestamp"
    # The server `cmd` started must be gone before the persistent one below can take the prefix's socket.
    setup_step "waiting for the wineserver to exit" "$wineserver" -w
    touch "$ready_marker"
    echo "Created the Wine prefix $prefix in $((SECONDS - started)) s ($version)" >&2
}

mkdir -p "$(dirname "$prefix")"
# One lock for creating the prefix and starting its server: concurrent callers wait for the first.
exec 9>"$prefix.lock"
flock 9
[ -f "$ready_marker" ] || create_prefix
# A persistent server for this prefix (it detaches); when one already runs, this one finds the prefix's socket taken
# and exits with status 2, which is fine. (Debian's wineserver wrapper adds -p0; the later -p 60 wins.)
"$wineserver" -p 60 </dev/null >/dev/null 2>&1 || true
flock -u 9

case "${1:-}" in
    "")
        for name in WINEPREFIX WINEARCH DISPLAY WINEDEBUG LANG LC_ALL; do
            echo "$name=${!name}"
        done
        ;;
    run)
        shift
        [ "${1:-}" = "--" ] && shift
        exec timeout "$run_timeout" "$wine" "$@" </dev/null
        ;;
    *)
        echo "usage: eng/wine.sh [run [--] program.exe [arguments...]]" >&2
        exit 2
        ;;
esac

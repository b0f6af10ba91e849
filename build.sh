#!/usr/bin/env bash
# Entry point: ./build.sh [build|demo|test|bench]. The work is done by eng/build.sh.
exec "$(dirname "$0")/eng/build.sh" "$@"

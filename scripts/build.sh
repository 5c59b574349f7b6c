#!/usr/bin/env bash
# Configures and builds SepLab into $SEPLAB_BUILD_DIR (default: build/). Extra arguments go to
# CMake's configure step, e.g. scripts/build.sh -DSEPLAB_GUI=OFF. Sourced by test.sh and demo.sh.
set -euo pipefail

seplab_build() {
    local root build_dir
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    build_dir="${SEPLAB_BUILD_DIR:-$root/build}"
    cmake -S "$root" -B "$build_dir" -G Ninja "$@" >/dev/null
    # Two compile jobs per core overcommit memory on big torch translation units; one per core
    # is what a 2-core CI machine can hold.
    cmake --build "$build_dir" --parallel "$(nproc)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    seplab_build "$@"
fi

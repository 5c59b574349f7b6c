#!/usr/bin/env bash
# Checks that every translation unit that sees LibTorch also compiles against LibTorch 2.x headers,
# without a GPU machine: Debian 12 ships LibTorch 1.13, the GPU servers run PyTorch 2.x, and the
# code keeps both working (see docs/building.md, "LibTorch 1.13 and 2.x").
#
#   scripts/check-torch2.sh [build-dir] [jobs] [regex]   # default: build, $(nproc), every file
#
# The regex (Python syntax, searched in each source path) limits the check to matching files,
# e.g. 'core/models/' after touching the models.
#
# It fetches Debian trixie's libtorch-dev 2.6 (headers only, 2.4 MB) from deb.debian.org into
# $SEPLAB_TORCH2_DIR (default /tmp/seplab-torch2), precompiles <torch/torch.h> from them with the
# flags of the build's own PCH, then runs every compile command of build-dir/compile_commands.json
# that names the torch include dir with -fsyntax-only against those headers. Needs a configured
# build dir (any CMake configure writes compile_commands.json) and Ninja to run moc; it builds no
# torch code with the system's 1.13. Takes about 10 min on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$(cd "${1:-$root/build}" && pwd)
jobs="${2:-$(nproc)}"
work="${SEPLAB_TORCH2_DIR:-/tmp/seplab-torch2}"
deb_url="https://deb.debian.org/debian/pool/main/p/pytorch/libtorch-dev_2.6.0+dfsg-7_amd64.deb"

if [ ! -f "$build_dir/compile_commands.json" ]; then
    echo "check-torch2: $build_dir/compile_commands.json does not exist; configure the build first." >&2
    exit 1
fi
# Test sources include their AUTOMOC output (tst_x.moc): run moc for every target first (seconds;
# it needs no torch). Ninja only; with another generator, build the tree once instead.
if [ -f "$build_dir/build.ninja" ]; then
    mapfile -t autogen < <(ninja -C "$build_dir" -t targets all | sed -n 's/^\([^/:]*_autogen\): phony$/\1/p')
    if [ "${#autogen[@]}" -gt 0 ]; then
        ninja -C "$build_dir" "${autogen[@]}" > /dev/null
    fi
fi
mkdir -p "$work"
if [ ! -d "$work/headers/usr/include/torch" ]; then
    curl -sSfL -o "$work/libtorch-dev.deb" "$deb_url"
    dpkg-deb -x "$work/libtorch-dev.deb" "$work/headers"
fi
exec python3 "$root/scripts/check_torch2_tus.py" "$build_dir/compile_commands.json" \
    "$work/headers/usr/include" "$work" "$jobs" "${3:-}"

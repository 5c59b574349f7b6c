#!/usr/bin/env bash
# Builds the headless targets (core, audio, seplab-cli; no Qt) on a GPU server against the
# LibTorch of its PyTorch 2.x, with the other libraries staged beforehand on a Debian machine:
#   ../shared/device/stage-deps.sh libsamplerate0 libsamplerate0-dev   # writes .devdeps/
# Then, on the server, from the checkout root:
#   scripts/device-build.sh            # -> build-device/bin/seplab-cli
# Run the result with LD_LIBRARY_PATH="$PWD/.devdeps/usr/lib/x86_64-linux-gnu".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="${SEPLAB_DEPS:-$root/.devdeps}"
build_dir="${SEPLAB_BUILD_DIR:-$root/build-device}"

if [ ! -d "$deps/usr" ]; then
    echo "device-build: $deps/usr does not exist; stage the libraries first (see this script's header)." >&2
    exit 1
fi
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')

cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DSEPLAB_GUI=OFF \
    -DCMAKE_PREFIX_PATH="$deps/usr;$torch_prefix" \
    "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$build_dir/bin/seplab-cli" --version

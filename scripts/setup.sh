#!/usr/bin/env bash
# Installs the Debian 12 packages that SepLab's build, tests and demo need, and nothing else.
# Idempotent: when every package is already installed it never touches apt. Works as root (CI)
# or through sudo. Sourced by test.sh and demo.sh; can also be run alone.
set -euo pipefail

SEPLAB_PACKAGES=(
    # toolchain
    build-essential cmake ninja-build pkg-config
    # LibTorch, and the optimised BLAS without which it runs ~9x slower on the CPU
    libtorch-dev libopenblas0-pthread
    # GUI, charts, tests (QtTest ships in qt6-base-dev; Qt Charts' CMake package needs Qt6OpenGL)
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
    # audio files, resampling, playback
    libsndfile1-dev libsamplerate0-dev portaudio19-dev
    # configs, plans, protocol, store
    libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev
    # the report's PNG plots
    libcairo2-dev
    # demo voices and sound tools
    espeak-ng sox
    # PyTorch for Python: the state_dict interop test opens SepLab's exports with torch.load
    python3-torch
    # the .deb: cpack's dpkg-shlibdeps step needs `file`; the packaging tests validate the
    # desktop entry and the AppStream metainfo
    file desktop-file-utils appstream
)

# The packages among "$@" that are not installed, one per line.
missing_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            echo "$pkg"
        fi
    done
}

# Installs the packages among "$@" that are missing (scripts/screenshots.sh adds Xvfb this way).
seplab_install() {
    local missing
    missing=$(missing_packages "$@" | tr '\n' ' ')
    if [ -z "${missing// /}" ]; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "setup: missing packages ($missing) and not root, and sudo is not installed." >&2
            return 1
        fi
        sudo="sudo"
    fi
    echo "setup: installing $missing" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

seplab_setup() {
    seplab_install "${SEPLAB_PACKAGES[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    seplab_setup
fi

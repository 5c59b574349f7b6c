#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test with ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -L core  or  scripts/test.sh -LE slow.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
source "$root/scripts/build.sh"

seplab_setup
seplab_build
cd "${SEPLAB_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --parallel "$(nproc)" "$@"

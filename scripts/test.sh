#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test with ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -L core  or  scripts/test.sh -LE slow.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
source "$root/scripts/build.sh"

seplab_setup
seplab_build

# The Slurm executor's integration test (label `slurm`) runs against a one-node local cluster.
# As root (CI) the cluster is started here and stopped at the end, and the test must run
# (SEPLAB_REQUIRE_SLURM=1); otherwise it runs when a cluster answers and skips itself if none.
# SEPLAB_SLURM_LOCAL=0 leaves Slurm alone.
if [ "$(id -u)" = 0 ] && [ "${SEPLAB_SLURM_LOCAL:-1}" = 1 ]; then
    source "$root/scripts/slurm-local.sh"
    if seplab_slurm_up; then
        echo "test.sh: a Slurm cluster is already up; it is left running afterwards." >&2
    else
        seplab_slurm_start
        trap 'seplab_slurm_stop || true' EXIT
    fi
    export SEPLAB_REQUIRE_SLURM=1
fi

cd "${SEPLAB_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --parallel "$(nproc)" "$@"

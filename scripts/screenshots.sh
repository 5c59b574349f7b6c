#!/usr/bin/env bash
# The user guide's screenshots, taken from the real window: builds, writes the mini-corpus, runs
# the tiny 3-stage plan, then starts `seplab --screenshots` on its store under a virtual X server
# (Xvfb), which walks the panels (Monitor, Analysis, Search space, Devices, Audition separating
# the best trial's first test clip) and saves one PNG each into docs/screenshots/.
#   scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
source "$root/scripts/build.sh"

seplab_setup
seplab_install xvfb
seplab_build
build_dir="${SEPLAB_BUILD_DIR:-$root/build}"
cli="$build_dir/bin/seplab-cli"
out="${1:-$root/docs/screenshots}"
work=$(mktemp -d)
trap 'kill "${xvfb_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== The mini-corpus and the tiny 3-stage plan (as scripts/demo.sh runs them)"
"$cli" make-corpus --out "$work/corpus" --train 64 --val 16 --test 8 --seconds 1 --sentences 6 --seed 7
"$cli" sweep run "$root/resources/plans/dprnn_3stage_progressive.yaml" --scale tiny \
    --data "$work/corpus" --store "$work/hpo.db" --runs "$work/runs"

echo "== The workbench under Xvfb"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp &
xvfb_pid=$!
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
# A private settings folder: the shots show the default layout, not this user's.
DISPLAY="$display" XDG_CONFIG_HOME="$work/config" SEPLAB_AUDIO_OUTPUT=null \
    "$build_dir/bin/seplab" "$work/hpo.db" --screenshots "$out" --tour-corpus "$work/corpus" \
    --tour-sweep "$root/tests/data/examples/wandb-sweeps/dprnn-stage1-2k.yaml" \
    --tour-plan "$root/resources/plans/dprnn_3stage_progressive.yaml"
echo "== Saved into $out"
ls -l "$out"
